// The 16550A COM1 model (src/emu/devices/uart16550.ts) against the 16550A data sheet: the divisor
// latch behind DLAB, transmit to the console, LSR/IIR values, FIFO bits in IIR, the THR-empty and
// received-data interrupt conditions, MCR.OUT2 gating the IRQ line, loopback, MSR and SCR.
import { strict as assert } from 'assert';
import { BufferConsole } from '../../../src/emu/console';
import { Uart16550 } from '../../../src/emu/devices/uart16550';

const RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;

function uart(input = ''): { u: Uart16550; con: BufferConsole; irq: boolean[] } {
  const con = new BufferConsole(input);
  const irq: boolean[] = [];
  const u = new Uart16550(con, (high) => irq.push(high));
  return { u, con, irq };
}

describe('16550A UART (COM1)', () => {
  it('DLAB selects the divisor latch at offsets 0/1; LCR and SCR read back', () => {
    const { u } = uart();
    u.write(LCR, 0x83, 0);
    u.write(0, 0x01, 0);
    u.write(1, 0x00, 0);
    assert.deepEqual([u.read(0, 0), u.read(1, 0), u.read(LCR, 0)], [0x01, 0x00, 0x83]);
    assert.equal(u.divisor, 1);
    u.write(LCR, 0x03, 0);
    assert.equal(u.read(IER, 0), 0, 'IER again with DLAB clear');
    u.write(SCR, 0x5a, 0);
    assert.equal(u.read(SCR, 0), 0x5a);
  });

  it('transmits THR bytes to stdout at once: LSR always shows THRE and TEMT', () => {
    const { u, con } = uart();
    assert.equal(u.read(LSR, 0), 0x60);
    for (const c of 'COM1\n') u.write(0, c.charCodeAt(0), 0);
    assert.equal(con.text(), 'COM1\n');
    assert.equal(u.read(LSR, 0), 0x60);
  });

  it('IIR reads 01h with nothing pending, C1h once FIFOs are enabled (16550A)', () => {
    const { u } = uart();
    assert.equal(u.read(IIR, 0), 0x01);
    u.write(FCR, 0x07, 0);
    assert.equal(u.read(IIR, 0), 0xc1);
    u.write(FCR, 0x00, 0);
    assert.equal(u.read(IIR, 0), 0x01);
  });

  it('THR-empty interrupt: raised when enabled, cleared by reading IIR, raised again by the next transmit; OUT2 gates IRQ 4', () => {
    const { u, irq } = uart();
    u.write(IER, 0x02, 0);
    assert.equal(u.read(IIR, 0), 0x02, 'THRE reported');
    assert.deepEqual(irq, [], 'OUT2 clear: the IRQ line stays low');
    assert.equal(u.read(IIR, 0), 0x01, 'the IIR read cleared it');
    u.write(MCR, 0x08, 0);
    u.write(0, 0x41, 0);
    assert.equal(u.irqHigh(), true);
    assert.equal(u.read(IIR, 0), 0x02);
    assert.equal(u.irqHigh(), false);
    assert.deepEqual(irq, [true, false]);
    u.write(IER, 0x00, 0);
    u.write(IER, 0x02, 0);
    assert.equal(u.irqHigh(), true, 'enabling ETBEI with THR empty interrupts at once');
  });

  it('receives console input when the guest asks: LSR.DR, RBR bytes in order, then DR clear at end of input', () => {
    const { u } = uart('ab');
    assert.equal(u.read(LSR, 0) & 1, 0, 'one LSR read (a transmit check) does not take input');
    assert.equal(u.read(LSR, 0) & 1, 1, 'polling LSR does');
    assert.equal(u.read(RBR, 0), 0x61);
    assert.equal(u.read(LSR, 0) & 1, 1);
    assert.equal(u.read(RBR, 0), 0x62);
    assert.equal(u.read(LSR, 0) & 1, 0);
  });

  it('received-data interrupt (IER bit 0, OUT2): IIR 04h; reading RBR empties the receiver and drops IRQ 4', () => {
    const { u, irq } = uart('xy');
    u.write(MCR, 0x08, 0);
    u.write(IER, 0x01, 0);
    assert.equal(u.nextEventAt(), 0, 'a poll is due');
    u.advance(0);
    assert.equal(u.irqHigh(), true);
    assert.equal(u.read(IIR, 0), 0x04);
    assert.equal(u.read(RBR, 0), 0x78);
    assert.equal(u.read(IIR, 0), 0x04, 'the next byte is in (no FIFO: one at a time)');
    assert.equal(u.read(RBR, 0), 0x79);
    assert.equal(u.irqHigh(), false);
    assert.equal(u.read(IIR, 0), 0x01);
    assert.equal(u.canReceive(), false, 'end of input');
    assert.equal(u.nextEventAt(), Infinity);
    assert.deepEqual(irq, [true, false]);
  });

  it('with FIFOs: IIR C4h at the trigger level, CCh (character timeout) below it; FCR bit 1 empties the receiver', () => {
    const { u } = uart('abc');
    u.write(FCR, 0x01, 0);                    // FIFO on, trigger level 1
    u.write(MCR, 0x08, 0);
    u.write(IER, 0x01, 0);
    u.advance(0);
    assert.equal(u.read(IIR, 0), 0xc4);
    u.write(FCR, 0x41, 0);                    // trigger level 4: three bytes are below it
    assert.equal(u.read(IIR, 0), 0xcc);
    assert.equal(u.read(RBR, 0), 0x61);
    u.write(FCR, 0x43, 0);
    assert.equal(u.read(LSR, 0) & 1, 0, 'receiver FIFO reset');
    assert.equal(u.read(IIR, 0), 0xc1);
  });

  it('loopback (MCR bit 4): transmitted bytes come back in RBR, not on stdout; MSR mirrors DTR/RTS/OUT1/OUT2', () => {
    const { u, con } = uart();
    u.write(MCR, 0x1f, 0);
    u.write(0, 0x55, 0);
    assert.equal(con.text(), '');
    assert.equal(u.read(LSR, 0) & 1, 1);
    assert.equal(u.read(RBR, 0), 0x55);
    assert.equal(u.read(MSR, 0) & 0xf0, 0xf0);
    u.write(MCR, 0x10, 0);
    assert.equal(u.read(MSR, 0), 0x0f & ~0x04 | 0x04, 'deltas: DCTS, DDSR, TERI, DDCD');
    assert.equal(u.read(MSR, 0), 0x00);
  });

  it('without loopback the modem lines show a connected terminal (CTS, DSR, DCD)', () => {
    const { u } = uart();
    assert.equal(u.read(MSR, 0), 0xb0);
  });
});
