// Maskable external interrupts in the run loop (SDM Vol. 3 §6.8.1, §6.9 priority 5): the loop runs no
// further than the InterruptSource's next event (so it tests nothing per instruction), and at such
// a boundary — or right after an instruction that set IF — advances the devices and, with IF = 1,
// outside the one-instruction shadow of STI / MOV SS / POP SS and with no debugger trap waiting,
// acknowledges the request and delivers its vector as an external event (EXT = 1, no DPL check,
// pushed RIP = the next instruction).
// Imports the CPU core types, flags, the InterruptSource contract and delivery.
import type { Machine } from '../machine';
import type { InterruptSource } from '../interruptSource';
import * as flagsModule from '../flags';
import * as deliveryModule from './delivery';
const { IF } = flagsModule;
const { deliverEvent } = deliveryModule;

/** Events HLT may idle through looking for an interrupt before it gives up (masked timers tick forever). */
const MAX_IDLE_EVENTS = 100000;

/** The run loop's interrupt window: the STI / MOV SS shadow and when to look again. */
export class InterruptWindow {
  /** Set by STI / MOV SS / POP SS (which also end the slice): the next boundary is inside the shadow. */
  private shadowed = false;
  /** Instruction count at which the loop must stop to look again (Infinity: only at device events). */
  private recheckAt = Infinity;

  /**
   * An instruction that blocks interrupts until after the next one retired; the caller ends the
   * slice right after it, so the next service() is at the boundary the shadow covers.
   */
  openShadow(): void {
    this.shadowed = true;
  }

  /** Where the loop must stop next for `src`: its next event or an earlier re-check. */
  nextStop(m: Machine, src: InterruptSource): number {
    return Math.min(src.nextEventAt(m), this.recheckAt);
  }

  /** At an instruction boundary: bring the devices up to date and deliver what IF and the shadow allow. */
  service(m: Machine, src: InterruptSource): void {
    this.recheckAt = Infinity;
    const inShadow = this.shadowed;
    this.shadowed = false;
    if (m.icount >= src.nextEventAt(m)) src.advance(m);
    if ((m.flagsRest & IF) === 0 || !src.pending()) return;
    if (inShadow) {
      // Right after STI / MOV SS / POP SS: the next instruction runs first.
      this.recheckAt = m.icount + 1;
      return;
    }
    // A pending #DB trap (either layer), ICEBP or MOV SS shadow comes first (SDM Table 6-2: priority 4 before 5).
    if (m.debug.trapPending) {
      this.recheckAt = m.icount + 1;
      return;
    }
    const r = src.acknowledge(m);
    if (r.kind !== 'vector') return;
    m.insnStart = m.rip;
    deliverEvent(m, { vector: r.vector & 0xff, source: 'external', errorCode: undefined, rip: m.rip });
    // A trap gate leaves IF set: the next request may come at the handler's next boundary.
    if ((m.flagsRest & IF) !== 0) this.recheckAt = m.icount + 1;
  }

  /**
   * HLT with IF = 1: idle the devices until a request is pending (true; the loop stops so the next
   * boundary delivers it, RIP after the HLT) or nothing can ever raise one (false).
   */
  waitForInterrupt(m: Machine, src: InterruptSource): boolean {
    if ((m.flagsRest & IF) === 0) return false;
    for (let i = 0; i < MAX_IDLE_EVENTS; i++) {
      if (m.icount >= src.nextEventAt(m)) src.advance(m);
      if (src.pending()) {
        this.recheckAt = m.icount;
        return true;
      }
      if (!src.idleUntilNextEvent(m)) return false;
    }
    return false;
  }

  /** Look again at the next boundary (IF was just set by POPF, IRET, STI, a task switch...). */
  recheckNow(m: Machine): void {
    this.recheckAt = m.icount;
  }
}
