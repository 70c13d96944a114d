// RFLAGS with lazy arithmetic flags: an arithmetic instruction records (kind, size, a, b, result)
// and CF/PF/AF/ZF/SF/OF are computed only when read (Jcc, SETcc, PUSHF, a view). Values of size
// 8/16/32 live in int32 "lo" fields; 64-bit operations also fill the "hi" fields.
// Imports only the CPU state type.
import type { Cpu } from './cpu';

export const CF = 0x1;
export const PF = 0x4;
export const AF = 0x10;
export const ZF = 0x40;
export const SF = 0x80;
export const TF = 0x100;
export const IF = 0x200;
export const DF = 0x400;
export const OF = 0x800;
export const IOPL = 0x3000;
export const NT = 0x4000;
export const RF = 0x10000;
export const VM = 0x20000;
export const AC = 0x40000;
export const VIF = 0x80000;
export const VIP = 0x100000;
export const ID = 0x200000;
/** The six arithmetic status flags. */
export const ARITH = CF | PF | AF | ZF | SF | OF;
/** Bit 1 of EFLAGS always reads as 1 (SDM Vol. 1 §3.4.3). */
export const FIXED1 = 0x2;

/** Lazy flag kinds; lfOp = kind * 4 + size index (0: 8, 1: 16, 2: 32, 3: 64 bits). */
export const LF_NONE = 0;
export const LF_ADD = 1;
/** ADC with carry-in 1 (ADC with carry-in 0 is recorded as ADD). */
export const LF_ADC1 = 2;
export const LF_SUB = 3;
/** SBB with borrow-in 1. */
export const LF_SBB1 = 4;
/** AND/OR/XOR/TEST: CF = OF = 0, AF = 0 (documented choice for the undefined AF). */
export const LF_LOGIC = 5;
/** INC/DEC: CF is not touched (it was materialised into flagsRest first). */
export const LF_INC = 6;
export const LF_DEC = 7;
/** NEG: a = 0, b = operand. */
export const LF_NEG = 8;
/** Only SF/ZF/PF come from the result (shifts/rotates by count > 0): CF, OF, AF already in flagsRest. */
export const LF_SZP = 9;

/** Which flags each kind defines lazily. */
const LAZY_MASK = new Int32Array([0, ARITH, ARITH, ARITH, ARITH, ARITH, ARITH & ~CF, ARITH & ~CF, ARITH, PF | ZF | SF]);

/** Operand-size masks (int32) and sign bits per size index. */
const SIZE_MASK = new Int32Array([0xff, 0xffff, -1, -1]);
const SIGN_BIT = new Int32Array([0x80, 0x8000, -2147483648, -2147483648]);

/** PARITY[b] = PF when the byte b has an even number of set bits. */
const PARITY = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  let n = 0;
  for (let b = i; b; b >>= 1) n += b & 1;
  PARITY[i] = n & 1 ? 0 : PF;
}

/** Size index (0..3) of an operand size in bytes (1, 2, 4, 8). */
export function sizeIndex(bytes: number): number {
  return bytes === 4 ? 2 : bytes === 1 ? 0 : bytes === 2 ? 1 : 3;
}

function lazyMask(c: Cpu): number {
  return LAZY_MASK[c.lfOp >> 2];
}

/** CF as 0 or 1. */
export function getCF(c: Cpu): number {
  const op = c.lfOp;
  const kind = op >> 2;
  if ((LAZY_MASK[kind] & CF) === 0) return c.flagsRest & CF;
  const s = op & 3;
  if (s === 3) return cf64(c, kind);
  const m = SIZE_MASK[s];
  const a = (c.lfA & m) >>> 0;
  const b = (c.lfB & m) >>> 0;
  const r = (c.lfRes & m) >>> 0;
  switch (kind) {
    case LF_ADD: return r < a ? 1 : 0;
    case LF_ADC1: return r <= a ? 1 : 0;
    case LF_SUB: return a < b ? 1 : 0;
    case LF_SBB1: return a <= b ? 1 : 0;
    case LF_NEG: return r !== 0 ? 1 : 0;
    default: return 0;
  }
}

/** Unsigned compare of two 64-bit values given as (hi, lo) int32 pairs: -1, 0, 1. */
function ucmp64(ah: number, al: number, bh: number, bl: number): number {
  const h1 = ah >>> 0;
  const h2 = bh >>> 0;
  if (h1 !== h2) return h1 < h2 ? -1 : 1;
  const l1 = al >>> 0;
  const l2 = bl >>> 0;
  return l1 === l2 ? 0 : l1 < l2 ? -1 : 1;
}

function cf64(c: Cpu, kind: number): number {
  switch (kind) {
    case LF_ADD: return ucmp64(c.lfResHi, c.lfRes, c.lfAHi, c.lfA) < 0 ? 1 : 0;
    case LF_ADC1: return ucmp64(c.lfResHi, c.lfRes, c.lfAHi, c.lfA) <= 0 ? 1 : 0;
    case LF_SUB: return ucmp64(c.lfAHi, c.lfA, c.lfBHi, c.lfB) < 0 ? 1 : 0;
    case LF_SBB1: return ucmp64(c.lfAHi, c.lfA, c.lfBHi, c.lfB) <= 0 ? 1 : 0;
    case LF_NEG: return (c.lfRes | c.lfResHi) !== 0 ? 1 : 0;
    default: return 0;
  }
}

