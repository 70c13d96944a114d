// Far transfers that change CS, SS, the stack pointer and CPL together must be all-or-nothing: a
// fault part-way (a push to the new stack, a bad return SS) leaves the machine as before the
// instruction (SDM Vol. 3 §6.5: faults restart the instruction with its state). This snapshot
// holds exactly what those transfers change, and puts it back.
// Imports the CPU core types and cpuHooks.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import * as cpuHooksModule from './cpuHooks';
const { CS, SSEG } = cpuModule;
const { cplChanged, segmentLoaded } = cpuHooksModule;

/** CS, SS, RSP and CPL as they were. */
export interface TransferSnapshot {
  cs: [number, number, number, number];
  ss: [number, number, number, number];
  sp: number;
  spHi: number;
  cpl: number;
}

/** Take a snapshot before a far transfer changes anything. */
export function takeSnapshot(m: Machine): TransferSnapshot {
  return {
    cs: [m.segSel[CS], m.segBase[CS], m.segLimit[CS], m.segAttr[CS]],
    ss: [m.segSel[SSEG], m.segBase[SSEG], m.segLimit[SSEG], m.segAttr[SSEG]],
    sp: m.regs[4],
    spHi: m.regsHi[4],
    cpl: m.cpl,
  };
}

/** Put CS, SS, RSP and CPL back (the instruction restarts at insnStart). */
export function restoreSnapshot(m: Machine, s: TransferSnapshot): void {
  for (const [seg, v] of [[CS, s.cs], [SSEG, s.ss]] as const) {
    m.segSel[seg] = v[0];
    m.segBase[seg] = v[1];
    m.segLimit[seg] = v[2];
    m.segAttr[seg] = v[3];
    segmentLoaded(m, seg);
  }
  m.regs[4] = s.sp;
  m.regsHi[4] = s.spHi;
  const changed = m.cpl !== s.cpl;
  m.cpl = s.cpl;
  m.updateMode();
  if (changed) cplChanged(m);
}
