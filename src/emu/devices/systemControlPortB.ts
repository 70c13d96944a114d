// System control port B (port 61h): bit 0 drives the PIT channel 2 GATE, bit 1 enables the speaker
// (kept, no sound), bits 2–3 mask parity/channel checks (kept); reads add bit 4, the DRAM refresh
// toggle (flips every 15.085 µs of virtual time), and bit 5, PIT channel 2's OUT — what firmware and
// kernels poll for short delays and to calibrate loops. Imports the PIT.
import type { Pit8254 } from './pit8254';

export const PORT_61 = 0x61;
/** Instructions per refresh-toggle flip: 15.085 µs at 1 ns per instruction. */
export const REFRESH_TOGGLE_INSTRUCTIONS = 15085;

export class SystemControlPortB {
  private value = 0;

  constructor(private readonly pit: Pit8254) {}

  read(icount: number): number {
    const refresh = Math.floor(icount / REFRESH_TOGGLE_INSTRUCTIONS) & 1;
    return (this.value & 0x0f) | (refresh << 4) | (this.pit.out2(icount) ? 0x20 : 0);
  }

  write(value: number, icount: number): void {
    this.value = value & 0x0f;
    this.pit.setGate2((value & 1) !== 0, icount);
  }
}
