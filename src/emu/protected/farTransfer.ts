// Far JMP, far CALL and far RET in protected and IA-32e mode (SDM Vol. 2 JMP, CALL, RET pseudocode;
// Vol. 3 §5.8): direct transfers to conforming and nonconforming code segments, call gates (16/32-bit
// with privilege change, stack switch from the TSS and parameter copy; 64-bit 16-byte gates), task
// gates and TSS descriptors (task switch), and returns to the same or an outer privilege level (SS:ESP
// reloaded, data segments above the new CPL nulled). Real and virtual-8086 mode load CS = sel * 16.
// Imports the CPU core, exceptions, descriptors, segments, tss, taskSwitch and transferSnapshot.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as descriptorsModule from './descriptors';
import type { Descriptor } from './descriptors';
import * as segmentsModule from '../ops/segments';
import * as tssModule from './tss';
import * as taskSwitchModule from './taskSwitch';
import * as transferSnapshotModule from './transferSnapshot';
import * as systemAccessModule from './systemAccess';
import * as cpuHooksModule from './cpuHooks';
const { Cpu, CS, SSEG, ATTR_P, ATTR_L, ATTR_DB } = cpuModule;
const { GP, NP, SS } = exceptionsModule;
const { readDescriptor, selectorError, dplOf, ia32e, TYPE_CALL_GATE16, TYPE_CALL_GATE32, TYPE_TASK_GATE, TYPE_TSS16_AVAILABLE, TYPE_TSS32_AVAILABLE, TYPE_TSS16_BUSY, TYPE_TSS32_BUSY } = descriptorsModule;
const { isCode, isConforming, checkCodeSegment, loadCs, loadDataSegment, nullInvalidDataSegments } = segmentsModule;
const { innerStack, switchToInnerStack } = tssModule;
const { taskSwitch } = taskSwitchModule;
const { takeSnapshot, restoreSnapshot } = transferSnapshotModule;
const { sysRead } = systemAccessModule;
const { cplChanged } = cpuHooksModule;

const TWO32 = 4294967296;

/** True when code descriptor `d` is a 64-bit code segment in IA-32e mode. */
function is64Code(m: Machine, d: Descriptor): boolean {
  return ia32e(m) && (d.attributes & ATTR_L) !== 0;
}

/**
 * The new RIP for target offset lo/hi at operand size `size` into code segment `d`: 64-bit targets
 * must be canonical, others within the segment limit (#GP(0) otherwise).
 */
function targetIp(m: Machine, d: Descriptor, lo: number, hi: number, size: number): number {
  if (is64Code(m, d)) {
    if (size !== 8) return size === 4 ? lo >>> 0 : lo & 0xffff;
    return m.canonical(lo, hi, CS);
  }
  const ip = size === 2 ? lo & 0xffff : lo >>> 0;
  if (ip > d.limit) throw new CpuFault(GP, 0, undefined, `target 0x${ip.toString(16)} beyond the code segment limit`);
  return ip;
}

/** Push the return CS:IP at operand size `size` (8: RIP as two halves). */
function pushReturn(m: Machine, size: number, cs: number, rip: number): void {
  m.push(size, cs, 0);
  if (size === 8) {
    const [lo, hi] = Cpu.unfold(rip);
    m.push(8, lo, hi);
  } else m.push(size, rip & (size === 2 ? 0xffff : -1), 0);
}

/** A call gate decoded (SDM Vol. 3 §5.8.3, Figure 5-8; §5.8.3.1 for the 16-byte IA-32e form). */
interface CallGate {
  selector: number;
  /** Entry offset, low 32 bits (unsigned). */
  offset: number;
  /** Entry offset bits 63:32 (64-bit gates), int32. */
  offsetHi: number;
  params: number;
  /** Push size of the gate: 2 (16-bit), 4 (32-bit) or 8 (64-bit). */
  size: number;
}

