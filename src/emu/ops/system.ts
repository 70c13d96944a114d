// System and miscellaneous instructions: flag instructions (CLC..SAHF, CLI/STI with IOPL), HLT,
// NOP/PAUSE/fences, UD, CPUID, RDTSC(P) (deterministic: derived from the instruction count), RDPMC,
// RDMSR/WRMSR, SYSCALL/SYSRET/SYSENTER/SYSEXIT/SWAPGS, descriptor-table registers, LLDT/LTR,
// MOV to/from CR and DR, LMSW/SMSW/CLTS/INVLPG, LAR/LSL/VERR/VERW, ARPL. The rules behind them live
// in src/emu/protected/ (controlRegisters, msrs, cpuid, descriptorQuery, tss).
// Imports the CPU core, operand helpers, flags and src/emu/protected.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as cpuModule from '../cpu';
import * as controlModule from './control';
import * as controlRegistersModule from '../protected/controlRegisters';
import * as msrsModule from '../protected/msrs';
import * as cpuidModule from '../protected/cpuid';
import * as descriptorQueryModule from '../protected/descriptorQuery';
import * as descriptorsModule from '../protected/descriptors';
import * as systemSegmentsModule from '../protected/systemSegments';
import * as tssModule from '../protected/tss';
import * as cpuHooksModule from '../protected/cpuHooks';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_MEM, K_REG } = decodeCacheModule;
const { ea, read0, read1, write0 } = operandsModule;
const { getCF, getFlags, materializeFlags, setFlags, AF, CF, DF, IF, IOPL, PF, SF, ZF, RF, VM } = flagsModule;
const { GP, NP, UD } = exceptionsModule;
const { CS, GS, SSEG, EFER_SCE, ATTR_P, ATTR_S, ATTR_L, ATTR_DB, ATTR_G } = cpuModule;
const { unfoldRip } = controlModule;
const { writeControlRegister, readControlRegister, loadMachineStatusWord } = controlRegistersModule;
const { readMsr, writeMsr, storedMsr, timeStampCounter, MSR_STAR, MSR_LSTAR, MSR_FMASK, MSR_SYSENTER_CS, MSR_SYSENTER_ESP, MSR_SYSENTER_EIP, MSR_TSC_AUX } = msrsModule;
const { cpuidLeaf } = cpuidModule;
const { queryDescriptor, accessRights } = descriptorQueryModule;
const { readDescriptor, selectorError, ia32e, TYPE_LDT } = descriptorsModule;
const { systemSegments } = systemSegmentsModule;
const { loadTaskRegister } = tssModule;
const { cplChanged, segmentLoaded, invalidatePage, interruptWindowOpened } = cpuHooksModule;

const TWO32 = 4294967296;

/** A 48-bit folded address as sign-extended 64-bit lo/hi halves. */
function foldedToHalves(a: number): [number, number] {
  const hi = Math.floor(a / TWO32);
  return [a >>> 0, hi & 0x8000 ? hi | ~0xffff : hi];
}

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
  const was = m.flagsRest & IF;
  setBit(m, IF, true);
  if (was === 0) interruptWindowOpened(m, true);
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

/** CPUID (leaf EAX, subleaf ECX): see src/emu/protected/cpuid.ts for what is described. */
export function cpuid(m: Machine): void {
  const [a, b, c, d] = cpuidLeaf(m.regs[0] >>> 0, m.regs[1] >>> 0);
  m.set32(0, a);
  m.set32(3, b);
  m.set32(1, c);
  m.set32(2, d);
}

export function rdtsc(m: Machine): void {
  if (!m.real && m.cpl !== 0 && (m.cr4 & 4) !== 0) throw new CpuFault(GP, 0, undefined, 'RDTSC with CR4.TSD at CPL > 0');
  const t = timeStampCounter(m);
  m.set32(0, t | 0);
  m.set32(2, Math.floor(t / TWO32) | 0);
}

/** RDTSCP: RDTSC plus ECX = IA32_TSC_AUX. */
export function rdtscp(m: Machine): void {
  rdtsc(m);
  m.set32(1, Number(storedMsr(m, MSR_TSC_AUX) & 0xffffffffn) | 0);
}

