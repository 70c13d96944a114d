// The rest of the bare PC (src/emu/devices/): the 8042 keyboard controller (status, self test,
// command byte, output port, A20 through D1h and DDh/DFh, reset by FEh and by D1h), port 92h
// (fast A20, fast reset), port E9h, the MC146818 RTC/CMOS on virtual time, and the device set: byte lanes of word/dword port accesses,
// all-ones for unhandled ports, the INTA cycle and idle HLT skipping virtual time to the next timer IRQ.
import { strict as assert } from 'assert';
import { BufferConsole } from '../../../src/emu/console';
import { Machine } from '../../../src/emu/machine';
import { PcDevices } from '../../../src/emu/devices/pcDevices';
import { INSTRUCTIONS_PER_PIT_TICK } from '../../../src/emu/devices/pit8254';

function board(input = ''): { d: PcDevices; m: Machine; con: BufferConsole; a20: boolean[]; resets: string[] } {
  const con = new BufferConsole(input);
  const a20: boolean[] = [];
  const resets: string[] = [];
  const d = new PcDevices(con, { setA20: (on) => a20.push(on), reset: (r) => resets.push(r) });
  return { d, m: new Machine(), con, a20, resets };
}

describe('bare PC board devices', () => {
  describe('8042 keyboard controller', () => {
    it('status register, self test (AAh → 55h), interface test, command byte read/write', () => {
      const { d, m } = board();
      assert.equal(d.portIn(m, 0x64, 1) & 0x01, 0, 'output buffer empty');
      d.portOut(m, 0x64, 1, 0xaa);
      assert.equal(d.portIn(m, 0x64, 1) & 0x09, 0x09, 'output full, last write was a command');
      assert.equal(d.portIn(m, 0x60, 1), 0x55);
      d.portOut(m, 0x64, 1, 0xab);
      assert.equal(d.portIn(m, 0x60, 1), 0x00);
      d.portOut(m, 0x64, 1, 0x60);
      d.portOut(m, 0x60, 1, 0x47);
      d.portOut(m, 0x64, 1, 0x20);
      assert.equal(d.portIn(m, 0x60, 1), 0x47);
      assert.equal(d.portIn(m, 0x64, 1) & 0x04, 0x04, 'system flag from the command byte');
    });

    it('A20 through the output port: D1h then a byte on 60h; D0h reads it back; DDh/DFh switch it', () => {
      const { d, m, a20 } = board();
      d.portOut(m, 0x64, 1, 0xd1);
      d.portOut(m, 0x60, 1, 0xdf);
      assert.deepEqual(a20, [true]);
      d.portOut(m, 0x64, 1, 0xd0);
      assert.equal(d.portIn(m, 0x60, 1) & 0x03, 0x03);
      d.portOut(m, 0x64, 1, 0xdd);
      d.portOut(m, 0x64, 1, 0xdf);
      assert.deepEqual(a20, [true, false, true]);
    });

    it('reset: command FEh pulses the reset line; so does D1h with bit 0 clear', () => {
      const { d, m, resets } = board();
      d.portOut(m, 0x64, 1, 0xfe);
      d.portOut(m, 0x64, 1, 0xd1);
      d.portOut(m, 0x60, 1, 0x00);
      assert.equal(resets.length, 2);
      assert.match(resets[0], /FEh/);
    });

    it('bytes for the keyboard are acknowledged (FAh), reset answers FAh AAh', () => {
      const { d, m } = board();
      d.portOut(m, 0x60, 1, 0xff);
      assert.deepEqual([d.portIn(m, 0x60, 1), d.portIn(m, 0x60, 1)], [0xfa, 0xaa]);
      d.portOut(m, 0x60, 1, 0xf4);
      assert.equal(d.portIn(m, 0x60, 1), 0xfa);
    });
  });

  it('port 92h: bit 1 is fast A20 (combined with the controller\'s gate), bit 0 resets', () => {
    const { d, m, a20, resets } = board();
    d.portOut(m, 0x92, 1, 0x02);
    assert.deepEqual([a20, d.portIn(m, 0x92, 1)], [[true], 0x02]);
    d.portOut(m, 0x64, 1, 0xdf);
    d.portOut(m, 0x92, 1, 0x00);
    assert.equal(d.a20(), true, 'the controller still enables A20');
    d.portOut(m, 0x64, 1, 0xdd);
    assert.equal(d.a20(), false);
    d.portOut(m, 0x92, 1, 0x01);
    assert.deepEqual(resets, ['port 92h bit 0 (fast reset)']);
  });

  describe('MC146818 RTC / CMOS (70h/71h)', () => {
    const rtc = (d: PcDevices, m: Machine, index: number): number => {
      d.portOut(m, 0x70, 1, index);
      return d.portIn(m, 0x71, 1);
    };
    const clock = (d: PcDevices, m: Machine): number[] => [0x32, 0x09, 0x08, 0x07, 0x06, 0x04, 0x02, 0x00].map((i) => rtc(d, m, i));

    it('starts at the virtual epoch, 2024-01-01 00:00:00 (a Monday), in BCD, 24-hour; status A/B/D as after POST', () => {
      const { d, m } = board();
      assert.deepEqual(clock(d, m), [0x20, 0x24, 0x01, 0x01, 0x02, 0x00, 0x00, 0x00]);
      assert.deepEqual([rtc(d, m, 0x0a), rtc(d, m, 0x0b), rtc(d, m, 0x0c), rtc(d, m, 0x0d)], [0x26, 0x02, 0x00, 0x80]);
      assert.equal(d.portIn(m, 0x70, 1), 0xff, 'the index port is write-only');
    });

    it('runs on the instruction count (1 ns each): 1 h 2 min 3.5 s later it reads 01:02:03', () => {
      const { d, m } = board();
      m.icount = 3723.5e9;
      assert.deepEqual(clock(d, m).slice(5), [0x01, 0x02, 0x03]);
      m.icount = 86400e9 * 59;                // 59 days: 2024 is a leap year → 29 February, a Thursday
      assert.deepEqual(clock(d, m).slice(0, 5), [0x20, 0x24, 0x02, 0x29, 0x05]);
    });

    it('binary mode and 12-hour mode (bit 7 = PM) follow status B', () => {
      const { d, m } = board();
      m.icount = 13 * 3600e9 + 45 * 60e9;
      d.portOut(m, 0x70, 1, 0x0b);
      d.portOut(m, 0x71, 1, 0x06);            // binary, 24-hour
      assert.deepEqual([rtc(d, m, 0x04), rtc(d, m, 0x02)], [13, 45]);
      d.portOut(m, 0x70, 1, 0x0b);
      d.portOut(m, 0x71, 1, 0x00);            // BCD, 12-hour
      assert.equal(rtc(d, m, 0x04), 0x81, '1 PM');
    });

    it('writing a time register sets the clock and keeps the other fields; CMOS RAM bytes are kept', () => {
      const { d, m } = board();
      m.icount = 10e9;
      d.portOut(m, 0x70, 1, 0x04);
      d.portOut(m, 0x71, 1, 0x15);            // 15:00:10
      d.portOut(m, 0x70, 1, 0x09);
      d.portOut(m, 0x71, 1, 0x99);            // year 2099
      m.icount = 20e9;
      assert.deepEqual(clock(d, m), [0x20, 0x99, 0x01, 0x01, 0x05, 0x15, 0x00, 0x20], '2099-01-01 was a Thursday');
      d.portOut(m, 0x70, 1, 0x80 | 0x40);     // NMI disable bit + index 40h
      d.portOut(m, 0x71, 1, 0x5a);
      assert.equal(rtc(d, m, 0x40), 0x5a);
      assert.equal(d.rtc.nmiDisabled, false, 'the last index write cleared bit 7');
    });
  });

  it('port 61h: bit 0 gates PIT channel 2, bit 5 reads its OUT, bit 4 toggles with refresh (15 085 instructions)', () => {
    const { d, m } = board();
    d.portOut(m, 0x43, 1, 0xb0);              // counter 2, mode 0, count 20
    d.portOut(m, 0x42, 1, 20);
    d.portOut(m, 0x42, 1, 0);
    d.portOut(m, 0x61, 1, 0x01);
    assert.equal(d.portIn(m, 0x61, 1), 0x01);
    m.icount = 25 * INSTRUCTIONS_PER_PIT_TICK;
    assert.equal(d.portIn(m, 0x61, 1) & 0x2f, 0x21, 'terminal count: OUT2 high');
    m.icount = 15085 * 2;
    assert.equal(d.portIn(m, 0x61, 1) & 0x10, 0x00);
    m.icount = 15085 * 3;
    assert.equal(d.portIn(m, 0x61, 1) & 0x10, 0x10);
  });

  it('port E9h prints bytes on stdout and reads E9h', () => {
    const { d, m, con } = board();
    for (const c of 'e9!') d.portOut(m, 0xe9, 1, c.charCodeAt(0));
    assert.equal(con.text(), 'e9!');
    assert.equal(d.portIn(m, 0xe9, 1), 0xe9);
  });

  it('unhandled ports read all ones; word and dword accesses are byte lanes on consecutive ports', () => {
    const { d, m } = board();
    assert.equal(d.portIn(m, 0x80, 1), 0xff);
    assert.equal(d.portIn(m, 0x1234, 2), 0xffff);
    assert.equal(d.portIn(m, 0x1234, 4), -1);
    d.portOut(m, 0x3f8 + 3, 2, 0x0b83);       // LCR = 83h, MCR = 0Bh
    assert.equal(d.portIn(m, 0x3f8 + 3, 2), 0x0b83);
  });

  it('the INTA cycle gives the PIC\'s vector; nothing pending → none', () => {
    const { d, m } = board();
    assert.deepEqual(d.acknowledge(m), { kind: 'none' });
    for (const [port, v] of [[0x20, 0x11], [0x21, 0x30], [0x21, 0x04], [0x21, 0x01], [0x21, 0xfe]]) d.portOut(m, port, 1, v);
    d.portOut(m, 0x43, 1, 0x34);
    d.portOut(m, 0x40, 1, 100);
    d.portOut(m, 0x40, 1, 0);
    assert.equal(d.pending(), false);
    m.icount = d.nextEventAt(m);
    d.advance(m);
    m.icount = d.nextEventAt(m);
    d.advance(m);
    assert.equal(m.icount, 101 * INSTRUCTIONS_PER_PIT_TICK, 'IRQ 0 rises when mode 2 reloads');
    assert.equal(d.pending(), true);
    assert.deepEqual(d.acknowledge(m), { kind: 'vector', vector: 0x30 });
    assert.equal(d.pending(), false);
  });

  it('idle HLT: virtual time jumps to the next timer interrupt; with IRQ 0 masked nothing can wake', () => {
    const { d, m } = board();
    for (const [port, v] of [[0x20, 0x11], [0x21, 0x08], [0x21, 0x04], [0x21, 0x01], [0x21, 0xff]]) d.portOut(m, port, 1, v);
    d.portOut(m, 0x43, 1, 0x36);
    d.portOut(m, 0x40, 1, 0x00);
    d.portOut(m, 0x40, 1, 0x10);               // count 1000h: square wave
    assert.equal(d.idle(m), 'never', 'IRQ 0 masked');
    d.portOut(m, 0x21, 1, 0xfe);
    assert.equal(d.idle(m), 'woken');
    assert.equal(m.icount, (1 + 0x1000) * INSTRUCTIONS_PER_PIT_TICK);
    assert.deepEqual(d.acknowledge(m), { kind: 'vector', vector: 0x08 });
    assert.equal(d.idle(m), 'never', 'IRQ 0 in service and never EOIed: nothing can interrupt');
    d.portOut(m, 0x20, 1, 0x20);
    assert.equal(d.idle(m), 'woken');
    assert.equal(m.icount, (1 + 2 * 0x1000) * INSTRUCTIONS_PER_PIT_TICK);
  });

  it('idle HLT waiting for COM1 input: woken by a byte, "input" while the console has none yet', () => {
    const con = new BufferConsole('', true);
    const d = new PcDevices(con, { setA20: () => undefined, reset: () => undefined });
    const m = new Machine();
    for (const [port, v] of [[0x20, 0x11], [0x21, 0x20], [0x21, 0x04], [0x21, 0x01], [0x21, 0xef]]) d.portOut(m, port, 1, v);
    d.portOut(m, 0x3fc, 1, 0x08);
    d.portOut(m, 0x3f9, 1, 0x01);
    assert.equal(d.idle(m), 'input');
    con.feed('k');
    assert.equal(d.idle(m), 'woken');
    assert.deepEqual(d.acknowledge(m), { kind: 'vector', vector: 0x24 });
    assert.equal(d.portIn(m, 0x3f8, 1), 0x6b);
  });
});
