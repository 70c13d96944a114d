// System and miscellaneous instructions: flag instructions (CLC..SAHF, CLI/STI with IOPL), HLT,
// NOP/PAUSE/fences, UD, CPUID (describing what we implement), RDTSC(P) (deterministic: derived
// from the instruction count), RDPMC, RDMSR/WRMSR, SYSCALL/SYSRET/SYSENTER/SYSEXIT/SWAPGS,
// descriptor-table registers, MOV to/from CR and DR, LMSW/SMSW/CLTS/INVLPG, LAR/LSL/VERR/VERW, ARPL.
// Imports the CPU core, operand helpers and the debug unit's result type.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as cpuModule from '../cpu';
import * as segmentsModule from './segments';
import * as controlModule from './control';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_MEM, K_REG } = decodeCacheModule;
const { ea, read0, read1, write0 } = operandsModule;
const { getCF, getFlags, materializeFlags, setFlags, AF, CF, DF, IF, IOPL, PF, SF, ZF, RF, VM } = flagsModule;
const { GP, UD } = exceptionsModule;
const { CS, FS, GS, SSEG, CR0_PE, CR0_PG, EFER_LMA, EFER_LME, EFER_SCE, ATTR_P, ATTR_S, ATTR_L, ATTR_DB, ATTR_G } = cpuModule;
const { readDescriptor } = segmentsModule;
const { unfoldRip } = controlModule;

const TWO32 = 4294967296;
const TWO48 = 281474976710656;

function requireCpl0(m: Machine): void {
  if (!m.real && m.cpl !== 0) throw new CpuFault(GP, 0, undefined, 'privileged instruction at CPL > 0');
}

// ---- flags -------------------------------------------------------------------------------------

function setBit(m: Machine, bit: number, on: boolean): void {
  materializeFlags(m);
  m.flagsRest = on ? (m.flagsRest | bit) >>> 0 : m.flagsRest & ~bit;
}

export const clc = (m: Machine): void => setBit(m, CF, false);
export const stc = (m: Machine): void => setBit(m, CF, true);
export const cmc = (m: Machine): void => setBit(m, CF, getCF(m) === 0);
export const cld = (m: Machine): void => setBit(m, DF, false);
export const std = (m: Machine): void => setBit(m, DF, true);

/** CLI/STI: in protected mode only when CPL <= IOPL (SDM Vol. 2 CLI; VME/PVI not modelled). */
function checkIf(m: Machine): void {
  if (!m.real && m.cpl > (m.flagsRest & IOPL) >> 12) throw new CpuFault(GP, 0, undefined, 'CLI/STI with CPL > IOPL');
}
export function cli(m: Machine): void {
  checkIf(m);
  setBit(m, IF, false);
}
export function sti(m: Machine): void {
  checkIf(m);
  setBit(m, IF, true);
}

export function lahf(m: Machine): void {
  m.set8(16, getFlags(m) & 0xff);
}

export function sahf(m: Machine): void {
  const ah = (m.regs[0] >> 8) & 0xff;
  const f = getFlags(m);
  const mask = SF | ZF | AF | PF | CF;
  setFlags(m, (f & ~mask) | (ah & mask));
}

// ---- misc --------------------------------------------------------------------------------------

export function hlt(m: Machine): void {
  requireCpl0(m);
  const env = m.env;
  if (!env) return;
  const r = env.halt(m);
  if (r.kind === 'stop') m.applyStop(r);
}

export const nop = (): void => undefined;

export function ud(m: Machine, o: Op): void {
  throw new CpuFault(UD, undefined, undefined, `${o.mnemonic || 'UD'}`);
}

