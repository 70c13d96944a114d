// The task-state segment TR points to (SDM Vol. 3 §7.2, §8.7): its hidden part, the inner-privilege
// stack pointers of the 16-bit, 32-bit and 64-bit layouts, the long-mode IST pointers, and LTR.
// Used by call gates (here) and interrupt delivery (helper "int": innerStack, istStack).
// Imports the CPU core, exceptions, descriptors, segments and systemAccess.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as descriptorsModule from './descriptors';
import type { Descriptor } from './descriptors';
import * as systemAccessModule from './systemAccess';
import * as systemSegmentsModule from './systemSegments';
import * as segmentsModule from '../ops/segments';
import * as cpuHooksModule from './cpuHooks';
const { SSEG, ATTR_P, ATTR_S, ATTR_DB, ATTR_G } = cpuModule;
const { GP, NP, SS, TS } = exceptionsModule;
const { readDescriptor, decode, selectorError, dplOf, ia32e, setTssBusy, markAccessed, TYPE_TSS16_AVAILABLE, TYPE_TSS32_AVAILABLE } = descriptorsModule;
const { sysRead } = systemAccessModule;
const { systemSegments } = systemSegmentsModule;
const { setSegmentHidden, isCode } = segmentsModule;
const { segmentLoaded } = cpuHooksModule;

/** Where the current TSS is: linear base, byte limit, and whether it has the 16-bit layout. */
export interface TssInfo {
  selector: number;
  base: number;
  limit: number;
  /** True for a 16-bit (80286) TSS (type 1/3); false for a 32-bit or 64-bit TSS. */
  is16: boolean;
}

/**
 * The current TSS from TR's hidden part (re-derived from the GDT when TR was set from outside).
 * No TSS loaded (null TR) → #TS(EXT) as an inner stack lookup would raise.
 */
export function currentTss(m: Machine, ext = 0): TssInfo {
  const s = systemSegments(m);
  if (s.trSel !== m.trSel) {
    s.trSel = m.trSel;
    s.trType = 0;
    if ((m.trSel & 0xfffc) !== 0 && (m.trSel & 4) === 0 && (m.trSel | 7) <= m.gdtrLimit) {
      const d = decode(m, m.gdtrBase + (m.trSel & 0xfff8), ia32e(m));
      if ((d.attributes & 0x15) === 0x01) { s.trBase = d.base; s.trLimit = d.limit; s.trType = d.attributes & 0xf; }
    }
  }
  if (s.trType === 0) throw new CpuFault(TS, selectorError(m.trSel, ext), undefined, 'no task register loaded');
  return { selector: s.trSel, base: s.trBase, limit: s.trLimit, is16: (s.trType & 8) === 0 };
}

/** Record a newly loaded TR (LTR, task switch). */
export function setTaskRegister(m: Machine, sel: number, d: Descriptor): void {
  const s = systemSegments(m);
  m.trSel = sel & 0xffff;
  s.trSel = m.trSel;
  s.trBase = d.base;
  s.trLimit = d.limit;
  s.trType = d.attributes & 0xf;
}

/**
 * Stack for a transfer to inner privilege `newCpl` (0-2), read from the current TSS. In protected
 * mode `ss` is the checked new SS selector and `desc` its descriptor; in IA-32e mode `ss` is the
 * null selector with RPL = newCpl and `desc` is null.
 */
export interface InnerStack {
  ss: number;
  /** Low 32 bits of the new stack pointer (unsigned; 16-bit TSS: SP). */
  sp: number;
  /** High 32 bits of the new RSP as int32 (0 outside IA-32e mode). */
  spHi: number;
  desc: Descriptor | null;
}

/**
 * The inner stack SS:ESP (protected mode) or RSP (IA-32e mode) for privilege `newCpl` from the
 * current TSS (SDM Vol. 3 §5.8.5, §6.12.1, §6.14.4; Vol. 2 CALL "CALL-GATE-TO-MORE-PRIVILEGE"):
 * outside the TSS limit → #TS(TR selector); new SS null → #TS(EXT); RPL or DPL ≠ newCpl or not a
 * writable data segment → #TS(SS); not present → #SS(SS). `ext` = 1 for external events (EXT bit).
 * Nothing is changed; switchToInnerStack applies the result.
 */
