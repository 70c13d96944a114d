// Shifts and rotates: SHL/SAL SHR SAR ROL ROR RCL RCR SHLD SHRD at 8/16/32/64 bits (SDM Vol. 2,
// "SAL/SAR/SHL/SHR", "RCL/RCR/ROL/ROR", "SHLD", "SHRD"). Counts are masked to 5 bits (6 with a
// 64-bit operand); a masked count of 0 changes no flags. Undefined flags (documented in
// docs/machine-state.md): OF for counts > 1 uses the count-1 formula, AF = 0, CF for SHL/SHR counts
// beyond the width = 0, SHLD/SHRD with a 16-bit count beyond 16 shift through the source repeatedly.
// Imports the CPU core and operand helpers.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_REG } = decodeCacheModule;
const { ea } = operandsModule;
const { getCF, materializeFlags, sizeIndex, CF, OF, AF, LF_SZP } = flagsModule;

const SH_ROL = 0;
const SH_ROR = 1;
const SH_RCL = 2;
const SH_RCR = 3;
const SH_SHL = 4;
const SH_SHR = 5;
const SH_SAR = 7;

/** Logical shift right of a uint32 by k (0..63): 0 when k >= 32 (JS masks shift counts). */
function shr32(v: number, k: number): number {
  return k >= 32 ? 0 : v >>> k;
}
function shl32(v: number, k: number): number {
  return k >= 32 ? 0 : (v << k) >>> 0;
}

/** 64-bit shifts on (lo, hi) uint32 halves; result in SH_LO/SH_HI. */
let SH_LO = 0;
let SH_HI = 0;
function shl64(lo: number, hi: number, n: number): void {
  if (n === 0) { SH_LO = lo; SH_HI = hi; }
  else if (n < 32) { SH_HI = ((hi << n) | (lo >>> (32 - n))) >>> 0; SH_LO = (lo << n) >>> 0; }
  else if (n < 64) { SH_HI = shl32(lo, n - 32); SH_LO = 0; }
  else { SH_HI = 0; SH_LO = 0; }
}
function shr64(lo: number, hi: number, n: number): void {
  if (n === 0) { SH_LO = lo; SH_HI = hi; }
  else if (n < 32) { SH_LO = ((lo >>> n) | (hi << (32 - n))) >>> 0; SH_HI = hi >>> n; }
  else if (n < 64) { SH_LO = shr32(hi, n - 32); SH_HI = 0; }
  else { SH_LO = 0; SH_HI = 0; }
}
function sar64(lo: number, hi: number, n: number): void {
  const s = (hi | 0) >> 31;
  if (n === 0) { SH_LO = lo; SH_HI = hi; }
  else if (n < 32) { SH_LO = ((lo >>> n) | (hi << (32 - n))) >>> 0; SH_HI = ((hi | 0) >> n) >>> 0; }
  else { SH_LO = ((hi | 0) >> Math.min(n - 32, 31)) >>> 0; SH_HI = s >>> 0; }
}
/** Bit `i` (0..63) of (lo, hi). */
function bit64(lo: number, hi: number, i: number): number {
  return i < 32 ? (lo >>> i) & 1 : (hi >>> (i - 32)) & 1;
}

/** Most significant bit of a value of `size` bytes given as (lo, hi). */
function msbOf(size: number, lo: number, hi: number): number {
  return size === 8 ? hi >>> 31 : (lo >>> (size * 8 - 1)) & 1;
}

/** Read the shift count operand (CL, imm8 or the implicit 1). */
function countOf(m: Machine, o: Op): number {
  const k = o.n > 1 ? o.k1 : 0;
  if (k === K_REG) return m.regs[1] & 0xff;
  return o.imm & 0xff;
}

/** Set CF and OF eagerly and SF/ZF/PF lazily from the result (shifts). */
function setShiftFlags(m: Machine, size: number, lo: number, hi: number, cf: number, of: number): void {
  materializeFlags(m);
  m.flagsRest = (m.flagsRest & ~(CF | OF | AF)) | cf | (of << 11);
  m.lfOp = (LF_SZP << 2) | sizeIndex(size);
  m.lfRes = lo | 0;
  m.lfResHi = hi | 0;
}

/** Set only CF and OF (rotates leave SF/ZF/AF/PF alone). */
function setRotateFlags(m: Machine, cf: number, of: number): void {
  materializeFlags(m);
  m.flagsRest = (m.flagsRest & ~(CF | OF)) | cf | (of << 11);
}

