// The bare-metal PC's device set: the port bus (E9h, COM1 at 3F8h–3FFh, the 8259 pair at 20h/21h and
// A0h/A1h, the 8254 at 40h–43h, the keyboard controller at 60h/64h, port 61h, the RTC/CMOS at 70h/71h, port 92h;
// every other port reads all ones and ignores writes), the IRQ wiring (PIT → IRQ 0, COM1 → IRQ 4, slave PIC → IRQ 2), the
// combined A20 gate, and the InterruptSource the run loop asks for external interrupts.
// Imports the device classes, the console and interrupt-source types.
import type { GuestConsole } from '../console';
import type { Machine } from '../machine';
import { NO_INTERRUPT, type InterruptRequest, type InterruptSource } from '../interruptSource';
import { DualPic } from './dualPic';
import { Pit8254 } from './pit8254';
import { Uart16550 } from './uart16550';
import { PortE9, PORT_E9 } from './portE9';
import { KeyboardController, KBC_DATA, KBC_STATUS_COMMAND } from './keyboardController';
import { SystemControlPortA, PORT_92 } from './systemControlPortA';
import { CmosRtc, RTC_DATA, RTC_INDEX } from './cmosRtc';
import { SystemControlPortB, PORT_61 } from './systemControlPortB';

/** Base port and IRQ of COM1. */
export const COM1_BASE = 0x3f8;
export const COM1_IRQ = 4;
export const PIT_IRQ = 0;

/** How an idle HLT (IF = 1) ended. */
export type IdleResult = 'woken' | 'input' | 'never';

/** What the board does to the machine: A20 and reset. */
export interface BoardActions {
  setA20(enabled: boolean): void;
  /** The guest asked for a CPU reset (the environment ends the run). */
  reset(reason: string): void;
}

/** Idle skips stop after this many device events without an interrupt (e.g. IRQ 0 stuck in service). */
const MAX_IDLE_EVENTS = 4096;

const VECTORS: readonly InterruptRequest[] = Object.freeze(Array.from({ length: 256 }, (_, vector) => Object.freeze({ kind: 'vector' as const, vector })));

export class PcDevices implements InterruptSource {
  readonly pic = new DualPic();
  readonly pit: Pit8254;
  readonly com1: Uart16550;
  readonly e9: PortE9;
  readonly kbc: KeyboardController;
  readonly port92: SystemControlPortA;
  readonly rtc = new CmosRtc();
  readonly port61: SystemControlPortB;

  constructor(console: GuestConsole, private readonly board: BoardActions) {
    this.pit = new Pit8254((high) => this.pic.setIrq(PIT_IRQ, high));
    this.port61 = new SystemControlPortB(this.pit);
    this.com1 = new Uart16550(console, (high) => this.pic.setIrq(COM1_IRQ, high));
    this.e9 = new PortE9(console);
    const lines = { setA20: () => this.board.setA20(this.a20()), reset: (reason: string) => this.board.reset(reason) };
    this.kbc = new KeyboardController(lines);
    this.port92 = new SystemControlPortA(lines);
  }

  /** The A20 gate: on when either the keyboard controller or port 92h enables it. */
  a20(): boolean {
    return this.kbc.a20() || this.port92.a20();
  }

  /** IN of `size` bytes (1, 2, 4): byte lanes to consecutive ports, as on the ISA bus. */
  portIn(m: Machine, port: number, size: number): number {
    if (size === 1) return this.readByte(port, m.icount);
    let v = 0;
    for (let i = 0; i < size; i++) v |= this.readByte((port + i) & 0xffff, m.icount) << (8 * i);
    return size === 4 ? v | 0 : v;
  }

  /** OUT of `size` bytes. */
  portOut(m: Machine, port: number, size: number, value: number): void {
    for (let i = 0; i < size; i++) this.writeByte((port + i) & 0xffff, (value >>> (8 * i)) & 0xff, m.icount);
  }

  private readByte(port: number, icount: number): number {
    if (port >= COM1_BASE && port < COM1_BASE + 8) return this.com1.read(port - COM1_BASE, icount);
    switch (port) {
      case PORT_E9: return this.e9.read();
      case 0x20: case 0x21: case 0xa0: case 0xa1: return this.pic.read(port);
      case 0x40: case 0x41: case 0x42: case 0x43: return this.pit.read(port, icount);
      case KBC_DATA: case KBC_STATUS_COMMAND: return this.kbc.read(port);
      case PORT_92: return this.port92.read();
      case RTC_INDEX: case RTC_DATA: return this.rtc.read(port, icount);
      case PORT_61: return this.port61.read(icount);
      default: return 0xff;
    }
  }

  private writeByte(port: number, value: number, icount: number): void {
    if (port >= COM1_BASE && port < COM1_BASE + 8) { this.com1.write(port - COM1_BASE, value, icount); return; }
    switch (port) {
      case PORT_E9: this.e9.write(value); return;
      case 0x20: case 0x21: case 0xa0: case 0xa1: this.pic.write(port, value); return;
      case 0x40: case 0x41: case 0x42: case 0x43: this.pit.write(port, value, icount); return;
      case KBC_DATA: case KBC_STATUS_COMMAND: this.kbc.write(port, value); return;
      case PORT_92: this.port92.write(value); return;
      case RTC_INDEX: case RTC_DATA: this.rtc.write(port, value, icount); return;
      case PORT_61: this.port61.write(value, icount); return;
      default: return;
    }
  }

  // ---- InterruptSource -------------------------------------------------------------------------

  nextEventAt(m: Machine): number {
    return Math.min(this.pit.nextEventAt(m.icount), this.com1.nextEventAt());
  }

  advance(m: Machine): void {
    this.pit.advance(m.icount);
    this.com1.advance(m.icount);
  }

  pending(): boolean {
    return this.pic.pending();
  }

  /**
   * The INTA cycle. A spurious request answers IRQ 7's (or, through the slave, IRQ 15's) vector
   * without an in-service bit, as the 8259A does, so the guest's handler must check ISR; 'none' only
   * when nothing at all was requested.
   */
  acknowledge(_m: Machine): InterruptRequest {
    if (!this.pic.pending()) return NO_INTERRUPT;
    return VECTORS[this.pic.acknowledge().vector];
  }

  idleUntilNextEvent(m: Machine): boolean {
    return this.idle(m) === 'woken';
  }

  /**
   * HLT with IF = 1: let virtual time pass (m.icount jumps to each device event) until an interrupt is
   * pending. 'input' when only console input could wake the guest and none is there yet; 'never'
   * when nothing unmasked can ever interrupt.
   */
  idle(m: Machine): IdleResult {
    for (let i = 0; i < MAX_IDLE_EVENTS; i++) {
      this.advance(m);
      if (this.pic.pending()) return 'woken';
      const timerCanWake = this.pic.wouldAccept(PIT_IRQ) && this.pit.nextEventAt(m.icount) !== Infinity;
      const serialCanWake = this.pic.wouldAccept(COM1_IRQ) && this.com1.canReceive();
      if (!timerCanWake && !serialCanWake) return 'never';
      if (!timerCanWake) {
        // Only console input can wake the CPU: look now rather than skipping time to the next poll.
        this.com1.poll(m.icount);
        if (this.pic.pending()) return 'woken';
        if (this.com1.waitingForInput()) return 'input';
        continue;
      }
      const next = this.nextEventAt(m);
      if (next > m.icount) m.icount = next;
    }
    return 'never';
  }
}
