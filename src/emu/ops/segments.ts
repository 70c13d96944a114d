// Segment register loads: real mode (base = selector * 16) and a basic protected-mode descriptor
// load from the GDT/LDT (present, type and null-selector checks; SDM Vol. 3 §3.4.5, §5.4) so
// guests that build a GDT and switch modes work. Full privilege checks, gates and task switches
// are issue 8. Imports the CPU core.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { CS, SSEG, ATTR_P, ATTR_S, ATTR_L, ATTR_DB, ATTR_G } = cpuModule;
const { GP, NP, SS } = exceptionsModule;

/** A descriptor's hidden parts as read from a table. */
export interface Descriptor {
  base: number;
  limit: number;
  attributes: number;
}

/** Read the 8-byte descriptor for `sel` from the GDT or LDT (no debug hooks: table walks are not data accesses). */
export function readDescriptor(m: Machine, sel: number, vector: number): Descriptor {
  const index = sel & 0xfff8;
  if (sel & 4) throw new CpuFault(vector, sel & 0xfffc, undefined, 'LDT selectors are not modelled yet');
  if (index + 7 > m.gdtrLimit) throw new CpuFault(vector, sel & 0xfffc, undefined, `selector 0x${sel.toString(16)} beyond the GDT limit`);
  const bytes = m.readMemory(m.gdtrBase + index, 8);
  if (!bytes) throw new CpuFault(vector, sel & 0xfffc, undefined, 'GDT not mapped');
  const base = (bytes[2] | (bytes[3] << 8) | (bytes[4] << 16) | (bytes[7] << 24)) >>> 0;
  let limit = bytes[0] | (bytes[1] << 8) | ((bytes[6] & 0xf) << 16);
  const access = bytes[5];
  const flags = bytes[6] >> 4;
  // VMX access-rights layout: type/S/DPL/P in bits 0-7, AVL/L/DB/G in bits 12-15.
  const attributes = access | (flags << 12);
  if (attributes & ATTR_G) limit = limit * 4096 + 4095;
  return { base, limit, attributes };
}

/** Load segment register `s` with selector `sel` in the current mode. */
export function loadSegment(m: Machine, s: number, sel: number): void {
  sel &= 0xffff;
  if (m.real || (m.flagsRest & 0x20000) !== 0) {
    m.loadRealSegment(s, sel);
    return;
  }
  if ((sel & 0xfffc) === 0) {
    // Null selector: allowed for data segments (and SS in 64-bit mode at CPL < 3); use faults.
    if (s === SSEG && !(m.mode64 && m.cpl !== 3)) throw new CpuFault(GP, 0, undefined, 'null SS');
    m.segSel[s] = sel;
    m.segBase[s] = 0;
    m.segLimit[s] = 0;
    m.segAttr[s] = 0;
    return;
  }
  const d = readDescriptor(m, sel, GP);
  if ((d.attributes & ATTR_S) === 0) throw new CpuFault(GP, sel & 0xfffc, undefined, 'system descriptor in a segment register');
  const isCode = (d.attributes & 8) !== 0;
  if (s === SSEG && (isCode || (d.attributes & 2) === 0)) throw new CpuFault(GP, sel & 0xfffc, undefined, 'SS must be a writable data segment');
  if (s !== CS && s !== SSEG && isCode && (d.attributes & 2) === 0) throw new CpuFault(GP, sel & 0xfffc, undefined, 'execute-only code segment');
  if ((d.attributes & ATTR_P) === 0) throw new CpuFault(s === SSEG ? SS : NP, sel & 0xfffc, undefined, 'segment not present');
  m.segSel[s] = sel;
  m.segBase[s] = d.base;
  m.segLimit[s] = d.limit;
  m.segAttr[s] = d.attributes;
  if (s === SSEG) m.updateMode();
}

/** Load CS for a far transfer: real mode or a code descriptor (CPL becomes the selector's RPL / DPL). */
export function loadCodeSegment(m: Machine, sel: number): void {
  sel &= 0xffff;
  if (m.real || (m.flagsRest & 0x20000) !== 0) {
    m.loadRealSegment(CS, sel);
    return;
  }
  if ((sel & 0xfffc) === 0) throw new CpuFault(GP, 0, undefined, 'null CS');
  const d = readDescriptor(m, sel, GP);
  if ((d.attributes & ATTR_S) === 0 || (d.attributes & 8) === 0) throw new CpuFault(GP, sel & 0xfffc, undefined, 'not a code segment (gates and TSS are issue 8)');
  if ((d.attributes & ATTR_P) === 0) throw new CpuFault(NP, sel & 0xfffc, undefined, 'code segment not present');
  const conforming = (d.attributes & 4) !== 0;
  const dpl = (d.attributes >> 5) & 3;
  m.segSel[CS] = (sel & ~3) | (conforming ? m.cpl : dpl);
  m.segBase[CS] = d.base;
  m.segLimit[CS] = d.limit;
  m.segAttr[CS] = d.attributes;
  if (!conforming) m.cpl = dpl;
  m.updateMode();
}

/** Attribute bits of a flat 32-bit code segment (for tests and environments). */
export const FLAT_CODE32 = ATTR_P | ATTR_S | ATTR_DB | ATTR_G | 0xb;
/** Attribute bits of a 64-bit code segment. */
export const CODE64 = ATTR_P | ATTR_S | ATTR_L | ATTR_G | 0xb;
