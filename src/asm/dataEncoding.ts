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

/** Parses a NASM decimal float literal (1.5, 1e10, -2.5e-3); undefined when malformed. */
export function parseFloatLiteral(text: string): number | undefined {
  const t = text.replace(/_/g, '');
  if (!/^-?[0-9]+(\.[0-9]*)?(e[+-]?[0-9]+)?$/i.test(t)) return undefined;
  return Number(t);
}

/** The bytes of a float of `size` bytes (2, 4, 8, 10), or a message when the size has none. */
export function floatBytes(value: number, size: number): Uint8Array | string {
  const out = new Uint8Array(size);
  const dv = new DataView(out.buffer);
  switch (size) {
    case 2:
      dv.setUint16(0, toHalf(value), true);
      return out;
    case 4:
      dv.setFloat32(0, value, true);
      return out;
    case 8:
      dv.setFloat64(0, value, true);
      return out;
    case 10:
      return toExtended(value);
    default:
      return `floating-point constants cannot be ${size} bytes: use DW, DD, DQ or DT`;
  }
}

function toHalf(v: number): number {
  const f = new DataView(new ArrayBuffer(4));
  f.setFloat32(0, v);
  const x = f.getUint32(0);
  const sign = (x >>> 16) & 0x8000;
  const exp = ((x >>> 23) & 0xff) - 127 + 15;
  let mant = x & 0x7fffff;
  if (((x >>> 23) & 0xff) === 0xff) return sign | 0x7c00 | (mant ? 0x200 : 0);
  if (exp >= 31) return sign | 0x7c00;
  if (exp <= 0) {
    if (exp < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - exp;
    const half = 1 << (shift - 1);
    let r = mant >> shift;
    const rem = mant & ((1 << shift) - 1);
    if (rem > half || (rem === half && r & 1)) r++;
    return sign | r;
  }
  let r = (exp << 10) | (mant >> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && r & 1)) r++;
  return sign | r;
}

/** x87 80-bit extended: exact from a double (every double is representable). */
function toExtended(v: number): Uint8Array {
  const out = new Uint8Array(10);
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, v);
  const hi = d.getUint32(0);
  const lo = d.getUint32(4);
  const sign = hi >>> 31;
  const exp = (hi >>> 20) & 0x7ff;
  const frac = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let e80: number;
  let m: bigint;
  if (exp === 0 && frac === 0n) {
    e80 = 0;
    m = 0n;
  } else if (exp === 0x7ff) {
    e80 = 0x7fff;
    m = (1n << 63n) | (frac << 11n);
  } else if (exp === 0) {
    // subnormal double: normalise
    let f = frac;
    let e = 1 - 1023;
    while ((f & (1n << 52n)) === 0n) {
      f <<= 1n;
      e--;
    }
    e80 = e + 16383;
    m = f << 11n;
  } else {
    e80 = exp - 1023 + 16383;
    m = ((1n << 52n) | frac) << 11n;
  }
  for (let i = 0; i < 8; i++) out[i] = Number((m >> BigInt(8 * i)) & 0xffn);
  const se = (sign << 15) | e80;
  out[8] = se & 0xff;
  out[9] = se >> 8;
  return out;
}
