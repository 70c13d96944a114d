// Multiply and divide: MUL, IMUL (one, two and three operands), DIV, IDIV at 8/16/32/64 bits.
// Products up to 128 bits are computed exactly with 16-bit limbs (no BigInt); 64-bit divisors of
// 2^32 or more take an exact BigInt path (rare). #DE on a zero divisor or a quotient that does not
// fit (SDM Vol. 2 "DIV", "IDIV"). Undefined flags: SF/ZF/PF from the low half, AF = 0 (MUL/IMUL);
// DIV/IDIV leave all flags unchanged (documented in docs/machine-state.md).
// Imports the CPU core and operand helpers.
import type { Machine } from '../machine';
import type { Op } from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { read0, read1 } = operandsModule;
const { materializeFlags, sizeIndex, CF, OF, AF, LF_SZP } = flagsModule;
const { DE } = exceptionsModule;

const TWO32 = 4294967296;

/** 128-bit product words (little-endian uint32). */
const P = new Float64Array(4);

/** Unsigned 64x64 → 128 product of (alo, ahi) * (blo, bhi) into P. */
function mul64u(alo: number, ahi: number, blo: number, bhi: number): void {
  const a0 = alo & 0xffff, a1 = alo >>> 16, a2 = ahi & 0xffff, a3 = ahi >>> 16;
  const b0 = blo & 0xffff, b1 = blo >>> 16, b2 = bhi & 0xffff, b3 = bhi >>> 16;
  // Column sums of 16-bit limbs (each partial product < 2^32; sums stay exact in doubles).
  const c0 = a0 * b0;
  const c1 = a1 * b0 + a0 * b1;
  const c2 = a2 * b0 + a1 * b1 + a0 * b2;
  const c3 = a3 * b0 + a2 * b1 + a1 * b2 + a0 * b3;
  const c4 = a3 * b1 + a2 * b2 + a1 * b3;
  const c5 = a3 * b2 + a2 * b3;
  const c6 = a3 * b3;
  // Propagate carries limb by limb (scalar code: no allocation).
  let v = c0;
  const o0 = v % 65536;
  v = c1 + Math.floor(v / 65536);
  const o1 = v % 65536;
  v = c2 + Math.floor(v / 65536);
  const o2 = v % 65536;
  v = c3 + Math.floor(v / 65536);
  const o3 = v % 65536;
  v = c4 + Math.floor(v / 65536);
  const o4 = v % 65536;
  v = c5 + Math.floor(v / 65536);
  const o5 = v % 65536;
  v = c6 + Math.floor(v / 65536);
  const o6 = v % 65536;
  const o7 = Math.floor(v / 65536) % 65536;
  P[0] = o0 + o1 * 65536;
  P[1] = o2 + o3 * 65536;
  P[2] = o4 + o5 * 65536;
  P[3] = o6 + o7 * 65536;
}

function setMulFlags(m: Machine, size: number, overflow: boolean, lo: number, hi: number): void {
  materializeFlags(m);
  m.flagsRest = (m.flagsRest & ~(CF | OF | AF)) | (overflow ? CF | OF : 0);
  m.lfOp = (LF_SZP << 2) | sizeIndex(size);
  m.lfRes = lo | 0;
  m.lfResHi = hi | 0;
}

/** MUL r/m: unsigned AL/AX/EAX/RAX * src into AX, DX:AX, EDX:EAX, RDX:RAX. */
export function mul(m: Machine, o: Op): void {
  const size = o.size;
  const s = read0(m, o, size);
  if (size === 1) {
    const r = (m.regs[0] & 0xff) * (s & 0xff);
    m.set16(0, r);
    setMulFlags(m, 1, r > 0xff, r, 0);
  } else if (size === 2) {
    const r = (m.regs[0] & 0xffff) * (s & 0xffff);
    m.set16(0, r);
    m.set16(2, r >>> 16);
    setMulFlags(m, 2, r > 0xffff, r, 0);
  } else if (size === 4) {
    mul64u(m.regs[0] >>> 0, 0, s >>> 0, 0);
    m.set32(0, P[0] | 0);
    m.set32(2, P[1] | 0);
    setMulFlags(m, 4, P[1] !== 0, P[0], 0);
  } else {
    mul64u(m.regs[0] >>> 0, m.regsHi[0] >>> 0, s >>> 0, m.hi >>> 0);
    m.set64(0, P[0] | 0, P[1] | 0);
    m.set64(2, P[2] | 0, P[3] | 0);
    setMulFlags(m, 8, P[2] !== 0 || P[3] !== 0, P[0], P[1]);
  }
}

