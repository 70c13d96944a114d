// Operand access shared by the instruction handlers: the effective (linear) address of an Op's
// memory operand in every mode (16-bit wrap, 32-bit wrap, 64-bit canonical + FS/GS base,
// RIP-relative), and reading/writing operand slots of any kind and size.
// Imports the CPU core only.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as cpuModule from '../cpu';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_IMM, K_MEM, K_REG } = decodeCacheModule;
const { FS } = cpuModule;

const TWO32 = 4294967296;
const TWO48 = 281474976710656;

/** Offset (effective address before the segment base) of the memory operand, reduced to the address size. 64-bit: low half only. */
export function memOffset(m: Machine, o: Op): number {
  let a = o.disp;
  if (o.base >= 0) a += m.regs[o.base];
  if (o.index >= 0) a += m.regs[o.index] << o.scale;
  return o.asize === 2 ? a & 0xffff : a >>> 0;
}

/**
 * Linear address of the memory operand (segment base added). Outside 64-bit mode the access of
 * o.msize bytes is checked against the segment limit (#GP(0), #SS(0) for SS; SDM Vol. 3 §5.3): one
 * inline test, the slow path only for expand-down/unusable segments or past the limit. 64-bit mode:
 * #GP/#SS on a non-canonical address.
 */
export function ea(m: Machine, o: Op): number {
  if (!m.mode64) {
    let a = o.disp;
    if (o.base >= 0) a += m.regs[o.base];
    if (o.index >= 0) a += m.regs[o.index] << o.scale;
    a = o.asize === 2 ? a & 0xffff : a >>> 0;
    const s = o.seg;
    if (m.segFlags[s] !== 0 || a + o.msize - 1 > m.segLimit[s]) m.checkSegment(s, a, o.msize);
    if (m.real) return (m.segBase[s] + a) & m.a20Mask;
    return (m.segBase[s] + a) >>> 0;
  }
  return ea64(m, o);
}

function ea64(m: Machine, o: Op): number {
  let a: number;
  if (o.ripRel) {
    a = m.rip + o.disp;
    if (a < 0) a += TWO48;
    else if (a >= TWO48) a -= TWO48;
  } else {
    const d = o.disp;
    let lo: number;
    let hi: number;
    if (d >= -2147483648 && d <= 2147483647) { lo = d; hi = 0; }
    else { lo = d >>> 0; hi = Math.floor(d / TWO32); }
    if (o.base >= 0) { lo += m.regs[o.base] >>> 0; hi += m.regsHi[o.base]; }
    if (o.index >= 0) {
      const f = 1 << o.scale;
      lo += (m.regs[o.index] >>> 0) * f;
      hi += Math.imul(m.regsHi[o.index], f);
    }
    const carry = Math.floor(lo / TWO32);
    lo -= carry * TWO32;
    hi = (hi + carry) | 0;
    if (o.asize === 4) a = lo;
    else a = m.canonical(lo | 0, hi, o.seg);
  }
  if (o.seg >= FS) {
    a += m.segBase[o.seg];
    if (a >= TWO48) a -= TWO48;
  }
  return a;
}

/** Read operand slot (kind k, register r) of `size` bytes; 8-byte values leave the high half in m.hi. */
export function readSlot(m: Machine, o: Op, k: number, r: number, size: number): number {
  if (k === K_REG) return m.getReg(r, size);
  if (k === K_IMM) {
    m.hi = o.immHi;
    return o.imm;
  }
  if (k === K_MEM) return m.read(ea(m, o), size);
  m.hi = 0;
  return 0;
}

/** Operand 0 (destination) value. */
export function read0(m: Machine, o: Op, size: number): number {
  return readSlot(m, o, o.k0, o.r0, size);
}

/** Operand 1 (source) value. */
export function read1(m: Machine, o: Op, size: number): number {
  return readSlot(m, o, o.k1, o.r1, size);
}

/** Write operand 0 (register or memory). */
export function write0(m: Machine, o: Op, size: number, v: number, hi: number): void {
  if (o.k0 === K_REG) m.setReg(o.r0, size, v, hi);
  else m.write(ea(m, o), size, v, hi);
}

/** Mask of an operand size (as int32: 8/16 bits, or -1 for 32/64). */
export function sizeMask(size: number): number {
  return size === 1 ? 0xff : size === 2 ? 0xffff : -1;
}

/** Sign-extend the low `size` bytes of v to int32 (size 4/8: unchanged). */
export function signExtend(v: number, size: number): number {
  return size === 1 ? (v << 24) >> 24 : size === 2 ? (v << 16) >> 16 : v | 0;
}

/** Register index of an address-size counter/pointer operand value (CX/ECX/RCX...) read as a double (64-bit exact below 2^53). */
export function readAddrReg(m: Machine, r: number, asize: number): number {
  if (asize === 2) return m.regs[r] & 0xffff;
  if (asize === 4) return m.regs[r] >>> 0;
  return m.regsHi[r] * TWO32 + (m.regs[r] >>> 0);
}

/** Add `delta` to an address-size register (wrapping at its width; 16-bit leaves the upper bits). */
export function addAddrReg(m: Machine, r: number, asize: number, delta: number): void {
  if (asize === 2) m.regs[r] = (m.regs[r] & ~0xffff) | ((m.regs[r] + delta) & 0xffff);
  else if (asize === 4) { m.regs[r] = (m.regs[r] + delta) | 0; m.regsHi[r] = 0; }
  else {
    const lo = (m.regs[r] >>> 0) + delta;
    const carry = Math.floor(lo / TWO32);
    m.regs[r] = lo | 0;
    m.regsHi[r] = (m.regsHi[r] + carry) | 0;
  }
}

/** Branch to `target` (an offset in CS), truncated to the operand size (16: IP, 32: EIP, 64: folded 48-bit). */
export function setIp(m: Machine, target: number, size: number): void {
  if (size === 2) m.rip = target & 0xffff;
  else if (size === 4) m.rip = target >>> 0;
  else m.rip = target < 0 ? target + TWO48 : target >= TWO48 ? target - TWO48 : target;
}

/** Relative branch target: next RIP + o.rel at the operand size. */
export function relTarget(m: Machine, o: Op): number {
  return m.rip + o.rel;
}

/** 64-bit jump target from lo/hi halves (canonical check → #GP(0)). */
export function target64(m: Machine, lo: number, hi: number): number {
  return m.canonical(lo, hi, 1);
}