/** CPUID: a small, honest description of the implemented ISA (no FPU/SSE). */
export function cpuid(m: Machine): void {
  const leaf = m.regs[0] >>> 0;
  let a = 0, b = 0, c = 0, d = 0;
  const str = (s: string, i: number): number => s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
  const vendor = 'x86dbgVirtCP';
  switch (leaf) {
    case 0: a = 7; b = str(vendor, 0); d = str(vendor, 4); c = str(vendor, 8); break;
    // Family 6 model 0x0F; EDX: TSC MSR CX8 SEP CMOV; ECX: CX16 MOVBE POPCNT.
    case 1: a = 0x000006f1; d = (1 << 4) | (1 << 5) | (1 << 8) | (1 << 11) | (1 << 15); c = (1 << 13) | (1 << 22) | (1 << 23); break;
    // Leaf 7: EBX bit 3 BMI1 (TZCNT).
    case 7: b = 1 << 3; break;
    case 0x80000000: a = 0x80000001; break;
    // EDX: SYSCALL, NX, LM; ECX: LAHF/SAHF in 64-bit mode, ABM (LZCNT).
    case 0x80000001: d = (1 << 11) | (1 << 20) | (1 << 29); c = 1 | (1 << 5); break;
    default: break;
  }
  m.set32(0, a);
  m.set32(3, b);
  m.set32(1, c);
  m.set32(2, d);
}

/** Time stamp counter: the instruction count (deterministic across runs). */
function tsc(m: Machine): number {
  return m.tsc + m.icount;
}

export function rdtsc(m: Machine): void {
  if (!m.real && m.cpl !== 0 && (m.cr4 & 4) !== 0) throw new CpuFault(GP, 0);
  const t = tsc(m);
  m.set32(0, t | 0);
  m.set32(2, Math.floor(t / TWO32) | 0);
}

export function rdtscp(m: Machine): void {
  rdtsc(m);
  m.set32(1, 0);
}

export function rdpmc(m: Machine): void {
  if (!m.real && m.cpl !== 0 && (m.cr4 & 0x100) === 0) throw new CpuFault(GP, 0);
  m.set32(0, 0);
  m.set32(2, 0);
}

// ---- MSRs --------------------------------------------------------------------------------------

export const MSR_EFER = 0xc0000080;
export const MSR_STAR = 0xc0000081;
export const MSR_LSTAR = 0xc0000082;
export const MSR_CSTAR = 0xc0000083;
export const MSR_FMASK = 0xc0000084;
export const MSR_FS_BASE = 0xc0000100;
export const MSR_GS_BASE = 0xc0000101;
export const MSR_KERNEL_GS_BASE = 0xc0000102;
export const MSR_TSC = 0x10;
export const MSR_SYSENTER_CS = 0x174;
export const MSR_SYSENTER_ESP = 0x175;
export const MSR_SYSENTER_EIP = 0x176;
const KNOWN_MSRS = new Set([MSR_STAR, MSR_LSTAR, MSR_CSTAR, MSR_FMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP]);

function foldedToHalves(a: number): [number, number] {
  const hi = Math.floor(a / TWO32);
  return [a >>> 0, hi & 0x8000 ? hi | ~0xffff : hi];
}

/** Read an MSR as (lo, hi) int32 halves, or null when it does not exist. */
export function readMsr(m: Machine, n: number): [number, number] | null {
  switch (n) {
    case MSR_EFER: return [m.efer | 0, 0];
    case MSR_FS_BASE: return foldedToHalves(m.segBase[FS]);
    case MSR_GS_BASE: return foldedToHalves(m.segBase[GS]);
    case MSR_KERNEL_GS_BASE: return foldedToHalves(m.kernelGsBase);
    case MSR_TSC: { const t = tsc(m); return [t | 0, Math.floor(t / TWO32) | 0]; }
    default: {
      if (!KNOWN_MSRS.has(n)) return null;
      const v = m.msrs.get(n) ?? 0n;
      return [Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0];
    }
  }
}

export function rdmsr(m: Machine): void {
  requireCpl0(m);
  const v = readMsr(m, m.regs[1] >>> 0);
  if (!v) throw new CpuFault(GP, 0, undefined, `RDMSR of unknown MSR 0x${(m.regs[1] >>> 0).toString(16)}`);
  m.set32(0, v[0]);
  m.set32(2, v[1]);
}

