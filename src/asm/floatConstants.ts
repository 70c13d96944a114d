// Floating-point constants as nasm 2.16 reads and rounds them (NASM manual §3.4.6): decimal,
// hexadecimal/octal/binary with a `p` exponent, the special values __?Infinity?__, __?NaN?__,
// __?QNaN?__ and __?SNaN?__, and packed BCD (`1234p`, `0p1234`). The arithmetic follows nasm's
// own method, so the bytes match nasm's even where a correctly rounded conversion would differ: a
// 192-bit significand, decimal scaling by 5^n through truncating 192-bit products, round to
// nearest even on the truncated value, and nasm's exponent range (one exponent above the largest
// finite one is still written, with all-ones in the exponent field). Imports nothing of ours.

/** A parsed constant, before it is fitted to a format. */
export type FloatValue =
  | { kind: 'number'; negative: boolean; /** 192-bit fraction in [2^191, 2^192), or 0n. */ mant: bigint; /** value = 0.mant × 2^exp */ exp: number; warnings: readonly string[] }
  | { kind: 'special'; negative: boolean; special: 'infinity' | 'qnan' | 'snan' }
  | { kind: 'bcd'; negative: boolean; /** The digits, most significant first ('_' removed). */ digits: string };

/** The result of reading a constant's text. */
export type FloatParse = { ok: true; value: FloatValue } | { ok: false; message: string };

/** An IEEE-style format: total bytes, significand bits stored, explicit integer bit, exponent bits. */
export interface FloatFormat {
  bytes: number;
  mantissa: number;
  explicit: 0 | 1;
  exponent: number;
}

/** nasm's formats; data directives take the first of each size (db float8 … do float128). */
export const FLOAT_FORMATS = {
  float8: { bytes: 1, mantissa: 3, explicit: 0, exponent: 4 },
  float16: { bytes: 2, mantissa: 10, explicit: 0, exponent: 5 },
  bfloat16: { bytes: 2, mantissa: 7, explicit: 0, exponent: 8 },
  float32: { bytes: 4, mantissa: 23, explicit: 0, exponent: 8 },
  float64: { bytes: 8, mantissa: 52, explicit: 0, exponent: 11 },
  float80: { bytes: 10, mantissa: 63, explicit: 1, exponent: 15 },
  float128: { bytes: 16, mantissa: 112, explicit: 0, exponent: 15 },
} as const satisfies Record<string, FloatFormat>;

/** The format a data directive of `size` bytes uses, or undefined (DY, DZ have none). */
export function dataFloatFormat(size: number): FloatFormat | undefined {
  switch (size) {
    case 1:
      return FLOAT_FORMATS.float8;
    case 2:
      return FLOAT_FORMATS.float16;
    case 4:
      return FLOAT_FORMATS.float32;
    case 8:
      return FLOAT_FORMATS.float64;
    case 10:
      return FLOAT_FORMATS.float80;
    case 16:
      return FLOAT_FORMATS.float128;
    default:
      return undefined;
  }
}

const BITS = 192;
const MASK = (1n << 192n) - 1n;
const TOP = 1n << 191n;
/** Significant decimal digits nasm keeps (10^53 > 2^176 > 10^52). */
const MAX_DIGITS = 52;

/** Reads a constant's text: an optional leading '-' or '+', then a float token as nasm scans it. */
export function parseFloatConstant(source: string): FloatParse {
  let text = source.replace(/\s+/g, '');
  let negative = false;
  while (text.startsWith('-') || text.startsWith('+')) {
    if (text[0] === '-') negative = !negative;
    text = text.slice(1);
  }
  if (text === '') return { ok: false, message: 'a floating-point constant is missing' };
  const last = text[text.length - 1];
  if (last === 'p' || last === 'P') return bcd(text.slice(0, -1), negative);
  if (text[0] === '_') {
    const special = specialName(text);
    if (!special) return { ok: false, message: `'${source}' is not a floating-point constant` };
    return { ok: true, value: { kind: 'special', negative, special } };
  }
  if (text[0] === '$') return binaryRadix(text.slice(1), 4, negative);
  if (text[0] === '0' && text.length > 1) {
    switch (text[1].toLowerCase()) {
      case 'x':
      case 'h':
        return binaryRadix(text.slice(2), 4, negative);
      case 'o':
      case 'q':
        return binaryRadix(text.slice(2), 3, negative);
      case 'b':
      case 'y':
        return binaryRadix(text.slice(2), 1, negative);
      case 'd':
      case 't':
        return decimal(text.slice(2), negative);
      case 'p':
        return bcd(text.slice(2), negative);
    }
  }
  return decimal(text, negative);
}