/** Check the gate itself (DPL >= CPL and RPL; present) and decode it. */
function checkGate(m: Machine, sel: number, d: Descriptor): CallGate {
  const err = selectorError(sel, 0);
  const dpl = dplOf(d.attributes);
  if (dpl < m.cpl || dpl < (sel & 3)) throw new CpuFault(GP, err, undefined, `call gate DPL ${dpl} below CPL ${m.cpl} or RPL ${sel & 3}`);
  if ((d.attributes & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'call gate not present');
  const type = d.attributes & 0xf;
  if (ia32e(m)) {
    // The upper half's type field must be 0 (SDM Vol. 3 Figure 5-9).
    if (((sysRead(m, d.address + 12, 4) >>> 8) & 0x1f) !== 0) throw new CpuFault(GP, err, undefined, '64-bit call gate with a nonzero upper type');
    return { selector: d.lo >>> 16, offset: ((d.lo & 0xffff) | (d.hi & 0xffff0000)) >>> 0, offsetHi: d.upper | 0, params: 0, size: 8 };
  }
  const offset = type === TYPE_CALL_GATE16 ? d.lo & 0xffff : ((d.lo & 0xffff) | (d.hi & 0xffff0000)) >>> 0;
  return { selector: d.lo >>> 16, offset, offsetHi: 0, params: d.hi & 0x1f, size: type === TYPE_CALL_GATE16 ? 2 : 4 };
}

/** Read and check the code segment a call gate names (null → #GP(0); not code / DPL > CPL → #GP(sel); #NP). */
function gateTarget(m: Machine, g: CallGate): Descriptor {
  if ((g.selector & 0xfffc) === 0) throw new CpuFault(GP, 0, undefined, 'call gate with a null code selector');
  const err = selectorError(g.selector, 0);
  const d = readDescriptor(m, g.selector, GP);
  if (!isCode(d.attributes) || dplOf(d.attributes) > m.cpl) throw new CpuFault(GP, err, undefined, 'call gate target is not a code segment at or above CPL');
  if ((d.attributes & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'call gate target not present');
  if (ia32e(m) && ((d.attributes & ATTR_L) === 0 || (d.attributes & ATTR_DB) !== 0)) throw new CpuFault(GP, err, undefined, '64-bit call gate target is not a 64-bit code segment');
  return d;
}

/** Read the descriptor a far JMP/CALL names, with TSS and task-gate privilege checks done. */
function farTarget(m: Machine, sel: number): Descriptor {
  if ((sel & 0xfffc) === 0) throw new CpuFault(GP, 0, undefined, 'far transfer to a null selector');
  return readDescriptor(m, sel, GP, 0, true);
}

/** System-descriptor targets shared by JMP and CALL: task gate / TSS (task switch). True when handled. */
function farTaskTarget(m: Machine, sel: number, d: Descriptor, source: 'jmp' | 'call'): boolean {
  const type = d.attributes & 0x1f;
  if (type !== TYPE_TASK_GATE && type !== TYPE_TSS16_AVAILABLE && type !== TYPE_TSS32_AVAILABLE && type !== TYPE_TSS16_BUSY && type !== TYPE_TSS32_BUSY) return false;
  const err = selectorError(sel, 0);
  if (ia32e(m)) throw new CpuFault(GP, err, undefined, 'task gates and TSS targets do not exist in IA-32e mode');
  const dpl = dplOf(d.attributes);
  if (dpl < m.cpl || dpl < (sel & 3)) throw new CpuFault(GP, err, undefined, `${type === TYPE_TASK_GATE ? 'task gate' : 'TSS'} DPL ${dpl} below CPL ${m.cpl} or RPL ${sel & 3}`);
  if (type === TYPE_TASK_GATE) {
    if ((d.attributes & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'task gate not present');
    taskSwitch(m, d.lo >>> 16, source);
  } else taskSwitch(m, sel, source);
  return true;
}

/** Far JMP to `sel`:offset (offset lo/hi halves, operand size `size`). */
export function farJump(m: Machine, sel: number, lo: number, hi: number, size: number): void {
  sel &= 0xffff;
  if (m.real || (m.flagsRest & 0x20000) !== 0) {
    m.loadRealSegment(CS, sel);
    m.rip = size === 2 ? lo & 0xffff : lo >>> 0;
    return;
  }
  const d = farTarget(m, sel);
  if ((d.attributes & 0x10) !== 0) {
    checkCodeSegment(m, sel, d, m.cpl);
    const ip = targetIp(m, d, lo, hi, size);
    loadCs(m, sel, d, m.cpl);
    m.rip = ip;
    return;
  }
  if (farTaskTarget(m, sel, d, 'jmp')) return;
  const type = d.attributes & 0x1f;
  if (!(type === TYPE_CALL_GATE32 || (type === TYPE_CALL_GATE16 && !ia32e(m)))) throw new CpuFault(GP, selectorError(sel, 0), undefined, 'far JMP to a system descriptor that is not a gate or TSS');
  const g = checkGate(m, sel, d);
  const cd = gateTarget(m, g);
  // JMP through a call gate never changes privilege (SDM Vol. 2 JMP): nonconforming needs DPL = CPL.
  if (!isConforming(cd.attributes) && dplOf(cd.attributes) !== m.cpl) throw new CpuFault(GP, selectorError(g.selector, 0), undefined, 'JMP through a call gate to another privilege level');
  const ip = targetIp(m, cd, g.offset, g.offsetHi, g.size === 2 ? 2 : 8);
  loadCs(m, g.selector, cd, m.cpl);
  m.rip = ip;
}

/** Far CALL to `sel`:offset (offset lo/hi halves, operand size `size`); m.rip is the return address. */
export function farCall(m: Machine, sel: number, lo: number, hi: number, size: number): void {
  sel &= 0xffff;
  const retCs = m.segSel[CS];
  const retIp = m.rip;
  if (m.real || (m.flagsRest & 0x20000) !== 0) {
    pushReturn(m, size, retCs, retIp);
    m.loadRealSegment(CS, sel);
    m.rip = size === 2 ? lo & 0xffff : lo >>> 0;
    return;
  }
  const d = farTarget(m, sel);
  if ((d.attributes & 0x10) !== 0) {
    checkCodeSegment(m, sel, d, m.cpl);
    const ip = targetIp(m, d, lo, hi, size);
    const snap = takeSnapshot(m);
    pushReturn(m, size, retCs, retIp);
    try {
      loadCs(m, sel, d, m.cpl);
    } catch (e) {
      restoreSnapshot(m, snap);
      throw e;
    }
    m.rip = ip;
    return;
  }
  if (farTaskTarget(m, sel, d, 'call')) return;
  const type = d.attributes & 0x1f;
  if (!(type === TYPE_CALL_GATE32 || (type === TYPE_CALL_GATE16 && !ia32e(m)))) throw new CpuFault(GP, selectorError(sel, 0), undefined, 'far CALL to a system descriptor that is not a gate or TSS');
  const g = checkGate(m, sel, d);
  const cd = gateTarget(m, g);
  const dpl = dplOf(cd.attributes);
  const ip = targetIp(m, cd, g.offset, g.offsetHi, g.size === 2 ? 2 : 8);
  const snap = takeSnapshot(m);
  try {
    if (!isConforming(cd.attributes) && dpl < m.cpl) callToInner(m, g, dpl, retCs, retIp);
    else pushReturn(m, g.size, retCs, retIp);
    loadCs(m, g.selector, cd, isConforming(cd.attributes) ? m.cpl : dpl);
  } catch (e) {
    restoreSnapshot(m, snap);
    throw e;
  }
  m.rip = ip;
}

/**
 * CALL through a gate to a more privileged nonconforming segment (SDM Vol. 2 CALL, "MORE-PRIVILEGE"):
 * new stack from the TSS, old SS:ESP pushed on it, `params` words/dwords copied from the old stack
 * (16/32-bit gates), then the return CS:EIP. A 64-bit gate pushes SS, RSP, CS, RIP as quadwords.
 */
function callToInner(m: Machine, g: CallGate, newCpl: number, retCs: number, retIp: number): void {
  const st = innerStack(m, newCpl);
  if (st.desc !== null) checkRoom(st.desc, st.ss, st.sp, (4 + g.params) * g.size);
  const oldSs = m.segSel[SSEG];
  const oldSp = m.regs[4];
  const oldSpHi = m.regsHi[4];
  const params: number[] = [];
  for (let i = 0; i < g.params; i++) params.push(m.read(m.stackLinear(i * g.size, g.size), g.size));
  switchToInnerStack(m, st, newCpl);
  // The frame is written at the new privilege (a supervisor-only stack page must accept it).
  m.cpl = newCpl;
  cplChanged(m);
  if (g.size === 8) {
    m.push(8, oldSs, 0);
    m.push(8, oldSp, oldSpHi);
  } else {
    m.push(g.size, oldSs, 0);
    m.push(g.size, g.size === 2 ? oldSp & 0xffff : oldSp, 0);
    for (let i = params.length - 1; i >= 0; i--) m.push(g.size, params[i], 0);
  }
  pushReturn(m, g.size, retCs, retIp);
}

/**
 * The new stack must hold `bytes` below `sp` inside its segment limit (SDM Vol. 2 CALL: "IF stack
 * does not have room for SS, ESP, CS, EIP and parameters THEN #SS(NewSS)"); expand-down segments
 * hold the offsets above the limit up to FFFFh or FFFFFFFFh (D/B).
 */
function checkRoom(d: Descriptor, ss: number, sp: number, bytes: number): void {
  const expandDown = (d.attributes & 4) !== 0;
  const top = (d.attributes & ATTR_DB) !== 0 ? 0xffffffff : 0xffff;
  // An expand-up segment spanning the whole offset space holds any frame (ESP wraps inside it).
  if (!expandDown && d.limit >= top) return;
  const low = sp - bytes;
  const fits = expandDown ? low > d.limit && sp - 1 <= top : low >= 0 && sp - 1 <= d.limit;
  if (!fits) throw new CpuFault(SS, selectorError(ss, 0), undefined, `no room for the ${bytes}-byte call frame on the inner stack`);
}

/** Add `n` to the stack pointer at the current stack size. */
function releaseStack(m: Machine, n: number): void {
  if (n === 0) return;
  if (m.stackSize === 8) {
    const lo = (m.regs[4] >>> 0) + n;
    m.regs[4] = lo | 0;
    if (lo >= TWO32) m.regsHi[4] = (m.regsHi[4] + 1) | 0;
  } else if (m.stackSize === 4) m.set32(4, (m.regs[4] + n) | 0);
  else m.set16(4, m.regs[4] + n);
}

/** Far RET / RET imm16 at operand size `size` (SDM Vol. 2 RET, "RETURN-TO-SAME/OUTER-PRIVILEGE-LEVEL"). */
export function farReturn(m: Machine, size: number, imm: number): void {
  if (m.real || (m.flagsRest & 0x20000) !== 0) {
    const ip = m.pop(size);
    const sel = m.pop(size) & 0xffff;
    m.loadRealSegment(CS, sel);
    m.rip = size === 2 ? ip & 0xffff : ip >>> 0;
    releaseStack(m, imm);
    return;
  }
  const ipLo = m.read(m.stackLinear(0, size), size);
  const ipHi = size === 8 ? m.hi : 0;
  const sel = m.read(m.stackLinear(size, size), size) & 0xffff;
  if ((sel & 0xfffc) === 0) throw new CpuFault(GP, 0, undefined, 'far RET to a null selector');
  const err = selectorError(sel, 0);
  const d = readDescriptor(m, sel, GP);
  const rpl = sel & 3;
  if (rpl < m.cpl) throw new CpuFault(GP, err, undefined, `far RET to RPL ${rpl} < CPL ${m.cpl}`);
  const a = d.attributes;
  if (!isCode(a)) throw new CpuFault(GP, err, undefined, 'far RET to a segment that is not code');
  if (isConforming(a) ? dplOf(a) > rpl : dplOf(a) !== rpl) throw new CpuFault(GP, err, undefined, `far RET: code segment DPL ${dplOf(a)} does not fit RPL ${rpl}`);
  if ((a & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, 'far RET to a segment that is not present');
  if (rpl === m.cpl) {
    const ip = targetIp(m, d, ipLo, ipHi, size);
    m.pop(size);
    m.pop(size);
    loadCs(m, sel, d, rpl);
    m.rip = ip;
    releaseStack(m, imm);
    return;
  }
  // Return to an outer privilege level: SS:ESP of the caller lie above the released parameters.
  const spLo = m.read(m.stackLinear(2 * size + imm, size), size);
  const spHi = size === 8 ? m.hi : 0;
  const ss = m.read(m.stackLinear(3 * size + imm, size), size) & 0xffff;
  const snap = takeSnapshot(m);
  try {
    const ip = targetIp(m, d, ipLo, ipHi, size);
    loadCs(m, sel, d, rpl);
    if ((ss & 0xfffc) === 0 && !m.mode64) throw new CpuFault(GP, 0, undefined, 'far RET to outer level with a null SS');
    loadDataSegment(m, SSEG, ss, GP, 0, rpl);
    m.rip = ip;
  } catch (e) {
    restoreSnapshot(m, snap);
    throw e;
  }
  if (size === 8) m.set64(4, spLo, spHi);
  else if (size === 2) m.set16(4, spLo);
  else m.set32(4, spLo);
  releaseStack(m, imm);
  nullInvalidDataSegments(m);
}

