// BMI1 and BMI2 (VEX-encoded general-purpose instructions): ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, MULX,
// PDEP, PEXT, RORX, SARX, SHLX, SHRX (SDM Vol. 2, one page each). 32-bit or 64-bit operand size
// (VEX.W in 64-bit mode); 64-bit values are handled as two int32 halves, never BigInt. VEX forms are
// #UD in real-address and virtual-8086 mode (SDM Vol. 2 §2.8, exception class 13).
// Flags the SDM leaves undefined (AF, PF; SF for BEXTR) are set as this machine's CPU sets them (measured
// by test/differential/isaBmi.test.ts): PF from the low byte of the result, SF from its sign, AF = 0,
// except BEXTR, which gives AF = 1 and SF = 0. Imports the CPU core.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { readSlot } = operandsModule;
const { materializeFlags, parityOf, CF, ZF, SF, AF, ARITH, VM } = flagsModule;
const { UD } = exceptionsModule;

/** High half of the last 64-bit result of a helper below (no allocation per instruction). */
let resHi = 0;

/** #UD in real-address and virtual-8086 mode, where VEX prefixes are not recognised. */
function checkVexMode(m: Machine): void {
  if (m.real || (m.flagsRest & VM) !== 0) throw new CpuFault(UD, undefined, undefined, 'VEX-encoded instructions are invalid in real-address and virtual-8086 mode');
}

/** Value of operand slot k (high half in resHi, 0 for 32-bit operands). */
function slot(m: Machine, o: Op, k: number, r: number, size: number): number {
  const v = readSlot(m, o, k, r, size);
  resHi = size === 8 ? m.hi : 0;
  return v;
}

/** Logical shift right of (hi:lo) by n (0..63); high half in resHi. */
function shr64(lo: number, hi: number, n: number): number {
  if (n === 0) { resHi = hi; return lo; }
  if (n < 32) { resHi = hi >>> n; return (lo >>> n) | (hi << (32 - n)); }
  resHi = 0;
  return hi >>> (n - 32);
}

/** Shift left of (hi:lo) by n (0..63); high half in resHi. */
function shl64(lo: number, hi: number, n: number): number {
  if (n === 0) { resHi = hi; return lo; }
  if (n < 32) { resHi = (hi << n) | (lo >>> (32 - n)); return lo << n; }
  resHi = lo << (n - 32);
  return 0;
}

/** Arithmetic shift right of (hi:lo) by n (0..63); high half in resHi. */
function sar64(lo: number, hi: number, n: number): number {
  if (n === 0) { resHi = hi; return lo; }
  if (n < 32) { resHi = hi >> n; return (lo >>> n) | (hi << (32 - n)); }
  resHi = hi >> 31;
  return hi >> (n - 32);
}

/**
 * Set OSZAPC after a BMI1 operation: OF = 0, CF as given, ZF/PF from the result (hi = 0 for 32-bit), and
 * the CPU's choice for the undefined ones (see the header): af = 0 → AF = 0, SF from the result;
 * af = 1 (BEXTR) → AF = 1, SF = 0.
 */
function setResultFlags(m: Machine, lo: number, hi: number, size: number, cf: number, af: number): void {
  materializeFlags(m);
  const zero = size === 8 ? (lo | hi) === 0 : lo === 0;
  const sign = af === 0 && (size === 8 ? hi : lo) < 0; // BEXTR (af = 1) leaves SF = 0, as the CPU does
  m.flagsRest = (m.flagsRest & ~ARITH) | (cf !== 0 ? CF : 0) | (zero ? ZF : 0) | (sign ? SF : 0) | parityOf(lo) | (af !== 0 ? AF : 0);
}

/** ANDN r, rV, r/m: dest = ~src1 & src2; SF, ZF from the result, OF = CF = 0. */
export function andn(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  const b = slot(m, o, o.k2, o.r2, size);
  const bHi = resHi;
  const a = m.getReg(o.r1, size);
  const aHi = size === 8 ? m.hi : 0;
  const lo = ~a & b;
  const hi = ~aHi & bHi;
  m.setReg(o.r0, size, lo, hi);
  setResultFlags(m, lo, hi, size, 0, 0);
}

