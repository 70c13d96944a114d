// The 8254 (src/emu/devices/pit8254.ts) in virtual time against the 8254 data sheet: counts per mode
// after N input clocks, OUT waveforms and the IRQ 0 edges they give, the counter-latch and read-back
// commands, LSB/MSB access, BCD, and a count rewritten while a periodic mode runs.
import { strict as assert } from 'assert';
import { INSTRUCTIONS_PER_PIT_TICK as T, Pit8254 } from '../../../src/emu/devices/pit8254';

/** A PIT whose IRQ 0 level changes are recorded as [tick, level]. */
function pit(): { p: Pit8254; edges: Array<[number, boolean]>; at: { icount: number } } {
  const at = { icount: 0 };
  const edges: Array<[number, boolean]> = [];
  clock = at;
  const p = new Pit8254((high) => edges.push([Math.floor(at.icount / T), high]));
  return { p, edges, at };
}

/** The clock the edge recorder stamps with; every helper moves it forward to the tick it acts at. */
let clock = { icount: 0 };

/** Program counter 0: control word then the count as LSB, MSB at tick `tick`. */
function program(p: Pit8254, control: number, count: number, tick: number): void {
  clock.icount = tick * T;
  p.write(0x43, control, tick * T);
  p.write(0x40, count & 0xff, tick * T);
  if ((control & 0x30) === 0x30) p.write(0x40, count >> 8, tick * T);
}

/** Latch and read counter 0 (LSB then MSB) at tick `tick`. */
function latchedCount(p: Pit8254, tick: number): number {
  clock.icount = tick * T;
  p.write(0x43, 0x00, tick * T);
  return p.read(0x40, tick * T) | (p.read(0x40, tick * T) << 8);
}

/** Run the device to `endTick` stepping from event to event, as the machine's loop does. */
function runTo(p: Pit8254, at: { icount: number }, endTick: number): void {
  for (;;) {
    const next = p.nextEventAt(at.icount);
    if (next > endTick * T) break;
    at.icount = next;
    p.advance(next);
  }
  at.icount = endTick * T;
  p.advance(at.icount);
}

