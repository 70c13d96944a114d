// Segment descriptors in the GDT and LDT (SDM Vol. 3 §3.4.5, §3.5): selector → table entry, the
// 8-byte (and, for long-mode system descriptors, 16-byte) format decoded into base / byte-granular
// limit / access rights in the VMX layout the CPU core keeps, the accessed and busy bits written
// back, and the selector error code (index, TI, EXT; SDM Vol. 3 §6.13).
// Imports the CPU core, exceptions, systemAccess and systemSegments.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import { CpuFault } from '../exceptions';
import * as systemAccessModule from './systemAccess';
import * as systemSegmentsModule from './systemSegments';
const { ATTR_G, EFER_LMA } = cpuModule;
const { sysRead, sysWrite } = systemAccessModule;
const { systemSegments } = systemSegmentsModule;

/** A descriptor as read from a table: hidden-part fields plus the raw dwords (gates decode these). */
export interface Descriptor {
  /** Linear base (long-mode system descriptors: 64-bit base folded to 48 bits). */
  base: number;
  /** Limit in bytes (granularity applied). */
  limit: number;
  /** Access rights: type(0-3) S(4) DPL(5-6) P(7) AVL(12) L(13) D/B(14) G(15). */
  attributes: number;
  /** Raw low dword (bytes 0-3), unsigned. */
  lo: number;
  /** Raw high dword (bytes 4-7), unsigned. */
  hi: number;
  /** Raw dword at bytes 8-11 of a 16-byte descriptor (0 for 8-byte reads). */
  upper: number;
  /** Linear address of the descriptor in its table. */
  address: number;
}

/** Descriptor types (attributes bits 0-3) of system descriptors (S = 0), SDM Vol. 3 Table 3-2. */
export const TYPE_TSS16_AVAILABLE = 1;
export const TYPE_LDT = 2;
export const TYPE_TSS16_BUSY = 3;
export const TYPE_CALL_GATE16 = 4;
export const TYPE_TASK_GATE = 5;
export const TYPE_TSS32_AVAILABLE = 9;
export const TYPE_TSS32_BUSY = 11;
export const TYPE_CALL_GATE32 = 12;

/** The selector error code: index and TI from `sel`, EXT from `ext` (SDM Vol. 3 §6.13). */
export function selectorError(sel: number, ext: number): number {
  return (sel & 0xfffc) | (ext & 1);
}

/** DPL of a descriptor's access rights. */
export function dplOf(attributes: number): number {
  return (attributes >> 5) & 3;
}

/** True when the CPU is in IA-32e mode (EFER.LMA): system descriptors are 16 bytes. */
export function ia32e(m: Machine): boolean {
  return (m.efer & EFER_LMA) !== 0;
}

/** The LDT hidden part, re-derived from the GDT when LDTR was changed from outside. */
function ldtOf(m: Machine): { base: number; limit: number } | null {
  const s = systemSegments(m);
  if (s.ldtSel !== m.ldtrSel) {
    s.ldtSel = m.ldtrSel;
    s.ldtValid = false;
    if ((m.ldtrSel & 0xfffc) !== 0 && (m.ldtrSel & 4) === 0 && (m.ldtrSel | 7) <= m.gdtrLimit) {
      const d = decode(m, m.gdtrBase + (m.ldtrSel & 0xfff8), ia32e(m));
      s.ldtBase = d.base;
      s.ldtLimit = d.limit;
      s.ldtValid = (d.attributes & 0x9f) === 0x80 + TYPE_LDT;
    }
  }
  return s.ldtValid ? { base: s.ldtBase, limit: s.ldtLimit } : null;
}

/**
 * Linear address of the descriptor `sel` names (GDT for TI = 0, LDT for TI = 1), checked against the
 * table limit (`bytes` = 8 or 16). Outside the table or an LDT selector without an LDT →
 * CpuFault(vector, selector error code).
 */
export function descriptorAddress(m: Machine, sel: number, vector: number, ext = 0, bytes = 8): number {
  const index = sel & 0xfff8;
  const err = selectorError(sel, ext);
  if (sel & 4) {
    const ldt = ldtOf(m);
    if (ldt === null) throw new CpuFault(vector, err, undefined, `LDT selector 0x${sel.toString(16)} with no LDT loaded`);
    if (index + bytes - 1 > ldt.limit) throw new CpuFault(vector, err, undefined, `selector 0x${sel.toString(16)} beyond the LDT limit`);
    return ldt.base + index;
  }
  if (index + bytes - 1 > m.gdtrLimit) throw new CpuFault(vector, err, undefined, `selector 0x${sel.toString(16)} beyond the GDT limit`);
  return m.gdtrBase + index;
}

/** Decode the descriptor at linear `address` (16 bytes when `wide` and it is a system descriptor). */
export function decode(m: Machine, address: number, wide: boolean): Descriptor {
  const lo = sysRead(m, address, 4);
  const hi = sysRead(m, address + 4, 4);
  let base = ((lo >>> 16) | ((hi & 0xff) << 16) | (hi & 0xff000000)) >>> 0;
  let limit = (lo & 0xffff) | (hi & 0xf0000);
  const attributes = ((hi >>> 8) & 0xff) | ((hi >>> 8) & 0xf000);
  if (attributes & ATTR_G) limit = limit * 4096 + 4095;
  let upper = 0;
  if (wide && (attributes & 0x10) === 0) {
    upper = sysRead(m, address + 8, 4);
    base += (upper & 0xffff) * 4294967296;
  }
  return { base, limit, attributes, lo, hi, upper, address };
}

/**
 * Read the descriptor for `sel` (8 bytes; 16 for system descriptors when `wide` and in IA-32e mode).
 * Faults: outside the table → CpuFault(vector, selector error code with EXT = `ext`).
 */
export function readDescriptor(m: Machine, sel: number, vector: number, ext = 0, wide = false): Descriptor {
  const address = descriptorAddress(m, sel, vector, ext, 8);
  const d = decode(m, address, false);
  if (wide && ia32e(m) && (d.attributes & 0x10) === 0) {
    descriptorAddress(m, sel, vector, ext, 16);
    return decode(m, address, true);
  }
  return d;
}

/** Set the accessed bit of a code/data descriptor in its table when clear (SDM Vol. 3 §3.4.5.1). */
export function markAccessed(m: Machine, d: Descriptor): void {
  if ((d.attributes & 0x11) !== 0x10) return;
  d.attributes |= 1;
  d.hi = (d.hi | 0x100) >>> 0;
  sysWrite(m, d.address + 5, 1, (d.hi >>> 8) & 0xff);
}

/** Set or clear the busy bit (type bit 1) of a TSS descriptor in the GDT (SDM Vol. 3 §7.2.2). */
export function setTssBusy(m: Machine, d: Descriptor, busy: boolean): void {
  d.attributes = busy ? d.attributes | 2 : d.attributes & ~2;
  d.hi = (busy ? d.hi | 0x200 : d.hi & ~0x200) >>> 0;
  sysWrite(m, d.address + 5, 1, (d.hi >>> 8) & 0xff);
}
