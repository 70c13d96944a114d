// Data movement: MOV, MOVSX/MOVZX/MOVSXD, MOVBE, XCHG, XADD, CMPXCHG/8B/16B, BSWAP, LEA, CMOVcc,
// SETcc, XLAT, CBW/CWDE/CDQE, CWD/CDQ/CQO, far pointer loads (LDS..LSS), MOV to/from segment registers
// (a load of SS opens the one-instruction interrupt shadow). Imports the CPU core, operand helpers and
// src/emu/protected/cpuHooks.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as arithModule from './arith';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as segmentsModule from './segments';
import * as cpuModule from '../cpu';
import * as cpuHooksModule from '../protected/cpuHooks';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_MEM, K_REG, K_SEG } = decodeCacheModule;
const { ea, read1, readSlot, signExtend, write0 } = operandsModule;
const { aluCompute, ALU_ADD, ALU_CMP } = arithModule;
const { condition, getFlags, setFlags, ZF } = flagsModule;
const { GP, UD } = exceptionsModule;
const { loadSegment } = segmentsModule;
const { CS, SSEG } = cpuModule;
const { interruptShadow } = cpuHooksModule;

const TWO32 = 4294967296;

export function mov(m: Machine, o: Op): void {
  const size = o.size;
  if (o.k0 === K_REG) {
    const v = readSlot(m, o, o.k1, o.r1, size);
    m.setReg(o.r0, size, v, m.hi);
    return;
  }
  const v = read1(m, o, size);
  write0(m, o, size, v, m.hi);
}

export function movzx(m: Machine, o: Op): void {
  const v = read1(m, o, o.s1);
  m.setReg(o.r0, o.size, v, 0);
}

export function movsx(m: Machine, o: Op): void {
  const v = signExtend(read1(m, o, o.s1), o.s1);
  m.setReg(o.r0, o.size, v, v >> 31);
}

export function movsxd(m: Machine, o: Op): void {
  const v = read1(m, o, 4);
  m.setReg(o.r0, o.size, v, v >> 31);
}

function swap16(v: number): number {
  return ((v & 0xff) << 8) | ((v >> 8) & 0xff);
}
function swap32(v: number): number {
  return ((v & 0xff) << 24) | ((v & 0xff00) << 8) | ((v >>> 8) & 0xff00) | (v >>> 24);
}

export function movbe(m: Machine, o: Op): void {
  const size = o.size;
  const v = read1(m, o, size);
  const hi = m.hi;
  if (size === 2) write0(m, o, 2, swap16(v), 0);
  else if (size === 4) write0(m, o, 4, swap32(v), 0);
  else write0(m, o, 8, swap32(hi), swap32(v));
}

export function bswap(m: Machine, o: Op): void {
  const r = o.r0;
  if (o.size === 8) {
    const lo = m.regs[r];
    m.set64(r, swap32(m.regsHi[r]), swap32(lo));
  } else if (o.size === 4) m.set32(r, swap32(m.regs[r]));
  else m.set16(r, 0); // BSWAP r16 is undefined (SDM); documented choice: the low word becomes 0, as on Intel CPUs.
}

export function xchg(m: Machine, o: Op): void {
  const size = o.size;
  if (o.k0 === K_MEM || o.k1 === K_MEM) {
    const regSlot = o.k0 === K_MEM ? o.r1 : o.r0;
    const lin = ea(m, o);
    const mv = m.rmwRead(lin, size);
    const mh = m.hi;
    const rv = m.getReg(regSlot, size);
    m.rmwWrite(lin, size, rv, m.hi);
    m.setReg(regSlot, size, mv, mh);
    return;
  }
  const a = m.getReg(o.r0, size);
  const ah = m.hi;
  const b = m.getReg(o.r1, size);
  const bh = m.hi;
  m.setReg(o.r0, size, b, bh);
  m.setReg(o.r1, size, a, ah);
}

export function xadd(m: Machine, o: Op): void {
  const size = o.size;
  const src = m.getReg(o.r1, size);
  const sh = m.hi;
  if (o.k0 === K_MEM) {
    const lin = ea(m, o);
    const d = m.rmwRead(lin, size);
    const dh = m.hi;
    const r = aluCompute(m, ALU_ADD, size, d, src, dh, sh);
    m.rmwWrite(lin, size, r, m.hi);
    m.setReg(o.r1, size, d, dh);
    return;
  }
  const d = m.getReg(o.r0, size);
  const dh = m.hi;
  const r = aluCompute(m, ALU_ADD, size, d, src, dh, sh);
  const rh = m.hi;
  m.setReg(o.r1, size, d, dh);
  m.setReg(o.r0, size, r, rh);
}

