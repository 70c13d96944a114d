// System control port A (port 92h, "fast A20" on PS/2 and later chipsets): bit 1 gates A20, a 0→1
// transition of bit 0 resets the CPU (fast reset). Reads return the latched bits (bit 0 reads back 0
// after the reset pulse). Imports the board-lines type of the keyboard controller.
import type { SystemBoardLines } from './keyboardController';

export const PORT_92 = 0x92;
export const FAST_RESET = 0x01;
export const FAST_A20 = 0x02;

export class SystemControlPortA {
  private value = 0;

  constructor(private readonly board: SystemBoardLines) {}

  /** True when this port's A20 bit is set. */
  a20(): boolean {
    return (this.value & FAST_A20) !== 0;
  }

  read(): number {
    return this.value;
  }

  write(value: number): void {
    const before = this.value;
    this.value = value & ~FAST_RESET & 0xff;
    if ((before ^ this.value) & FAST_A20) this.board.setA20(this.a20());
    if (value & FAST_RESET && !(before & FAST_RESET)) this.board.reset('port 92h bit 0 (fast reset)');
  }
}