/** 'infinity' | 'qnan' | 'snan' for __?Infinity?__, __?NaN?__, __?QNaN?__, __?SNaN?__ (any case, legacy __X__ too). */
export function specialName(text: string): 'infinity' | 'qnan' | 'snan' | undefined {
  const m = /^__\??(infinity|nan|qnan|snan)\??__$/i.exec(text);
  if (!m) return undefined;
  const name = m[1].toLowerCase();
  return name === 'infinity' ? 'infinity' : name === 'snan' ? 'snan' : 'qnan';
}

/** The exponent after E or P: digits and '_' with one optional sign; magnitude capped at `cap`. */
function readExponent(text: string, cap: number): number | string {
  let i = 0;
  let negative = false;
  if (text[0] === '+' || text[0] === '-') {
    negative = text[0] === '-';
    i = 1;
  }
  let v = 0;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) v = Math.min(cap, v * 10 + (c - 48));
    else if (c !== 95) return `invalid character in floating-point constant exponent: '${text[i]}'`;
  }
  return negative ? -v : v;
}

/** A product of two 192-bit fractions, truncated to 192 bits; `shift` is -1 when it was renormalised. */
function multiply(a: bigint, b: bigint): { mant: bigint; shift: number } {
  const p = a * b;
  if ((p >> 383n) & 1n) return { mant: p >> 192n, shift: 0 };
  return { mant: (p >> 191n) & MASK, shift: -1 };
}

/** A decimal significand [digits][.digits][e exponent], converted by nasm's method. */
function decimal(text: string, negative: boolean): FloatParse {
  const warnings: string[] = [];
  let digits = '';
  let tenpwr = 0;
  let started = false;
  let seenDot = false;
  let i = 0;
  for (; i < text.length; i++) {
    const ch = text[i];
    if (ch === 'e' || ch === 'E') break;
    if (ch === '.') {
      if (seenDot) return { ok: false, message: 'too many periods in floating-point constant' };
      seenDot = true;
    } else if (ch >= '0' && ch <= '9') {
      if (ch === '0' && !started) {
        if (seenDot) tenpwr--;
      } else {
        started = true;
        if (digits.length < MAX_DIGITS) digits += ch;
        else if (warnings.length === 0) warnings.push(`floating-point constant significand contains more than ${MAX_DIGITS} digits`);
        if (!seenDot) tenpwr++;
      }
    } else if (ch !== '_') return { ok: false, message: `invalid character in floating-point constant significand: '${ch}'` };
  }
  if (i < text.length) {
    const e = readExponent(text.slice(i + 1), 5000);
    if (typeof e === 'string') return { ok: false, message: e };
    tenpwr += e;
  }
  // value = 0.digits × 10^tenpwr; the fraction 0.digits becomes its first 192 significant bits
  digits = digits.replace(/0+$/, '');
  if (digits === '') return { ok: true, value: { kind: 'number', negative, mant: 0n, exp: 0, warnings } };
  const num = BigInt(digits);
  const den = 10n ** BigInt(digits.length);
  let lead = 0;
  while ((num << BigInt(lead + 1)) < den) lead++;
  let mant = (num << BigInt(lead + BITS)) / den;
  let twopwr = -lead + tenpwr;
  // × 5^tenpwr by squaring, each product truncated to 192 bits as nasm's limbs are
  let mult: bigint;
  let extratwos: number;
  if (tenpwr < 0) {
    mult = ((0xccccccccn << 160n) | (0xccccccccn << 128n) | (0xccccccccn << 96n) | (0xccccccccn << 64n) | (0xccccccccn << 32n) | 0xcccccccdn);
    extratwos = -2;
    tenpwr = -tenpwr;
  } else {
    mult = 0xan << 188n;
    extratwos = 3;
  }
  while (tenpwr !== 0) {
    if (tenpwr & 1) {
      const r = multiply(mant, mult);
      mant = r.mant;
      twopwr += extratwos + r.shift;
    }
    const sq = multiply(mult, mult);
    mult = sq.mant;
    extratwos = extratwos * 2 + sq.shift;
    tenpwr >>= 1;
  }
  return { ok: true, value: { kind: 'number', negative, mant, exp: twopwr, warnings } };
}