export function rdpmc(m: Machine): void {
  if (!m.real && m.cpl !== 0 && (m.cr4 & 0x100) === 0) throw new CpuFault(GP, 0);
  m.set32(0, 0);
  m.set32(2, 0);
}

// ---- MSRs --------------------------------------------------------------------------------------

export function rdmsr(m: Machine): void {
  requireCpl0(m);
  const v = readMsr(m, m.regs[1] >>> 0);
  if (!v) throw new CpuFault(GP, 0, undefined, `RDMSR of unknown MSR 0x${(m.regs[1] >>> 0).toString(16)}`);
  m.set32(0, v[0]);
  m.set32(2, v[1]);
}

export function wrmsr(m: Machine): void {
  requireCpl0(m);
  writeMsr(m, m.regs[1] >>> 0, m.regs[0], m.regs[2]);
}

function msr64(m: Machine, n: number): bigint {
  return storedMsr(m, n);
}

// ---- fast system calls -------------------------------------------------------------------------

/** A flat segment (base 0, limit 4 GiB) with access rights `attr`, as SYSCALL/SYSENTER and their returns load. */
function flatSegment(m: Machine, s: number, sel: number, attr: number): void {
  m.segSel[s] = sel & 0xffff;
  m.segBase[s] = 0;
  m.segLimit[s] = 0xffffffff;
  m.segAttr[s] = attr;
  segmentLoaded(m, s);
}

function setCpl(m: Machine, cpl: number): void {
  const changed = m.cpl !== cpl;
  m.cpl = cpl;
  m.updateMode();
  if (changed) cplChanged(m);
}

/** True when the 64-bit value hi:lo is canonical (bits 63:47 equal). */
function canonicalHi(hi: number): boolean {
  const top = hi >> 15;
  return top === 0 || top === -1;
}

export function syscall(m: Machine): void {
  const env = m.env;
  if (env) {
    const r = env.systemCall(m, 'syscall');
    if (r.kind === 'continue') return;
    if (r.kind === 'stop') { m.applyStop(r); return; }
  }
  // Architectural SYSCALL (SDM Vol. 2 SYSCALL): 64-bit mode with EFER.SCE only.
  if (!m.mode64 || (m.efer & EFER_SCE) === 0) throw new CpuFault(UD, undefined, undefined, 'SYSCALL outside 64-bit mode or with EFER.SCE = 0');
  const [rlo, rhi] = unfoldRip(m.rip);
  m.set64(1, rlo, rhi);
  const fl = getFlags(m);
  m.set64(11, fl, 0);
  const sel = Number((msr64(m, MSR_STAR) >> 32n) & 0xffffn);
  flatSegment(m, CS, sel & 0xfffc, ATTR_P | ATTR_S | ATTR_L | ATTR_G | 0xb);
  flatSegment(m, SSEG, (sel + 8) & 0xffff, ATTR_P | ATTR_S | ATTR_DB | ATTR_G | 0x3);
  const fmask = Number(msr64(m, MSR_FMASK) & 0xffffffffn);
  setFlags(m, fl & ~fmask & ~RF);
  m.rip = Number(msr64(m, MSR_LSTAR) & 0xffffffffffffn);
  setCpl(m, 0);
}

export function sysret(m: Machine, o: Op): void {
  if (!m.mode64 || (m.efer & EFER_SCE) === 0) throw new CpuFault(UD, undefined, undefined, 'SYSRET outside 64-bit mode or with EFER.SCE = 0');
  requireCpl0(m);
  const to64 = o.size === 8;
  if (to64 && !canonicalHi(m.regsHi[1])) throw new CpuFault(GP, 0, undefined, 'SYSRET to a non-canonical RCX');
  const base = Number((msr64(m, MSR_STAR) >> 48n) & 0xffffn);
  const wasIf = m.flagsRest & IF;
  m.rip = to64 ? (m.regsHi[1] & 0xffff) * TWO32 + (m.regs[1] >>> 0) : m.regs[1] >>> 0;
  setFlags(m, (m.regs[11] & 0x3c7fd7) | 2);
  flatSegment(m, CS, ((to64 ? base + 16 : base) & 0xffff) | 3, ATTR_P | ATTR_S | ATTR_G | (3 << 5) | 0xb | (to64 ? ATTR_L : ATTR_DB));
  flatSegment(m, SSEG, ((base + 8) & 0xffff) | 3, ATTR_P | ATTR_S | ATTR_DB | ATTR_G | (3 << 5) | 0x3);
  setCpl(m, 3);
  if (wasIf === 0 && (m.flagsRest & IF) !== 0) interruptWindowOpened(m, false);
}

