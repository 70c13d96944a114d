// Bytes of data-directive items: integers truncated to the unit (little-endian), strings padded to
// the unit, and floating-point constants as IEEE half/single/double or x87 80-bit extended
// (NASM §3.4.6). Imports nothing of ours.

/** Writes `value` little-endian into out[at..at+size). */
export function writeInt(out: Uint8Array, at: number, value: bigint, size: number): void {
  let v = BigInt.asUintN(size * 8 > 64 ? 64 : size * 8, value);
  const fill = value < 0n && size > 8 ? 0xff : 0;
  for (let i = 0; i < size; i++) {
    if (i < 8) {
      out[at + i] = Number(v & 0xffn);
      v >>= 8n;
    } else out[at + i] = fill;
  }
}

/** true when `value` fits in `size` bytes as a signed or unsigned number (NASM's overflow check). */
export function fitsInSize(value: bigint, size: number): boolean {
  if (size >= 8) return true;
  const bits = BigInt(size * 8);
  return value >= -(1n << (bits - 1n)) && value < 1n << bits;
}

/** A decimal float literal as sign × digits × 10^exp10 (exact, for correct rounding). */
export interface DecimalFloat {
  negative: boolean;
  digits: bigint;
  exp10: number;
}

/** Parses a NASM decimal float literal (1.5, 1e10, -2.5e-3); undefined when malformed. */
export function parseFloatLiteral(text: string): DecimalFloat | undefined {
  const m = /^(-?)([0-9]+)(?:\.([0-9]*))?(?:e([+-]?[0-9]+))?$/i.exec(text.replace(/_/g, ''));
  if (!m) return undefined;
  const frac = m[3] ?? '';
  const exp = m[4] ? Number(m[4]) : 0;
  if (!Number.isFinite(exp) || Math.abs(exp) > 100000) return undefined;
  return { negative: m[1] === '-', digits: BigInt(m[2] + frac), exp10: exp - frac.length };
}

interface FloatFormat {
  /** Significand bits including the leading one. */
  p: number;
  bias: number;
  expBits: number;
  explicitOne: boolean;
}

const FORMATS: Record<number, FloatFormat> = {
  2: { p: 11, bias: 15, expBits: 5, explicitOne: false },
  4: { p: 24, bias: 127, expBits: 8, explicitOne: false },
  8: { p: 53, bias: 1023, expBits: 11, explicitOne: false },
  10: { p: 64, bias: 16383, expBits: 15, explicitOne: true },
};

function bitLength(v: bigint): number {
  return v === 0n ? 0 : v.toString(2).length;
}

/** Correctly rounded (nearest, ties toward zero like nasm) IEEE encoding of a decimal value: sign, exponent, significand. */
function encodeDecimal(d: DecimalFloat, f: FloatFormat): bigint {
  const signBit = d.negative ? 1n << BigInt(f.expBits + f.p - (f.explicitOne ? 0 : 1)) : 0n;
  const mantBits = BigInt(f.p - (f.explicitOne ? 0 : 1));
  const maxExp = (1n << BigInt(f.expBits)) - 1n;
  if (d.digits === 0n) return signBit;
  let num = d.digits * (d.exp10 > 0 ? 10n ** BigInt(d.exp10) : 1n);
  const den0 = d.exp10 < 0 ? 10n ** BigInt(-d.exp10) : 1n;
  const emin = 1 - f.bias - (f.p - 1);
  let e = bitLength(num) - bitLength(den0) - f.p;
  const divide = (ee: number): [bigint, bigint, bigint] => {
    const n = ee < 0 ? num << BigInt(-ee) : num;
    const dd = ee > 0 ? den0 << BigInt(ee) : den0;
    return [n / dd, n % dd, dd];
  };
  let [q, r, dd] = divide(e);
  const top = 1n << BigInt(f.p);
  const low = 1n << BigInt(f.p - 1);
  while (q >= top) [q, r, dd] = divide(++e);
  while (q < low && e > emin) [q, r, dd] = divide(--e);
  if (e < emin) {
    e = emin;
    [q, r, dd] = divide(e);
  }
  // nearest; an exact tie goes toward zero, as nasm 2.16's decimal conversion does (its working
  // value lies just below the tie: dd 16777219.0 → 16777218, dw 65520.0 → 65504, not infinity)
  if (2n * r > dd) q++;
  if (q >= top) {
    q >>= 1n;
    e++;
  }
  num = 0n;
  const unbiased = e + f.p - 1;
  if (unbiased > f.bias) return signBit | (maxExp << mantBits) | (f.explicitOne ? 1n << 63n : 0n);
  if (q < low) return signBit | q; // subnormal
  const biased = BigInt(unbiased + f.bias);
  const mant = f.explicitOne ? q : q - low;
  return signBit | (biased << mantBits) | mant;
}

/** The bytes of a float of `size` bytes (2, 4, 8, 10), or a message when the size has none. */
export function floatBytes(value: DecimalFloat, size: number): Uint8Array | string {
  const f = FORMATS[size];
  if (!f) return `floating-point constants cannot be ${size} bytes: use DW, DD, DQ or DT`;
  const out = new Uint8Array(size);
  let bits = encodeDecimal(value, f);
  for (let i = 0; i < size; i++) {
    out[i] = Number(bits & 0xffn);
    bits >>= 8n;
  }
  return out;
}