function shiftGroup(m: Machine, o: Op, kind: number): void {
  const size = o.size;
  const w = size * 8;
  const raw = countOf(m, o);
  const count = raw & (size === 8 ? 0x3f : 0x1f);
  const isReg = o.k0 === K_REG;
  const lin = isReg ? 0 : ea(m, o);
  let lo = isReg ? m.getReg(o.r0, size) : m.rmwRead(lin, size);
  const hi = size === 8 ? m.hi >>> 0 : 0;
  if (count === 0) {
    // No flags change; a 32-bit register destination is still zero-extended in 64-bit mode.
    if (isReg && size === 4) m.regsHi[o.r0] = 0;
    else if (!isReg) m.rmwWrite(lin, size, lo, hi);
    return;
  }
  const mask = size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff;
  lo = (lo & mask) >>> 0;
  let rlo = 0;
  let rhi = 0;
  let cf = 0;
  let of = 0;
  switch (kind) {
    case SH_SHL: {
      if (size === 8) { shl64(lo, hi, count); rlo = SH_LO; rhi = SH_HI; cf = bit64(lo, hi, 64 - count); }
      else { rlo = shl32(lo, count) & mask; cf = count <= w ? (shr32(lo, w - count) & 1) : 0; }
      of = msbOf(size, rlo, rhi) ^ cf;
      setShiftFlags(m, size, rlo, rhi, cf, of);
      break;
    }
    case SH_SHR: {
      if (size === 8) { shr64(lo, hi, count); rlo = SH_LO; rhi = SH_HI; cf = bit64(lo, hi, count - 1); of = hi >>> 31; }
      else { rlo = shr32(lo, count); cf = count <= w ? shr32(lo, count - 1) & 1 : 0; of = (lo >>> (w - 1)) & 1; }
      setShiftFlags(m, size, rlo, rhi, cf, of);
      break;
    }
    case SH_SAR: {
      if (size === 8) { sar64(lo, hi, count); rlo = SH_LO; rhi = SH_HI; cf = bit64(lo, hi, count - 1); }
      else {
        const sv = size === 1 ? (lo << 24) >> 24 : size === 2 ? (lo << 16) >> 16 : lo | 0;
        rlo = (sv >> Math.min(count, 31)) & mask;
        cf = (sv >> Math.min(count - 1, 31)) & 1;
      }
      of = 0;
      setShiftFlags(m, size, rlo, rhi, cf, of);
      break;
    }
    case SH_ROL: {
      const n = count % w;
      if (size === 8) {
        if (n === 0) { rlo = lo; rhi = hi; }
        else { shl64(lo, hi, n); const a = SH_LO; const b = SH_HI; shr64(lo, hi, 64 - n); rlo = (a | SH_LO) >>> 0; rhi = (b | SH_HI) >>> 0; }
      } else rlo = n === 0 ? lo : ((shl32(lo, n) | shr32(lo, w - n)) & mask) >>> 0;
      cf = rlo & 1;
      of = msbOf(size, rlo, rhi) ^ cf;
      setRotateFlags(m, cf, of);
      break;
    }
    case SH_ROR: {
      const n = count % w;
      if (size === 8) {
        if (n === 0) { rlo = lo; rhi = hi; }
        else { shr64(lo, hi, n); const a = SH_LO; const b = SH_HI; shl64(lo, hi, 64 - n); rlo = (a | SH_LO) >>> 0; rhi = (b | SH_HI) >>> 0; }
      } else rlo = n === 0 ? lo : ((shr32(lo, n) | shl32(lo, w - n)) & mask) >>> 0;
      cf = msbOf(size, rlo, rhi);
      of = cf ^ (size === 8 ? (rhi >>> 30) & 1 : (rlo >>> (w - 2)) & 1);
      setRotateFlags(m, cf, of);
      break;
    }
    case SH_RCL: {
      const n = size === 1 ? count % 9 : size === 2 ? count % 17 : count;
      const c = getCF(m);
      if (n === 0) { rlo = lo; rhi = hi; cf = c; }
      else if (size === 8) {
        shl64(lo, hi, n); let a = SH_LO; let b = SH_HI;
        if (n - 1 < 32) a |= c << (n - 1); else b |= c << (n - 33);
        shr64(lo, hi, 65 - n); rlo = (a | SH_LO) >>> 0; rhi = (b | SH_HI) >>> 0;
        cf = bit64(lo, hi, 64 - n);
      } else {
        rlo = ((shl32(lo, n) | (c << (n - 1)) | shr32(lo, w + 1 - n)) & mask) >>> 0;
        cf = shr32(lo, w - n) & 1;
      }
      of = msbOf(size, rlo, rhi) ^ cf;
      setRotateFlags(m, cf, of);
      break;
    }
    default: {
      // RCR
      const n = size === 1 ? count % 9 : size === 2 ? count % 17 : count;
      const c = getCF(m);
      of = msbOf(size, lo, hi) ^ c;
      if (n === 0) { rlo = lo; rhi = hi; cf = c; }
      else if (size === 8) {
        shr64(lo, hi, n); let a = SH_LO; let b = SH_HI;
        const p = 64 - n;
        if (p < 32) a |= (c << p) >>> 0; else b |= (c << (p - 32)) >>> 0;
        shl64(lo, hi, 65 - n); rlo = (a | SH_LO) >>> 0; rhi = (b | SH_HI) >>> 0;
        cf = bit64(lo, hi, n - 1);
      } else {
        rlo = ((shr32(lo, n) | shl32(c, w - n) | shl32(lo, w + 1 - n)) & mask) >>> 0;
        cf = shr32(lo, n - 1) & 1;
      }
      setRotateFlags(m, cf, of);
      break;
    }
  }
  if (isReg) m.setReg(o.r0, size, rlo | 0, rhi | 0);
  else m.rmwWrite(lin, size, rlo | 0, rhi | 0);
}

