// One Intel 8259A programmable interrupt controller: the initialisation sequence (ICW1–ICW4), the
// mask (OCW1), end-of-interrupt and priority rotation (OCW2), IRR/ISR reads and poll (OCW3),
// edge-triggered request latching, fully nested priorities and the INTA cycle. The master/slave
// cascade is in dualPic.ts. Pure state machine; imports nothing.

/** The result of an INTA cycle on one chip. */
export type PicAcknowledge =
  | { readonly kind: 'irq'; readonly irq: number }
  /** No request survived until INTA: the chip answers with IR7 and sets no ISR bit (8259A data sheet). */
  | { readonly kind: 'spurious' };

const SPURIOUS: PicAcknowledge = Object.freeze({ kind: 'spurious' });
const ACKS: readonly PicAcknowledge[] = Object.freeze([0, 1, 2, 3, 4, 5, 6, 7].map((irq) => Object.freeze({ kind: 'irq' as const, irq })));

type InitStep = 'ready' | 'icw2' | 'icw3' | 'icw4';

export class Pic8259 {
  /** Interrupt request register: requests latched by rising edges, not yet acknowledged. */
  irr = 0;
  /** In-service register. */
  isr = 0;
  /** Interrupt mask register (OCW1). */
  imr = 0;
  /** Vector of IR0 (ICW2 with the low three bits clear). */
  vectorBase = 0;
  /** ICW3: on a master, the IR inputs with a slave; on a slave, its cascade identity. */
  cascade = 0;
  autoEoi = false;
  specialFullyNested = false;
  specialMask = false;
  /** The lowest-priority IR (7 after ICW1: IR0 highest). */
  lowestPriority = 7;
  /** Read of the command port returns the ISR (OCW3 RIS=1) instead of the IRR. */
  readIsr = false;
  rotateOnAutoEoi = false;
  /** Current level of each IR input pin (edges set IRR). */
  private lines = 0;
  private step: InitStep = 'ready';
  private singleChip = false;
  private needIcw4 = false;
  private pollNext = false;

  /**
   * @param isSlave whether this chip is the slave (its spurious request and cascade identity differ).
   */
  constructor(readonly isSlave = false) {}

  /** Drive IR input `irq` (0–7) to `high`; a rising edge latches the request in IRR, a fall withdraws an unacknowledged one. */
  setLine(irq: number, high: boolean): void {
    const bit = 1 << irq;
    if (high) {
      if ((this.lines & bit) === 0) this.irr |= bit;
      this.lines |= bit;
    } else {
      this.lines &= ~bit;
      this.irr &= ~bit;
    }
  }

  /** True when the chip's INT output is high: an unmasked request with priority above everything in service. */
  interruptOutput(): boolean {
    return this.highestRequest() >= 0;
  }

  /** The IR that INTA would select now, or -1. */
  highestRequest(): number {
    const requests = this.irr & ~this.imr & 0xff;
    if (requests === 0) return -1;
    // In special mask mode, a masked in-service level does not block lower priorities.
    const inService = this.specialMask ? this.isr & ~this.imr : this.isr;
    for (let k = 1; k <= 8; k++) {
      const irq = (this.lowestPriority + k) & 7;
      const bit = 1 << irq;
      // Special fully nested (master): a slave input in service still lets the same input through.
      if (inService & bit && !(this.specialFullyNested && this.cascade & bit && !this.isSlave)) return -1;
      if (requests & bit) return irq;
      if (inService & bit) return -1;
    }
    return -1;
  }

  /** True when a request on `irq` now would reach the INT output (not masked, nothing of equal or higher priority in service). */
  wouldAccept(irq: number): boolean {
    const bit = 1 << irq;
    if (this.imr & bit) return false;
    const saved = this.irr;
    this.irr = bit;
    const accepted = this.highestRequest() === irq;
    this.irr = saved;
    return accepted;
  }

  /** The INTA cycle: move the highest request from IRR to ISR (unless auto-EOI). */
  acknowledge(): PicAcknowledge {
    const irq = this.highestRequest();
    if (irq < 0) return SPURIOUS;
    const bit = 1 << irq;
    this.irr &= ~bit;
    if (this.autoEoi) {
      if (this.rotateOnAutoEoi) this.lowestPriority = irq;
    } else {
      this.isr |= bit;
    }
    return ACKS[irq];
  }

