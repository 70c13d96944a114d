// Hardware task switching (SDM Vol. 3 §7.3): JMP/CALL to a TSS descriptor or through a task gate,
// INT/exceptions through a task gate (called by interrupt delivery), and IRET with EFLAGS.NT = 1.
// Saves the outgoing task's state in its TSS, maintains busy bits, NT and the back link, loads the
// incoming task's LDTR, CR3, EFLAGS, EIP, GPRs and segments (virtual-8086 tasks too), sets CR0.TS, and reports the TSS T bit
// to the debug unit (DR6.BT, local DR7 enables cleared; SDM Vol. 3 §18.2.4, §18.3.1.5).
// Imports the CPU core, flags, exceptions, descriptors, tss, segments and systemAccess.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as descriptorsModule from './descriptors';
import * as systemAccessModule from './systemAccess';
import * as systemSegmentsModule from './systemSegments';
import * as tssModule from './tss';
import * as segmentsModule from '../ops/segments';
import * as cpuHooksModule from './cpuHooks';
const { CS, SSEG, ATTR_P, ATTR_S, CR0_PG } = cpuModule;
const { getFlags, setFlags, IF, NT, VM } = flagsModule;
const { GP, NP, TS } = exceptionsModule;
const { readDescriptor, selectorError, dplOf, ia32e, setTssBusy, decode, TYPE_LDT } = descriptorsModule;
const { sysRead, sysWrite } = systemAccessModule;
const { systemSegments } = systemSegmentsModule;
const { currentTss, setTaskRegister } = tssModule;
const { isCode, isConforming, loadCs, loadDataSegment } = segmentsModule;
const { flushTlb, interruptWindowOpened, segmentLoaded, cplChanged } = cpuHooksModule;

/** What started the switch: it decides the busy bits, NT and the back link (SDM Vol. 3 Table 7-2). */
export type TaskSwitchSource = 'jmp' | 'call' | 'iret' | 'int';

/** Registers of a task as held in its TSS (32-bit layout; a 16-bit TSS fills the low halves). */
interface TaskState {
  cr3: number;
  eip: number;
  eflags: number;
  gpr: number[];
  /** ES, CS, SS, DS, FS, GS selectors. */
  seg: number[];
  ldt: number;
  tBit: boolean;
}

/** 32-bit TSS offsets (SDM Vol. 3 Figure 7-2). */
const T32_CR3 = 28, T32_EIP = 32, T32_EFLAGS = 36, T32_GPR = 40, T32_SEG = 72, T32_LDT = 96, T32_T = 100;
/** 16-bit TSS offsets (SDM Vol. 3 Figure 7-11). */
const T16_IP = 14, T16_FLAGS = 16, T16_GPR = 18, T16_SEG = 34, T16_LDT = 42;

function readState(m: Machine, base: number, is16: boolean): TaskState {
  const gpr: number[] = [];
  const seg: number[] = [];
  if (is16) {
    for (let i = 0; i < 8; i++) gpr.push(sysRead(m, base + T16_GPR + 2 * i, 2));
    // The 16-bit TSS holds ES, CS, SS, DS only; FS and GS are loaded null.
    for (let i = 0; i < 4; i++) seg.push(sysRead(m, base + T16_SEG + 2 * i, 2));
    seg.push(0, 0);
    return { cr3: -1, eip: sysRead(m, base + T16_IP, 2), eflags: sysRead(m, base + T16_FLAGS, 2), gpr, seg, ldt: sysRead(m, base + T16_LDT, 2), tBit: false };
  }
  for (let i = 0; i < 8; i++) gpr.push(sysRead(m, base + T32_GPR + 4 * i, 4));
  for (let i = 0; i < 6; i++) seg.push(sysRead(m, base + T32_SEG + 4 * i, 2));
  return {
    cr3: sysRead(m, base + T32_CR3, 4),
    eip: sysRead(m, base + T32_EIP, 4),
    eflags: sysRead(m, base + T32_EFLAGS, 4),
    gpr,
    seg,
    ldt: sysRead(m, base + T32_LDT, 2),
    tBit: (sysRead(m, base + T32_T, 2) & 1) !== 0,
  };
}

