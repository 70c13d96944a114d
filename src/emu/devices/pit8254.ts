// The Intel 8254 programmable interval timer at ports 40h–43h in virtual time: the input clock
// (1.193182 MHz) ticks once every INSTRUCTIONS_PER_PIT_TICK retired instructions, so runs repeat
// exactly. Counters in modes 0 (interrupt on terminal count), 2 (rate generator), 3 (square wave)
// and 4 (software strobe), and the GATE input (channels 0 and 1 tied high as on a PC; channel 2's
// from port 61h bit 0): low suspends modes 0/4 and holds modes 2/3 (OUT high), a rising edge reloads
// 2/3 and triggers modes 1 (one-shot) and 5 (hardware strobe). Binary and BCD counting, LSB/MSB/both access, the counter-latch and
// read-back commands. Counts are computed from the time since loading, not ticked one by one.
// Channel 0's OUT is IRQ 0. Imports nothing.

/**
 * Retired instructions per PIT input clock. The machine's virtual clock counts 1 ns per instruction
 * (env/virtualClock.ts), and 1 / 1.193182 MHz = 838.1 ns, so 838 instructions make one PIT tick:
 * the default 18.2 Hz timer (count 65536) fires every 54,919,168 instructions, a 1 kHz timer
 * (count 1193) every 999,734.
 */
export const INSTRUCTIONS_PER_PIT_TICK = 838;

/** Read/load access of a counter (control word bits 5–4). */
type Access = 1 | 2 | 3;

/** One of the three counters. */
export class PitCounter {
  mode = 0;
  bcd = false;
  access: Access = 3;
  /** The count register as last written (0 stands for 65536 / 10000). */
  reload = 0;
  /** Tick (in PIT clocks) at which counting with `reload` began; -1 while no count was written. */
  start = -1;
  /** A new count written while a periodic mode runs: takes effect at the end of the current period. */
  private nextReload = -1;
  /** Output latch of the count (counter-latch command), or -1. */
  private latched = -1;
  private latchedBytesLeft = 0;
  /** Status latch (read-back), or -1. */
  private status = -1;
  /** LSB/MSB flip-flops for reads and writes in access mode 3. */
  private readMsb = false;
  private writeMsb = false;
  private writeLow = 0;
  /** True from a control word until the first count is loaded (status bit 6, NULL COUNT). */
  nullCount = true;
  /** The GATE input. */
  gate = true;
  /** Counting suspended (gate low) since this PIT clock, or -1. */
  private pausedAt = -1;

  /** Program the counter from a control word (bits 5–0). */
  control(value: number): void {
    this.access = ((value >> 4) & 3) as Access;
    const m = (value >> 1) & 7;
    this.mode = m > 5 ? m - 4 : m;
    this.bcd = (value & 1) !== 0;
    this.start = -1;
    this.nextReload = -1;
    this.latched = -1;
    this.status = -1;
    this.readMsb = false;
    this.writeMsb = false;
    this.nullCount = true;
    this.pausedAt = -1;
  }

  /** Drive the GATE input at PIT clock `tick` (8254 data sheet, Figure "Gate pin operations"). */
  setGate(tick: number, high: boolean): void {
    if (high === this.gate) return;
    this.applyPendingReload(tick);
    this.gate = high;
    if (this.nullCount) return;
    switch (this.mode) {
      case 0:
      case 4:
        if (!high) { if (this.start >= 0) this.pausedAt = Math.max(tick, this.start); }
        else if (this.pausedAt >= 0) { this.start += tick - this.pausedAt; this.pausedAt = -1; }
        return;
      case 2:
      case 3:
        if (!high) { if (this.start >= 0) this.pausedAt = Math.max(tick, this.start); return; }
        this.pausedAt = -1;
        if (this.nextReload >= 0) { this.reload = this.nextReload; this.nextReload = -1; }
        this.start = tick + 1;
        return;
      default:
        // Modes 1 and 5: a rising edge (re)triggers the count from the next clock.
        if (high) this.start = tick + 1;
    }
  }

  /** The counter-latch command: freeze the current count for the next read(s). */
  latch(tick: number): void {
    if (this.latched >= 0) return;
    this.latched = this.countAt(tick);
    this.latchedBytesLeft = this.access === 3 ? 2 : 1;
  }

  /** Read-back status latch: OUT, NULL COUNT, access, mode, BCD. */
  latchStatus(tick: number): void {
    if (this.status >= 0) return;
    this.status = (this.outputAt(tick) ? 0x80 : 0) | (this.nullCount ? 0x40 : 0) | (this.access << 4) | (this.mode << 1) | (this.bcd ? 1 : 0);
  }