/** Signed product of two values of `size` bytes; low part returned (and in P), overflow flag in mulOverflow. */
let mulOverflow = false;
function imulCore(size: number, a: number, ah: number, b: number, bh: number): void {
  if (size === 1) {
    const r = ((a << 24) >> 24) * ((b << 24) >> 24);
    P[0] = r & 0xffff;
    P[1] = 0;
    mulOverflow = r !== (r << 24) >> 24;
  } else if (size === 2) {
    const r = ((a << 16) >> 16) * ((b << 16) >> 16);
    P[0] = r >>> 0;
    P[1] = 0;
    mulOverflow = r !== (r << 16) >> 16;
  } else if (size === 4) {
    const sa = a | 0;
    const sb = b | 0;
    mul64u(a >>> 0, 0, b >>> 0, 0);
    // Signed correction of the high word: subtract b if a < 0, a if b < 0 (mod 2^32).
    let hi = P[1];
    if (sa < 0) hi -= b >>> 0;
    if (sb < 0) hi -= a >>> 0;
    hi = hi | 0;
    P[1] = hi >>> 0;
    mulOverflow = hi !== ((P[0] | 0) >> 31);
  } else {
    mul64u(a >>> 0, ah >>> 0, b >>> 0, bh >>> 0);
    // Signed correction of the high 64 bits.
    let h0 = P[2];
    let h1 = P[3];
    if ((ah | 0) < 0) { h0 -= b >>> 0; h1 -= bh >>> 0; }
    if ((bh | 0) < 0) { h0 -= a >>> 0; h1 -= ah >>> 0; }
    const borrow = Math.floor(h0 / TWO32);
    h0 -= borrow * TWO32;
    h1 = (h1 + borrow) | 0;
    P[2] = h0;
    P[3] = h1 >>> 0;
    const sign = (P[1] | 0) >> 31;
    mulOverflow = (h0 | 0) !== sign || h1 !== sign;
  }
}

/** IMUL r/m (one operand): signed into AX / DX:AX / EDX:EAX / RDX:RAX. */
export function imul1(m: Machine, o: Op): void {
  const size = o.size;
  const s = read0(m, o, size);
  const sh = m.hi;
  imulCore(size, m.regs[0], m.regsHi[0], s, sh);
  if (size === 1) m.set16(0, P[0]);
  else if (size === 2) { m.set16(0, P[0]); m.set16(2, P[0] >>> 16); }
  else if (size === 4) { m.set32(0, P[0] | 0); m.set32(2, P[1] | 0); }
  else { m.set64(0, P[0] | 0, P[1] | 0); m.set64(2, P[2] | 0, P[3] | 0); }
  setMulFlags(m, size, mulOverflow, P[0], P[1]);
}

/** IMUL r, r/m. */
export function imul2(m: Machine, o: Op): void {
  const size = o.size;
  const s = read1(m, o, size);
  const sh = m.hi;
  const d = m.getReg(o.r0, size);
  imulCore(size, d, m.hi, s, sh);
  m.setReg(o.r0, size, P[0] | 0, P[1] | 0);
  setMulFlags(m, size, mulOverflow, P[0], P[1]);
}

/** IMUL r, r/m, imm. */
export function imul3(m: Machine, o: Op): void {
  const size = o.size;
  const s = read1(m, o, size);
  const sh = m.hi;
  imulCore(size, s, sh, o.imm, o.immHi);
  m.setReg(o.r0, size, P[0] | 0, P[1] | 0);
  setMulFlags(m, size, mulOverflow, P[0], P[1]);
}

function divideError(): CpuFault {
  return new CpuFault(DE, undefined, undefined, 'divide error');
}

/** Unsigned (hi:lo) / d where hi < d < 2^32: quotient in Q, remainder in R (exact, 16-bit steps). */
let Q = 0;
let R = 0;
function div64by32(hi: number, lo: number, d: number): void {
  let r = hi;
  let q = 0;
  for (let i = 1; i >= 0; i--) {
    const chunk = (lo >>> (16 * i)) & 0xffff;
    const cur = r * 65536 + chunk;
    const qd = Math.floor(cur / d);
    r = cur - qd * d;
    q = q * 65536 + qd;
  }
  Q = q;
  R = r;
}

