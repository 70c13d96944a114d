// IRET / IRETD / IRETQ outside real mode (SDM Vol. 2 IRET pseudocode): the task return with NT = 1
// (protected mode; #GP(0) in IA-32e mode), return from and to virtual-8086 mode, and the
// protected / IA-32e return to the same or an outer privilege level with every descriptor check,
// SS:RSP always popped in 64-bit mode, data segments the outer level may not use nulled, and
// EFLAGS loaded as privilege allows (RF from the image: SDM §17.3.1.1). The frame is read before
// anything changes, so a fault leaves the state as it was.
// Imports the CPU core, flags, exceptions and src/emu/protected.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as descriptorsModule from '../protected/descriptors';
import type { Descriptor } from '../protected/descriptors';
import * as systemAccessModule from '../protected/systemAccess';
import * as tssModule from '../protected/tss';
import * as taskSwitchModule from '../protected/taskSwitch';
import * as segmentsModule from '../ops/segments';
import * as cpuHooksModule from '../protected/cpuHooks';
const { CS, SSEG, ES, DS, FS, GS, ATTR_P, ATTR_S, ATTR_L, ATTR_DB, ATTR_G, EFER_LMA } = cpuModule;
const { getFlags, setFlags, IF, IOPL, NT, RF, VM, AC, ID, VIF, VIP } = flagsModule;
const { GP, NP, SS } = exceptionsModule;
const { readDescriptor, selectorError, dplOf, markAccessed } = descriptorsModule;
const { sysRead } = systemAccessModule;
const { currentTss } = tssModule;
const { taskSwitch } = taskSwitchModule;
const { isCode, isConforming, loadCs, setSegmentHidden, nullInvalidDataSegments } = segmentsModule;
const { segmentLoaded, cplChanged } = cpuHooksModule;

const TWO32 = 4294967296;
/** CF PF AF ZF SF TF DF OF NT: what every IRET loads. */
const BASE_FLAGS = 0x4fd5;

/** EFLAGS after IRET loads `image` at privilege `cpl` (the CPL before the return) with operand `size`. */
function iretFlags(old: number, image: number, cpl: number, size: number): number {
  let mask = BASE_FLAGS;
  if (size >= 4) mask |= RF | AC | ID;
  if (cpl <= (old & IOPL) >> 12) mask |= IF;
  if (cpl === 0) mask |= IOPL | (size >= 4 ? VIF | VIP : 0);
  return (old & ~mask) | (image & mask);
}

/** Read the stack slot `index` (0 = top) of `size` bytes; 8-byte slots leave the high half in m.hi. */
function slot(m: Machine, index: number, size: number): number {
  return m.read(m.stackLinear(index * size, size), size);
}

/** Move the stack pointer up by `bytes` at the current stack size. */
function release(m: Machine, bytes: number): void {
  if (m.stackSize === 8) {
    const lo = (m.regs[4] >>> 0) + bytes;
    m.regs[4] = lo | 0;
    if (lo >= TWO32) m.regsHi[4] = (m.regsHi[4] + 1) | 0;
  } else if (m.stackSize === 4) m.set32(4, m.regs[4] + bytes);
  else m.set16(4, m.regs[4] + bytes);
}

