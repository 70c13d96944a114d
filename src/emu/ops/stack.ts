// Stack instructions: PUSH/POP (register, memory, immediate, segment), PUSHA/POPA, PUSHF/POPF
// (with the privilege rules for IF/IOPL and RF/VM never set by POPF, SDM Vol. 2 POPF), ENTER, LEAVE.
// Every stack access goes through the CPU's data path (debug hooks see implicit accesses).
// Imports the CPU core and operand helpers.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
import * as segmentsModule from './segments';
import * as cpuModule from '../cpu';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_MEM, K_REG } = decodeCacheModule;
const { read0, write0 } = operandsModule;
const { getFlags, setFlags, IF, IOPL, RF, VIF, VIP, VM } = flagsModule;
const { loadSegment } = segmentsModule;
const { SSEG } = cpuModule;
const { GP } = exceptionsModule;

export function push(m: Machine, o: Op): void {
  const size = o.size;
  if (o.k0 === K_REG) {
    const v = m.getReg(o.r0, size);
    m.push(size, v, m.hi);
    return;
  }
  const v = read0(m, o, size);
  m.push(size, v, o.k0 === K_MEM ? m.hi : (v >> 31));
}

export function pop(m: Machine, o: Op): void {
  const size = o.size;
  if (o.k0 === K_REG) {
    const v = m.pop(size);
    m.setReg(o.r0, size, v, m.hi);
    return;
  }
  // POP r/m with an ESP-based address uses ESP after the pop (SDM Vol. 2 POP).
  const sp = m.regs[4];
  const sph = m.regsHi[4];
  const v = m.pop(size);
  const h = m.hi;
  try {
    write0(m, o, size, v, h);
  } catch (e) {
    m.regs[4] = sp;
    m.regsHi[4] = sph;
    throw e;
  }
}

export function pushSeg(m: Machine, o: Op): void {
  const size = o.size;
  // A segment register push of 32/64 bits writes the selector zero-extended (recent CPUs may write 16 bits only; we write the full size).
  m.push(size, m.segSel[o.r0], 0);
}

export function popSeg(m: Machine, o: Op): void {
  const size = o.size;
  const sel = m.pop(size) & 0xffff;
  loadSegment(m, o.r0, sel);
  if (o.r0 === SSEG) {
    m.debug.ssLoaded();
    m.interruptShadow();
  }
}

export function pusha(m: Machine, o: Op): void {
  const size = o.size;
  const sp = m.regs[4];
  for (let r = 0; r < 8; r++) m.push(size, r === 4 ? sp : m.regs[r], 0);
}

export function popa(m: Machine, o: Op): void {
  const size = o.size;
  for (let r = 7; r >= 0; r--) {
    const v = m.pop(size);
    if (r !== 4) m.setReg(r, size, v, 0);
  }
}

export function pushf(m: Machine, o: Op): void {
  if ((m.flagsRest & VM) !== 0 && ((m.flagsRest & IOPL) >> 12) < 3) throw new CpuFault(GP, 0);
  // The pushed image has RF and VM cleared (SDM Vol. 2 PUSHF).
  const f = getFlags(m) & ~(RF | VM);
  m.push(o.size, f, 0);
}

export function popf(m: Machine, o: Op): void {
  if ((m.flagsRest & VM) !== 0 && ((m.flagsRest & IOPL) >> 12) < 3) throw new CpuFault(GP, 0);
  const size = o.size;
  const v = m.pop(size);
  const old = getFlags(m);
  // Which bits POPF may change: IOPL only at CPL 0, IF only when CPL <= IOPL; RF and VM never; VIF/VIP kept.
  let mask = 0x3f7fd5 & ~(RF | VM | VIF | VIP);
  if (!m.real && m.cpl > 0) mask &= ~IOPL;
  if (!m.real && m.cpl > ((old & IOPL) >> 12)) mask &= ~IF;
  if (size === 2) mask &= 0xffff;
  setFlags(m, (old & ~mask) | (v & mask));
  // IF set by POPF: a pending external interrupt may come at the next boundary.
  if ((old & IF) === 0 && (m.flagsRest & IF) !== 0) m.interruptWindowOpened(false);
}

export function leave(m: Machine, o: Op): void {
  const size = o.size;
  // SP := BP at the stack size, then pop BP at the operand size.
  if (m.stackSize === 8) { m.regs[4] = m.regs[5]; m.regsHi[4] = m.regsHi[5]; }
  else if (m.stackSize === 4) m.set32(4, m.regs[5]);
  else m.set16(4, m.regs[5]);
  const v = m.pop(size);
  m.setReg(5, size, v, m.hi);
}

/** ENTER imm16, imm8 (SDM Vol. 2 ENTER, nesting level mod 32). */
export function enter(m: Machine, o: Op): void {
  const size = o.size;
  const alloc = o.imm & 0xffff;
  const level = o.imm2 & 31;
  const bp = m.regs[5];
  const bph = m.regsHi[5];
  m.push(size, bp, bph);
  const frameLo = m.regs[4];
  const frameHi = m.regsHi[4];
  if (level > 0) {
    let tmp = bp;
    for (let i = 1; i < level; i++) {
      tmp = m.stackSize === 2 ? (tmp - size) & 0xffff : (tmp - size) | 0;
      const v = m.read(m.stackSize === 8 ? m.canonical(tmp, bph, SSEG) : m.linear(SSEG, m.stackSize === 2 ? tmp & 0xffff : tmp >>> 0, size), size);
      m.push(size, v, m.hi);
    }
    m.push(size, frameLo, frameHi);
  }
  if (m.stackSize === 8) { m.regs[5] = frameLo; m.regsHi[5] = frameHi; }
  else if (m.stackSize === 4) m.set32(5, frameLo);
  else m.set16(5, frameLo);
  // Allocate; the new top of stack must be writable (#SS/#PF otherwise).
  if (m.stackSize === 2) m.set16(4, m.regs[4] - alloc);
  else if (m.stackSize === 4) m.set32(4, m.regs[4] - alloc);
  else {
    const lo = (m.regs[4] >>> 0) - alloc;
    m.regs[4] = lo | 0;
    if (lo < 0) m.regsHi[4] = (m.regsHi[4] - 1) | 0;
  }
}
