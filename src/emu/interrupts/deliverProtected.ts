// Protected-mode interrupt and exception delivery through the IDT (SDM Vol. 3 §6.12, Vol. 2 INT n
// "PROTECTED-MODE"): task gates switch tasks; interrupt and trap gates (16- and 32-bit) call the
// handler at the same privilege (frame on the current stack) or at an inner one (SS:ESP from the
// TSS, old SS:ESP pushed first; from virtual-8086 mode also GS, FS, DS, ES, which are then nulled),
// push EFLAGS, CS, EIP and the error code, clear TF, NT, RF, VM and — for interrupt gates — IF.
// Faults propagate to the caller, which restores the state it saved (delivery is all or nothing).
// Imports the CPU core, flags, exceptions, the gate/target readers and src/emu/protected.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as descriptorsModule from '../protected/descriptors';
import * as tssModule from '../protected/tss';
import * as taskSwitchModule from '../protected/taskSwitch';
import * as segmentsModule from '../ops/segments';
import * as cpuHooksModule from '../protected/cpuHooks';
import * as idtGateModule from './idtGate';
import * as gateTargetModule from './gateTarget';
import type { CpuEvent } from './event';
import * as eventModule from './event';
const { CS, SSEG, ES, DS, FS, GS } = cpuModule;
const { setFlags, IF, TF, NT, RF, VM } = flagsModule;
const { GP } = exceptionsModule;
const { selectorError } = descriptorsModule;
const { innerStack, switchToInnerStack } = tssModule;
const { taskSwitch } = taskSwitchModule;
const { loadCs } = segmentsModule;
const { segmentLoaded } = cpuHooksModule;
const { readIdtGate } = idtGateModule;
const { gateTarget } = gateTargetModule;
const { extBit } = eventModule;

/** Deliver `ev` through the protected-mode IDT; `flags` is the EFLAGS image to push. */
export function deliverProtected(m: Machine, ev: CpuEvent, flags: number): void {
  const ext = extBit(ev.source);
  const gate = readIdtGate(m, ev, ext, false);
  if (gate.kind === 'task') {
    // The outgoing task saves the return point; the error code goes on the new task's stack (§6.12.2).
    m.rip = ev.rip;
    taskSwitch(m, gate.selector, 'int', ev.errorCode, ext);
    return;
  }
  const { descriptor, newCpl } = gateTarget(m, gate.selector, ext);
  const fromV86 = (flags & VM) !== 0;
  const inner = newCpl < m.cpl;
  // From virtual-8086 mode only a nonconforming ring-0 handler is allowed (Vol. 2 INT n "INTERRUPT-FROM-VIRTUAL-8086-MODE").
  if (fromV86 && (!inner || newCpl !== 0)) throw new CpuFault(GP, selectorError(gate.selector, ext), undefined, 'interrupt from virtual-8086 mode to a handler that is not ring 0 nonconforming');
  if (gate.offset > descriptor.limit) throw new CpuFault(GP, ext, undefined, `handler offset 0x${gate.offset.toString(16)} beyond the code segment limit`);
  const size = gate.size;
  const oldCs = m.segSel[CS];
  const oldSs = m.segSel[SSEG];
  const oldSp = m.regs[4];
  if (inner) {
    switchToInnerStack(m, innerStack(m, newCpl, ext), newCpl);
    loadCs(m, gate.selector, descriptor, newCpl);
    if (fromV86) {
      for (const s of [GS, FS, DS, ES]) m.push(size, m.segSel[s]);
      for (const s of [GS, FS, DS, ES]) nullSegment(m, s);
    }
    m.push(size, oldSs);
    m.push(size, oldSp);
  } else {
    loadCs(m, gate.selector, descriptor, m.cpl);
  }
  m.push(size, flags);
  m.push(size, oldCs);
  m.push(size, ev.rip);
  if (ev.errorCode !== undefined) m.push(size, ev.errorCode);
  setFlags(m, flags & ~(TF | NT | RF | VM | (gate.kind === 'interrupt' ? IF : 0)));
  m.rip = gate.offset;
}

/** A data segment register loaded with the null selector (unusable), as leaving virtual-8086 mode does. */
function nullSegment(m: Machine, s: number): void {
  m.segSel[s] = 0;
  m.segBase[s] = 0;
  m.segLimit[s] = 0;
  m.segAttr[s] = 0;
  segmentLoaded(m, s);
}