/** ZF as 0 or 1. */
export function getZF(c: Cpu): number {
  const op = c.lfOp;
  if ((LAZY_MASK[op >> 2] & ZF) === 0) return (c.flagsRest >> 6) & 1;
  const s = op & 3;
  if (s === 3) return (c.lfRes | c.lfResHi) === 0 ? 1 : 0;
  return (c.lfRes & SIZE_MASK[s]) === 0 ? 1 : 0;
}

/** SF as 0 or 1. */
export function getSF(c: Cpu): number {
  const op = c.lfOp;
  if ((LAZY_MASK[op >> 2] & SF) === 0) return (c.flagsRest >> 7) & 1;
  const s = op & 3;
  if (s === 3) return c.lfResHi < 0 ? 1 : 0;
  return (c.lfRes & SIGN_BIT[s]) !== 0 ? 1 : 0;
}

/** PF as 0 or 1. */
export function getPF(c: Cpu): number {
  const op = c.lfOp;
  if ((LAZY_MASK[op >> 2] & PF) === 0) return (c.flagsRest >> 2) & 1;
  return PARITY[c.lfRes & 0xff] >> 2;
}

/** AF as 0 or 1. */
export function getAF(c: Cpu): number {
  const op = c.lfOp;
  const kind = op >> 2;
  if ((LAZY_MASK[kind] & AF) === 0) return (c.flagsRest >> 4) & 1;
  if (kind === LF_LOGIC) return 0;
  return ((c.lfA ^ c.lfB ^ c.lfRes) >> 4) & 1;
}

/** OF as 0 or 1. */
export function getOF(c: Cpu): number {
  const op = c.lfOp;
  const kind = op >> 2;
  if ((LAZY_MASK[kind] & OF) === 0) return (c.flagsRest >> 11) & 1;
  const s = op & 3;
  let a = c.lfA;
  let b = c.lfB;
  let r = c.lfRes;
  let m = SIZE_MASK[s];
  let sb = SIGN_BIT[s];
  if (s === 3) {
    // Sign and overflow live in the high halves; INC/DEC/NEG compare the whole 64-bit result.
    if (kind === LF_INC || kind === LF_NEG) return c.lfResHi === -2147483648 && c.lfRes === 0 ? 1 : 0;
    if (kind === LF_DEC) return c.lfResHi === 0x7fffffff && c.lfRes === -1 ? 1 : 0;
    a = c.lfAHi;
    b = c.lfBHi;
    r = c.lfResHi;
    m = -1;
    sb = -2147483648;
  }
  switch (kind) {
    case LF_ADD:
    case LF_ADC1:
      return ((a ^ r) & (b ^ r) & sb) !== 0 ? 1 : 0;
    case LF_SUB:
    case LF_SBB1:
      return ((a ^ b) & (a ^ r) & sb) !== 0 ? 1 : 0;
    case LF_INC:
    case LF_NEG:
      return (r & m) === (sb & m) ? 1 : 0;
    case LF_DEC:
      return (r & m) === ((sb - 1) & m) ? 1 : 0;
    default:
      return 0;
  }
}

/** The full RFLAGS value (low 32 bits; the upper 32 are reserved zero). */
export function getFlags(c: Cpu): number {
  const mask = lazyMask(c);
  if (mask === 0) return (c.flagsRest | FIXED1) >>> 0;
  let f = c.flagsRest & ~mask;
  if (mask & CF) f |= getCF(c);
  if (mask & PF) f |= getPF(c) << 2;
  if (mask & AF) f |= getAF(c) << 4;
  if (mask & ZF) f |= getZF(c) << 6;
  if (mask & SF) f |= getSF(c) << 7;
  if (mask & OF) f |= getOF(c) << 11;
  return (f | FIXED1) >>> 0;
}

/** Fold the lazy flags into flagsRest (before an instruction changes only some of them). */
export function materializeFlags(c: Cpu): void {
  if (c.lfOp >> 2 === LF_NONE) return;
  c.flagsRest = getFlags(c);
  c.lfOp = LF_NONE;
}

/** Set RFLAGS wholesale (no privilege masking: callers such as POPF/IRET apply it). */
export function setFlags(c: Cpu, value: number): void {
  c.flagsRest = ((value & 0x3f7fd5) | FIXED1) >>> 0;
  c.lfOp = LF_NONE;
}

/** Set or clear some of the arithmetic flags eagerly, keeping the others. */
export function setArithFlags(c: Cpu, mask: number, value: number): void {
  materializeFlags(c);
  c.flagsRest = ((c.flagsRest & ~mask) | (value & mask)) >>> 0;
}

/** Evaluate condition code cc (0..15: O NO B NB Z NZ BE A S NS P NP L GE LE G). */
export function condition(c: Cpu, cc: number): boolean {
  switch (cc) {
    case 0: return getOF(c) === 1;
    case 1: return getOF(c) === 0;
    case 2: return getCF(c) === 1;
    case 3: return getCF(c) === 0;
    case 4: return getZF(c) === 1;
    case 5: return getZF(c) === 0;
    case 6: return (getCF(c) | getZF(c)) === 1;
    case 7: return (getCF(c) | getZF(c)) === 0;
    case 8: return getSF(c) === 1;
    case 9: return getSF(c) === 0;
    case 10: return getPF(c) === 1;
    case 11: return getPF(c) === 0;
    case 12: return getSF(c) !== getOF(c);
    case 13: return getSF(c) === getOF(c);
    case 14: return getZF(c) === 1 || getSF(c) !== getOF(c);
    default: return getZF(c) === 0 && getSF(c) === getOF(c);
  }
}

/** Parity flag bit (PF or 0) of the low byte of v. */
export function parityOf(v: number): number {
  return PARITY[v & 0xff];
}
