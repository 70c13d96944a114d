// MOV to/from CR0, CR2, CR3, CR4, CR8, LMSW and CLTS semantics (SDM Vol. 3 §2.5, Vol. 2 MOV CR):
// reserved-bit and invalid-combination #GP(0), IA-32e mode activation and deactivation through
// CR0.PG with EFER.LME (SDM Vol. 3 §10.8.5), the TLB flushes the SDM asks for, mode recomputation.
// Imports the CPU core, exceptions, paging constants and cpuHooks.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as cpuHooksModule from './cpuHooks';
import * as pagingModule from '../paging';
const { CS, CR0_PE, CR0_PG, EFER_LMA, EFER_LME, ATTR_L } = cpuModule;
const { GP, UD } = exceptionsModule;
const { flushTlb } = cpuHooksModule;

const TWO32 = 4294967296;

/** CR0 bits software may change: PE MP EM TS ET NE WP AM NW CD PG (others are reserved and ignored). */
export const CR0_WRITABLE = 0xe005003f;
const CR0_WP = 0x10000;
const CR0_NW = 0x20000000;
const CR0_CD = 0x40000000;
/** CR4 bits we implement: TSD DE PSE PAE MCE PGE PCE OSFXSR OSXMMEXCPT SMEP (no VME/PVI). Setting any other → #GP(0). */
export const CR4_SUPPORTED = 0x4 | 0x8 | 0x10 | 0x20 | 0x40 | 0x80 | 0x100 | 0x200 | 0x400 | 0x100000;
const CR4_PAE = 0x20;
/** CR4 bits whose change flushes the TLB (PSE, PAE, PGE, SMEP; SDM Vol. 3 §4.10.4.1). */
const CR4_PAGING = 0x10 | 0x20 | 0x80 | 0x100000;
/** Physical-address width (CPUID 80000008h, the paging walker's MAXPHYADDR): CR3 bits above it are reserved in IA-32e mode. */
const { MAX_PHYS_BITS } = pagingModule;

function gp(detail: string): CpuFault {
  return new CpuFault(GP, 0, undefined, detail);
}

/** Write CR0 (32-bit value `v`; `hi` = bits 63:32 in 64-bit mode, which must be 0). */
export function writeCr0(m: Machine, v: number, hi = 0): void {
  if (hi !== 0) throw gp('MOV CR0 with bits 63:32 set');
  const old = m.cr0;
  const nv = ((old & ~CR0_WRITABLE) | (v & CR0_WRITABLE) | 0x10) >>> 0;
  if ((nv & CR0_PG) !== 0 && (nv & CR0_PE) === 0) throw gp('CR0.PG without CR0.PE');
  if ((nv & CR0_NW) !== 0 && (nv & CR0_CD) === 0) throw gp('CR0.NW without CR0.CD');
  const pgOn = (nv & CR0_PG) !== 0 && (old & CR0_PG) === 0;
  const pgOff = (nv & CR0_PG) === 0 && (old & CR0_PG) !== 0;
  if (pgOn && (m.efer & EFER_LME) !== 0) {
    if ((m.cr4 & CR4_PAE) === 0) throw gp('enabling IA-32e paging with CR4.PAE = 0');
    if ((m.segAttr[CS] & ATTR_L) !== 0) throw gp('enabling IA-32e mode with CS.L = 1');
  }
  if (pgOff && (m.efer & EFER_LMA) !== 0 && m.mode64) throw gp('clearing CR0.PG in 64-bit mode');
  m.cr0 = nv;
  if (pgOn && (m.efer & EFER_LME) !== 0) m.efer |= EFER_LMA;
  if (pgOff) m.efer &= ~EFER_LMA;
  m.updateMode();
  if (((old ^ nv) & (CR0_PG | CR0_WP | CR0_PE)) !== 0) flushTlb(m);
}

/** Write CR3 (lo/hi halves); every write flushes the (non-global) TLB. */
export function writeCr3(m: Machine, lo: number, hi: number): void {
  if ((m.efer & EFER_LMA) !== 0 && (hi >>> 0) >= 1 << (MAX_PHYS_BITS - 32)) throw gp('CR3 bits above MAXPHYADDR set');
  m.cr3 = (m.efer & EFER_LMA) !== 0 ? (hi & 0xffff) * TWO32 + (lo >>> 0) : lo >>> 0;
  flushTlb(m);
}

/** Write CR4: unsupported bits → #GP(0); clearing PAE in IA-32e mode → #GP(0). */
export function writeCr4(m: Machine, lo: number, hi: number): void {
  const v = lo >>> 0;
  if (hi !== 0 || (v & ~CR4_SUPPORTED) !== 0) throw gp(`CR4 reserved or unsupported bits 0x${(v & ~CR4_SUPPORTED).toString(16)}`);
  if ((m.efer & EFER_LMA) !== 0 && (v & CR4_PAE) === 0) throw gp('clearing CR4.PAE in IA-32e mode');
  const old = m.cr4;
  m.cr4 = v;
  if (((old ^ v) & CR4_PAGING) !== 0) flushTlb(m);
}

/** MOV CRn, r (n from ModRM.reg; lo/hi = the source register's halves, hi = 0 outside 64-bit mode). */
export function writeControlRegister(m: Machine, n: number, lo: number, hi: number): void {
  switch (n) {
    case 0: writeCr0(m, lo, hi); return;
    case 2: m.cr2 = (hi & 0xffff) * TWO32 + (lo >>> 0); return;
    case 3: writeCr3(m, lo, hi); return;
    case 4: writeCr4(m, lo, hi); return;
    case 8:
      if (hi !== 0 || (lo & ~15) !== 0) throw gp('CR8 bits 63:4 set');
      m.cr8 = lo & 15;
      return;
    default: throw new CpuFault(UD, undefined, undefined, `MOV to CR${n}`);
  }
}

/** MOV r, CRn: the value as a 48-bit folded number (CR0/CR4/CR8 fit in 32 bits). */
export function readControlRegister(m: Machine, n: number): number {
  switch (n) {
    case 0: return m.cr0 >>> 0;
    case 2: return m.cr2;
    case 3: return m.cr3;
    case 4: return m.cr4 >>> 0;
    case 8: return m.cr8;
    default: throw new CpuFault(UD, undefined, undefined, `MOV from CR${n}`);
  }
}

/** LMSW: loads CR0 bits 0-3 (PE, MP, EM, TS); it can set PE but never clear it (SDM Vol. 2 LMSW). */
export function loadMachineStatusWord(m: Machine, v: number): void {
  const old = m.cr0;
  m.cr0 = ((old & ~0xe) | (v & 0xf) | (old & CR0_PE)) >>> 0;
  m.updateMode();
  if (((old ^ m.cr0) & CR0_PE) !== 0) flushTlb(m);
}