export function innerStack(m: Machine, newCpl: number, ext = 0): InnerStack {
  const tss = currentTss(m, ext);
  const trErr = selectorError(tss.selector, ext);
  if (ia32e(m)) {
    const at = 4 + 8 * newCpl;
    if (at + 7 > tss.limit) throw new CpuFault(TS, trErr, undefined, `RSP${newCpl} beyond the TSS limit`);
    const lo = sysRead(m, tss.base + at, 4);
    const hi = sysRead(m, tss.base + at + 4, 4) | 0;
    return { ss: newCpl, sp: lo, spHi: hi, desc: null };
  }
  let sp: number;
  let ss: number;
  if (tss.is16) {
    const at = 2 + 4 * newCpl;
    if (at + 3 > tss.limit) throw new CpuFault(TS, trErr, undefined, `SS${newCpl}:SP${newCpl} beyond the TSS limit`);
    sp = sysRead(m, tss.base + at, 2);
    ss = sysRead(m, tss.base + at + 2, 2);
  } else {
    const at = 4 + 8 * newCpl;
    if (at + 5 > tss.limit) throw new CpuFault(TS, trErr, undefined, `SS${newCpl}:ESP${newCpl} beyond the TSS limit`);
    sp = sysRead(m, tss.base + at, 4);
    ss = sysRead(m, tss.base + at + 4, 2);
  }
  const err = selectorError(ss, ext);
  if ((ss & 0xfffc) === 0) throw new CpuFault(TS, ext & 1, undefined, `null SS${newCpl} in the TSS`);
  const d = readDescriptor(m, ss, TS, ext);
  const a = d.attributes;
  if ((ss & 3) !== newCpl) throw new CpuFault(TS, err, undefined, `SS${newCpl} RPL ${ss & 3} ≠ ${newCpl}`);
  if (dplOf(a) !== newCpl) throw new CpuFault(TS, err, undefined, `SS${newCpl} DPL ${dplOf(a)} ≠ ${newCpl}`);
  if ((a & ATTR_S) === 0 || isCode(a) || (a & 2) === 0) throw new CpuFault(TS, err, undefined, `SS${newCpl} is not a writable data segment`);
  if ((a & ATTR_P) === 0) throw new CpuFault(SS, err, undefined, `SS${newCpl} not present`);
  return { ss, sp, spHi: 0, desc: d };
}

/**
 * Long-mode interrupt stack table entry `n` (1-7) of the current 64-bit TSS (SDM Vol. 3 §6.14.5):
 * outside the TSS limit → #TS(TR selector | EXT). Returns the RSP as low (unsigned) / high (int32)
 * halves; nothing is changed.
 */
export function istStack(m: Machine, n: number, ext = 0): { sp: number; spHi: number } {
  const tss = currentTss(m, ext);
  const at = 36 + 8 * (n - 1);
  if (n < 1 || n > 7 || at + 7 > tss.limit) throw new CpuFault(TS, selectorError(tss.selector, ext), undefined, `IST${n} beyond the TSS limit`);
  return { sp: sysRead(m, tss.base + at, 4), spHi: sysRead(m, tss.base + at + 4, 4) | 0 };
}

/**
 * Switch to the stack innerStack returned: SS (hidden part from `st.desc`, accessed bit set; in
 * IA-32e mode a null SS with RPL = DPL = newCpl) and ESP/RSP. The caller changes CPL (loadCs).
 */
export function switchToInnerStack(m: Machine, st: InnerStack, newCpl: number): void {
  if (st.desc !== null) {
    markAccessed(m, st.desc);
    setSegmentHidden(m, SSEG, st.ss, st.desc);
  } else {
    m.segSel[SSEG] = st.ss & 0xffff;
    m.segBase[SSEG] = 0;
    m.segLimit[SSEG] = 0xffffffff;
    m.segAttr[SSEG] = ATTR_P | ATTR_S | ATTR_DB | ATTR_G | (newCpl << 5) | 3;
    segmentLoaded(m, SSEG);
  }
  m.updateMode();
  if (m.stackSize === 8 || ia32e(m)) m.set64(4, st.sp | 0, st.spHi);
  else if (m.stackSize === 4) m.set32(4, st.sp | 0);
  else m.set16(4, st.sp);
}

/**
 * LTR (SDM Vol. 2 LTR): the selector must name an available TSS in the GDT (#GP(sel) otherwise,
 * null → #GP(0)), present (#NP(sel)); the descriptor is marked busy and TR loaded. In IA-32e mode
 * the 16-byte descriptor must be a 64-bit TSS.
 */
export function loadTaskRegister(m: Machine, sel: number): void {
  sel &= 0xffff;
  if ((sel & 0xfffc) === 0) throw new CpuFault(GP, 0, undefined, 'LTR with a null selector');
  const err = selectorError(sel, 0);
  if (sel & 4) throw new CpuFault(GP, err, undefined, 'LTR selector points into the LDT');
  const d = readDescriptor(m, sel, GP, 0, true);
  const type = d.attributes & 0x1f;
  const ok = ia32e(m) ? type === TYPE_TSS32_AVAILABLE : type === TYPE_TSS32_AVAILABLE || type === TYPE_TSS16_AVAILABLE;
  if (!ok) throw new CpuFault(GP, err, undefined, 'LTR needs an available TSS descriptor');
  if ((d.attributes & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'TSS not present');
  setTssBusy(m, d, true);
  setTaskRegister(m, sel, d);
}