/** BEXTR r, r/m, rV: bits START = src2[7:0], LEN = src2[15:8] of src1, zero-extended; ZF from the result, CF = OF = 0. */
export function bextr(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  const w = size * 8;
  let lo = slot(m, o, o.k1, o.r1, size);
  let hi = resHi;
  const ctl = m.getReg(o.r2, size);
  const start = ctl & 0xff;
  const len = (ctl >>> 8) & 0xff;
  if (start >= w) { lo = 0; hi = 0; }
  else { lo = shr64(lo, hi, start); hi = resHi; }
  if (len < 32) { lo = len === 0 ? 0 : lo & (-1 >>> (32 - len)); hi = 0; }
  else if (len < 64) hi = len === 32 ? 0 : hi & (-1 >>> (64 - len));
  if (size === 4) hi = 0;
  m.setReg(o.r0, size, lo, hi);
  setResultFlags(m, lo, hi, size, 0, 1);
}

/** Shared tail of BLSI/BLSMSK/BLSR: write rV and set the flags (CF from the source). */
function blsWrite(m: Machine, o: Op, lo: number, hi: number, cf: number): void {
  m.setReg(o.r0, o.size, lo, hi);
  setResultFlags(m, lo, hi, o.size, cf, 0);
}

/** BLSI rV, r/m: dest = src & -src; CF = (src != 0). */
export function blsi(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  const s = slot(m, o, o.k1, o.r1, size);
  const sHi = resHi;
  // -src as (hi:lo): low half negated, high half complemented plus the borrow out of the low half.
  const nLo = -s | 0;
  const nHi = (~sHi + (s === 0 ? 1 : 0)) | 0;
  const nonzero = size === 8 ? (s | sHi) !== 0 : s !== 0;
  blsWrite(m, o, s & nLo, size === 8 ? sHi & nHi : 0, nonzero ? 1 : 0);
}

/** BLSMSK rV, r/m: dest = src ^ (src - 1); CF = (src == 0). */
export function blsmsk(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  const s = slot(m, o, o.k1, o.r1, size);
  const sHi = resHi;
  const dLo = (s - 1) | 0;
  const dHi = (sHi - (s === 0 ? 1 : 0)) | 0;
  const zero = size === 8 ? (s | sHi) === 0 : s === 0;
  blsWrite(m, o, s ^ dLo, size === 8 ? sHi ^ dHi : 0, zero ? 1 : 0);
}

/** BLSR rV, r/m: dest = src & (src - 1); CF = (src == 0). */
export function blsr(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  const s = slot(m, o, o.k1, o.r1, size);
  const sHi = resHi;
  const dLo = (s - 1) | 0;
  const dHi = (sHi - (s === 0 ? 1 : 0)) | 0;
  const zero = size === 8 ? (s | sHi) === 0 : s === 0;
  blsWrite(m, o, s & dLo, size === 8 ? sHi & dHi : 0, zero ? 1 : 0);
}

/** BZHI r, r/m, rV: src1 with bits from N = src2[7:0] up cleared; CF = (N > operand bits - 1). */
export function bzhi(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  let lo = slot(m, o, o.k1, o.r1, size);
  let hi = resHi;
  const n = m.getReg(o.r2, size) & 0xff;
  const w = size * 8;
  if (n < 32) { lo = n === 0 ? 0 : lo & (-1 >>> (32 - n)); hi = 0; }
  else if (n < w) hi = n === 32 ? 0 : hi & (-1 >>> (64 - n));
  m.setReg(o.r0, size, lo, hi);
  setResultFlags(m, lo, hi, size, n >= w ? 1 : 0, 0);
}

/** Low and high halves of the unsigned 32×32-bit product a·b (exact): low returned, high in resHi. */
function mul32(a: number, b: number): number {
  const aL = a & 0xffff;
  const aH = a >>> 16;
  const bL = b & 0xffff;
  const bH = b >>> 16;
  const ll = aL * bL;
  const lh = aL * bH;
  const hl = aH * bL;
  const mid = (ll >>> 16) + (lh & 0xffff) + (hl & 0xffff);
  resHi = (aH * bH + (lh >>> 16) + (hl >>> 16) + (mid >>> 16)) | 0;
  return ((mid & 0xffff) << 16) | (ll & 0xffff);
}

/** MULX r(high), rV(low), r/m: unsigned EDX/RDX · src without touching the flags. */
export function mulx(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  const s = slot(m, o, o.k2, o.r2, size);
  const sHi = resHi;
  const d = m.getReg(2, size);
  const dHi = size === 8 ? m.hi : 0;
  if (size === 4) {
    const lo = mul32(d, s);
    const hi = resHi;
    m.setReg(o.r1, 4, lo, 0);
    m.setReg(o.r0, 4, hi, 0); // written last: with the same register for both, the high half wins (SDM)
    return;
  }
  // 64 × 64 → 128 from four 32 × 32 partial products (words w0..w3, exact in doubles before carrying).
  const p0lo = mul32(d, s); const p0hi = resHi >>> 0;
  const p1lo = mul32(d, sHi) >>> 0; const p1hi = resHi >>> 0;
  const p2lo = mul32(dHi, s) >>> 0; const p2hi = resHi >>> 0;
  const p3lo = mul32(dHi, sHi) >>> 0; const p3hi = resHi >>> 0;
  const w1 = p0hi + p1lo + p2lo;
  const c1 = Math.floor(w1 / 4294967296);
  const w2 = p1hi + p2hi + p3lo + c1;
  const c2 = Math.floor(w2 / 4294967296);
  const w3 = p3hi + c2;
  m.setReg(o.r1, 8, p0lo, w1 | 0);
  m.setReg(o.r0, 8, w2 | 0, w3 | 0);
}