export function cmpxchg(m: Machine, o: Op): void {
  const size = o.size;
  const acc = m.getReg(0, size);
  const acch = m.hi;
  const src = m.getReg(o.r1, size);
  const sh = m.hi;
  const mem = o.k0 === K_MEM;
  const lin = mem ? ea(m, o) : 0;
  const d = mem ? m.rmwRead(lin, size) : m.getReg(o.r0, size);
  const dh = m.hi;
  aluCompute(m, ALU_CMP, size, acc, d, acch, dh);
  const mask = size === 1 ? 0xff : size === 2 ? 0xffff : -1;
  const equal = ((acc ^ d) & mask) === 0 && (size !== 8 || acch === dh);
  if (equal) {
    if (mem) m.rmwWrite(lin, size, src, sh);
    else m.setReg(o.r0, size, src, sh);
  } else {
    // The destination is written back with its own value (SDM: the processor never produces a locked read without a write).
    if (mem) m.rmwWrite(lin, size, d, dh);
    m.setReg(0, size, d, dh);
  }
}

export function cmpxchg8b(m: Machine, o: Op): void {
  if (o.k0 !== K_MEM) throw new CpuFault(UD);
  const lin = ea(m, o);
  const lo = m.rmwRead(lin, 8);
  const hi = m.hi;
  const f = getFlags(m);
  if (lo === m.regs[0] && hi === m.regs[2]) {
    m.rmwWrite(lin, 8, m.regs[3], m.regs[1]);
    setFlags(m, f | ZF);
  } else {
    m.rmwWrite(lin, 8, lo, hi);
    m.set32(0, lo);
    m.set32(2, hi);
    setFlags(m, f & ~ZF);
  }
}

export function cmpxchg16b(m: Machine, o: Op): void {
  if (o.k0 !== K_MEM) throw new CpuFault(UD);
  const lin = ea(m, o);
  if (lin % 16 !== 0) throw new CpuFault(GP, 0, undefined, 'CMPXCHG16B operand not 16-byte aligned');
  const l0 = m.rmwRead(lin, 8);
  const l1 = m.hi;
  const h0 = m.rmwRead(lin + 8, 8);
  const h1 = m.hi;
  const f = getFlags(m);
  if (l0 === m.regs[0] && l1 === m.regsHi[0] && h0 === m.regs[2] && h1 === m.regsHi[2]) {
    m.rmwWrite(lin, 8, m.regs[3], m.regsHi[3]);
    m.rmwWrite(lin + 8, 8, m.regs[1], m.regsHi[1]);
    setFlags(m, f | ZF);
  } else {
    m.rmwWrite(lin, 8, l0, l1);
    m.rmwWrite(lin + 8, 8, h0, h1);
    m.set64(0, l0, l1);
    m.set64(2, h0, h1);
    setFlags(m, f & ~ZF);
  }
}

/** LEA: the effective address (offset, no segment), truncated to the operand size. */
export function lea(m: Machine, o: Op): void {
  const size = o.size;
  if (!m.mode64 || o.asize !== 8) {
    let a = o.disp;
    if (o.base >= 0) a += m.regs[o.base];
    if (o.index >= 0) a += m.regs[o.index] << o.scale;
    if (o.ripRel) a += m.rip;
    if (o.asize === 2) a &= 0xffff;
    m.setReg(o.r0, size, a | 0, 0);
    return;
  }
  let lo: number;
  let hi: number;
  const d = o.disp;
  if (o.ripRel) {
    const t = m.rip + d;
    const [l, h] = fold64(t);
    lo = l; hi = h;
  } else {
    // A negative displacement is borrowed out of the high half by the carry below.
    lo = d; hi = 0;
    if (o.base >= 0) { lo += m.regs[o.base] >>> 0; hi += m.regsHi[o.base]; }
    if (o.index >= 0) {
      const f = 1 << o.scale;
      lo += (m.regs[o.index] >>> 0) * f;
      hi += Math.imul(m.regsHi[o.index], f);
    }
    const carry = Math.floor(lo / TWO32);
    lo -= carry * TWO32;
    hi = (hi + carry) | 0;
  }
  m.setReg(o.r0, size, lo | 0, hi);
}

