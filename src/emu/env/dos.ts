// The dos environment: a .COM program in one 64 KiB segment after its PSP, INT 21h (AH = 00h, 01h,
// 02h, 06h, 07h, 08h, 09h, 0Ah, 0Bh, 25h, 2Ah, 2Ch, 30h, 35h, 4Ch), INT 20h, and the BIOS (INT 10h
// teletype and cursor, INT 16h keyboard, ...) through the shared real-mode environment.
// Imports the Machine, console, environment results and the real-mode pieces.
import type { Machine } from '../machine';
import type { GuestConsole } from '../console';
import { CONTINUE, type EnvResult } from '../environment';
import type { Exit } from '../exit';
import { DS, ES } from '../cpu';
import { RealModeEnvironment } from './realModeEnvironment';
import { AH, AX, BX, CH, CX, DH, DX, realAddress, setCarry, setZero } from './realMode';
import { calendar } from './virtualClock';

/** Segment of the PSP; the program starts at DOS_SEGMENT:0100h (linear 0x10100). */
export const DOS_SEGMENT = 0x1000;
/** Linear address the Program's addresses (offsets from the segment) are relative to. */
export const DOS_LOAD_BASE = DOS_SEGMENT * 16;

const WAIT_INPUT: EnvResult = Object.freeze({ kind: 'stop', exit: Object.freeze({ reason: 'input' }) as Exit, retry: true });
const CTRL_Z = 0x1a;

/** The 256-byte Program Segment Prefix for a .COM started with `tail` as its command line. */
export function buildPsp(tail: string): Uint8Array {
  const psp = new Uint8Array(256);
  psp[0] = 0xcd; psp[1] = 0x20;                 // INT 20h at PSP:0000 (RET from the program lands here)
  psp[2] = 0x00; psp[3] = 0xa0;                 // segment after the program's memory
  psp[0x50] = 0xcd; psp[0x51] = 0x21; psp[0x52] = 0xcb; // INT 21h / RETF dispatcher
  psp.fill(0x20, 0x5d, 0x68);                   // blank FCB names
  psp.fill(0x20, 0x6d, 0x78);
  const bytes = new TextEncoder().encode(tail).subarray(0, 126);
  psp[0x80] = bytes.length;
  psp.set(bytes, 0x81);
  psp[0x81 + bytes.length] = 0x0d;
  return psp;
}

export class DosEnvironment extends RealModeEnvironment {
  private readonly one = new Uint8Array(1);

  constructor(m: Machine, console: GuestConsole, notice: (message: string) => void) {
    super(m, console, null, notice);
  }

  protected ownService(m: Machine, vector: number): EnvResult | null {
    if (vector === 0x20) return { kind: 'stop', exit: { reason: 'exited', code: 0 } };
    if (vector === 0x21) return this.int21(m);
    return null;
  }

  private out(b: number): void {
    this.bios.video.teletype(b);
  }

  private int21(m: Machine): EnvResult {
    const ah = m.get8(AH);
    const kb = this.bios.keyboard;
    switch (ah) {
      case 0x00:
        return { kind: 'stop', exit: { reason: 'exited', code: 0 } };
      case 0x01: { // read a character with echo
        const k = kb.take();
        if (k.kind === 'wait') return WAIT_INPUT;
        const c = k.kind === 'byte' ? k.value : CTRL_Z;
        if (k.kind === 'byte') this.out(c);
        m.set8(AX, c);
        return CONTINUE;
      }
      case 0x02: // write DL
        this.out(m.get8(DX));
        m.set8(AX, m.get8(DX));
        return CONTINUE;
      case 0x06: { // direct console I/O: DL = FFh reads without waiting (ZF = 1: nothing), else writes DL
        const dl = m.get8(DX);
        if (dl !== 0xff) {
          this.out(dl);
          m.set8(AX, dl);
          return CONTINUE;
        }
        const k = kb.peek();
        if (k.kind === 'byte') {
          kb.take();
          m.set8(AX, k.value);
          setZero(m, false);
        } else {
          m.set8(AX, 0);
          setZero(m, true);
        }
        return CONTINUE;
      }
      case 0x07:
      case 0x08: { // read a character without echo
        const k = kb.take();
        if (k.kind === 'wait') return WAIT_INPUT;
        m.set8(AX, k.kind === 'byte' ? k.value : CTRL_Z);
        return CONTINUE;
      }
      case 0x09: { // write the '$'-terminated string at DS:DX
        const base = realAddress(m.segSel[DS], m.get16(DX));
        for (let i = 0; i < 0x10000; i++) {
          const b = m.readMemory(base + i, 1);
          if (b === null || b[0] === 0x24) break;
          this.out(b[0]);
        }
        m.set8(AX, 0x24);
        return CONTINUE;
      }
      case 0x0a: { // buffered line input at DS:DX: [0] max, [1] count read, then the chars and CR
        const buf = realAddress(m.segSel[DS], m.get16(DX));
        const head = m.readMemory(buf, 1);
        if (head === null) return CONTINUE;
        const max = head[0];
        if (max === 0) return CONTINUE;
        const line = kb.takeLine();
        if (line.kind === 'wait') return WAIT_INPUT;
        const chars = line.bytes.slice(0, max - 1);
        for (const c of chars) this.out(c);
        this.out(0x0d);
        m.writeMemory(buf + 1, Uint8Array.from([chars.length, ...chars, 0x0d]));
        return CONTINUE;
      }
      case 0x0b: { // input status: AL = FFh when a character is waiting
        const k = kb.peek();
        m.set8(AX, k.kind === 'byte' ? 0xff : 0);
        return CONTINUE;
      }
      case 0x25: { // set interrupt vector AL to DS:DX
        const v = m.get8(AX);
        const e = new Uint8Array(4);
        const off = m.get16(DX);
        const seg = m.segSel[DS];
        e[0] = off & 0xff; e[1] = off >> 8; e[2] = seg & 0xff; e[3] = seg >> 8;
        m.writeMemory(v * 4, e);
        return CONTINUE;
      }
      case 0x35: { // get interrupt vector AL → ES:BX
        const e = m.readMemory(m.get8(AX) * 4, 4) ?? new Uint8Array(4);
        m.set16(BX, e[0] | (e[1] << 8));
        m.loadRealSegment(ES, e[2] | (e[3] << 8));
        return CONTINUE;
      }
      case 0x2a: { // date: CX year, DH month, DL day, AL weekday
        const d = calendar(this.clock.wall().seconds);
        m.set16(CX, d.year);
        m.set8(DH, d.month);
        m.set8(DX, d.day);
        m.set8(AX, d.weekday);
        return CONTINUE;
      }
      case 0x2c: { // time: CH hour, CL minute, DH second, DL hundredths
        const w = this.clock.wall();
        const d = calendar(w.seconds);
        m.set8(CH, d.hour);
        m.set8(CX, d.minute);
        m.set8(DH, d.second);
        m.set8(DX, Math.floor(w.nanoseconds / 1e7));
        return CONTINUE;
      }
      case 0x30: // DOS version 5.0
        m.set16(AX, 0x0005);
        m.set16(BX, 0);
        m.set16(CX, 0);
        return CONTINUE;
      case 0x4c:
        return { kind: 'stop', exit: { reason: 'exited', code: m.get8(AX) } };
      default:
        this.unsupported(`INT 21h function ${ah.toString(16).padStart(2, '0')}h`);
        m.set16(AX, 0x0001);
        setCarry(m, true);
        return CONTINUE;
    }
  }
}