  /** A read of the counter's port. */
  read(tick: number): number {
    if (this.status >= 0) {
      const s = this.status;
      this.status = -1;
      return s;
    }
    let value: number;
    if (this.latched >= 0) {
      value = this.latched;
      if (--this.latchedBytesLeft <= 0 || this.access !== 3) {
        const v = this.readByte(value);
        this.latched = -1;
        return v;
      }
      return this.readByte(value);
    }
    value = this.countAt(tick);
    return this.readByte(value);
  }

  /** A write of one byte of the count. */
  write(tick: number, byte: number): void {
    if (this.access === 1) return this.load(tick, byte);
    if (this.access === 2) return this.load(tick, byte << 8);
    if (!this.writeMsb) {
      this.writeLow = byte;
      this.writeMsb = true;
      // Mode 0: writing the first byte stops the count (OUT goes low again when the count completes).
      if (this.mode === 0) this.start = -1;
      return;
    }
    this.writeMsb = false;
    this.load(tick, this.writeLow | (byte << 8));
  }

  /** The counter's period in PIT clocks (the count, with 0 meaning the maximum). */
  period(): number {
    return this.periodOf(this.reload);
  }

  /** OUT at PIT clock `tick`. */
  outputAt(tick: number): boolean {
    this.applyPendingReload(tick);
    const held = this.pausedAt >= 0;
    if (held && (this.mode === 2 || this.mode === 3)) return true;
    const t = (held ? Math.min(tick, this.pausedAt) : tick) - this.start;
    if (this.start < 0 || t < 0) return this.mode !== 0;
    const n = this.period();
    switch (this.mode) {
      case 0: return t >= n;
      case 1: return t >= n;
      case 2: return t % n !== n - 1;
      case 3: return t % n < Math.ceil(n / 2);
      default: return t !== n;                // modes 4 and 5: one clock low at terminal count
    }
  }

  /**
   * The first PIT clock after `tick` at which OUT changes, or Infinity. Rising edges are what the PIC
   * latches; falls matter for the edge detector (a request withdrawn before INTA).
   */
  nextChangeAfter(tick: number): number {
    this.applyPendingReload(tick);
    if (this.start < 0 || this.pausedAt >= 0) return Infinity;
    const n = this.period();
    const t = Math.max(tick - this.start, -1);
    switch (this.mode) {
      case 0: return t < n ? this.start + n : Infinity;
      case 1: return t < 0 ? this.start : t < n ? this.start + n : Infinity;
      case 2:
      case 3: {
        // Count 1 is not allowed in these modes (8254 data sheet); it gives no edges here.
        if (n === 1) return Infinity;
        const low = this.mode === 2 ? n - 1 : Math.ceil(n / 2);
        if (t < 0) return this.start + low;
        const phase = t % n;
        const base = tick - phase;
        return phase < low ? base + low : base + n;
      }
      default: return t < n ? this.start + n : t === n ? this.start + n + 1 : Infinity;
    }
  }

  /** Count value at PIT clock `tick` (what a read returns, before BCD conversion). */
  countAt(tick: number): number {
    this.applyPendingReload(tick);
    const wrap = this.bcd ? 10000 : 65536;
    const t = (this.pausedAt >= 0 ? Math.min(tick, this.pausedAt) : tick) - this.start;
    if (this.start < 0 || t < 0) return this.reload % wrap;
    const n = this.period();
    switch (this.mode) {
      case 2: return (n - (t % n)) % wrap;
      case 3: {
        // Decrements by two each clock and reloads at each half period (8254 data sheet, mode 3).
        const high = Math.ceil(n / 2);
        const phase = t % n;
        const inHalf = phase < high ? phase : phase - high;
        return (n - (n & 1) - 2 * inHalf + wrap) % wrap;
      }
      default:
        // Modes 0, 1, 4 and 5 keep counting down through zero and wrap.
        return (((n - t) % wrap) + wrap) % wrap;
    }
  }

  private periodOf(count: number): number {
    if (count === 0) return this.bcd ? 10000 : 65536;
    return count;
  }

  private readByte(value: number): number {
    const v = this.bcd ? toBcd(value) : value;
    if (this.access === 1) return v & 0xff;
    if (this.access === 2) return (v >> 8) & 0xff;
    this.readMsb = !this.readMsb;
    return this.readMsb ? v & 0xff : (v >> 8) & 0xff;
  }

  private load(tick: number, value: number): void {
    const count = this.bcd ? fromBcd(value & 0xffff) : value & 0xffff;
    this.nullCount = false;
    // Periodic modes keep their current period; the new count applies from the next one.
    if ((this.mode === 2 || this.mode === 3) && this.start >= 0) {
      this.nextReload = count;
      const t = tick - this.start;
      const n = this.period();
      this.pendingAt = this.start + (Math.floor(t / n) + 1) * n;
      return;
    }
    this.reload = count;
    // Counting begins with the clock after the write (modes 1/5: after a GATE trigger); a low GATE
    // holds it at the full count.
    this.start = this.mode === 1 || this.mode === 5 ? -1 : tick + 1;
    this.pausedAt = this.gate || this.start < 0 ? -1 : this.start;
  }

