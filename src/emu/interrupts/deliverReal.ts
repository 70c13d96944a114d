// Real-mode interrupt and exception delivery through the IVT (SDM Vol. 3 §20.1.4, Vol. 2 INT n
// "REAL-ADDRESS-MODE"): the 4-byte entry of the vector must lie inside the IDTR limit (LIDT in real
// mode moves and sizes the IVT) else #GP; push FLAGS, CS, IP; clear IF, TF, AC (and RF);
// CS:IP from the entry. The entry read is an implicit system access (no debug hooks).
// Imports the CPU core, flags, exceptions, event and src/emu/protected's system accesses.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as systemAccessModule from '../protected/systemAccess';
import type { CpuEvent } from './event';
const { CS } = cpuModule;
const { setFlags, IF, TF, AC, RF } = flagsModule;
const { GP } = exceptionsModule;
const { sysRead } = systemAccessModule;

/** Deliver `ev` through the IVT; `flags` is the FLAGS image to push. Faults propagate (the caller rolls back). */
export function deliverReal(m: Machine, ev: CpuEvent, flags: number): void {
  const vector = ev.vector;
  if (vector * 4 + 3 > m.idtrLimit) throw new CpuFault(GP, 0, undefined, `vector ${vector} lies beyond the IVT limit 0x${m.idtrLimit.toString(16)}`);
  m.push(2, flags);
  m.push(2, m.segSel[CS]);
  m.push(2, ev.rip);
  const entry = (m.idtrBase + vector * 4) & m.a20Mask;
  const ip = sysRead(m, entry, 2);
  const cs = sysRead(m, (entry + 2) & m.a20Mask, 2);
  setFlags(m, flags & ~(IF | TF | AC | RF));
  m.loadRealSegment(CS, cs);
  m.rip = ip;
}