export function sysenter(m: Machine): void {
  const env = m.env;
  if (env) {
    const r = env.systemCall(m, 'sysenter');
    if (r.kind === 'continue') return;
    if (r.kind === 'stop') { m.applyStop(r); return; }
  }
  const cs = Number(msr64(m, MSR_SYSENTER_CS) & 0xffffn);
  if (m.real || (cs & 0xfffc) === 0) throw new CpuFault(GP, 0, undefined, 'SYSENTER in real mode or with IA32_SYSENTER_CS = 0');
  setFlags(m, getFlags(m) & ~(VM | IF | RF));
  const long = ia32e(m);
  flatSegment(m, CS, cs & 0xfffc, ATTR_P | ATTR_S | ATTR_G | 0xb | (long ? ATTR_L : ATTR_DB));
  flatSegment(m, SSEG, (cs + 8) & 0xfffc, ATTR_P | ATTR_S | ATTR_DB | ATTR_G | 0x3);
  setCpl(m, 0);
  const esp = msr64(m, MSR_SYSENTER_ESP);
  const eip = msr64(m, MSR_SYSENTER_EIP);
  m.set64(4, Number(esp & 0xffffffffn) | 0, long ? Number((esp >> 32n) & 0xffffffffn) | 0 : 0);
  m.rip = long ? Number(eip & 0xffffffffffffn) : Number(eip & 0xffffffffn);
}

export function sysexit(m: Machine, o: Op): void {
  const cs = Number(msr64(m, MSR_SYSENTER_CS) & 0xffffn);
  if (m.real || (cs & 0xfffc) === 0) throw new CpuFault(GP, 0, undefined, 'SYSEXIT in real mode or with IA32_SYSENTER_CS = 0');
  requireCpl0(m);
  const to64 = o.size === 8;
  if (to64 && (!canonicalHi(m.regsHi[1]) || !canonicalHi(m.regsHi[2]))) throw new CpuFault(GP, 0, undefined, 'SYSEXIT to a non-canonical RCX/RDX');
  flatSegment(m, CS, ((cs + (to64 ? 32 : 16)) & 0xfffc) | 3, ATTR_P | ATTR_S | ATTR_G | (3 << 5) | 0xb | (to64 ? ATTR_L : ATTR_DB));
  flatSegment(m, SSEG, ((cs + (to64 ? 40 : 24)) & 0xfffc) | 3, ATTR_P | ATTR_S | ATTR_DB | ATTR_G | (3 << 5) | 0x3);
  setCpl(m, 3);
  if (to64) { m.set64(4, m.regs[1], m.regsHi[1]); m.rip = (m.regsHi[2] & 0xffff) * TWO32 + (m.regs[2] >>> 0); }
  else { m.set32(4, m.regs[1]); m.rip = m.regs[2] >>> 0; }
}