/** Bit k (0..63) of (hi:lo). */
function bitAt(lo: number, hi: number, k: number): number {
  return k < 32 ? (lo >>> k) & 1 : (hi >>> (k - 32)) & 1;
}

/** PDEP r, rV, r/m: the low bits of src1 deposited at the set bits of the mask src2; flags unchanged. */
export function pdep(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  let maskLo = slot(m, o, o.k2, o.r2, size);
  let maskHi = resHi;
  const s = m.getReg(o.r1, size);
  const sHi = size === 8 ? m.hi : 0;
  let lo = 0;
  let hi = 0;
  let k = 0;
  while (maskLo !== 0) { const bit = maskLo & -maskLo; if (bitAt(s, sHi, k++) !== 0) lo |= bit; maskLo ^= bit; }
  while (maskHi !== 0) { const bit = maskHi & -maskHi; if (bitAt(s, sHi, k++) !== 0) hi |= bit; maskHi ^= bit; }
  m.setReg(o.r0, size, lo, hi);
}

/** PEXT r, rV, r/m: the bits of src1 at the set bits of the mask src2, packed into the low bits; flags unchanged. */
export function pext(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  let maskLo = slot(m, o, o.k2, o.r2, size);
  let maskHi = resHi;
  const s = m.getReg(o.r1, size);
  const sHi = size === 8 ? m.hi : 0;
  let lo = 0;
  let hi = 0;
  let k = 0;
  while (maskLo !== 0) {
    const bit = maskLo & -maskLo;
    if ((s & bit) !== 0) lo |= 1 << k; // k < 32 while walking the low half
    k++;
    maskLo ^= bit;
  }
  while (maskHi !== 0) {
    const bit = maskHi & -maskHi;
    if ((sHi & bit) !== 0) { if (k < 32) lo |= 1 << k; else hi |= 1 << (k - 32); }
    k++;
    maskHi ^= bit;
  }
  m.setReg(o.r0, size, lo, hi);
}

/** RORX r, r/m, imm8: rotate right by imm8 masked to the operand width; flags unchanged. */
export function rorx(m: Machine, o: Op): void {
  checkVexMode(m);
  const size = o.size;
  let lo = slot(m, o, o.k1, o.r1, size);
  let hi = resHi;
  if (size === 4) {
    const n = o.imm & 31;
    m.setReg(o.r0, 4, n === 0 ? lo : (lo >>> n) | (lo << (32 - n)), 0);
    return;
  }
  let n = o.imm & 63;
  if (n >= 32) { const t = lo; lo = hi; hi = t; n -= 32; }
  if (n !== 0) { const t = lo; lo = (lo >>> n) | (hi << (32 - n)); hi = (hi >>> n) | (t << (32 - n)); }
  m.setReg(o.r0, 8, lo, hi);
}

/** SARX/SHLX/SHRX r, r/m, rV: shift src1 by src2 masked to 5 (6) bits; flags unchanged. */
function shiftX(m: Machine, o: Op, kind: number): void {
  checkVexMode(m);
  const size = o.size;
  const lo = slot(m, o, o.k1, o.r1, size);
  const hi = resHi;
  const n = m.getReg(o.r2, size) & (size * 8 - 1);
  if (size === 4) {
    m.setReg(o.r0, 4, kind === 0 ? lo >> n : kind === 1 ? lo << n : lo >>> n, 0);
    return;
  }
  const r = kind === 0 ? sar64(lo, hi, n) : kind === 1 ? shl64(lo, hi, n) : shr64(lo, hi, n);
  m.setReg(o.r0, 8, r, resHi);
}

/** SARX: arithmetic shift right. */
export function sarx(m: Machine, o: Op): void {
  shiftX(m, o, 0);
}

/** SHLX: shift left. */
export function shlx(m: Machine, o: Op): void {
  shiftX(m, o, 1);
}

/** SHRX: logical shift right. */
export function shrx(m: Machine, o: Op): void {
  shiftX(m, o, 2);
}
