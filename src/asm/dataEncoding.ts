// Bytes of data-directive items: integers truncated to the unit (little-endian), strings padded to
// the unit, and floating-point constants in the format of the unit's size
// (NASM §3.4.6) through floatConstants.ts. Imports ./floatConstants.
import { dataFloatFormat, encodeFloat, parseFloatConstant, type FloatControl, type FloatEncoding } from './floatConstants';

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

/** A data directive's float item of `size` bytes (under the FLOAT directive's `control`): its bytes and nasm's warnings, or an error message. */
export function floatItemBytes(text: string, size: number, control?: FloatControl): FloatEncoding {
  const format = dataFloatFormat(size);
  if (!format) return { ok: false, message: `there is no ${size * 8}-bit floating-point format: use DB, DW, DD, DQ, DT or DO` };
  const p = parseFloatConstant(text);
  return p.ok ? encodeFloat(p.value, format, control) : { ok: false, message: `${p.message} ('${text}')` };
}
