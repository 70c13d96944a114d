// The 8042 keyboard controller at ports 60h (data) and 64h (status/command), as far as a small
// kernel uses it: the status register, the command byte, self tests, the output port with its A20
// gate (command D1h followed by a byte written to 60h; D0h reads it back; DDh/DFh switch A20 directly)
// and the reset line (command FEh, or any pulse command F0h–FFh with bit 0 clear, or bit 0 cleared
// through D1h). Keyboard commands written to 60h are acknowledged (FAh); no keys are generated and
// IRQ 1 is never raised. Imports nothing.

/** What the controller drives on the system board. */
export interface SystemBoardLines {
  /** The controller's A20 gate output changed. */
  setA20(enabled: boolean): void;
  /** The controller pulsed the CPU's reset line; `reason` says how. */
  reset(reason: string): void;
}

export const KBC_DATA = 0x60;
export const KBC_STATUS_COMMAND = 0x64;

export const STATUS_OUTPUT_FULL = 0x01;
export const STATUS_SYSTEM_FLAG = 0x04;
export const STATUS_COMMAND_LAST = 0x08;
export const STATUS_NOT_INHIBITED = 0x10;

/** Output port bits: 0 = reset line (active low), 1 = A20 gate. */
export const OUTPUT_PORT_RESET = 0x01;
export const OUTPUT_PORT_A20 = 0x02;

type PendingWrite = 'none' | 'commandByte' | 'outputPort' | 'keyboardOutput' | 'auxOutput' | 'aux';

export class KeyboardController {
  /** The controller command byte (20h/60h): keyboard interrupt, system flag, translation. */
  commandByte = 0x45;
  /** Output port: reset line high (inactive), A20 off. */
  outputPort = OUTPUT_PORT_RESET;
  private readonly output: number[] = [];
  private lastData = 0;
  private pending: PendingWrite = 'none';
  private commandLast = false;

  constructor(private readonly board: SystemBoardLines) {}

  /** True when the controller's A20 output is enabled. */
  a20(): boolean {
    return (this.outputPort & OUTPUT_PORT_A20) !== 0;
  }

  /** Read port 60h or 64h. */
  read(port: number): number {
    if (port === KBC_STATUS_COMMAND) {
      return (this.output.length > 0 ? STATUS_OUTPUT_FULL : 0) | (this.commandByte & STATUS_SYSTEM_FLAG) | (this.commandLast ? STATUS_COMMAND_LAST : 0) | STATUS_NOT_INHIBITED;
    }
    if (this.output.length > 0) this.lastData = this.output.shift() as number;
    return this.lastData;
  }

  /** Write port 60h (data) or 64h (command). */
  write(port: number, value: number): void {
    if (port === KBC_STATUS_COMMAND) {
      this.commandLast = true;
      this.command(value);
      return;
    }
    this.commandLast = false;
    const pending = this.pending;
    this.pending = 'none';
    switch (pending) {
      case 'commandByte': this.commandByte = value; return;
      case 'outputPort': this.setOutputPort(value, 'keyboard controller output port (D1h) with bit 0 clear'); return;
      case 'keyboardOutput':
      case 'auxOutput': this.output.push(value); return;
      case 'aux': this.output.push(0xfa); return;
      default: this.keyboardCommand(value);
    }
  }

  private command(value: number): void {
    switch (value) {
      case 0x20: this.output.push(this.commandByte); return;
      case 0x60: this.pending = 'commandByte'; return;
      case 0xa7: this.commandByte |= 0x20; return;
      case 0xa8: this.commandByte &= ~0x20; return;
      case 0xa9: this.output.push(0x00); return;
      case 0xaa: this.output.push(0x55); return;
      case 0xab: this.output.push(0x00); return;
      case 0xad: this.commandByte |= 0x10; return;
      case 0xae: this.commandByte &= ~0x10; return;
      case 0xc0: this.output.push(0xff); return;
      case 0xd0: this.output.push(this.outputPort); return;
      case 0xd1: this.pending = 'outputPort'; return;
      case 0xd2: this.pending = 'keyboardOutput'; return;
      case 0xd3: this.pending = 'auxOutput'; return;
      case 0xd4: this.pending = 'aux'; return;
      case 0xdd: this.setOutputPort(this.outputPort & ~OUTPUT_PORT_A20, ''); return;
      case 0xdf: this.setOutputPort(this.outputPort | OUTPUT_PORT_A20, ''); return;
      default:
        // F0h–FFh pulse the output port bits whose command bit is 0 for about 6 µs; bit 0 is reset.
        if (value >= 0xf0 && (value & 1) === 0) this.board.reset(`keyboard controller command ${value.toString(16).toUpperCase()}h`);
    }
  }

  /** Bytes sent to the keyboard itself: acknowledged, with the replies a PS/2 keyboard gives. */
  private keyboardCommand(value: number): void {
    switch (value) {
      case 0xee: this.output.push(0xee); return;
      case 0xf2: this.output.push(0xfa, 0xab, 0x83); return;
      case 0xff: this.output.push(0xfa, 0xaa); return;
      default: this.output.push(0xfa);
    }
  }

  private setOutputPort(value: number, resetReason: string): void {
    const before = this.a20();
    this.outputPort = value & 0xff;
    if (this.a20() !== before) this.board.setA20(this.a20());
    if ((value & OUTPUT_PORT_RESET) === 0) {
      this.outputPort |= OUTPUT_PORT_RESET;
      this.board.reset(resetReason);
    }
  }
}
