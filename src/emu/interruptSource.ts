// The contract between the machine's run loop and devices that raise maskable interrupts (the 8259
// PIC pair fed by the 8254 PIT, COM1, ...). Devices keep virtual time in retired instructions: the
// loop runs no further than `nextEventAt()` before calling `advance()`, and between instructions,
// with RFLAGS.IF = 1 and no interrupt shadow, asks `pending()` and then `acknowledge()` (the INTA
// cycle) for the vector to deliver. Imports only types.
import type { Machine } from './machine';

/** What an interrupt controller has for the CPU right now. */
export type InterruptRequest = { readonly kind: 'none' } | { readonly kind: 'vector'; readonly vector: number };

export const NO_INTERRUPT: InterruptRequest = Object.freeze({ kind: 'none' });

/** A source of maskable hardware interrupts and timed device events, attached as `Machine.interrupts`. */
export interface InterruptSource {
  /** Instruction count (Machine.icount) at which a device next changes state; Infinity when nothing is scheduled. */
  nextEventAt(m: Machine): number;
  /** Bring devices up to `m.icount` (timer ticks, transmit-complete), raising request lines as they do. */
  advance(m: Machine): void;
  /** True when an unmasked request is waiting (cheap; asked only while IF = 1). */
  pending(): boolean;
  /**
   * The INTA cycle: the vector of the highest-priority pending request, now in service. A request
   * that vanished before INTA gets what the controller answers then (the 8259 gives IRQ 7's or 15's
   * vector without setting its in-service bit); 'none' only when no controller has anything at all.
   */
  acknowledge(m: Machine): InterruptRequest;
  /**
   * HLT with IF = 1: skip virtual time to the next event so a waiting guest wakes; returns false when
   * nothing will ever raise an interrupt (the run then ends as halted).
   */
  idleUntilNextEvent(m: Machine): boolean;
}
