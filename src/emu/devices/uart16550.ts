// A 16550A UART (COM1 at 3F8h–3FFh on a PC) for polled and interrupt-driven guests: RBR/THR, IER,
// IIR (with the FIFO bits a 16550A reports), FCR, LCR with DLAB and the divisor latch, MCR with
// loopback, LSR, MSR and SCR. Transmission is instantaneous (THRE and TEMT always set) and goes to the
// guest console's stdout; received bytes come from the console's input. The INTR output reaches the
// PIC only while MCR.OUT2 is set, as PC serial cards gate it. Imports the GuestConsole type only.
import type { GuestConsole } from '../console';

/** Registers as offsets from the base port. */
export const UART_RBR_THR = 0;
export const UART_IER = 1;
export const UART_IIR_FCR = 2;
export const UART_LCR = 3;
export const UART_MCR = 4;
export const UART_LSR = 5;
export const UART_MSR = 6;
export const UART_SCR = 7;

export const IER_RX_DATA = 0x01;
export const IER_THR_EMPTY = 0x02;
export const IER_LINE_STATUS = 0x04;
export const IER_MODEM_STATUS = 0x08;

export const LSR_DATA_READY = 0x01;
export const LSR_OVERRUN = 0x02;
export const LSR_THR_EMPTY = 0x20;
export const LSR_TRANSMITTER_EMPTY = 0x40;

export const MCR_DTR = 0x01;
export const MCR_RTS = 0x02;
export const MCR_OUT1 = 0x04;
export const MCR_OUT2 = 0x08;
export const MCR_LOOP = 0x10;

/** IIR interrupt identifications (bits 3–0; bit 0 = 1 means none pending). */
export const IIR_NONE = 0x01;
export const IIR_LINE_STATUS = 0x06;
export const IIR_RX_DATA = 0x04;
export const IIR_RX_TIMEOUT = 0x0c;
export const IIR_THR_EMPTY = 0x02;
export const IIR_MODEM_STATUS = 0x00;

/**
 * How often (retired instructions) the receiver looks at the console while the received-data
 * interrupt is armed, so a guest waiting for serial input in an idle loop sees typed bytes.
 */
export const RX_POLL_INSTRUCTIONS = 10_000;

const FIFO_SIZE = 16;
const TRIGGER_LEVELS = [1, 4, 8, 14];

export class Uart16550 {
  ier = 0;
  lcr = 0x03;
  mcr = 0;
  scr = 0;
  /** Divisor latch (DLL | DLM << 8); 12 = 9600 baud, the value reset leaves is unspecified. */
  divisor = 12;
  fifoEnabled = false;
  private triggerLevel = 1;
  private readonly rx: number[] = [];
  private overrun = false;
  /** THR-empty interrupt condition: set when THR empties, cleared by an IIR read that reports it or a THR write. */
  private thrEmptyPending = false;
  /** Modem-status deltas (loopback changes of the MCR lines). */
  private msrDelta = 0;
  private inputEnded = false;
  private inputWaiting = false;
  /** The guest showed it wants input (read RBR, armed the RX interrupt, or polled LSR twice without transmitting). */
  private wantsInput = false;
  private lsrReadsSinceTransmit = 0;
  private nextPoll = 0;
  private irqLevel = false;

  /**
   * @param console where transmitted bytes go and received bytes come from
   * @param setIrq drives the IRQ line (IRQ 4 for COM1) at the PIC
   */
  constructor(private readonly console: GuestConsole, private readonly setIrq: (high: boolean) => void) {}

  /** Read register `offset` (0–7) at instruction count `icount`. */
  read(offset: number, icount: number): number {
    const dlab = (this.lcr & 0x80) !== 0;
    let v: number;
    switch (offset) {
      case UART_RBR_THR:
        if (dlab) return this.divisor & 0xff;
        this.wantsInput = true;
        this.fill(icount);
        v = this.rx.length > 0 ? (this.rx.shift() as number) : 0;
        if (this.rx.length === 0) this.fill(icount);
        break;
      case UART_IER:
        return dlab ? this.divisor >> 8 : this.ier;
      case UART_IIR_FCR: {
        this.fill(icount);
        const id = this.interruptId();
        if (id === IIR_THR_EMPTY) this.thrEmptyPending = false;
        v = id | (this.fifoEnabled ? 0xc0 : 0);
        break;
      }
      case UART_LCR: return this.lcr;
      case UART_MCR: return this.mcr;
      case UART_LSR: {
        if (++this.lsrReadsSinceTransmit >= 2) this.wantsInput = true;
        this.fill(icount);
        v = this.lineStatus();
        this.overrun = false;
        break;
      }
      case UART_MSR: v = this.modemStatus(); this.msrDelta = 0; break;
      default: return this.scr;
    }
    this.updateIrq();
    return v;
  }

