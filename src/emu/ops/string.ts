// String instructions MOVS CMPS STOS LODS SCAS INS OUTS at every size, both directions, with
// REP/REPE/REPNE (SDM Vol. 2 "REP/REPE/REPZ/REPNE/REPNZ"). A REP runs iteration by iteration and
// is interruptible after any iteration (budget, pause, a debug trap): RIP stays on the instruction
// with the count and pointers of that point, so the next run resumes it.
// Imports the CPU core, operand and I/O helpers.
import type { Machine } from '../machine';
import type { Op } from '../decodeCache';
import * as operandsModule from './operands';
import * as arithModule from './arith';
import * as flagsModule from '../flags';
import * as cpuModule from '../cpu';
import * as ioModule from './io';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { addAddrReg, readAddrReg } = operandsModule;
const { aluCompute, ALU_CMP } = arithModule;
const { getZF, DF } = flagsModule;
const { DS, ES } = cpuModule;
const { portRead, portWrite, checkIoPermission } = ioModule;

const MOVS = 0;
const CMPS = 1;
const STOS = 2;
const LODS = 3;
const SCAS = 4;
const INS = 5;
const OUTS = 6;

/** Linear address of seg:(R)SI/(R)DI (`r` = 6 or 7) at address size `asize`, for an access of `size` bytes (limit-checked). */
function strAddr(m: Machine, seg: number, r: number, asize: number, size: number): number {
  const lo = m.regs[r];
  return m.linear(seg, asize === 8 ? m.canonical(lo, m.regsHi[r], seg) : asize === 4 ? lo >>> 0 : lo & 0xffff, size);
}

/** One iteration; returns false when the instruction must stop early (I/O asked to stop the run). */
function iterate(m: Machine, o: Op, kind: number, size: number, asize: number, delta: number): boolean {
  const src = o.sov >= 0 ? o.sov : DS;
  switch (kind) {
    case MOVS: {
      const v = m.read(strAddr(m, src, 6, asize, size), size);
      m.write(strAddr(m, ES, 7, asize, size), size, v, m.hi);
      addAddrReg(m, 6, asize, delta);
      addAddrReg(m, 7, asize, delta);
      return true;
    }
    case CMPS: {
      const a = m.read(strAddr(m, src, 6, asize, size), size);
      const ah = m.hi;
      const b = m.read(strAddr(m, ES, 7, asize, size), size);
      aluCompute(m, ALU_CMP, size, a, b, ah, m.hi);
      addAddrReg(m, 6, asize, delta);
      addAddrReg(m, 7, asize, delta);
      return true;
    }
    case STOS: {
      const v = m.getReg(0, size);
      m.write(strAddr(m, ES, 7, asize, size), size, v, m.hi);
      addAddrReg(m, 7, asize, delta);
      return true;
    }
    case LODS: {
      const v = m.read(strAddr(m, src, 6, asize, size), size);
      m.setReg(0, size, v, m.hi);
      addAddrReg(m, 6, asize, delta);
      return true;
    }
    case SCAS: {
      const a = m.getReg(0, size);
      const ah = m.hi;
      const b = m.read(strAddr(m, ES, 7, asize, size), size);
      aluCompute(m, ALU_CMP, size, a, b, ah, m.hi);
      addAddrReg(m, 7, asize, delta);
      return true;
    }
    case INS: {
      const lin = strAddr(m, ES, 7, asize, size);
      m.probeWrite(lin, size);
      const v = portRead(m, m.regs[2] & 0xffff, size);
      if (v === null) return false;
      m.write(lin, size, v, 0);
      addAddrReg(m, 7, asize, delta);
      return true;
    }
    default: {
      const v = m.read(strAddr(m, src, 6, asize, size), size);
      if (!portWrite(m, m.regs[2] & 0xffff, size, v)) return false;
      addAddrReg(m, 6, asize, delta);
      return true;
    }
  }
}

function stringOp(m: Machine, o: Op, kind: number): void {
  const size = o.size;
  const asize = o.asize;
  const delta = m.flagsRest & DF ? -size : size;
  if (kind >= INS) checkIoPermission(m, m.regs[2] & 0xffff, size);
  if (o.rep === 0) {
    iterate(m, o, kind, size, asize, delta);
    return;
  }
  const conditional = kind === CMPS || kind === SCAS;
  for (;;) {
    if (readAddrReg(m, 1, asize) === 0) return;
    if (!iterate(m, o, kind, size, asize, delta)) return;
    addAddrReg(m, 1, asize, -1);
    if (conditional && getZF(m) === (o.rep === 1 ? 0 : 1)) return;
    if (readAddrReg(m, 1, asize) === 0) return;
    // More iterations to do: stop here if a debug trap, the budget or a pause asks for it.
    if (m.debug.afterArmed && m.debug.repIterationBreak()) { m.rip = m.insnStart; return; }
    if (m.icount + 1 >= m.stopAt) { m.rip = m.insnStart; m.debug.repSuspended(); return; } // DEBUG HOOK (helper debug): no exec re-check on resume
    m.icount++;
  }
}

export const movs = (m: Machine, o: Op): void => stringOp(m, o, MOVS);
export const cmps = (m: Machine, o: Op): void => stringOp(m, o, CMPS);
export const stos = (m: Machine, o: Op): void => stringOp(m, o, STOS);
export const lods = (m: Machine, o: Op): void => stringOp(m, o, LODS);
export const scas = (m: Machine, o: Op): void => stringOp(m, o, SCAS);
export const ins = (m: Machine, o: Op): void => stringOp(m, o, INS);
export const outs = (m: Machine, o: Op): void => stringOp(m, o, OUTS);
