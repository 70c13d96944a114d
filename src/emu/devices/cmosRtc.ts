// The MC146818 real-time clock and CMOS RAM at ports 70h (index, bit 7 = NMI disable) and 71h
// (data), on the machine's virtual clock: the time is the virtual epoch (2024-01-01 00:00:00 UTC)
// plus 1 ns per retired instruction (env/virtualClock.ts), so runs repeat exactly. Seconds, minutes,
// hours (24- or 12-hour), weekday, day, month, year and century (register 32h), in BCD or binary as
// status register B says; writes to them set the clock. Status A reports no update in progress, D a
// valid clock; the periodic, alarm and update-ended interrupts (IRQ 8) are not generated. The other
// bytes are plain CMOS RAM. Imports the virtual clock's calendar only.
import { VIRTUAL_EPOCH_SECONDS, calendar } from '../env/virtualClock';

export const RTC_INDEX = 0x70;
export const RTC_DATA = 0x71;

const SECONDS = 0x00, MINUTES = 0x02, HOURS = 0x04, WEEKDAY = 0x06, DAY = 0x07, MONTH = 0x08, YEAR = 0x09;
const STATUS_A = 0x0a, STATUS_B = 0x0b, STATUS_C = 0x0c, STATUS_D = 0x0d, CENTURY = 0x32;
const B_BINARY = 0x04;
const B_24_HOUR = 0x02;

/** Retired instructions per second of virtual time (1 ns each). */
const INSTRUCTIONS_PER_SECOND = 1e9;

export class CmosRtc {
  private index = 0;
  /** NMI disabled by bit 7 of the last index write (kept for reads of the guest's intent; NMIs are never raised). */
  nmiDisabled = false;
  private readonly ram = new Uint8Array(128);
  /** Seconds added to the virtual clock by guest writes of the time registers. */
  private offsetSeconds = 0;

  constructor() {
    this.ram[STATUS_A] = 0x26;                 // 32.768 kHz time base, 1024 Hz rate; UIP never set
    this.ram[STATUS_B] = B_24_HOUR;            // 24-hour, BCD, no interrupts
    this.ram[STATUS_D] = 0x80;                 // valid RAM and time
  }

  /** Write port 70h (index) or 71h (data) at instruction count `icount`. */
  write(port: number, value: number, icount: number): void {
    if (port === RTC_INDEX) {
      this.index = value & 0x7f;
      this.nmiDisabled = (value & 0x80) !== 0;
      return;
    }
    const i = this.index;
    if (i === STATUS_C || i === STATUS_D) return;              // read-only
    if (i === STATUS_A) { this.ram[i] = (this.ram[i] & 0x80) | (value & 0x7f); return; }
    if (i === STATUS_B) { this.ram[i] = value & 0xff; return; }
    const field = this.fieldOf(i);
    if (field === null) { this.ram[i] = value & 0xff; return; }
    this.setField(field, this.decode(i, value & 0xff), icount);
  }

  /** Read port 71h (the indexed register); port 70h is write-only and reads all ones. */
  read(port: number, icount: number): number {
    if (port === RTC_INDEX) return 0xff;
    const i = this.index;
    if (i === STATUS_C) {
      const v = this.ram[STATUS_C];
      this.ram[STATUS_C] = 0;
      return v;
    }
    const field = this.fieldOf(i);
    if (field === null) return this.ram[i];
    return this.encode(i, this.fields(icount)[field]);
  }

  /** Seconds since 1970 the clock shows at `icount`. */
  now(icount: number): number {
    return VIRTUAL_EPOCH_SECONDS + Math.floor(icount / INSTRUCTIONS_PER_SECOND) + this.offsetSeconds;
  }

  private fields(icount: number): Record<Field, number> {
    const c = calendar(this.now(icount));
    return { second: c.second, minute: c.minute, hour: c.hour, weekday: c.weekday + 1, day: c.day, month: c.month, year: c.year % 100, century: Math.floor(c.year / 100) };
  }

  private fieldOf(i: number): Field | null {
    switch (i) {
      case SECONDS: return 'second';
      case MINUTES: return 'minute';
      case HOURS: return 'hour';
      case WEEKDAY: return 'weekday';
      case DAY: return 'day';
      case MONTH: return 'month';
      case YEAR: return 'year';
      case CENTURY: return 'century';
      default: return null;
    }
  }

  /** A field's value in the register format of status B (BCD or binary; 12-hour with bit 7 = PM). */
  private encode(i: number, value: number): number {
    const binary = (this.ram[STATUS_B] & B_BINARY) !== 0;
    let v = value;
    let pm = 0;
    if (i === HOURS && (this.ram[STATUS_B] & B_24_HOUR) === 0) {
      pm = v >= 12 ? 0x80 : 0;
      v = v % 12 === 0 ? 12 : v % 12;
    }
    return (binary ? v : ((Math.floor(v / 10) << 4) | (v % 10))) | pm;
  }

  private decode(i: number, raw: number): number {
    const binary = (this.ram[STATUS_B] & B_BINARY) !== 0;
    let pm = false;
    let r = raw;
    if (i === HOURS && (this.ram[STATUS_B] & B_24_HOUR) === 0) {
      pm = (r & 0x80) !== 0;
      r &= 0x7f;
    }
    let v = binary ? r : (r >> 4) * 10 + (r & 0xf);
    if (i === HOURS && (this.ram[STATUS_B] & B_24_HOUR) === 0) v = (v % 12) + (pm ? 12 : 0);
    return v;
  }

  /** Set one calendar field: the clock offset moves so the other fields keep their values. */
  private setField(field: Field, value: number, icount: number): void {
    if (field === 'weekday') return;          // derived from the date here
    const f = this.fields(icount);
    f[field] = value;
    const year = f.century * 100 + f.year;
    const target = Date.UTC(year, f.month - 1, f.day, f.hour, f.minute, f.second) / 1000;
    // Each write applies at once (a real chip holds the time while status B's SET bit is on).
    if (Number.isFinite(target)) this.offsetSeconds += target - this.now(icount);
  }
}

type Field = 'second' | 'minute' | 'hour' | 'weekday' | 'day' | 'month' | 'year' | 'century';