/** IRET outside real mode with operand `size` (2, 4, 8). */
export function iretProtected(m: Machine, size: number): void {
  const old = getFlags(m);
  const ia32e = (m.efer & EFER_LMA) !== 0;
  if ((old & VM) !== 0) { iretFromV86(m, size, old); return; }
  if ((old & NT) !== 0) {
    if (ia32e) throw new CpuFault(GP, 0, undefined, 'IRET with NT = 1 in IA-32e mode');
    // Task return: back to the task named by the back link of the current TSS (SDM Vol. 3 §7.3).
    const tss = currentTss(m);
    taskSwitch(m, sysRead(m, tss.base, 2), 'iret');
    return;
  }
  const ipLo = slot(m, 0, size);
  const ipHi = size === 8 ? m.hi : 0;
  const cs = slot(m, 1, size) & 0xffff;
  const image = slot(m, 2, size) >>> 0;
  if (!ia32e && size === 4 && (image & VM) !== 0 && m.cpl === 0) { iretToV86(m, ipLo, cs, image); return; }
  // The code segment (SDM Vol. 2 IRET "PROTECTED-MODE-RETURN").
  if ((cs & 0xfffc) === 0) throw new CpuFault(GP, 0, undefined, 'IRET to a null CS');
  const csErr = selectorError(cs, 0);
  const d = readDescriptor(m, cs, GP);
  const a = d.attributes;
  const rpl = cs & 3;
  if (!isCode(a)) throw new CpuFault(GP, csErr, undefined, 'IRET to a selector that is not a code segment');
  if (ia32e && (a & ATTR_L) !== 0 && (a & ATTR_DB) !== 0) throw new CpuFault(GP, csErr, undefined, 'IRET to a code segment with L and D set');
  if (rpl < m.cpl) throw new CpuFault(GP, csErr, undefined, `IRET to RPL ${rpl} from CPL ${m.cpl}`);
  if (isConforming(a) ? dplOf(a) > rpl : dplOf(a) !== rpl) throw new CpuFault(GP, csErr, undefined, `IRET code segment DPL ${dplOf(a)} does not fit RPL ${rpl}`);
  if ((a & ATTR_P) === 0) throw new CpuFault(NP, csErr, undefined, 'IRET code segment not present');
  const to64 = ia32e && (a & ATTR_L) !== 0;
  const outer = rpl > m.cpl;
  // In 64-bit mode IRET pops SS:RSP at any privilege; elsewhere only when returning outward.
  const popsStack = outer || m.mode64;
  let ss = m.segSel[SSEG];
  let spLo = 0;
  let spHi = 0;
  let ssDesc: Descriptor | null = null;
  if (popsStack) {
    spLo = slot(m, 3, size);
    spHi = size === 8 ? m.hi : 0;
    ss = slot(m, 4, size) & 0xffff;
    ssDesc = checkReturnSs(m, ss, rpl, to64);
  }
  const ripFolded = checkReturnIp(m, ipLo, ipHi, size, to64, d);
  // Commit.
  const cpl = m.cpl;
  if (!popsStack) release(m, 3 * size);
  setFlags(m, iretFlags(old, image, cpl, size));
  loadCs(m, cs, d, rpl);
  if (popsStack) {
    if (ssDesc !== null) {
      markAccessed(m, ssDesc);
      setSegmentHidden(m, SSEG, ss, ssDesc);
    } else {
      // A null SS (64-bit return at CPL < 3): usable as a 64-bit stack, DPL = the new CPL.
      m.segSel[SSEG] = ss;
      m.segBase[SSEG] = 0;
      m.segLimit[SSEG] = 0xffffffff;
      m.segAttr[SSEG] = ATTR_P | ATTR_S | ATTR_DB | ATTR_G | (rpl << 5) | 3;
      segmentLoaded(m, SSEG);
    }
    m.updateMode();
    if (m.stackSize === 8 || size === 8) m.set64(4, spLo | 0, size === 8 ? spHi : 0);
    else if (m.stackSize === 4) m.set32(4, size === 2 ? spLo & 0xffff : spLo);
    else m.set16(4, spLo);
  }
  m.rip = ripFolded;
  if (outer) nullInvalidDataSegments(m);
}