  /** Vector of IR `irq` as ICW2 programmed it. */
  vectorOf(irq: number): number {
    return (this.vectorBase | irq) & 0xff;
  }

  /** Write to the command port (A0 = 0): ICW1, OCW2 or OCW3. */
  writeCommand(value: number): void {
    if (value & 0x10) {
      this.icw1(value);
      return;
    }
    if (value & 0x08) this.ocw3(value);
    else this.ocw2(value);
  }

  /** Write to the data port (A0 = 1): ICW2–ICW4 during initialisation, else OCW1 (the mask). */
  writeData(value: number): void {
    switch (this.step) {
      case 'icw2':
        this.vectorBase = value & 0xf8;
        this.step = this.singleChip ? (this.needIcw4 ? 'icw4' : 'ready') : 'icw3';
        return;
      case 'icw3':
        this.cascade = value & 0xff;
        this.step = this.needIcw4 ? 'icw4' : 'ready';
        return;
      case 'icw4':
        // Bit 0 µPM (8086 mode, assumed), bit 1 AEOI, bits 2–3 buffered mode (no effect here), bit 4 SFNM.
        this.autoEoi = (value & 0x02) !== 0;
        this.specialFullyNested = (value & 0x10) !== 0;
        this.step = 'ready';
        return;
      default:
        this.imr = value & 0xff;
    }
  }

  /** Read of the command port: IRR or ISR as OCW3 chose, or the poll word after an OCW3 poll. */
  readCommand(): number {
    if (this.pollNext) {
      this.pollNext = false;
      const irq = this.highestRequest();
      if (irq < 0) return 0;
      this.acknowledge();
      return 0x80 | irq;
    }
    return this.readIsr ? this.isr : this.irr;
  }

  /** Read of the data port: the mask. */
  readData(): number {
    if (this.pollNext) return this.readCommand();
    return this.imr;
  }

  /** True while an initialisation sequence is in progress. */
  initialising(): boolean {
    return this.step !== 'ready';
  }

  private icw1(value: number): void {
    // ICW1 resets the chip's mask, service state and priorities; LTIM (level mode) is not modelled.
    this.imr = 0;
    this.isr = 0;
    this.irr = 0;
    this.lines = 0;
    this.lowestPriority = 7;
    this.specialMask = false;
    this.readIsr = false;
    this.autoEoi = false;
    this.rotateOnAutoEoi = false;
    this.specialFullyNested = false;
    this.pollNext = false;
    this.singleChip = (value & 0x02) !== 0;
    this.needIcw4 = (value & 0x01) !== 0;
    this.step = 'icw2';
  }

  /** OCW2 (R SL EOI in bits 7–5, level in 2–0). */
  private ocw2(value: number): void {
    const level = value & 7;
    switch ((value >> 5) & 7) {
      case 0b001: this.nonSpecificEoi(false); break;
      case 0b011: this.isr &= ~(1 << level); break;
      case 0b101: this.nonSpecificEoi(true); break;
      case 0b111: this.isr &= ~(1 << level); this.lowestPriority = level; break;
      case 0b100: this.rotateOnAutoEoi = true; break;
      case 0b000: this.rotateOnAutoEoi = false; break;
      case 0b110: this.lowestPriority = level; break;
      default: break; // 010: no operation
    }
  }

  /** Clear the highest-priority in-service bit (and make it the lowest priority when rotating). */
  private nonSpecificEoi(rotate: boolean): void {
    for (let k = 1; k <= 8; k++) {
      const irq = (this.lowestPriority + k) & 7;
      if (this.isr & (1 << irq)) {
        this.isr &= ~(1 << irq);
        if (rotate) this.lowestPriority = irq;
        return;
      }
    }
  }

  /** OCW3: ESMM/SMM (bits 6–5), poll (bit 2), RR/RIS (bits 1–0). */
  private ocw3(value: number): void {
    if (value & 0x40) this.specialMask = (value & 0x20) !== 0;
    if (value & 0x04) this.pollNext = true;
    if (value & 0x02) this.readIsr = (value & 0x01) !== 0;
  }
}
