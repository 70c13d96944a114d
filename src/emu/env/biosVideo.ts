// BIOS video services (INT 10h) for a guest whose screen is the console stream: teletype output,
// video mode, cursor position and write-string. A stream cannot move back, so the cursor is tracked
// and a cursor moved forward (a later row, or right on the same row) is rendered with newlines and
// spaces; moving back only updates the position. Imports the Machine, console and real-mode helpers.
import type { Machine } from '../machine';
import type { GuestConsole } from '../console';
import { AH, AX, BH, BP, CX, DX, realAddress } from './realMode';
import { ES } from '../cpu';

const COLUMNS = 80;
const ROWS = 25;

export class BiosVideo {
  row = 0;
  column = 0;
  mode = 3;
  private readonly one = new Uint8Array(1);

  constructor(private readonly console: GuestConsole) {}

  /** Write one byte as the teletype does: BEL is silent, BS moves left, CR/LF move the cursor. */
  teletype(b: number): void {
    if (b === 0x07) return;
    this.one[0] = b;
    this.console.write('stdout', this.one);
    if (b === 0x0d) this.column = 0;
    else if (b === 0x0a) this.row = Math.min(ROWS - 1, this.row + 1);
    else if (b === 0x08) this.column = Math.max(0, this.column - 1);
    else if (++this.column >= COLUMNS) {
      this.column = 0;
      this.row = Math.min(ROWS - 1, this.row + 1);
    }
  }

  /** Move the cursor, rendering forward moves on the stream. */
  setCursor(row: number, column: number): void {
    const r = Math.min(row, ROWS - 1);
    const c = Math.min(column, COLUMNS - 1);
    if (r > this.row) {
      this.console.write('stdout', new Uint8Array(r - this.row).fill(0x0a));
      this.row = r;
      this.column = 0;
    }
    if (r === this.row && c > this.column) this.console.write('stdout', new Uint8Array(c - this.column).fill(0x20));
    this.row = r;
    this.column = c;
  }

  /** INT 10h with AH = function. Unknown functions are ignored (as most BIOSes do). */
  int10(m: Machine): void {
    const ah = m.get8(AH);
    const al = m.get8(AX);
    switch (ah) {
      case 0x00: // set video mode
        this.mode = al & 0x7f;
        this.row = 0;
        this.column = 0;
        break;
      case 0x02: // set cursor position: DH row, DL column
        this.setCursor(m.get8(DX + 16), m.get8(DX));
        break;
      case 0x03: // get cursor position and shape
        m.set8(DX + 16, this.row);
        m.set8(DX, this.column);
        m.set16(CX, 0x0607);
        break;
      case 0x08: // read character and attribute at cursor
        m.set16(AX, 0x0720);
        break;
      case 0x09: // write character and attribute CX times (cursor not moved)
      case 0x0a: {
        const n = Math.min(m.get16(CX), COLUMNS * ROWS);
        if (n > 0) this.console.write('stdout', new Uint8Array(n).fill(al));
        break;
      }
      case 0x0e:
        this.teletype(al);
        break;
      case 0x0f: // get video mode
        m.set8(AX, this.mode);
        m.set8(AH, COLUMNS);
        m.set8(BH, 0);
        break;
      case 0x13: { // write string ES:BP, CX chars at DH,DL; AL bit 0 moves the cursor, bit 1 = char/attr pairs
        const saved = [this.row, this.column];
        this.setCursor(m.get8(DX + 16), m.get8(DX));
        const count = m.get16(CX);
        const step = (al & 2) !== 0 ? 2 : 1;
        const base = realAddress(m.segSel[ES], m.get16(BP));
        const bytes = m.readMemory(base, count * step) ?? new Uint8Array(0);
        for (let i = 0; i < bytes.length; i += step) this.teletype(bytes[i]);
        if ((al & 1) === 0) [this.row, this.column] = saved;
        break;
      }
      default:
        break;
    }
  }
}