/** A significand in radix 2^bits ([digits][.digits][p exponent]): its first 192 bits, exactly. */
function binaryRadix(text: string, bits: number, negative: boolean): FloatParse {
  const radix = 1 << bits;
  let twopwr = 0;
  let seenDot = false;
  let mant = 0n;
  let have = 0; // significant bits collected (at most 192)
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const v = parseInt(ch, 16);
    if (ch === '.') {
      if (seenDot) return { ok: false, message: 'too many periods in floating-point constant' };
      seenDot = true;
    } else if (!Number.isNaN(v) && v < radix) {
      if (have === 0 && v !== 0) {
        const width = 32 - Math.clz32(v);
        twopwr += width - bits;
        mant = BigInt(v);
        have = width;
        if (!seenDot) twopwr += bits;
      } else if (have > 0) {
        const take = Math.min(bits, BITS - have);
        if (take > 0) {
          mant = (mant << BigInt(take)) | BigInt(v >> (bits - take));
          have += take;
        }
        if (!seenDot) twopwr += bits;
      } else if (seenDot) twopwr -= bits;
    } else if (ch === 'p' || ch === 'P') {
      const e = readExponent(text.slice(i + 1), 20000);
      if (typeof e === 'string') return { ok: false, message: e };
      twopwr += e;
      break;
    } else if (ch !== '_') return { ok: false, message: `invalid character '${ch}' in floating-point constant` };
  }
  if (have === 0) return { ok: true, value: { kind: 'number', negative, mant: 0n, exp: 0, warnings: [] } };
  return { ok: true, value: { kind: 'number', negative, mant: mant << BigInt(BITS - have), exp: twopwr, warnings: [] } };
}

/** Packed BCD digits (DT only). */
function bcd(text: string, negative: boolean): FloatParse {
  let digits = '';
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') digits += ch;
    else if (ch !== '_') return { ok: false, message: `invalid character '${ch}' in packed BCD constant` };
  }
  return { ok: true, value: { kind: 'bcd', negative, digits } };
}

/** The bytes of a constant in `format` (little-endian), with nasm's warnings; a message when it has no such form. */
export type FloatEncoding = { ok: true; bytes: Uint8Array; warnings: string[] } | { ok: false; message: string };

/** The FLOAT directive's settings (NASM §7.11): rounding direction and denormals-as-zero. */
export interface FloatControl {
  round: 'near' | 'up' | 'down' | 'zero';
  daz: boolean;
}

/** What nasm starts with and `float default` restores. */
export const DEFAULT_FLOAT_CONTROL: FloatControl = { round: 'near', daz: false };

/** Applies one FLOAT directive word (daz, nodaz, near, up, down, zero, default); false when unknown. */
export function applyFloatOption(control: FloatControl, word: string): boolean {
  const w = word.toLowerCase();
  if (w === 'daz' || w === 'nodaz') control.daz = w === 'daz';
  else if (w === 'near' || w === 'up' || w === 'down' || w === 'zero') control.round = w;
  else if (w === 'default') {
    control.round = 'near';
    control.daz = false;
  } else return false;
  return true;
}

/** Fits a parsed constant to a format as nasm does (by default, round to nearest even on the 192-bit value). */
export function encodeFloat(value: FloatValue, format: FloatFormat, control: FloatControl = DEFAULT_FLOAT_CONTROL): FloatEncoding {
  if (value.kind === 'bcd') return packedBcd(value, format);
  const warnings = value.kind === 'number' ? [...value.warnings] : [];
  const expBits = format.exponent;
  const expmax = 1 << (expBits - 1);
  const onePos = expBits + format.explicit; // MSB-first bit index of the integer bit
  const bits = format.bytes * 8;
  const bitAt = (i: number): bigint => 1n << BigInt(BITS - 1 - i);
  // magnitude rounding: toward zero for 'zero' and for the direction that shrinks this sign
  const mode: Rounding = control.round === 'near' ? 'even' : control.round === 'zero' || control.round === (value.negative ? 'up' : 'down') ? 'truncate' : 'away';
  const special = (kind: 'infinity' | 'qnan' | 'snan'): bigint => {
    let m = BigInt((1 << expBits) - 1) << BigInt(BITS - 1 - expBits);
    if (format.explicit) m |= bitAt(onePos);
    if (kind === 'qnan') m |= bitAt(onePos + 1);
    else if (kind === 'snan') m |= bitAt(onePos + format.mantissa);
    return m;
  };
  let m: bigint;
  if (value.kind === 'special') m = special(value.special);
  else if (value.mant === 0n) m = 0n;
  else {
    let exponent = value.exp - 1; // value = 1.f × 2^exponent
    m = value.mant;
    if (exponent >= 2 - expmax && exponent <= expmax) {
      exponent += expmax - 1;
      m = round(m >> BigInt(onePos), bits, mode);
      let overflow = false;
      if (m & bitAt(onePos - 1)) {
        // rounding carried into a new leading bit
        m >>= 1n;
        exponent++;
        overflow = exponent >= (expmax << 1) - 1;
      }
      if (overflow) {
        warnings.push('overflow in floating-point constant');
        m = special('infinity');
      } else {
        if (!format.explicit) m &= ~bitAt(onePos);
        m |= BigInt(exponent) << BigInt(BITS - 1 - expBits);
      }
    } else if (exponent > 0) {
      warnings.push('overflow in floating-point constant');
      m = special('infinity');
    } else {
      const shift = -(exponent + expmax - 2 - expBits) + format.explicit;
      m = shift >= BITS ? 0n : round(m >> BigInt(shift), bits, mode);
      if (m & bitAt(onePos)) {
        if (!format.explicit) m &= ~bitAt(onePos);
        m |= 1n << BigInt(BITS - 1 - expBits);
      } else if (control.daz) m = 0n;
    }
  }
  if (value.negative) m |= TOP;
  const out = new Uint8Array(format.bytes);
  let v = m >> BigInt(BITS - bits);
  for (let i = 0; i < format.bytes; i++) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return { ok: true, bytes: out, warnings };
}