export function swapgs(m: Machine): void {
  if (!m.mode64) throw new CpuFault(UD, undefined, undefined, 'SWAPGS outside 64-bit mode');
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

/**
 * LLDT (SDM Vol. 2 LLDT): null → LDTR unusable; otherwise an LDT descriptor in the GDT (#GP(sel)
 * for TI = 1 or another type, #NP(sel) not present); 16-byte descriptor in IA-32e mode.
 */
export function lldt(m: Machine, o: Op): void {
  requireProtected(m);
  requireCpl0(m);
  const sel = read0(m, o, 2) & 0xffff;
  const s = systemSegments(m);
  if ((sel & 0xfffc) === 0) {
    m.ldtrSel = sel;
    s.ldtSel = sel;
    s.ldtValid = false;
    return;
  }
  const err = selectorError(sel, 0);
  if (sel & 4) throw new CpuFault(GP, err, undefined, 'LLDT selector points into the LDT');
  const d = readDescriptor(m, sel, GP, 0, true);
  if ((d.attributes & 0x1f) !== TYPE_LDT) throw new CpuFault(GP, err, undefined, 'LLDT needs an LDT descriptor');
  if ((d.attributes & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'LDT not present');
  m.ldtrSel = sel;
  s.ldtSel = sel;
  s.ldtBase = d.base;
  s.ldtLimit = d.limit;
  s.ldtValid = true;
}

/** LTR: see src/emu/protected/tss.ts loadTaskRegister. */
export function ltr(m: Machine, o: Op): void {
  requireProtected(m);
  requireCpl0(m);
  loadTaskRegister(m, read0(m, o, 2));
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
  loadMachineStatusWord(m, read0(m, o, 2));
}

export function clts(m: Machine): void {
  requireCpl0(m);
  m.cr0 = (m.cr0 & ~8) >>> 0;
}

/** INVLPG m: drop the TLB entry of the page holding the operand's linear address. */
export function invlpg(m: Machine, o: Op): void {
  requireCpl0(m);
  if (o.k0 !== K_MEM) throw new CpuFault(UD);
  invalidatePage(m, ea(m, o));
}

export function invd(m: Machine): void {
  requireCpl0(m);
}

/** LAR/LSL (dest ← query of r/m16 selector) and VERR/VERW (r/m16): ZF = 1 when valid and visible. */
function descriptorQuery(m: Machine, o: Op, which: 'lar' | 'lsl' | 'verr' | 'verw'): void {
  requireProtected(m);
  const verify = which === 'verr' || which === 'verw';
  const sel = (verify ? read0(m, o, 2) : read1(m, o, 2)) & 0xffff;
  const d = queryDescriptor(m, sel, which);
  materializeFlags(m);
  m.flagsRest = d !== null ? m.flagsRest | ZF : m.flagsRest & ~ZF;
  if (d === null || verify) return;
  if (which === 'lar') m.setReg(o.r0, o.size, accessRights(d, o.size), 0);
  else m.setReg(o.r0, o.size, o.size === 2 ? d.limit & 0xffff : d.limit | 0, 0);
}

export const lar = (m: Machine, o: Op): void => descriptorQuery(m, o, 'lar');
export const lsl = (m: Machine, o: Op): void => descriptorQuery(m, o, 'lsl');
export const verr = (m: Machine, o: Op): void => descriptorQuery(m, o, 'verr');
export const verw = (m: Machine, o: Op): void => descriptorQuery(m, o, 'verw');

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
  writeControlRegister(m, o.r0, m.regs[o.r1], m.mode64 ? m.regsHi[o.r1] : 0);
}

export function movFromCr(m: Machine, o: Op): void {
  requireCpl0(m);
  const v = readControlRegister(m, o.r1);
  if (m.mode64) {
    const [lo, hi] = foldedToHalves(v);
    m.set64(o.r0, lo, hi);
  } else m.set32(o.r0, v | 0);
}

export function movToDr(m: Machine, o: Op): void {
  const r = m.debug.movToDr(o.r0, m.regs[o.r1], m.mode64 ? m.regsHi[o.r1] : 0);
  if (r.kind === 'exception') throw new CpuFault(r.vector, r.errorCode);
  m.syncDataWatch(); // a new data slot: drop its page from the TLBs before the next access
}

export function movFromDr(m: Machine, o: Op): void {
  const r = m.debug.movFromDr(o.r1);
  if (r.kind === 'exception') throw new CpuFault(r.vector, r.errorCode);
  if (m.mode64) m.set64(o.r0, r.lo, r.hi);
  else m.set32(o.r0, r.lo);
}