/** Save the outgoing task's dynamic fields (EIP, EFLAGS, GPRs, segment selectors) in its TSS. */
function saveState(m: Machine, base: number, is16: boolean, eflags: number): void {
  if (is16) {
    sysWrite(m, base + T16_IP, 2, m.rip & 0xffff);
    sysWrite(m, base + T16_FLAGS, 2, eflags & 0xffff);
    for (let i = 0; i < 8; i++) sysWrite(m, base + T16_GPR + 2 * i, 2, m.regs[i] & 0xffff);
    for (let i = 0; i < 4; i++) sysWrite(m, base + T16_SEG + 2 * i, 2, m.segSel[i]);
    return;
  }
  sysWrite(m, base + T32_EIP, 4, m.rip >>> 0);
  sysWrite(m, base + T32_EFLAGS, 4, eflags >>> 0);
  for (let i = 0; i < 8; i++) sysWrite(m, base + T32_GPR + 4 * i, 4, m.regs[i] >>> 0);
  for (let i = 0; i < 6; i++) sysWrite(m, base + T32_SEG + 4 * i, 2, m.segSel[i]);
}

/** Load LDTR from the new task's TSS: null, or an LDT descriptor in the GDT (#TS(sel) otherwise). */
function loadTaskLdt(m: Machine, sel: number, ext: number): void {
  const s = systemSegments(m);
  m.ldtrSel = sel;
  s.ldtSel = sel;
  s.ldtValid = false;
  if ((sel & 0xfffc) === 0) return;
  const err = selectorError(sel, ext);
  if (sel & 4) throw new CpuFault(TS, err, undefined, 'task LDT selector points into the LDT');
  const d = readDescriptor(m, sel, TS, ext);
  if ((d.attributes & 0x1f) !== TYPE_LDT) throw new CpuFault(TS, err, undefined, 'task LDT selector is not an LDT descriptor');
  if ((d.attributes & ATTR_P) === 0) throw new CpuFault(TS, err, undefined, 'task LDT not present');
  s.ldtBase = d.base;
  s.ldtLimit = d.limit;
  s.ldtValid = true;
}