/** SS popped by IRET for a return to privilege `rpl` (SDM Vol. 2 IRET "RETURN-TO-OUTER-PRIVILEGE-LEVEL"). */
function checkReturnSs(m: Machine, ss: number, rpl: number, to64: boolean): Descriptor | null {
  if ((ss & 0xfffc) === 0) {
    // A null SS is allowed only for a return to 64-bit mode at CPL < 3 (with RPL = the new CPL).
    if (to64 && rpl !== 3 && (ss & 3) === rpl) return null;
    throw new CpuFault(GP, 0, undefined, 'IRET pops a null SS');
  }
  const err = selectorError(ss, 0);
  const d = readDescriptor(m, ss, GP);
  const a = d.attributes;
  if ((ss & 3) !== rpl) throw new CpuFault(GP, err, undefined, `IRET SS RPL ${ss & 3} ≠ CS RPL ${rpl}`);
  if ((a & ATTR_S) === 0 || isCode(a) || (a & 2) === 0) throw new CpuFault(GP, err, undefined, 'IRET SS is not a writable data segment');
  if (dplOf(a) !== rpl) throw new CpuFault(GP, err, undefined, `IRET SS DPL ${dplOf(a)} ≠ CS RPL ${rpl}`);
  if ((a & ATTR_P) === 0) throw new CpuFault(SS, err, undefined, 'IRET SS not present');
  return d;
}

/** The return RIP: canonical for 64-bit code, else inside the CS limit (#GP(0)); folded as m.rip keeps it. */
function checkReturnIp(m: Machine, lo: number, hi: number, size: number, to64: boolean, d: Descriptor): number {
  if (to64) {
    if (size !== 8) return size === 4 ? lo >>> 0 : lo & 0xffff;
    if (hi < -32768 || hi > 32767) throw new CpuFault(GP, 0, undefined, 'IRETQ to a non-canonical RIP');
    return (hi & 0xffff) * TWO32 + (lo >>> 0);
  }
  const ip = size === 2 ? lo & 0xffff : lo >>> 0;
  if (ip > d.limit) throw new CpuFault(GP, 0, undefined, `IRET to 0x${ip.toString(16)} beyond the code segment limit`);
  return ip;
}

/** IRET in virtual-8086 mode: only with IOPL = 3 (else #GP(0)); VM, IOPL, VIF, VIP stay (SDM Vol. 2 IRET). */
function iretFromV86(m: Machine, size: number, old: number): void {
  if ((old & IOPL) !== IOPL) throw new CpuFault(GP, 0, undefined, 'IRET in virtual-8086 mode with IOPL < 3');
  const ip = slot(m, 0, size);
  const cs = slot(m, 1, size) & 0xffff;
  const image = slot(m, 2, size);
  release(m, 3 * size);
  m.loadRealSegment(CS, cs);
  m.rip = ip & 0xffff;
  const keep = size === 2 ? IOPL | ~0xffff : VM | IOPL | VIF | VIP;
  setFlags(m, (old & keep) | (image & ~keep));
}

/** IRETD at CPL 0 to an image with VM = 1: enter virtual-8086 mode (SDM Vol. 2 IRET "RETURN-TO-VIRTUAL-8086-MODE"). */
function iretToV86(m: Machine, ip: number, cs: number, image: number): void {
  const sp = slot(m, 3, 4);
  const ss = slot(m, 4, 4) & 0xffff;
  const sels = [slot(m, 5, 4), slot(m, 6, 4), slot(m, 7, 4), slot(m, 8, 4)];
  setFlags(m, image);
  const segs = [ES, DS, FS, GS];
  for (let i = 0; i < 4; i++) v86Segment(m, segs[i], sels[i] & 0xffff);
  v86Segment(m, CS, cs);
  v86Segment(m, SSEG, ss);
  const changed = m.cpl !== 3;
  m.cpl = 3;
  m.updateMode();
  if (changed) cplChanged(m);
  m.set32(4, sp);
  m.rip = ip & 0xffff;
}

/** A segment register as virtual-8086 mode uses it: base = selector·16, limit 64 KiB, DPL 3. */
function v86Segment(m: Machine, s: number, sel: number): void {
  m.segSel[s] = sel;
  m.segBase[s] = sel * 16;
  m.segLimit[s] = 0xffff;
  m.segAttr[s] = ATTR_P | ATTR_S | (3 << 5) | (s === CS ? 0xb : 0x3);
  segmentLoaded(m, s);
}