/** A 48-bit folded address (possibly out of range after arithmetic) as sign-extended 64-bit halves. */
function fold64(a: number): [number, number] {
  const TWO48 = 281474976710656;
  if (a < 0) a += TWO48;
  if (a >= TWO48) a -= TWO48;
  const hi = Math.floor(a / TWO32);
  return [a >>> 0, hi & 0x8000 ? hi | ~0xffff : hi];
}

export function cmov(m: Machine, o: Op): void {
  const size = o.size;
  const v = read1(m, o, size);
  const h = m.hi;
  if (condition(m, o.cc)) m.setReg(o.r0, size, v, h);
  else if (size === 4) m.regsHi[o.r0] = 0; // CMOVcc r32 zero-extends even when the condition is false (64-bit mode).
}

export function setcc(m: Machine, o: Op): void {
  write0(m, o, 1, condition(m, o.cc) ? 1 : 0, 0);
}

export function xlat(m: Machine, o: Op): void {
  let a: number;
  if (o.asize === 2) a = (m.regs[3] + (m.regs[0] & 0xff)) & 0xffff;
  else if (o.asize === 4) a = ((m.regs[3] >>> 0) + (m.regs[0] & 0xff)) >>> 0;
  else a = m.canonical(((m.regs[3] >>> 0) + (m.regs[0] & 0xff)) | 0, m.regsHi[3] + ((m.regs[3] >>> 0) + (m.regs[0] & 0xff) >= TWO32 ? 1 : 0), o.seg);
  m.set8(0, m.read8(m.mode64 ? a : m.linear(o.seg, a, 1)));
}

export function cbw(m: Machine, o: Op): void {
  if (o.size === 2) m.set16(0, (m.regs[0] << 24) >> 24);
  else if (o.size === 4) m.set32(0, (m.regs[0] << 16) >> 16);
  else m.set64(0, m.regs[0], m.regs[0] >> 31);
}

export function cwd(m: Machine, o: Op): void {
  if (o.size === 2) m.set16(2, (m.regs[0] << 16) >> 31);
  else if (o.size === 4) m.set32(2, m.regs[0] >> 31);
  else m.set64(2, m.regsHi[0] >> 31, m.regsHi[0] >> 31);
}

/** LDS/LES/LFS/LGS/LSS r, m16:16/32/64: offset then selector. */
function farLoad(m: Machine, o: Op, seg: number): void {
  if (o.k1 !== K_MEM) throw new CpuFault(UD);
  const size = o.size;
  const lin = ea(m, o);
  const off = m.read(lin, size);
  const offHi = m.hi;
  const sel = m.read16(m.mode64 ? lin + size : nextOffset(m, o, size));
  loadSegment(m, seg, sel);
  m.setReg(o.r0, size, off, offHi);
  if (seg === SSEG) { m.debug.ssLoaded(); interruptShadow(m); }
}

/** Linear address of the memory operand's offset + delta (wrapping inside the segment). */
function nextOffset(m: Machine, o: Op, delta: number): number {
  let a = o.disp + delta;
  if (o.base >= 0) a += m.regs[o.base];
  if (o.index >= 0) a += m.regs[o.index] << o.scale;
  return m.linear(o.seg, o.asize === 2 ? a & 0xffff : a >>> 0, 2);
}

export const lds = (m: Machine, o: Op): void => farLoad(m, o, 3);
export const les = (m: Machine, o: Op): void => farLoad(m, o, 0);
export const lfs = (m: Machine, o: Op): void => farLoad(m, o, 4);
export const lgs = (m: Machine, o: Op): void => farLoad(m, o, 5);
export const lss = (m: Machine, o: Op): void => farLoad(m, o, 2);

export function movToSeg(m: Machine, o: Op): void {
  const seg = o.r0;
  if (seg === CS || o.k0 !== K_SEG) throw new CpuFault(UD, undefined, undefined, 'MOV to CS');
  const sel = read1(m, o, 2) & 0xffff;
  loadSegment(m, seg, sel);
  if (seg === SSEG) { m.debug.ssLoaded(); interruptShadow(m); }
}

export function movFromSeg(m: Machine, o: Op): void {
  const sel = m.segSel[o.r1];
  // To a register the operand size applies (zero-extended); to memory always 16 bits.
  if (o.k0 === K_REG) m.setReg(o.r0, o.size === 1 ? 2 : o.size, sel, 0);
  else m.write16(ea(m, o), sel);
}