/** Load CS from the new task: a present code segment whose DPL fits its RPL (#TS/#NP(sel)); CPL = RPL. */
function loadTaskCs(m: Machine, sel: number, ext: number): void {
  const err = selectorError(sel, ext);
  if ((sel & 0xfffc) === 0) throw new CpuFault(TS, err, undefined, 'null CS in the new task');
  const d = readDescriptor(m, sel, TS, ext);
  const a = d.attributes;
  const rpl = sel & 3;
  if (!isCode(a)) throw new CpuFault(TS, err, undefined, 'task CS is not a code segment');
  if (isConforming(a) ? dplOf(a) > rpl : dplOf(a) !== rpl) throw new CpuFault(TS, err, undefined, 'task CS DPL does not match its RPL');
  if ((a & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'task CS not present');
  loadCs(m, sel, d, rpl);
}

/**
 * A task whose EFLAGS image has VM = 1 runs in virtual-8086 mode (SDM Vol. 3 §20.2.5): every segment
 * register is loaded real-mode style (base = selector·16, limit FFFFh, DPL 3), CPL = 3.
 */
function enterV86Task(m: Machine, seg: number[]): void {
  for (let s = 0; s < 6; s++) {
    m.segSel[s] = seg[s];
    m.segBase[s] = seg[s] * 16;
    m.segLimit[s] = 0xffff;
    m.segAttr[s] = ATTR_P | ATTR_S | (3 << 5) | (s === CS ? 0xb : 0x3);
    segmentLoaded(m, s);
  }
  const changed = m.cpl !== 3;
  m.cpl = 3;
  m.updateMode();
  if (changed) cplChanged(m);
}

/** The new task's LDTR and segment registers (selectors first, then each descriptor checked). */
function loadTaskSegments(m: Machine, next: TaskState, v86: boolean, ext: number): void {
  for (let s = 0; s < 6; s++) m.segSel[s] = next.seg[s];
  loadTaskLdt(m, next.ldt, ext);
  if (v86) {
    enterV86Task(m, next.seg);
    return;
  }
  loadTaskCs(m, next.seg[CS], ext);
  loadDataSegment(m, SSEG, next.seg[SSEG], TS, ext, m.cpl);
  for (const s of [0, 3, 4, 5]) loadDataSegment(m, s, next.seg[s], TS, ext, m.cpl);
}

/**
 * Switch to the task whose TSS `selector` names (SDM Vol. 3 §7.3; for a task gate pass the gate's
 * TSS selector, after the caller checked the gate). `source` decides busy bits, NT and the back
 * link; the outgoing EIP saved is the current m.rip (the caller sets it: the next instruction for
 * JMP/CALL/INT n/IRET, the faulting one for faults). `errorCode` (exceptions with one) is pushed
 * on the new task's stack. Faults before the commit point leave the old task unchanged; later
 * ones are raised in the new task. In IA-32e mode task switches do not exist → #GP.
 */
export function taskSwitch(m: Machine, selector: number, source: TaskSwitchSource, errorCode?: number, ext = 0): void {
  selector &= 0xffff;
  const err = selectorError(selector, ext);
  if (ia32e(m)) throw new CpuFault(GP, source === 'iret' ? 0 : err, undefined, 'task switch in IA-32e mode');
  // New TSS descriptor checks (SDM Vol. 3 §7.3 steps 2-4, Table 7-1).
  const badType = source === 'iret' ? TS : GP;
  if (selector & 4) throw new CpuFault(badType, err, undefined, 'TSS selector points into the LDT');
  if ((selector & 0xfffc) === 0) throw new CpuFault(badType, err, undefined, 'null TSS selector');
  const nd = readDescriptor(m, selector, badType, ext);
  const type = nd.attributes & 0x1f;
  const is16 = type === 1 || type === 3;
  if (type !== 1 && type !== 3 && type !== 9 && type !== 11) throw new CpuFault(badType, err, undefined, 'not a TSS descriptor');
  if ((nd.attributes & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'TSS not present');
  const busy = (type & 2) !== 0;
  if (source === 'iret' && !busy) throw new CpuFault(TS, err, undefined, 'IRET to a task that is not busy');
  if (source !== 'iret' && busy) throw new CpuFault(GP, err, undefined, 'task is busy');
  if (nd.limit < (is16 ? 0x2b : 0x67)) throw new CpuFault(TS, err, undefined, 'TSS limit too small');
  const old = currentTss(m, ext);
  // Read everything the switch needs before anything changes (all pages present).
  const next = readState(m, nd.base, is16);
  const oldDesc = decode(m, m.gdtrBase + (old.selector & 0xfff8), false);
  let savedFlags = getFlags(m);
  if (source === 'iret') savedFlags &= ~NT;
  saveState(m, old.base, old.is16, savedFlags);
  if (source === 'jmp' || source === 'iret') setTssBusy(m, oldDesc, false);
  if (source === 'call' || source === 'int') {
    sysWrite(m, nd.base, 2, old.selector);
    next.eflags |= NT;
  }
  if (source !== 'iret') setTssBusy(m, nd, true);
  // Commit point: TR, CR0.TS, then the new task's state (faults from here belong to the new task).
  setTaskRegister(m, selector, nd);
  m.cr0 = (m.cr0 | 8) >>> 0;
  if (!is16 && (m.cr0 & CR0_PG) !== 0) {
    m.cr3 = next.cr3;
    flushTlb(m);
  }
  const v86 = !is16 && (next.eflags & VM) !== 0;
  const wasIf = m.flagsRest & IF;
  setFlags(m, is16 ? (getFlags(m) & 0xffff0000 & ~VM) | next.eflags : next.eflags);
  for (let i = 0; i < 8; i++) {
    if (is16) m.set16(i, next.gpr[i]);
    else m.set32(i, next.gpr[i] | 0);
  }
  m.rip = next.eip;
  try {
    loadTaskSegments(m, next, v86, ext);
    m.debug.taskSwitched(next.tBit);
    if (errorCode !== undefined) m.push(is16 ? 2 : 4, errorCode, 0);
    if (m.rip > m.segLimit[CS]) throw new CpuFault(GP, 0, undefined, 'task EIP beyond the CS limit');
  } catch (e) {
    // Faults after the commit point are raised in the new task: they restart at its first instruction.
    if (e instanceof CpuFault) m.insnStart = next.eip;
    throw e;
  }
  if (wasIf === 0 && (m.flagsRest & IF) !== 0) interruptWindowOpened(m, false);
}