  /** PIT clock at which nextReload takes over. */
  private pendingAt = 0;

  private applyPendingReload(tick: number): void {
    if (this.nextReload < 0 || tick < this.pendingAt) return;
    this.reload = this.nextReload;
    this.start = this.pendingAt;
    this.nextReload = -1;
  }
}

function toBcd(v: number): number {
  return (v % 10) | (Math.floor(v / 10) % 10) << 4 | (Math.floor(v / 100) % 10) << 8 | (Math.floor(v / 1000) % 10) << 12;
}

function fromBcd(v: number): number {
  return (v & 0xf) + ((v >> 4) & 0xf) * 10 + ((v >> 8) & 0xf) * 100 + ((v >> 12) & 0xf) * 1000;
}

/** The 8254 with its three counters; channel 0 drives IRQ 0 through `setIrq0`. */
export class Pit8254 {
  readonly counters = [new PitCounter(), new PitCounter(), new PitCounter()];
  /** Channel 0's OUT as last reported to the PIC. */
  private out0 = false;
  /** Instruction count of the last advance (for edge detection between advances). */
  private lastTick = 0;

  constructor(private readonly setIrq0: (high: boolean) => void) {
    // Firmware leaves counter 0 in mode 3 with count 0 (18.2 Hz); a bare guest has no firmware, so
    // counters start unprogrammed (no output edges until a count is written).
    this.counters[0].mode = 3;
    this.out0 = true;
    // Channel 2's gate is port 61h bit 0, clear at power-up.
    this.counters[2].gate = false;
  }

  /** Channel 2's GATE (port 61h bit 0). */
  setGate2(high: boolean, icount: number): void {
    this.counters[2].setGate(Pit8254.tickOf(icount), high);
  }

  /** Channel 2's OUT (port 61h bit 5). */
  out2(icount: number): boolean {
    return this.counters[2].outputAt(Pit8254.tickOf(icount));
  }

  /** PIT clock at instruction count `icount`. */
  static tickOf(icount: number): number {
    return Math.floor(icount / INSTRUCTIONS_PER_PIT_TICK);
  }

  /** Port read (40h–42h; 43h reads as FFh). */
  read(port: number, icount: number): number {
    const c = this.counters[port - 0x40];
    return c === undefined ? 0xff : c.read(Pit8254.tickOf(icount));
  }

  /** Port write (40h–42h counts, 43h control word). */
  write(port: number, value: number, icount: number): void {
    this.advance(icount);
    const tick = Pit8254.tickOf(icount);
    if (port === 0x43) {
      const sc = value >> 6;
      if (sc === 3) {
        // Read-back: bit 5 = 0 latches counts, bit 4 = 0 latches status, bits 3–1 select counters.
        for (let i = 0; i < 3; i++) {
          if ((value & (2 << i)) === 0) continue;
          if ((value & 0x20) === 0) this.counters[i].latch(tick);
          if ((value & 0x10) === 0) this.counters[i].latchStatus(tick);
        }
        return;
      }
      const c = this.counters[sc];
      if ((value & 0x30) === 0) c.latch(tick);
      else c.control(value & 0x3f);
    } else {
      this.counters[port - 0x40]?.write(tick, value & 0xff);
    }
    this.advance(icount);
  }

  /**
   * Instruction count of channel 0's first OUT change not yet reported by advance(), or Infinity.
   * Measured from the last advance, not from `icount`: a change that is due stays due until advanced.
   */
  nextEventAt(_icount: number): number {
    const next = this.counters[0].nextChangeAfter(this.lastTick);
    return next === Infinity ? Infinity : next * INSTRUCTIONS_PER_PIT_TICK;
  }

  /**
   * Bring channel 0's OUT up to `icount`, telling the PIC about changes. When OUT fell and rose again
   * since the last advance (periods skipped over by an idle HLT), the rising edge is still reported.
   */
  advance(icount: number): void {
    const tick = Pit8254.tickOf(icount);
    const c = this.counters[0];
    const out = c.outputAt(tick);
    if (out && this.out0 && tick > this.lastTick && c.nextChangeAfter(this.lastTick) <= tick) {
      this.setIrq0(false);
      this.setIrq0(true);
    } else if (out !== this.out0) {
      this.setIrq0(out);
    }
    this.out0 = out;
    this.lastTick = tick;
  }
}