export function wrmsr(m: Machine): void {
  requireCpl0(m);
  const n = m.regs[1] >>> 0;
  const lo = m.regs[0];
  const hi = m.regs[2];
  const folded = (hi & 0xffff) * TWO32 + (lo >>> 0);
  switch (n) {
    case MSR_EFER: {
      // LMA is read-only; LME may change only while paging is off (SDM Vol. 3 §10.8.5).
      const v = (lo & (EFER_SCE | EFER_LME | 0x800)) | (m.efer & EFER_LMA);
      if (((v ^ m.efer) & EFER_LME) !== 0 && (m.cr0 & CR0_PG) !== 0) throw new CpuFault(GP, 0);
      m.efer = v;
      m.updateMode();
      return;
    }
    case MSR_FS_BASE: m.segBase[FS] = folded; return;
    case MSR_GS_BASE: m.segBase[GS] = folded; return;
    case MSR_KERNEL_GS_BASE: m.kernelGsBase = folded; return;
    case MSR_TSC: m.tsc = (hi >>> 0) * TWO32 + (lo >>> 0) - m.icount; return;
    default:
      if (!KNOWN_MSRS.has(n)) throw new CpuFault(GP, 0, undefined, `WRMSR of unknown MSR 0x${n.toString(16)}`);
      m.msrs.set(n, (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0));
  }
}

function msr64(m: Machine, n: number): bigint {
  return m.msrs.get(n) ?? 0n;
}

// ---- fast system calls -------------------------------------------------------------------------

export function syscall(m: Machine): void {
  const env = m.env;
  if (env) {
    const r = env.systemCall(m, 'syscall');
    if (r.kind === 'continue') return;
    if (r.kind === 'stop') { m.applyStop(r); return; }
  }
  // Architectural SYSCALL (SDM Vol. 2 SYSCALL): 64-bit mode with EFER.SCE only.
  if (!m.mode64 || (m.efer & EFER_SCE) === 0) throw new CpuFault(UD, undefined, undefined, 'SYSCALL');
  const [rlo, rhi] = unfoldRip(m.rip);
  m.set64(1, rlo, rhi);
  const fl = getFlags(m);
  m.set64(11, fl, 0);
  const star = msr64(m, MSR_STAR);
  const sel = Number((star >> 32n) & 0xffffn);
  m.segSel[CS] = sel & 0xfffc;
  m.segBase[CS] = 0;
  m.segLimit[CS] = 0xffffffff;
  m.segAttr[CS] = ATTR_P | ATTR_S | ATTR_L | ATTR_G | 0xb;
  m.segSel[SSEG] = (sel + 8) & 0xfffc;
  m.segBase[SSEG] = 0;
  m.segLimit[SSEG] = 0xffffffff;
  m.segAttr[SSEG] = ATTR_P | ATTR_S | ATTR_DB | ATTR_G | 0x3;
  m.cpl = 0;
  const fmask = Number(msr64(m, MSR_FMASK) & 0xffffffffn);
  setFlags(m, fl & ~fmask & ~RF);
  const lstar = msr64(m, MSR_LSTAR);
  m.rip = Number(lstar & 0xffffffffffffn);
  m.updateMode();
}

export function sysret(m: Machine, o: Op): void {
  if (!m.mode64 || (m.efer & EFER_SCE) === 0) throw new CpuFault(UD);
  requireCpl0(m);
  const star = msr64(m, MSR_STAR);
  const base = Number((star >> 48n) & 0xffffn);
  const to64 = o.size === 8;
  m.segSel[CS] = ((to64 ? base + 16 : base) & 0xfffc) | 3;
  m.segBase[CS] = 0;
  m.segLimit[CS] = 0xffffffff;
  m.segAttr[CS] = ATTR_P | ATTR_S | ATTR_G | (3 << 5) | 0xb | (to64 ? ATTR_L : ATTR_DB);
  m.segSel[SSEG] = ((base + 8) & 0xfffc) | 3;
  m.segAttr[SSEG] = ATTR_P | ATTR_S | ATTR_DB | ATTR_G | (3 << 5) | 0x3;
  m.cpl = 3;
  setFlags(m, (m.regs[11] & 0x3c7fd7) | 2);
  if (to64) m.rip = m.canonical(m.regs[1], m.regsHi[1], CS);
  else m.rip = m.regs[1] >>> 0;
  m.updateMode();
}

