// Segment register loads: real mode / virtual-8086 (base = selector * 16) and protected-mode loads
// from the GDT/LDT with the checks of SDM Vol. 2 MOV/POP/LDS (data and stack segments) and Vol. 3
// §5.5-5.8 (code segments): null selectors, type, RPL/DPL/CPL, present, accessed bit written back.
// Far transfers through gates and task switches are in src/emu/protected/. Imports the CPU core,
// exceptions and src/emu/protected (descriptors, cpuHooks).
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as descriptorsModule from '../protected/descriptors';
import type { Descriptor } from '../protected/descriptors';
import * as cpuHooksModule from '../protected/cpuHooks';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { CS, SSEG, ATTR_P, ATTR_S, ATTR_L, ATTR_DB, ATTR_G } = cpuModule;
const { GP, NP, SS } = exceptionsModule;
const { readDescriptor, markAccessed, selectorError, dplOf } = descriptorsModule;
const { cplChanged, segmentLoaded } = cpuHooksModule;

/** Attribute bits of a flat 32-bit code segment (for tests and environments). */
export const FLAT_CODE32 = ATTR_P | ATTR_S | ATTR_DB | ATTR_G | 0xb;
/** Attribute bits of a 64-bit code segment. */
export const CODE64 = ATTR_P | ATTR_S | ATTR_L | ATTR_G | 0xb;

/** True for a code segment descriptor (S = 1, type bit 3). */
export function isCode(attributes: number): boolean {
  return (attributes & 0x18) === 0x18;
}

/** True for a conforming code segment. */
export function isConforming(attributes: number): boolean {
  return (attributes & 0x1c) === 0x1c;
}

/** Write a segment register's selector and hidden part, and tell the memory path. */
export function setSegmentHidden(m: Machine, s: number, sel: number, d: Descriptor): void {
  m.segSel[s] = sel & 0xffff;
  m.segBase[s] = d.base;
  m.segLimit[s] = d.limit;
  m.segAttr[s] = d.attributes;
  segmentLoaded(m, s);
}

/** Load a null selector into a data segment register: unusable (P = 0) outside 64-bit mode. */
function loadNull(m: Machine, s: number, sel: number): void {
  m.segSel[s] = sel & 0xffff;
  m.segBase[s] = 0;
  m.segLimit[s] = 0;
  m.segAttr[s] = 0;
  segmentLoaded(m, s);
}

/**
 * Protected-mode data/stack segment load with the MOV Sreg checks (SDM Vol. 2 MOV, "IF SS is
 * loaded" / "IF DS, ES, FS, or GS is loaded"). `invalid` is the vector of a check failure (#GP for
 * MOV/POP/LxS, #TS for a task switch), not present → #SS for SS, #NP otherwise; error code = the
 * selector with EXT = `ext`. `cpl` is the privilege the checks use (the new task's for a switch).
 */
