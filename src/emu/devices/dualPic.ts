// The PC's two 8259A controllers: master at ports 20h/21h (IRQ 0–7), slave at A0h/A1h (IRQ 8–15)
// whose INT output drives the master's IR2. IRQ lines in, the INTA cycle out (the vector the master or,
// through the cascade, the slave supplies), spurious IRQ 7 / IRQ 15 as the chips produce them.
// Imports ./pic8259 only.
import { Pic8259 } from './pic8259';

/** What the pair answers in an INTA cycle. */
export interface PicVector {
  readonly vector: number;
  /** The IRQ (0–15) now in service, or -1 for a spurious request (no ISR bit set on the chip that answered). */
  readonly irq: number;
}

/** The IR input of the master the slave is wired to. */
export const CASCADE_IRQ = 2;

export class DualPic {
  readonly master = new Pic8259(false);
  readonly slave = new Pic8259(true);
  /** Cached master INT output (what InterruptSource.pending() answers); recomputed after every change. */
  private output = false;

  constructor() {
    // Power-on: unprogrammed chips with everything masked, as firmware leaves them before setup.
    this.master.imr = 0xff;
    this.slave.imr = 0xff;
  }

  /** Drive IRQ line `irq` (0–15). */
  setIrq(irq: number, high: boolean): void {
    if (irq >= 8) this.slave.setLine(irq - 8, high);
    else if (irq !== CASCADE_IRQ) this.master.setLine(irq, high);
    this.update();
  }

  /** True when the master asks the CPU for an interrupt. */
  pending(): boolean {
    return this.output;
  }

  /**
   * The INTA cycle. The master selects its highest request; for the cascade input the slave supplies
   * the vector. A request that vanished answers IR7 of the chip concerned without an ISR bit (the
   * master still marks IR2 in service for a slave's spurious IRQ 15, as the hardware does).
   */
  acknowledge(): PicVector {
    const m = this.master.acknowledge();
    let result: PicVector;
    if (m.kind === 'spurious') {
      result = { vector: this.master.vectorOf(7), irq: -1 };
    } else if (m.irq === CASCADE_IRQ && this.master.cascade & (1 << CASCADE_IRQ)) {
      const s = this.slave.acknowledge();
      result = s.kind === 'spurious' ? { vector: this.slave.vectorOf(7), irq: -1 } : { vector: this.slave.vectorOf(s.irq), irq: 8 + s.irq };
    } else {
      result = { vector: this.master.vectorOf(m.irq), irq: m.irq };
    }
    this.update();
    return result;
  }

  /** True when a new request on IRQ `irq` (0–15) would interrupt the CPU now (masks and in-service levels allow it). */
  wouldAccept(irq: number): boolean {
    if (irq < 8) return this.master.wouldAccept(irq);
    return this.slave.wouldAccept(irq - 8) && this.master.wouldAccept(CASCADE_IRQ);
  }

  /** Port read (20h, 21h, A0h, A1h). */
  read(port: number): number {
    const chip = port >= 0xa0 ? this.slave : this.master;
    const v = port & 1 ? chip.readData() : chip.readCommand();
    this.update();
    return v;
  }

  /** Port write (20h, 21h, A0h, A1h). */
  write(port: number, value: number): void {
    const chip = port >= 0xa0 ? this.slave : this.master;
    if (port & 1) chip.writeData(value);
    else chip.writeCommand(value);
    this.update();
  }

  /** Propagate the slave's INT output to the master's IR2 and cache the master's output. */
  private update(): void {
    this.master.setLine(CASCADE_IRQ, this.slave.interruptOutput());
    this.output = this.master.interruptOutput();
  }
}
