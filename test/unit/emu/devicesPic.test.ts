// The 8259A pair (src/emu/devices/dualPic.ts, pic8259.ts) against the 8259A data sheet: the ICW
// sequence, fully nested priorities, masks, non-specific / specific EOI, rotation, IRR/ISR reads
// through OCW3, the cascade on IRQ 2, auto-EOI, edge triggering and spurious IRQ 7 / IRQ 15.
import { strict as assert } from 'assert';
import { DualPic } from '../../../src/emu/devices/dualPic';

/** The PC's usual programming: master at vector 20h, slave at 28h, cascade on IR2, 8086 mode. */
function programmed(icw4 = 0x01): DualPic {
  const p = new DualPic();
  p.write(0x20, 0x11); p.write(0x21, 0x20); p.write(0x21, 0x04); p.write(0x21, icw4);
  p.write(0xa0, 0x11); p.write(0xa1, 0x28); p.write(0xa1, 0x02); p.write(0xa1, icw4);
  return p;
}

const EOI = 0x20;
const readIrr = (p: DualPic, port: number): number => { p.write(port, 0x0a); return p.read(port); };
const readIsr = (p: DualPic, port: number): number => { p.write(port, 0x0b); return p.read(port); };

describe('8259A PIC pair', () => {
  it('powers up masked; ICW1 clears the mask; OCW1 writes and reads the mask; ICW2 sets the vector base', () => {
    const p = new DualPic();
    assert.equal(p.read(0x21), 0xff);
    p.setIrq(1, true);
    assert.equal(p.pending(), false, 'masked at power-up');
    const q = programmed();
    assert.deepEqual([q.read(0x21), q.read(0xa1)], [0, 0]);
    q.write(0x21, 0xb8);
    assert.equal(q.read(0x21), 0xb8);
    q.write(0x21, 0);
    q.setIrq(1, true);
    assert.equal(q.pending(), true);
    assert.deepEqual(q.acknowledge(), { vector: 0x21, irq: 1 });
  });

  it('fully nested priorities: IR0 highest; an in-service level blocks itself and lower levels, not higher ones', () => {
    const p = programmed();
    p.setIrq(3, true);
    p.setIrq(1, true);
    assert.deepEqual(p.acknowledge(), { vector: 0x21, irq: 1 });
    assert.equal(readIsr(p, 0x20), 0x02);
    assert.equal(readIrr(p, 0x20), 0x08);
    assert.equal(p.pending(), false, 'IRQ 3 waits behind IRQ 1 in service');
    p.setIrq(0, true);
    assert.equal(p.pending(), true, 'IRQ 0 outranks IRQ 1 in service');
    assert.deepEqual(p.acknowledge(), { vector: 0x20, irq: 0 });
    assert.equal(readIsr(p, 0x20), 0x03);
    p.write(0x20, EOI);                              // non-specific EOI: clears the highest, IRQ 0
    assert.equal(readIsr(p, 0x20), 0x02);
    assert.equal(p.pending(), false);
    p.write(0x20, EOI);
    assert.equal(p.pending(), true);
    assert.deepEqual(p.acknowledge(), { vector: 0x23, irq: 3 });
  });

  it('masks hold requests back without losing them', () => {
    const p = programmed();
    p.write(0x21, 0x08);
    p.setIrq(3, true);
    assert.equal(p.pending(), false);
    assert.equal(readIrr(p, 0x20), 0x08, 'still requested');
    p.write(0x21, 0x00);
    assert.equal(p.pending(), true);
    assert.deepEqual(p.acknowledge(), { vector: 0x23, irq: 3 });
  });

  it('specific EOI clears the named level only', () => {
    const p = programmed();
    p.setIrq(4, true);
    p.acknowledge();
    p.setIrq(1, true);
    p.acknowledge();
    assert.equal(readIsr(p, 0x20), 0x12);
    p.write(0x20, 0x60 | 4);
    assert.equal(readIsr(p, 0x20), 0x02);
  });

  it('edge triggered: a line held high requests once; a new rising edge requests again', () => {
    const p = programmed();
    p.setIrq(5, true);
    p.acknowledge();
    p.write(0x20, EOI);
    p.setIrq(5, true);
    assert.equal(p.pending(), false, 'no new edge');
    p.setIrq(5, false);
    p.setIrq(5, true);
    assert.deepEqual(p.acknowledge(), { vector: 0x25, irq: 5 });
  });

  it('cascade: a slave IRQ comes through master IR2 with the slave\'s vector; both chips need an EOI', () => {
    const p = programmed();
    p.setIrq(10, true);
    assert.equal(p.pending(), true);
    assert.deepEqual(p.acknowledge(), { vector: 0x2a, irq: 10 });
    assert.deepEqual([readIsr(p, 0x20), readIsr(p, 0xa0)], [0x04, 0x04]);
    p.setIrq(9, true);
    assert.equal(p.pending(), false, 'master IR2 in service blocks the slave (not special fully nested)');
    p.write(0xa0, EOI);
    assert.equal(p.pending(), false, 'still blocked by the master');
    p.write(0x20, EOI);
    assert.deepEqual(p.acknowledge(), { vector: 0x29, irq: 9 });
  });

  it('a masked cascade input or slave mask stops slave IRQs', () => {
    const p = programmed();
    p.write(0xa1, 0x01);
    p.setIrq(8, true);
    assert.equal(p.pending(), false);
    p.write(0xa1, 0x00);
    p.write(0x21, 0x04);
    assert.equal(p.pending(), false);
    p.write(0x21, 0x00);
    assert.deepEqual(p.acknowledge(), { vector: 0x28, irq: 8 });
  });

  it('spurious IRQ 7: a request withdrawn before INTA answers IR7 without setting ISR', () => {
    const p = programmed();
    p.setIrq(3, true);
    assert.equal(p.pending(), true);
    p.setIrq(3, false);
    assert.deepEqual(p.acknowledge(), { vector: 0x27, irq: -1 });
    assert.equal(readIsr(p, 0x20), 0);
  });

  it('spurious IRQ 15: the master marks IR2 in service, the slave answers IR7 without an ISR bit', () => {
    const p = programmed();
    p.setIrq(11, true);
    // The slave's request vanishes after the master latched IR2 (its INT output high at that time).
    p.slave.setLine(3, false);
    assert.deepEqual(p.acknowledge(), { vector: 0x2f, irq: -1 });
    assert.deepEqual([readIsr(p, 0x20), readIsr(p, 0xa0)], [0x04, 0x00]);
  });

  it('rotate on non-specific EOI makes the serviced level the lowest priority', () => {
    const p = programmed();
    p.setIrq(0, true);
    p.acknowledge();
    p.write(0x20, 0xa0);                              // rotate on non-specific EOI
    p.setIrq(0, false); p.setIrq(0, true);
    p.setIrq(6, true);
    assert.deepEqual(p.acknowledge(), { vector: 0x26, irq: 6 }, 'IR0 is now lowest');
    p.write(0x20, 0xc0 | 5);                          // set priority: IR5 lowest → IR6 highest
    assert.equal(p.master.lowestPriority, 5);
  });

  it('auto-EOI (ICW4 bit 1): acknowledged levels never enter ISR', () => {
    const p = programmed(0x03);
    p.setIrq(1, true);
    assert.deepEqual(p.acknowledge(), { vector: 0x21, irq: 1 });
    assert.equal(readIsr(p, 0x20), 0);
    p.setIrq(3, true);
    assert.equal(p.pending(), true, 'nothing in service blocks IRQ 3');
  });

  it('poll command (OCW3 P=1): the next read acknowledges and returns 80h | level', () => {
    const p = programmed();
    p.setIrq(4, true);
    p.write(0x20, 0x0c);
    assert.equal(p.read(0x20), 0x84);
    assert.equal(readIsr(p, 0x20), 0x10);
    p.write(0x20, 0x0c);
    assert.equal(p.read(0x20), 0x00);
  });

  it('special mask mode lets lower levels in while a masked level is in service', () => {
    const p = programmed();
    p.setIrq(1, true);
    p.acknowledge();
    p.setIrq(4, true);
    assert.equal(p.pending(), false);
    p.write(0x21, 0x02);
    p.write(0x20, 0x68);                              // OCW3: set special mask mode
    assert.equal(p.pending(), true);
    assert.deepEqual(p.acknowledge(), { vector: 0x24, irq: 4 });
  });
});