export function loadDataSegment(m: Machine, s: number, sel: number, invalid: number, ext: number, cpl: number): void {
  sel &= 0xffff;
  const err = selectorError(sel, ext);
  if ((sel & 0xfffc) === 0) {
    if (s !== SSEG) { loadNull(m, s, sel); return; }
    // 64-bit mode allows a null SS at CPL < 3 when RPL = CPL (SDM Vol. 3 §5.7 / Vol. 2 MOV).
    if (!(m.mode64 && cpl !== 3 && (sel & 3) === cpl)) throw new CpuFault(invalid, err, undefined, 'null selector loaded into SS');
    m.segSel[SSEG] = sel;
    m.segAttr[SSEG] = (m.segAttr[SSEG] & ~0x60) | (cpl << 5);
    segmentLoaded(m, SSEG);
    return;
  }
  const d = readDescriptor(m, sel, invalid, ext);
  const a = d.attributes;
  const dpl = dplOf(a);
  if ((a & ATTR_S) === 0) throw new CpuFault(invalid, err, undefined, 'system descriptor loaded into a segment register');
  const code = isCode(a);
  if (s === SSEG) {
    if (code || (a & 2) === 0) throw new CpuFault(invalid, err, undefined, 'SS must be a writable data segment');
    if ((sel & 3) !== cpl || dpl !== cpl) throw new CpuFault(invalid, err, undefined, `SS selector RPL ${sel & 3} / DPL ${dpl} must equal CPL ${cpl}`);
    if ((a & ATTR_P) === 0) throw new CpuFault(SS, err, undefined, 'stack segment not present');
  } else {
    if (code && (a & 2) === 0) throw new CpuFault(invalid, err, undefined, 'execute-only code segment loaded into a data segment register');
    if (!isConforming(a) && ((sel & 3) > dpl || cpl > dpl)) throw new CpuFault(invalid, err, undefined, `segment DPL ${dpl} is below RPL ${sel & 3} or CPL ${cpl}`);
    if ((a & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'segment not present');
  }
  markAccessed(m, d);
  setSegmentHidden(m, s, sel, d);
  if (s === SSEG) m.updateMode();
}

/** Load segment register `s` (not CS) with selector `sel` in the current mode (MOV/POP Sreg, LDS..LSS). */
export function loadSegment(m: Machine, s: number, sel: number): void {
  sel &= 0xffff;
  if (m.real || (m.flagsRest & 0x20000) !== 0) {
    m.loadRealSegment(s, sel);
    return;
  }
  loadDataSegment(m, s, sel, GP, 0, m.cpl);
}

/**
 * Make `d` (a checked code descriptor for selector `sel`) the current CS at privilege `cpl`:
 * CS.RPL = cpl, accessed bit set, CPL changed, mode recomputed.
 */
export function loadCs(m: Machine, sel: number, d: Descriptor, cpl: number): void {
  markAccessed(m, d);
  setSegmentHidden(m, CS, (sel & 0xfffc) | cpl, d);
  const changed = m.cpl !== cpl;
  m.cpl = cpl;
  m.updateMode();
  if (changed) cplChanged(m);
}

/**
 * Read and check a code segment descriptor for a direct far JMP/CALL or a same-privilege return
 * (SDM Vol. 3 §5.8.1): conforming needs DPL <= CPL, nonconforming RPL <= CPL and DPL = CPL;
 * not present → #NP(sel). The caller then loads it with loadCs at the CPL.
 */
export function checkCodeSegment(m: Machine, sel: number, d: Descriptor, cpl: number): void {
  const a = d.attributes;
  const err = selectorError(sel, 0);
  if (!isCode(a)) throw new CpuFault(GP, err, undefined, 'far transfer target is not a code segment');
  const dpl = dplOf(a);
  if (isConforming(a)) {
    if (dpl > cpl) throw new CpuFault(GP, err, undefined, `conforming code segment DPL ${dpl} > CPL ${cpl}`);
  } else if ((sel & 3) > cpl || dpl !== cpl) throw new CpuFault(GP, err, undefined, `nonconforming code segment: RPL ${sel & 3}, DPL ${dpl}, CPL ${cpl}`);
  if ((a & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'code segment not present');
  if ((a & ATTR_L) !== 0 && (a & ATTR_DB) !== 0 && (m.efer & 0x400) !== 0) throw new CpuFault(GP, err, undefined, 'code segment with both L and D set');
}

/**
 * After a return to an outer privilege level (far RET, IRET): ES, DS, FS and GS holding a data or
 * nonconforming code segment with DPL < the new CPL are loaded with a null selector (SDM Vol. 2 RET,
 * IRET: "segment registers ... are set to null").
 */
export function nullInvalidDataSegments(m: Machine): void {
  for (const s of [0, 3, 4, 5]) {
    const a = m.segAttr[s];
    if ((m.segSel[s] & 0xfffc) === 0 && (a & ATTR_P) === 0) continue;
    if ((!isCode(a) || !isConforming(a)) && dplOf(a) < m.cpl) loadNull(m, s, 0);
  }
}
