// The model-specific registers a small kernel uses (SDM Vol. 4 Table 2-2; Vol. 3 §2.2.1, §5.8.7,
// §5.8.8, §10.8.5): EFER, STAR/LSTAR/CSTAR/FMASK, FS/GS/KERNEL_GS base, SYSENTER_CS/ESP/EIP, TSC,
// TSC_AUX, APIC_BASE, PAT, MISC_ENABLE. RDMSR/WRMSR of anything else → #GP(0); reserved bits and
// non-canonical addresses → #GP(0). Values travel as int32 lo/hi halves (EDX:EAX).
// Imports the CPU core, exceptions and cpuHooks.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as cpuHooksModule from './cpuHooks';
const { FS, GS, CR0_PG, EFER_LMA, EFER_LME, EFER_NXE, EFER_SCE } = cpuModule;
const { GP } = exceptionsModule;
const { flushTlb } = cpuHooksModule;

export const MSR_TSC = 0x10;
export const MSR_APIC_BASE = 0x1b;
export const MSR_SYSENTER_CS = 0x174;
export const MSR_SYSENTER_ESP = 0x175;
export const MSR_SYSENTER_EIP = 0x176;
export const MSR_MISC_ENABLE = 0x1a0;
export const MSR_PAT = 0x277;
export const MSR_EFER = 0xc0000080;
export const MSR_STAR = 0xc0000081;
export const MSR_LSTAR = 0xc0000082;
export const MSR_CSTAR = 0xc0000083;
export const MSR_FMASK = 0xc0000084;
export const MSR_FS_BASE = 0xc0000100;
export const MSR_GS_BASE = 0xc0000101;
export const MSR_KERNEL_GS_BASE = 0xc0000102;
export const MSR_TSC_AUX = 0xc0000103;

/** Reset values of the MSRs kept in Cpu.msrs (SDM Vol. 4): APIC at FEE00000h, BSP, enabled; PAT's power-up value; fast strings. */
const RESET: ReadonlyMap<number, bigint> = new Map([
  [MSR_APIC_BASE, 0xfee00900n],
  [MSR_PAT, 0x0007040600070406n],
  [MSR_MISC_ENABLE, 0x1n],
]);

/** MSRs stored as plain 64-bit values in Cpu.msrs, with the check a write must pass. */
const STORED: ReadonlyMap<number, 'any' | 'canonical' | 'low32' | 'pat' | 'apic'> = new Map([
  [MSR_STAR, 'any'], [MSR_LSTAR, 'canonical'], [MSR_CSTAR, 'canonical'], [MSR_FMASK, 'low32'],
  [MSR_SYSENTER_CS, 'low32'], [MSR_SYSENTER_ESP, 'canonical'], [MSR_SYSENTER_EIP, 'canonical'],
  [MSR_TSC_AUX, 'low32'], [MSR_APIC_BASE, 'apic'], [MSR_PAT, 'pat'], [MSR_MISC_ENABLE, 'any'],
] as const);

const TWO32 = 4294967296;
/** EFER bits software may write: SCE, LME, NXE (LMA is read-only: written values are ignored). */
const EFER_WRITABLE = EFER_SCE | EFER_LME | EFER_NXE;

/** The value of a stored MSR (its reset value when never written). */
export function storedMsr(m: Machine, n: number): bigint {
  return m.msrs.get(n) ?? RESET.get(n) ?? 0n;
}

function halves(v: bigint): [number, number] {
  return [Number(v & 0xffffffffn) | 0, Number((v >> 32n) & 0xffffffffn) | 0];
}

/** A 48-bit folded linear address as sign-extended lo/hi halves. */
function foldedToHalves(a: number): [number, number] {
  const hi = Math.floor(a / TWO32);
  return [a >>> 0, hi & 0x8000 ? hi | ~0xffff : hi];
}

/** True when bits 63:47 of hi:lo are all equal (SDM Vol. 1 §3.3.7.1). */
function isCanonical(hi: number): boolean {
  const top = hi >> 15;
  return top === 0 || top === -1;
}

/** The time stamp counter: an offset plus the instruction count (deterministic). */
export function timeStampCounter(m: Machine): number {
  return m.tsc + m.icount;
}

/** RDMSR: the MSR's value as int32 [lo, hi], or null when we do not implement it (→ #GP(0)). */
export function readMsr(m: Machine, n: number): [number, number] | null {
  switch (n) {
    case MSR_EFER: return [m.efer | 0, 0];
    case MSR_FS_BASE: return foldedToHalves(m.segBase[FS]);
    case MSR_GS_BASE: return foldedToHalves(m.segBase[GS]);
    case MSR_KERNEL_GS_BASE: return foldedToHalves(m.kernelGsBase);
    case MSR_TSC: { const t = timeStampCounter(m); return [t | 0, Math.floor(t / TWO32) | 0]; }
    default: return STORED.has(n) ? halves(storedMsr(m, n)) : null;
  }
}

/** WRMSR of int32 halves lo/hi to MSR `n`; unknown MSR, reserved bits or a bad address → #GP(0). */
export function writeMsr(m: Machine, n: number, lo: number, hi: number): void {
  const bad = (why: string): CpuFault => new CpuFault(GP, 0, undefined, `WRMSR 0x${n.toString(16)}: ${why}`);
  const folded = (hi & 0xffff) * TWO32 + (lo >>> 0);
  switch (n) {
    case MSR_EFER: {
      if (hi !== 0 || (lo & ~(EFER_WRITABLE | EFER_LMA)) !== 0) throw bad('reserved EFER bits');
      const v = (lo & EFER_WRITABLE) | (m.efer & EFER_LMA);
      // LME may change only while paging is off (SDM Vol. 3 §10.8.5).
      if (((v ^ m.efer) & EFER_LME) !== 0 && (m.cr0 & CR0_PG) !== 0) throw bad('EFER.LME changed with paging on');
      const nxChanged = ((v ^ m.efer) & EFER_NXE) !== 0;
      m.efer = v;
      m.updateMode();
      if (nxChanged) flushTlb(m);
      return;
    }
    case MSR_FS_BASE: case MSR_GS_BASE: case MSR_KERNEL_GS_BASE:
      if (!isCanonical(hi)) throw bad('non-canonical base');
      if (n === MSR_FS_BASE) m.segBase[FS] = folded;
      else if (n === MSR_GS_BASE) m.segBase[GS] = folded;
      else m.kernelGsBase = folded;
      return;
    case MSR_TSC: m.tsc = (hi >>> 0) * TWO32 + (lo >>> 0) - m.icount; return;
    default: break;
  }
  const rule = STORED.get(n);
  if (rule === undefined) throw bad('not implemented');
  if (rule === 'canonical' && !isCanonical(hi)) throw bad('non-canonical address');
  if (rule === 'low32' && hi !== 0) throw bad('reserved bits 63:32');
  if (rule === 'pat') {
    for (const w of [lo, hi]) for (let i = 0; i < 4; i++) { const t = (w >>> (8 * i)) & 0xff; if (t === 2 || t === 3 || t > 7) throw bad('reserved PAT memory type'); }
  }
  // APIC_BASE: BSP (bit 8), x2APIC (10), enable (11), base (12-39); there is no APIC behind it.
  if (rule === 'apic' && ((lo & 0x6ff) !== 0 || (hi >>> 0) > 0xff)) throw bad('reserved APIC_BASE bits');
  m.msrs.set(n, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
}