export const rol = (m: Machine, o: Op): void => shiftGroup(m, o, SH_ROL);
export const ror = (m: Machine, o: Op): void => shiftGroup(m, o, SH_ROR);
export const rcl = (m: Machine, o: Op): void => shiftGroup(m, o, SH_RCL);
export const rcr = (m: Machine, o: Op): void => shiftGroup(m, o, SH_RCR);
export const shl = (m: Machine, o: Op): void => shiftGroup(m, o, SH_SHL);
export const shr = (m: Machine, o: Op): void => shiftGroup(m, o, SH_SHR);
export const sar = (m: Machine, o: Op): void => shiftGroup(m, o, SH_SAR);

/** SHLD/SHRD r/m, r, imm8|CL (SDM Vol. 2 "SHLD", "SHRD"). */
function doubleShift(m: Machine, o: Op, left: boolean): void {
  const size = o.size;
  const w = size * 8;
  const raw = o.k2 === K_REG ? m.regs[1] & 0xff : o.imm & 0xff;
  const count = raw & (size === 8 ? 0x3f : 0x1f);
  const isReg = o.k0 === K_REG;
  const lin = isReg ? 0 : ea(m, o);
  const d = isReg ? m.getReg(o.r0, size) : m.rmwRead(lin, size);
  const dh = size === 8 ? m.hi >>> 0 : 0;
  const s = m.getReg(o.r1, size);
  const sh = size === 8 ? m.hi >>> 0 : 0;
  if (count === 0) {
    if (isReg && size === 4) m.regsHi[o.r0] = 0;
    else if (!isReg) m.rmwWrite(lin, size, d, dh);
    return;
  }
  let rlo: number;
  let rhi = 0;
  let cf: number;
  if (size === 8) {
    if (left) {
      shl64(d >>> 0, dh, count); const a = SH_LO; const b = SH_HI;
      shr64(s >>> 0, sh, 64 - count); rlo = (a | SH_LO) >>> 0; rhi = (b | SH_HI) >>> 0;
      cf = bit64(d >>> 0, dh, 64 - count);
    } else {
      shr64(d >>> 0, dh, count); const a = SH_LO; const b = SH_HI;
      shl64(s >>> 0, sh, 64 - count); rlo = (a | SH_LO) >>> 0; rhi = (b | SH_HI) >>> 0;
      cf = bit64(d >>> 0, dh, count - 1);
    }
  } else if (size === 4) {
    if (left) { rlo = (shl32(d >>> 0, count) | shr32(s >>> 0, 32 - count)) >>> 0; cf = shr32(d >>> 0, 32 - count) & 1; }
    else { rlo = (shr32(d >>> 0, count) | shl32(s >>> 0, 32 - count)) >>> 0; cf = shr32(d >>> 0, count - 1) & 1; }
  } else {
    // 16-bit: treat dest:src (left) or src:dest (right) as a 32-bit pattern repeated; counts > 16 are undefined.
    const dd = d & 0xffff;
    const ss = s & 0xffff;
    if (left) {
      const pat = ((dd * 65536 + ss) * 65536 + dd) ; // dd:ss:dd as 48 bits
      const v = Math.floor(pat / 2 ** (32 - count)) % 65536;
      rlo = v;
      cf = Math.floor(pat / 2 ** (48 - count)) % 2;
    } else {
      const pat = (ss * 65536 + dd) + dd * 4294967296; // dd:ss:dd reading right to left
      rlo = Math.floor(pat / 2 ** count) % 65536;
      cf = Math.floor(pat / 2 ** (count - 1)) % 2;
    }
  }
  const msbOld = size === 8 ? dh >>> 31 : (d >>> (w - 1)) & 1;
  const msbNew = size === 8 ? rhi >>> 31 : (rlo >>> (w - 1)) & 1;
  setShiftFlags(m, size, rlo, rhi, cf, msbOld ^ msbNew);
  if (isReg) m.setReg(o.r0, size, rlo | 0, rhi | 0);
  else m.rmwWrite(lin, size, rlo | 0, rhi | 0);
}

export const shld = (m: Machine, o: Op): void => doubleShift(m, o, true);
export const shrd = (m: Machine, o: Op): void => doubleShift(m, o, false);
