// Virtual time for guests: deterministic, derived from the instruction count (1 ns per retired
// instruction) plus the time the guest slept, starting at a fixed wall-clock epoch. Nothing reads
// the host clock, so runs repeat exactly. Imports nothing.

/** 2024-01-01T00:00:00Z, a Monday: the wall-clock time at instruction 0. */
export const VIRTUAL_EPOCH_SECONDS = 1704067200;

/** A guest's clock: wall time and monotonic time in nanoseconds. */
export class VirtualClock {
  private sleptNs = 0;

  constructor(private readonly instructions: () => number, private readonly epochSeconds = VIRTUAL_EPOCH_SECONDS) {}

  /** Nanoseconds since the machine started (CLOCK_MONOTONIC). */
  monotonicNs(): number {
    return this.instructions() + this.sleptNs;
  }

  /** Whole seconds and nanoseconds of wall time (CLOCK_REALTIME). */
  wall(): { seconds: number; nanoseconds: number } {
    const ns = this.monotonicNs();
    return { seconds: this.epochSeconds + Math.floor(ns / 1e9), nanoseconds: ns % 1e9 };
  }

  /** Let `ns` nanoseconds pass at once (nanosleep, INT 15h wait). */
  sleep(ns: number): void {
    if (Number.isFinite(ns) && ns > 0) this.sleptNs += ns;
  }
}

/** Calendar fields of a wall time, UTC (for DOS date/time services). */
export function calendar(seconds: number): { year: number; month: number; day: number; weekday: number; hour: number; minute: number; second: number } {
  const d = new Date(seconds * 1000);
  return {
    year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), weekday: d.getUTCDay(),
    hour: d.getUTCHours(), minute: d.getUTCMinutes(), second: d.getUTCSeconds(),
  };
}
