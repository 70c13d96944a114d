// Delivering one event to the guest, all or nothing: the mode picks the IVT (real mode), the
// protected-mode IDT or the IA-32e IDT; a fault while delivering restores the state from before the
// attempt and is itself delivered serially, as a double fault or — while delivering #DF — ends the
// run as a triple fault (SDM Vol. 3 §6.15 Table 6-5). Pushed RF: 1 for fault-class exceptions other
// than #DB (instruction breakpoint, general detect), otherwise RFLAGS.RF as it is (SDM §17.3.1.1).
// Imports the CPU core, flags, exceptions and the delivery files of this directory.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as cpuHooksModule from '../protected/cpuHooks';
import * as exceptionClassModule from './exceptionClass';
import * as deliverRealModule from './deliverReal';
import * as deliverProtectedModule from './deliverProtected';
import * as deliverLongModule from './deliverLong';
import type { CpuEvent } from './event';
const { EFER_LMA } = cpuModule;
const { getFlags, setFlags, RF } = flagsModule;
const { DB, DF, EXCEPTION_NAMES, hasErrorCode } = exceptionsModule;
const { cplChanged, segmentLoaded } = cpuHooksModule;
const { exceptionClass, nestedOutcome } = exceptionClassModule;
const { deliverReal } = deliverRealModule;
const { deliverProtected } = deliverProtectedModule;
const { deliverLong } = deliverLongModule;

/** Faults raised while delivering, at most, before the CPU is considered shut down (a safety net: Table 6-5 ends sooner). */
const MAX_NESTED = 8;

/**
 * The architectural state a failed delivery attempt may have changed, saved before each attempt.
 * One scratch record for the module: delivery never re-enters itself (nothing it calls delivers),
 * and a tick-driven guest delivers thousands of events a second, so nothing is allocated per event.
 */
const saved = { rip: 0, flags: 0, cpl: 0, sp: 0, spHi: 0, sel: new Uint16Array(6), base: new Float64Array(6), limit: new Float64Array(6), attr: new Int32Array(6) };

function save(m: Machine): void {
  saved.rip = m.rip;
  saved.flags = getFlags(m);
  saved.cpl = m.cpl;
  saved.sp = m.regs[4];
  saved.spHi = m.regsHi[4];
  saved.sel.set(m.segSel);
  saved.base.set(m.segBase);
  saved.limit.set(m.segLimit);
  saved.attr.set(m.segAttr);
}

function restore(m: Machine): void {
  const s = saved;
  m.rip = s.rip;
  setFlags(m, s.flags);
  m.regs[4] = s.sp;
  m.regsHi[4] = s.spHi;
  m.segSel.set(s.sel);
  m.segBase.set(s.base);
  m.segLimit.set(s.limit);
  m.segAttr.set(s.attr);
  for (let i = 0; i < 6; i++) segmentLoaded(m, i);
  const cplDiffers = m.cpl !== s.cpl;
  m.cpl = s.cpl;
  m.updateMode();
  if (cplDiffers) cplChanged(m);
}

/** One attempt through the current mode's table. */
function deliverOnce(m: Machine, ev: CpuEvent): void {
  const flags = getFlags(m) | (ev.source === 'fault' && ev.vector !== DB ? RF : 0);
  if (m.real) deliverReal(m, ev, flags);
  else if ((m.efer & EFER_LMA) !== 0) deliverLong(m, ev, flags);
  else deliverProtected(m, ev, flags);
}

function describe(ev: CpuEvent | CpuFault, pc: number | null): string {
  const at = pc !== null ? ` at 0x${pc.toString(16)}` : '';
  if (!(ev instanceof CpuFault) && ev.source === 'software') return `INT 0x${ev.vector.toString(16)}${at}`;
  if (!(ev instanceof CpuFault) && ev.source === 'external') return `external interrupt 0x${ev.vector.toString(16)}${at}`;
  const name = EXCEPTION_NAMES[ev.vector] || `vector ${ev.vector}`;
  const code = ev.errorCode !== undefined ? `(0x${ev.errorCode.toString(16)})` : '';
  const detail = ev instanceof CpuFault && ev.detail ? ` [${ev.detail}]` : '';
  return `${name}${code}${at}${detail}`;
}

/**
 * Deliver `first` to the guest (the environment already answered 'deliver'). Ends the run with
 * `{ reason: 'fault', vector: 8, message: 'triple fault: …' }` when the CPU would shut down.
 * Reports the transfer to controlTransferHook as 'int'. Data breakpoint hits of the frame pushes
 * of an event delivered between instructions are folded by the debug unit at the handler's first
 * boundary (DebugUnit.checkBoundary).
 */
export function deliverEvent(m: Machine, first: CpuEvent): void {
  const pc = m.codeLinear(m.insnStart);
  let trail: string[] | null = null;
  let ev = first;
  for (let n = 0; ; n++) {
    save(m);
    try {
      deliverOnce(m, ev);
      break;
    } catch (e) {
      if (!(e instanceof CpuFault)) throw e;
      restore(m);
      trail ??= [];
      trail.push(describe(ev, n === 0 ? pc : null));
      const interrupt = ev.source === 'software' || ev.source === 'external';
      const outcome = n + 1 >= MAX_NESTED ? 'shutdown' : nestedOutcome(exceptionClass(ev.vector, interrupt), exceptionClass(e.vector));
      if (outcome === 'shutdown') {
        trail.push(describe(e, null));
        m.stop({ reason: 'fault', vector: DF, pc, message: `triple fault: ${trail.join(' → ')} (IDTR base 0x${m.idtrBase.toString(16)} limit 0x${m.idtrLimit.toString(16)})` });
        return;
      }
      // A fault during delivery restarts where the event would have returned to; INT n restarts itself.
      const rip = ev.source === 'software' ? m.insnStart : ev.rip;
      if (outcome === 'double-fault') {
        trail.push(describe(e, null));
        ev = { vector: DF, source: 'fault', errorCode: 0, rip };
      } else {
        ev = { vector: e.vector, source: 'fault', errorCode: hasErrorCode(e.vector) ? e.errorCode ?? 0 : undefined, rip };
      }
    }
  }
  if (m.controlTransferHook !== null) m.reportControlTransfer('int');
}