export function sysenter(m: Machine): void {
  const env = m.env;
  if (env) {
    const r = env.systemCall(m, 'sysenter');
    if (r.kind === 'continue') return;
    if (r.kind === 'stop') { m.applyStop(r); return; }
  }
  if (m.real) throw new CpuFault(GP, 0);
  const cs = Number(msr64(m, MSR_SYSENTER_CS) & 0xffffn);
  if ((cs & 0xfffc) === 0) throw new CpuFault(GP, 0);
  setFlags(m, getFlags(m) & ~(VM | IF | RF));
  const long = (m.efer & EFER_LMA) !== 0;
  m.segSel[CS] = cs & 0xfffc;
  m.segBase[CS] = 0;
  m.segLimit[CS] = 0xffffffff;
  m.segAttr[CS] = ATTR_P | ATTR_S | ATTR_G | 0xb | (long ? ATTR_L : ATTR_DB);
  m.segSel[SSEG] = (cs + 8) & 0xfffc;
  m.segBase[SSEG] = 0;
  m.segLimit[SSEG] = 0xffffffff;
  m.segAttr[SSEG] = ATTR_P | ATTR_S | ATTR_DB | ATTR_G | 0x3;
  m.cpl = 0;
  m.updateMode();
  const esp = msr64(m, MSR_SYSENTER_ESP);
  const eip = msr64(m, MSR_SYSENTER_EIP);
  m.set64(4, Number(esp & 0xffffffffn) | 0, long ? Number(esp >> 32n) | 0 : 0);
  m.rip = long ? Number(eip & 0xffffffffffffn) : Number(eip & 0xffffffffn);
}

export function sysexit(m: Machine, o: Op): void {
  if (m.real) throw new CpuFault(GP, 0);
  requireCpl0(m);
  const cs = Number(msr64(m, MSR_SYSENTER_CS) & 0xffffn);
  const to64 = o.size === 8;
  m.segSel[CS] = ((cs + (to64 ? 32 : 16)) & 0xfffc) | 3;
  m.segAttr[CS] = ATTR_P | ATTR_S | ATTR_G | (3 << 5) | 0xb | (to64 ? ATTR_L : ATTR_DB);
  m.segSel[SSEG] = ((cs + (to64 ? 40 : 24)) & 0xfffc) | 3;
  m.segAttr[SSEG] = ATTR_P | ATTR_S | ATTR_DB | ATTR_G | (3 << 5) | 0x3;
  m.cpl = 3;
  m.updateMode();
  if (to64) { m.set64(4, m.regs[1], m.regsHi[1]); m.rip = m.canonical(m.regs[2], m.regsHi[2], CS); }
  else { m.set32(4, m.regs[1]); m.rip = m.regs[2] >>> 0; }
}

export function swapgs(m: Machine): void {
  if (!m.mode64) throw new CpuFault(UD);
  requireCpl0(m);
  const t = m.segBase[GS];
  m.segBase[GS] = m.kernelGsBase;
  m.kernelGsBase = t;
}

// ---- descriptor tables -------------------------------------------------------------------------

function tableRegLoad(m: Machine, o: Op, idt: boolean): void {
  requireCpl0(m);
  if (o.k0 !== K_MEM) throw new CpuFault(UD);
  const lin = ea(m, o);
  const limit = m.read16(lin);
  const next = m.mode64 ? lin + 2 : m.real ? (lin + 2) & m.a20Mask : (lin + 2) >>> 0;
  let base: number;
  if (m.mode64) {
    const lo = m.read64(next);
    base = (m.hi & 0xffff) * TWO32 + (lo >>> 0);
  } else {
    base = m.read32(next) >>> 0;
    if (o.size === 2) base &= 0xffffff;
  }
  if (idt) { m.idtrBase = base; m.idtrLimit = limit; }
  else { m.gdtrBase = base; m.gdtrLimit = limit; }
}

