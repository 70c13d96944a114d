// An event on its way through the interrupt table: its vector, how it arose (which decides the
// DPL check, the EXT bit of error codes raised while delivering it, the pushed RF and the restart
// point of a fault during its delivery), its error code and the return RIP pushed.
// Imports nothing.

/**
 * How the event arose (SDM Vol. 3 §6.4, §6.12.1.1, §6.13):
 * - `fault`: an exception raised by an instruction that did not complete (RIP = that instruction);
 * - `trap`: a trap-class exception after an instruction completed (#DB traps, ICEBP);
 * - `software`: INT n, INT3, INTO (gate DPL checked against CPL, EXT = 0);
 * - `external`: a maskable interrupt from an InterruptSource (no DPL check, EXT = 1).
 */
export type EventSource = 'fault' | 'trap' | 'software' | 'external';

/** One event to deliver. */
export interface CpuEvent {
  vector: number;
  source: EventSource;
  /** Pushed after the return address for exceptions that have one (Table 6-1), else undefined. */
  errorCode: number | undefined;
  /** The RIP pushed (faults: the faulting instruction; traps, INT n, interrupts: the next one). */
  rip: number;
}

/** The EXT bit of error codes raised while delivering an event of `source` (§6.13). */
export function extBit(source: EventSource): number {
  return source === 'software' ? 0 : 1;
}
