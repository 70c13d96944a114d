// Instructions whose behaviour follows what this machine's CPUID reports: XGETBV, MONITOR/MWAIT and
// RDPID. Decisions (documented here, tested in test/unit/isa/featureInstructions.test.ts):
// - XGETBV (SDM Vol. 2 "XGETBV"): #UD while CR4.OSXSAVE = 0, #GP(0) for ECX ≠ 0 (CPUID reports no
//   XGETBV1, so XCR1 does not exist); XCR0 = 1 (x87 only: bit 0 is architecturally always 1, and CPUID
//   reports no SSE/AVX state). CPUID reports no XSAVE and CR4.OSXSAVE cannot be set by MOV CR4, so a
//   guest normally sees #UD — only a loaded machine state can have OSXSAVE set.
// - MONITOR/MWAIT: CPUID.01H:ECX.MONITOR[bit 3] = 0, so both are #UD (SDM Vol. 2 "MONITOR", "MWAIT").
// - RDPID: EAX/RAX = IA32_TSC_AUX (0 at reset, WRMSR C0000103h sets its low 32 bits; the value
//   RDTSCP puts in ECX).
// Imports the CPU core.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as msrsModule from '../protected/msrs';
const { UD, GP } = exceptionsModule;
const { storedMsr, MSR_TSC_AUX } = msrsModule;

/** CR4.OSXSAVE (bit 18). */
const CR4_OSXSAVE = 1 << 18;
/** The XCR0 value XGETBV returns (x87 state only). */
export const XCR0 = 1;

/** XGETBV: EDX:EAX = XCR[ECX]. */
export function xgetbv(m: Machine): void {
  if ((m.cr4 & CR4_OSXSAVE) === 0) throw new CpuFault(UD, undefined, undefined, 'XGETBV with CR4.OSXSAVE = 0');
  if (m.regs[1] !== 0) throw new CpuFault(GP, 0, undefined, `XGETBV of XCR${m.regs[1] >>> 0}, which does not exist`);
  m.set32(0, XCR0);
  m.set32(2, 0);
}

/** MONITOR: #UD (CPUID.01H:ECX.MONITOR = 0). */
export function monitor(): void {
  throw new CpuFault(UD, undefined, undefined, 'MONITOR is not supported (CPUID.01H:ECX.MONITOR = 0)');
}

/** MWAIT: #UD (CPUID.01H:ECX.MONITOR = 0). */
export function mwait(): void {
  throw new CpuFault(UD, undefined, undefined, 'MWAIT is not supported (CPUID.01H:ECX.MONITOR = 0)');
}

/** RDPID r32/r64: IA32_TSC_AUX, zero-extended to the register. */
export function rdpid(m: Machine, o: Op): void {
  m.setReg(o.r0, o.s0, Number(storedMsr(m, MSR_TSC_AUX) & 0xffffffffn) | 0, 0);
}