function tableRegStore(m: Machine, o: Op, idt: boolean): void {
  if (o.k0 !== K_MEM) throw new CpuFault(UD);
  const lin = ea(m, o);
  const base = idt ? m.idtrBase : m.gdtrBase;
  m.write16(lin, idt ? m.idtrLimit : m.gdtrLimit);
  const next = m.mode64 ? lin + 2 : m.real ? (lin + 2) & m.a20Mask : (lin + 2) >>> 0;
  if (m.mode64) {
    const [lo, hi] = foldedToHalves(base);
    m.write64(next, lo, hi);
  } else m.write32(next, base | 0);
}

export const lgdt = (m: Machine, o: Op): void => tableRegLoad(m, o, false);
export const lidt = (m: Machine, o: Op): void => tableRegLoad(m, o, true);
export const sgdt = (m: Machine, o: Op): void => tableRegStore(m, o, false);
export const sidt = (m: Machine, o: Op): void => tableRegStore(m, o, true);

function requireProtected(m: Machine): void {
  if (m.real || (m.flagsRest & VM) !== 0) throw new CpuFault(UD);
}

export function lldt(m: Machine, o: Op): void {
  requireProtected(m);
  requireCpl0(m);
  m.ldtrSel = read0(m, o, 2) & 0xffff;
}

export function ltr(m: Machine, o: Op): void {
  requireProtected(m);
  requireCpl0(m);
  m.trSel = read0(m, o, 2) & 0xffff;
}

export function sldt(m: Machine, o: Op): void {
  requireProtected(m);
  write0(m, o, o.k0 === K_REG ? o.size : 2, m.ldtrSel, 0);
}

export function str(m: Machine, o: Op): void {
  requireProtected(m);
  write0(m, o, o.k0 === K_REG ? o.size : 2, m.trSel, 0);
}

export function smsw(m: Machine, o: Op): void {
  const v = m.cr0;
  if (o.k0 === K_REG) m.setReg(o.r0, o.size, o.size === 2 ? v & 0xffff : v | 0, 0);
  else m.write16(ea(m, o), v & 0xffff);
}

export function lmsw(m: Machine, o: Op): void {
  requireCpl0(m);
  const v = read0(m, o, 2) & 0xf;
  // LMSW can set PE but never clear it (SDM Vol. 2 LMSW).
  m.cr0 = ((m.cr0 & ~0xe) | v | (m.cr0 & CR0_PE)) >>> 0;
  m.updateMode();
}

export function clts(m: Machine): void {
  requireCpl0(m);
  m.cr0 = (m.cr0 & ~8) >>> 0;
}

export function invlpg(m: Machine): void {
  requireCpl0(m);
}

export function invd(m: Machine): void {
  requireCpl0(m);
}

/** LAR/LSL/VERR/VERW: descriptor queries (ZF=1 when accessible), basic checks only. */
function descriptorQuery(m: Machine, o: Op, which: number): void {
  requireProtected(m);
  const sel = (which >= 2 ? read0(m, o, 2) : read1(m, o, 2)) & 0xffff;
  let ok = (sel & 0xfffc) !== 0;
  let d = { base: 0, limit: 0, attributes: 0 };
  if (ok) {
    try { d = readDescriptor(m, sel, GP); } catch { ok = false; }
  }
  if (ok) {
    const dpl = (d.attributes >> 5) & 3;
    const code = (d.attributes & ATTR_S) !== 0 && (d.attributes & 8) !== 0;
    const conforming = code && (d.attributes & 4) !== 0;
    if (!conforming && (dpl < m.cpl || dpl < (sel & 3))) ok = false;
    if (which === 2) ok = ok && (d.attributes & ATTR_S) !== 0 && (!code || (d.attributes & 2) !== 0);
    if (which === 3) ok = ok && (d.attributes & ATTR_S) !== 0 && !code && (d.attributes & 2) !== 0;
  }
  materializeFlags(m);
  m.flagsRest = ok ? m.flagsRest | ZF : m.flagsRest & ~ZF;
  if (!ok || which >= 2) return;
  if (which === 0) {
    const v = ((d.attributes & 0xff) << 8) | ((d.attributes & 0xf000) << 8);
    m.setReg(o.r0, o.size, v, 0);
  } else m.setReg(o.r0, o.size, d.limit | 0, 0);
}

