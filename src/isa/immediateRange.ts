// The encoder's integer ranges: whether a value fits an immediate or displacement field of 1..8
// bytes (signed, or signed-or-unsigned as nasm accepts), and wrapping to a field, without allocating
// a BigInt for values already in range. Imports nothing.

/** A value as a BigInt (numbers truncated). */
export function big(v: bigint | number): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
}

/** Per field size in bytes (1..8): -2^(8n-1), 2^(8n-1) and 2^(8n), so range checks allocate nothing. */
export const SIGNED_MIN: readonly bigint[] = [0n, -0x80n, -0x8000n, -0x800000n, -0x80000000n, -0x8000000000n, -0x800000000000n, -0x80000000000000n, -0x8000000000000000n];
export const SIGNED_END: readonly bigint[] = SIGNED_MIN.map((v) => -v);
export const UNSIGNED_END: readonly bigint[] = SIGNED_END.map((v) => v * 2n);

/** Signed value of v wrapped to `bytes` bytes (v itself when it is in range: no new BigInt). */
export function wrapSigned(v: bigint, bytes: number): bigint {
  return fitsSigned(v, bytes) ? v : BigInt.asIntN(bytes * 8, v);
}

/** true when v fits `bytes` bytes as a signed value. */
export function fitsSigned(v: bigint, bytes: number): boolean {
  return v >= SIGNED_MIN[bytes] && v < SIGNED_END[bytes];
}

/** true when v fits `bytes` bytes as a signed or an unsigned value. */
export function fitsEither(v: bigint, bytes: number): boolean {
  return v >= SIGNED_MIN[bytes] && v < UNSIGNED_END[bytes];
}