/** DIV r/m (SDM Vol. 2 "DIV"). */
export function div(m: Machine, o: Op): void {
  const size = o.size;
  const s = read0(m, o, size);
  const sh = m.hi;
  materializeFlags(m);
  if (size === 1) {
    const d = s & 0xff;
    if (d === 0) throw divideError();
    const n = m.regs[0] & 0xffff;
    const q = Math.floor(n / d);
    if (q > 0xff) throw divideError();
    m.set16(0, ((n % d) << 8) | q);
  } else if (size === 2) {
    const d = s & 0xffff;
    if (d === 0) throw divideError();
    const n = (m.regs[2] & 0xffff) * 65536 + (m.regs[0] & 0xffff);
    const q = Math.floor(n / d);
    if (q > 0xffff) throw divideError();
    m.set16(0, q);
    m.set16(2, n % d);
  } else if (size === 4) {
    const d = s >>> 0;
    if (d === 0) throw divideError();
    const hi = m.regs[2] >>> 0;
    if (hi >= d) throw divideError();
    div64by32(hi, m.regs[0] >>> 0, d);
    m.set32(0, Q | 0);
    m.set32(2, R | 0);
  } else {
    divide128(m, s, sh, false);
  }
}

/** IDIV r/m (SDM Vol. 2 "IDIV"): quotient truncated toward zero, remainder has the dividend's sign. */
export function idiv(m: Machine, o: Op): void {
  const size = o.size;
  const s = read0(m, o, size);
  const sh = m.hi;
  materializeFlags(m);
  if (size === 1 || size === 2) {
    const d = size === 1 ? (s << 24) >> 24 : (s << 16) >> 16;
    if (d === 0) throw divideError();
    const n = size === 1 ? (m.regs[0] << 16) >> 16 : ((m.regs[2] & 0xffff) << 16) | (m.regs[0] & 0xffff);
    const q = Math.trunc(n / d);
    const lim = size === 1 ? 0x80 : 0x8000;
    if (q >= lim || q < -lim) throw divideError();
    const r = n - q * d;
    if (size === 1) m.set16(0, ((r & 0xff) << 8) | (q & 0xff));
    else { m.set16(0, q); m.set16(2, r); }
  } else if (size === 4) {
    const d = s | 0;
    if (d === 0) throw divideError();
    const hi = m.regs[2] | 0;
    const lo = m.regs[0] >>> 0;
    const neg = hi < 0;
    // |dividend| as (h, l)
    let h = hi >>> 0;
    let l = lo;
    if (neg) {
      l = (TWO32 - l) % TWO32;
      h = (~h >>> 0) + (lo === 0 ? 1 : 0);
      h = h % TWO32;
    }
    const ad = Math.abs(d);
    if (h >= ad) throw divideError();
    div64by32(h, l, ad);
    let q = Q;
    let r = R;
    if (neg !== d < 0) q = -q;
    if (neg) r = -r;
    if (q > 0x7fffffff || q < -0x80000000) throw divideError();
    m.set32(0, q | 0);
    m.set32(2, r | 0);
  } else {
    divide128(m, s, sh, true);
  }
}

/** 128-by-64 division (RDX:RAX / src) with an exact BigInt path (64-bit DIV/IDIV are rare). */
function divide128(m: Machine, s: number, sh: number, signed: boolean): void {
  const u64 = (lo: number, hi: number): bigint => (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  let d = u64(s, sh);
  let n = (u64(m.regs[2], m.regsHi[2]) << 64n) | u64(m.regs[0], m.regsHi[0]);
  if (d === 0n) throw divideError();
  if (signed) {
    d = BigInt.asIntN(64, d);
    n = BigInt.asIntN(128, n);
  }
  const q = n / d;
  const r = n % d;
  if (signed ? q > 0x7fffffffffffffffn || q < -0x8000000000000000n : q > 0xffffffffffffffffn) throw divideError();
  const qu = BigInt.asUintN(64, q);
  const ru = BigInt.asUintN(64, r);
  m.set64(0, Number(qu & 0xffffffffn) | 0, Number(qu >> 32n) | 0);
  m.set64(2, Number(ru & 0xffffffffn) | 0, Number(ru >> 32n) | 0);
}