  /** Write register `offset` (0–7). */
  write(offset: number, value: number, icount: number): void {
    const dlab = (this.lcr & 0x80) !== 0;
    switch (offset) {
      case UART_RBR_THR:
        if (dlab) { this.divisor = (this.divisor & 0xff00) | value; return; }
        this.transmit(value);
        break;
      case UART_IER:
        if (dlab) { this.divisor = (this.divisor & 0xff) | (value << 8); return; }
        // Enabling the THR-empty interrupt while THR is empty raises it at once (16550A behaviour).
        if (value & IER_THR_EMPTY && !(this.ier & IER_THR_EMPTY)) this.thrEmptyPending = true;
        this.ier = value & 0x0f;
        if (this.ier & IER_RX_DATA) {
          this.wantsInput = true;
          this.nextPoll = icount;
        }
        break;
      case UART_IIR_FCR:
        // Switching between FIFO and 16450 mode, or FCR bit 1, empties the receiver.
        if (value & 0x02 || ((value & 0x01) !== 0) !== this.fifoEnabled) this.rx.length = 0;
        this.fifoEnabled = (value & 0x01) !== 0;
        this.triggerLevel = this.fifoEnabled ? TRIGGER_LEVELS[value >> 6] : 1;
        break;
      case UART_LCR: this.lcr = value; return;
      case UART_MCR: {
        const changed = (this.mcr ^ value) & 0x0f;
        // In loopback, DTR→DSR, RTS→CTS, OUT1→RI, OUT2→DCD: changes show as MSR deltas.
        if (value & MCR_LOOP) this.msrDelta |= (changed & MCR_DTR ? 0x02 : 0) | (changed & MCR_RTS ? 0x01 : 0) | (changed & MCR_OUT1 && !(value & MCR_OUT1) ? 0x04 : 0) | (changed & MCR_OUT2 ? 0x08 : 0);
        this.mcr = value & 0x1f;
        break;
      }
      case UART_LSR:
      case UART_MSR:
        return;
      default: this.scr = value; return;
    }
    this.updateIrq();
  }

  /** Instruction count at which the receiver next looks at the console, or Infinity. */
  nextEventAt(): number {
    return this.rxInterruptArmed() && !this.inputEnded && this.rx.length < this.capacity() ? this.nextPoll : Infinity;
  }

  /** Look at the console when a poll is due (the received-data interrupt armed). */
  advance(icount: number): void {
    if (icount < this.nextPoll || !this.rxInterruptArmed()) return;
    this.poll(icount);
  }

  /** Look at the console now (an idle CPU waiting for serial input), raising IRQ 4 when a byte came. */
  poll(icount: number): void {
    this.nextPoll = icount + RX_POLL_INSTRUCTIONS;
    this.fill(icount);
    this.updateIrq();
  }

  /** True when an armed received-data interrupt could still be raised by console input. */
  canReceive(): boolean {
    return this.rxInterruptArmed() && !this.inputEnded;
  }

  /** True when the last look at the console found no input yet (more may come). */
  waitingForInput(): boolean {
    return this.inputWaiting && !this.inputEnded;
  }

  /** The IRQ line level as driven now. */
  irqHigh(): boolean {
    return this.irqLevel;
  }

  private rxInterruptArmed(): boolean {
    return (this.ier & IER_RX_DATA) !== 0 && (this.mcr & MCR_OUT2) !== 0 && (this.mcr & MCR_LOOP) === 0;
  }

  private capacity(): number {
    return this.fifoEnabled ? FIFO_SIZE : 1;
  }

  private transmit(value: number): void {
    this.lsrReadsSinceTransmit = 0;
    if (this.mcr & MCR_LOOP) {
      if (this.rx.length < this.capacity()) this.rx.push(value & 0xff);
      else this.overrun = true;
    } else {
      this.console.write('stdout', Uint8Array.of(value & 0xff));
    }
    // The byte leaves at once: THR is empty again.
    this.thrEmptyPending = true;
  }

  /** Take console input into the receiver when the guest wants input and there is room. */
  private fill(icount: number): void {
    if (!this.wantsInput || this.inputEnded || this.mcr & MCR_LOOP) return;
    const room = this.capacity() - this.rx.length;
    if (room <= 0) return;
    const r = this.console.read(room);
    if (r === 'wait') {
      this.inputWaiting = true;
      return;
    }
    this.inputWaiting = false;
    if (r.length === 0) {
      this.inputEnded = true;
      return;
    }
    for (const b of r) this.rx.push(b);
    this.nextPoll = Math.max(this.nextPoll, icount);
  }

  private lineStatus(): number {
    return (this.rx.length > 0 ? LSR_DATA_READY : 0) | (this.overrun ? LSR_OVERRUN : 0) | LSR_THR_EMPTY | LSR_TRANSMITTER_EMPTY;
  }

  private modemStatus(): number {
    if (this.mcr & MCR_LOOP) {
      const m = this.mcr;
      return ((m & MCR_RTS ? 0x10 : 0) | (m & MCR_DTR ? 0x20 : 0) | (m & MCR_OUT1 ? 0x40 : 0) | (m & MCR_OUT2 ? 0x80 : 0) | this.msrDelta) & 0xff;
    }
    // A terminal is attached: CTS, DSR and DCD asserted.
    return 0xb0 | this.msrDelta;
  }

  /** The highest-priority pending interrupt (IIR bits 3–0), given IER. */
  private interruptId(): number {
    if (this.ier & IER_LINE_STATUS && this.overrun) return IIR_LINE_STATUS;
    if (this.ier & IER_RX_DATA && this.rx.length > 0) return this.rx.length >= this.triggerLevel ? IIR_RX_DATA : IIR_RX_TIMEOUT;
    if (this.ier & IER_THR_EMPTY && this.thrEmptyPending) return IIR_THR_EMPTY;
    if (this.ier & IER_MODEM_STATUS && this.msrDelta !== 0) return IIR_MODEM_STATUS;
    return IIR_NONE;
  }

  private updateIrq(): void {
    // In loopback the OUT2 pin is disconnected, so a PC card's IRQ stays off (interrupts show in IIR only).
    const level = this.interruptId() !== IIR_NONE && (this.mcr & (MCR_OUT2 | MCR_LOOP)) === MCR_OUT2;
    if (level !== this.irqLevel) {
      this.irqLevel = level;
      this.setIrq(level);
    }
  }
}