describe('8254 PIT in virtual time', () => {
  it('one PIT input clock is 838 retired instructions (1 ns per instruction, 1.193182 MHz)', () => {
    assert.equal(T, Math.round(1e9 / 1193182));
  });

  it('mode 2 (rate generator): counts N..1, OUT low for the one clock at count 1, one IRQ 0 rising edge per period', () => {
    const { p, edges, at } = pit();
    program(p, 0x34, 100, 0);                 // counter 0, LSB+MSB, mode 2, binary; counting starts at tick 1
    assert.equal(p.nextEventAt(0), 100 * T, 'OUT falls when the count reaches 1');
    assert.equal(latchedCount(p, 1), 100);
    assert.equal(latchedCount(p, 31), 70);
    runTo(p, at, 100);
    assert.equal(latchedCount(p, 100), 1);
    runTo(p, at, 101);
    assert.equal(latchedCount(p, 101), 100, 'reloaded');
    runTo(p, at, 1 + 10 * 100 - 1);
    const rises = edges.filter(([, high]) => high).map(([tick]) => tick);
    const falls = edges.filter(([, high]) => !high).map(([tick]) => tick);
    assert.deepEqual(rises, [101, 201, 301, 401, 501, 601, 701, 801, 901]);
    assert.deepEqual(falls, [100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
  });

  it('mode 3 (square wave): OUT high for N/2 clocks and low for N/2, the count steps by two', () => {
    const { p, edges, at } = pit();
    program(p, 0x36, 1000, 0);
    assert.equal(latchedCount(p, 1), 1000);
    assert.equal(latchedCount(p, 11), 980);
    runTo(p, at, 501);
    assert.equal(latchedCount(p, 501), 1000, 'reloaded at the half period');
    runTo(p, at, 3001);
    assert.deepEqual(edges, [[501, false], [1001, true], [1501, false], [2001, true], [2501, false], [3001, true]]);
  });

  it('mode 3 with an odd count: high for (N+1)/2 clocks, low for (N-1)/2', () => {
    const { p, edges, at } = pit();
    program(p, 0x36, 5, 0);
    runTo(p, at, 11);
    assert.deepEqual(edges, [[4, false], [6, true], [9, false], [11, true]]);
  });

  it('mode 0 (interrupt on terminal count): OUT low after the control word, high at terminal count, the count wraps on', () => {
    const { p, edges, at } = pit();
    p.write(0x43, 0x30, 0);
    assert.deepEqual(edges, [[0, false]], 'OUT goes low with the control word');
    p.write(0x40, 50, 0);
    p.write(0x40, 0, 0);
    assert.equal(latchedCount(p, 21), 30);
    runTo(p, at, 61);
    assert.equal(latchedCount(p, 61), 0x10000 - 10);
    runTo(p, at, 200);
    assert.deepEqual(edges, [[0, false], [51, true]]);
    assert.equal(p.nextEventAt(200 * T), Infinity, 'one shot');
  });

  it('mode 0: writing the first byte of a new count stops counting; the full count restarts it', () => {
    const { p, edges, at } = pit();
    program(p, 0x30, 10, 0);
    runTo(p, at, 5);
    p.write(0x40, 20, 5 * T);
    runTo(p, at, 50);
    assert.deepEqual(edges, [[0, false]], 'stopped: no terminal count');
    p.write(0x40, 0, 50 * T);
    runTo(p, at, 100);
    assert.deepEqual(edges, [[0, false], [71, true]]);
  });

  it('mode 4 (software strobe): OUT pulses low for one clock at terminal count', () => {
    const { p, edges, at } = pit();
    program(p, 0x38, 10, 0);
    runTo(p, at, 30);
    assert.deepEqual(edges, [[11, false], [12, true]]);
  });

  it('the counter latch freezes the count until both bytes are read; reads without a latch follow the clock', () => {
    const { p } = pit();
    program(p, 0x34, 1000, 0);
    p.write(0x43, 0x00, 101 * T);
    assert.equal(p.read(0x40, 300 * T), (900 & 0xff));
    assert.equal(p.read(0x40, 400 * T), 900 >> 8);
    const lo = p.read(0x40, 501 * T);
    const hi = p.read(0x40, 501 * T);
    assert.equal(lo | (hi << 8), 500);
  });

  it('LSB-only and MSB-only access modes', () => {
    const { p } = pit();
    p.write(0x43, 0x14, 0);                   // LSB only, mode 2
    p.write(0x40, 200, 0);
    assert.equal(p.read(0x40, 51 * T), 150);
    p.write(0x43, 0x24, 0);                   // MSB only, mode 2: count = 2 << 8
    p.write(0x40, 2, 0);
    assert.equal(p.read(0x40, 1 * T), 2);
    assert.equal(p.read(0x40, 257 * T), 1);
  });

  it('BCD counting: counts are written and read as decimal digits', () => {
    const { p } = pit();
    program(p, 0x35, 0x1000, 0);              // mode 2, BCD, count 1000 decimal
    assert.equal(latchedCount(p, 1 + 1), 0x0999);
    assert.equal(latchedCount(p, 1 + 990), 0x0010);
  });

  it('read-back command latches status (OUT, NULL COUNT, access, mode, BCD) and count', () => {
    const { p } = pit();
    p.write(0x43, 0x34, 0);
    p.write(0x43, 0xe2, 0);                   // read-back: status of counter 0
    assert.equal(p.read(0x40, 0), 0x80 | 0x40 | 0x30 | (2 << 1), 'OUT high, null count, LSB+MSB, mode 2');
    p.write(0x40, 0x10, 0);
    p.write(0x40, 0x00, 0);
    p.write(0x43, 0xc2, 5 * T);               // count and status: status reads first, then the count
    assert.equal(p.read(0x40, 6 * T), 0x80 | 0x30 | (2 << 1));
    assert.equal(p.read(0x40, 9 * T) | (p.read(0x40, 9 * T) << 8), 12);
    p.write(0x43, 0xd2, 9 * T);               // count only
    assert.equal(p.read(0x40, 10 * T) | (p.read(0x40, 10 * T) << 8), 8);
  });

  it('a count written while mode 2 runs takes effect at the end of the current period', () => {
    const { p, edges, at } = pit();
    program(p, 0x34, 100, 0);
    runTo(p, at, 50);
    p.write(0x40, 10, 50 * T);
    p.write(0x40, 0, 50 * T);
    assert.equal(latchedCount(p, 60), 41, 'the old period goes on');
    runTo(p, at, 125);
    assert.deepEqual(edges.map(([tick]) => tick), [100, 101, 110, 111, 120, 121]);
  });

  it('periods skipped in one advance (an idle jump) still give a rising edge', () => {
    const { p, edges } = pit();
    program(p, 0x34, 10, 0);
    p.advance(5 * T);
    p.advance(1000 * T + 5 * T);
    assert.deepEqual(edges.map(([, high]) => high), [false, true]);
  });

  it('channel 2 GATE (port 61h bit 0): low suspends mode 0 counting, high resumes it', () => {
    const { p } = pit();
    p.write(0x43, 0xb0, 0);                   // counter 2, LSB+MSB, mode 0
    p.write(0x42, 100, 0);
    p.write(0x42, 0, 0);
    const count2 = (tick: number): number => { p.write(0x43, 0x80, tick * T); return p.read(0x42, tick * T) | (p.read(0x42, tick * T) << 8); };
    assert.equal(count2(9), 100, 'gate low at power-up: held at the count');
    p.setGate2(true, 10 * T);
    assert.equal(count2(20), 90);
    p.setGate2(false, 20 * T);
    assert.equal(count2(50), 90, 'suspended');
    p.setGate2(true, 50 * T);
    assert.deepEqual([p.out2(139 * T), p.out2(140 * T)], [false, true], 'terminal count 90 clocks after resuming');
  });

  it('mode 1 (hardware one-shot) on channel 2: a GATE rising edge triggers OUT low for N clocks', () => {
    const { p } = pit();
    p.write(0x43, 0xb2, 0);                   // counter 2, LSB+MSB, mode 1
    p.write(0x42, 5, 0);
    p.write(0x42, 0, 0);
    p.setGate2(true, 0);                      // a rising edge with the count loaded: trigger
    assert.deepEqual([1, 2, 5, 6, 7].map((t) => p.out2(t * T)), [false, false, false, true, true]);
    p.setGate2(false, 20 * T);
    p.setGate2(true, 20 * T);                 // retrigger
    assert.deepEqual([21, 25, 26].map((t) => p.out2(t * T)), [false, false, true]);
  });

  it('mode 2 with GATE low: OUT held high and counting stopped; the rising edge reloads', () => {
    const { p } = pit();
    p.write(0x43, 0xb4, 0);                   // counter 2, mode 2
    p.write(0x42, 10, 0);
    p.write(0x42, 0, 0);
    p.setGate2(true, 0);
    assert.equal(p.out2(10 * T), false, 'count 1 at clock 10');
    p.setGate2(false, 5 * T);
    assert.equal(p.out2(10 * T), true, 'held high');
    p.setGate2(true, 30 * T);
    assert.deepEqual([p.out2(39 * T), p.out2(40 * T), p.out2(41 * T)], [true, false, true]);
  });

  it('unprogrammed counter 0 schedules nothing', () => {
    const { p } = pit();
    assert.equal(p.nextEventAt(0), Infinity);
  });
});