export const lar = (m: Machine, o: Op): void => descriptorQuery(m, o, 0);
export const lsl = (m: Machine, o: Op): void => descriptorQuery(m, o, 1);
export const verr = (m: Machine, o: Op): void => descriptorQuery(m, o, 2);
export const verw = (m: Machine, o: Op): void => descriptorQuery(m, o, 3);

export function arpl(m: Machine, o: Op): void {
  requireProtected(m);
  const d = read0(m, o, 2) & 0xffff;
  const s = m.get16(o.r1);
  materializeFlags(m);
  if ((d & 3) < (s & 3)) {
    write0(m, o, 2, (d & ~3) | (s & 3), 0);
    m.flagsRest |= ZF;
  } else m.flagsRest &= ~ZF;
}

// ---- control and debug registers ----------------------------------------------------------------

export function movToCr(m: Machine, o: Op): void {
  requireCpl0(m);
  const n = o.r0;
  const lo = m.regs[o.r1];
  const hi = m.mode64 ? m.regsHi[o.r1] : 0;
  switch (n) {
    case 0: {
      const v = (lo | 0x10) >>> 0;
      if ((v & CR0_PG) !== 0 && (v & CR0_PE) === 0) throw new CpuFault(GP, 0, undefined, 'CR0.PG without PE');
      // Enabling paging with EFER.LME activates long mode (SDM Vol. 3 §10.8.5).
      const pgOn = (v & CR0_PG) !== 0 && (m.cr0 & CR0_PG) === 0;
      const pgOff = (v & CR0_PG) === 0 && (m.cr0 & CR0_PG) !== 0;
      m.cr0 = v;
      if (pgOn && (m.efer & EFER_LME) !== 0) m.efer |= EFER_LMA;
      if (pgOff) m.efer &= ~EFER_LMA;
      m.updateMode();
      m.mem.flushTlb();
      return;
    }
    case 2: m.cr2 = (hi & 0xffff) * TWO32 + (lo >>> 0); return;
    case 3: m.cr3 = (hi & 0xffff) * TWO32 + (lo >>> 0); m.mem.flushTlb(); return;
    case 4: m.cr4 = lo >>> 0; return;
    case 8: m.cr8 = lo & 15; return;
    default: throw new CpuFault(UD);
  }
}

export function movFromCr(m: Machine, o: Op): void {
  requireCpl0(m);
  const n = o.r1;
  let v: number;
  switch (n) {
    case 0: v = m.cr0; break;
    case 2: v = m.cr2; break;
    case 3: v = m.cr3; break;
    case 4: v = m.cr4; break;
    case 8: v = m.cr8; break;
    default: throw new CpuFault(UD);
  }
  if (m.mode64) {
    const [lo, hi] = foldedToHalves(v < TWO48 ? v : 0);
    m.set64(o.r0, lo, n === 0 || n === 4 ? 0 : hi);
  } else m.set32(o.r0, v | 0);
}

export function movToDr(m: Machine, o: Op): void {
  const r = m.debug.movToDr(o.r0, m.regs[o.r1], m.mode64 ? m.regsHi[o.r1] : 0);
  if (r.kind === 'exception') throw new CpuFault(r.vector, r.errorCode);
}

export function movFromDr(m: Machine, o: Op): void {
  const r = m.debug.movFromDr(o.r1);
  if (r.kind === 'exception') throw new CpuFault(r.vector, r.errorCode);
  if (m.mode64) m.set64(o.r0, r.lo, r.hi);
  else m.set32(o.r0, r.lo);
}

