// Control transfer: JMP/CALL (relative, indirect, far direct/indirect), RET/RET FAR (with imm16),
// Jcc, JCXZ/JECXZ/JRCXZ, LOOP/LOOPE/LOOPNE. Targets are truncated to the operand size (16-bit IP,
// 32-bit EIP) or checked canonical in 64-bit mode (#GP(0)). Far transfers in protected mode (gates,
// task switches, privilege changes) are src/emu/protected/farTransfer.ts.
// Imports the CPU core, operand helpers and src/emu/protected/farTransfer.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
import * as farTransferModule from '../protected/farTransfer';
import * as cpuModule from '../cpu';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_MEM, K_REG } = decodeCacheModule;
const { ea, read0, readAddrReg, addAddrReg } = operandsModule;
const { condition, getZF } = flagsModule;
const { farJump, farCall, farReturn } = farTransferModule;
const { CS } = cpuModule;
const { UD } = exceptionsModule;

const TWO48 = 281474976710656;

/** Jump to `m.rip + rel` at the operand size. */
function jumpRel(m: Machine, o: Op): void {
  const t = m.rip + o.rel;
  if (o.size === 8) m.rip = t < 0 ? t + TWO48 : t >= TWO48 ? t - TWO48 : t;
  else if (o.size === 4) m.rip = t >>> 0;
  else m.rip = t & 0xffff;
}

/** Indirect target: a register or memory value of the operand size (64-bit: canonical-checked). */
function indirectTarget(m: Machine, o: Op): number {
  const size = o.size;
  const v = o.k0 === K_REG ? m.getReg(o.r0, size) : read0(m, o, size);
  if (size === 8) return m.canonical(v, m.hi, CS);
  return size === 4 ? v >>> 0 : v & 0xffff;
}

export function jmpRel(m: Machine, o: Op): void {
  jumpRel(m, o);
}

export function jcc(m: Machine, o: Op): void {
  if (condition(m, o.cc)) jumpRel(m, o);
}

export function jmpIndirect(m: Machine, o: Op): void {
  m.rip = indirectTarget(m, o);
}

export function callRel(m: Machine, o: Op): void {
  const size = o.size;
  if (size === 8) {
    const [lo, hi] = unfoldRip(m.rip);
    m.push(8, lo, hi);
  } else m.push(size, m.rip, 0);
  jumpRel(m, o);
  if (m.controlTransferHook !== null) m.reportControlTransfer('call');
}

export function callIndirect(m: Machine, o: Op): void {
  const size = o.size;
  const t = indirectTarget(m, o);
  if (size === 8) {
    const [lo, hi] = unfoldRip(m.rip);
    m.push(8, lo, hi);
  } else m.push(size, m.rip, 0);
  m.rip = t;
  if (m.controlTransferHook !== null) m.reportControlTransfer('call');
}

/** RET / RET imm16. */
export function ret(m: Machine, o: Op): void {
  const size = o.size;
  const v = m.pop(size);
  const t = size === 8 ? m.canonical(v, m.hi, CS) : size === 4 ? v >>> 0 : v & 0xffff;
  if (o.n > 0) addAddrReg(m, 4, m.stackSize, o.imm & 0xffff);
  m.rip = t;
  if (m.controlTransferHook !== null) m.reportControlTransfer('ret');
}

/** A 48-bit folded RIP as sign-extended lo/hi halves. */
export function unfoldRip(rip: number): [number, number] {
  const hi = Math.floor(rip / 4294967296);
  return [rip | 0, hi & 0x8000 ? hi | ~0xffff : hi];
}

/** JMP ptr16:16/32 (not in 64-bit mode). */
export function jmpFar(m: Machine, o: Op): void {
  farJump(m, o.imm2, o.imm, 0, o.size);
}

/** JMP m16:16/32/64. */
export function jmpFarIndirect(m: Machine, o: Op): void {
  if (o.k0 !== K_MEM) throw new CpuFault(UD);
  const lin = ea(m, o);
  const off = m.read(lin, o.size);
  const offHi = m.hi;
  const sel = m.read16(nextLinear(m, lin, o.size));
  farJump(m, sel, off, offHi, o.size);
}

function nextLinear(m: Machine, lin: number, delta: number): number {
  if (m.mode64) return lin + delta;
  if (m.real) return (lin + delta) & m.a20Mask;
  return (lin + delta) >>> 0;
}

/** CALL ptr16:16/32. */
export function callFar(m: Machine, o: Op): void {
  farCall(m, o.imm2, o.imm, 0, o.size);
  if (m.controlTransferHook !== null) m.reportControlTransfer('call');
}

/** CALL m16:16/32/64. */
export function callFarIndirect(m: Machine, o: Op): void {
  if (o.k0 !== K_MEM) throw new CpuFault(UD);
  const lin = ea(m, o);
  const size = o.size;
  const off = m.read(lin, size);
  const offHi = m.hi;
  const sel = m.read16(nextLinear(m, lin, size));
  farCall(m, sel, off, offHi, size);
  if (m.controlTransferHook !== null) m.reportControlTransfer('call');
}

/** RETF / RETF imm16 (same or outer privilege). */
export function retFar(m: Machine, o: Op): void {
  farReturn(m, o.size, o.n > 0 ? o.imm & 0xffff : 0);
  if (m.controlTransferHook !== null) m.reportControlTransfer('ret');
}

export function jcxz(m: Machine, o: Op): void {
  if (readAddrReg(m, 1, o.asize) === 0) jumpRel(m, o);
}

/** LOOP/LOOPE/LOOPNE: count in CX/ECX/RCX by address size. */
function loopCommon(m: Machine, o: Op, kind: number): void {
  addAddrReg(m, 1, o.asize, -1);
  if (readAddrReg(m, 1, o.asize) === 0) return;
  if (kind === 1 && getZF(m) === 0) return;
  if (kind === 2 && getZF(m) === 1) return;
  jumpRel(m, o);
}

export const loop = (m: Machine, o: Op): void => loopCommon(m, o, 0);
export const loope = (m: Machine, o: Op): void => loopCommon(m, o, 1);
export const loopne = (m: Machine, o: Op): void => loopCommon(m, o, 2);