/** How the dropped bits of a magnitude round: to nearest (ties to even), toward zero, away from zero (nasm's way). */
type Rounding = 'even' | 'truncate' | 'away';

/** Keeps the first `bits` bits of a 192-bit magnitude, rounded as `mode` says. */
function round(m: bigint, bits: number, mode: Rounding): bigint {
  const drop = BigInt(BITS - bits);
  const ulp = 1n << drop;
  const half = ulp >> 1n;
  const low = m & (ulp - 1n);
  let kept = m - low;
  // nasm's away-from-zero adds half an ulp to the kept bits, so it rounds up only when the first
  // dropped bit is set (a quirk of its FLOAT UP/DOWN, reproduced for the same bytes)
  if (mode === 'even' ? low > half || (low === half && (kept & ulp) !== 0n) : mode === 'away' && low >= half) kept += ulp;
  return kept;
}

/** x87 packed BCD: nine bytes of two digits each, least significant first, then the sign byte. */
function packedBcd(value: Extract<FloatValue, { kind: 'bcd' }>, format: FloatFormat): FloatEncoding {
  if (format.bytes !== 10) return { ok: false, message: 'packed BCD constants (1234p) need an 80-bit format: use DT' };
  const out = new Uint8Array(10);
  const d = value.digits;
  const warnings = d.length > 18 ? ['packed BCD truncated to 18 digits'] : [];
  for (let k = 0; k < 18 && k < d.length; k++) {
    const digit = d.charCodeAt(d.length - 1 - k) - 48;
    out[k >> 1] |= k & 1 ? digit << 4 : digit;
  }
  out[9] = value.negative ? 0x80 : 0;
  return { ok: true, bytes: out, warnings };
}

/** Where a number token ends and whether nasm reads it as a floating-point constant. */
export interface NumberScan {
  end: number;
  float: boolean;
}

/**
 * Scans the number token at line[start] (a digit, or '$' and a digit) by nasm's scanner rules:
 * letters, digits, '_' and '.' continue it; a sign continues it after 'p' (any radix) or after 'e'
 * in a number that is not hexadecimal; it is a float when it has a '.', a 'p', or an 'e' while not
 * hexadecimal (1e13 is a float, 1e13h and 0x1e are not). Writes into `out` (no allocation).
 */
export function scanNumber(line: string, start: number, out: NumberScan): void {
  let i = start;
  let hex = false;
  let float = false;
  let hasE = false;
  if (line.charCodeAt(i) === 36) {
    i++;
    hex = true;
  }
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    const next = i + 1 < n ? line.charCodeAt(i + 1) : 0;
    const signNext = next === 43 || next === 45;
    if (!hex && (c === 101 || c === 69)) {
      hasE = true;
      if (signNext) {
        float = true;
        i++;
      }
    } else if (c === 104 || c === 72 || c === 120 || c === 88) hex = true;
    else if (c === 112 || c === 80) {
      float = true;
      if (signNext) i++;
    } else if (c === 46) float = true;
    else if (!((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95)) break;
    i++;
  }
  out.end = i;
  out.float = float || (hasE && !hex);
}
