// Console input as BIOS and DOS services see it: a queue filled from the guest console, so a service
// can look at a key without taking it (INT 16h/01h, INT 21h/0Bh) and a line can be gathered across
// retries (INT 21h/0Ah); plus the scan codes of the US layout for INT 16h. Imports the console type.
import type { GuestConsole } from '../console';

/** What a read attempt found. */
export type KeyPeek = { kind: 'byte'; value: number } | { kind: 'wait' } | { kind: 'eof' };

export class KeyboardQueue {
  private readonly queue: number[] = [];
  private ended = false;

  constructor(private readonly console: GuestConsole) {}

  /** Pull whatever the console has now into the queue. */
  private fill(): 'ok' | 'wait' | 'eof' {
    if (this.queue.length > 0) return 'ok';
    if (this.ended) return 'eof';
    const r = this.console.read(256);
    if (r === 'wait') return 'wait';
    if (r.length === 0) {
      this.ended = true;
      return 'eof';
    }
    for (const b of r) this.queue.push(b);
    return 'ok';
  }

  /** The next byte without taking it. */
  peek(): KeyPeek {
    const s = this.fill();
    return s === 'ok' ? { kind: 'byte', value: this.queue[0] } : { kind: s };
  }

  /** Take the next byte. */
  take(): KeyPeek {
    const p = this.peek();
    if (p.kind === 'byte') this.queue.shift();
    return p;
  }

  /**
   * A whole line (up to and excluding CR or LF, which is consumed, CR LF as one), if one is there;
   * at end of input the rest counts as a line. 'wait' leaves everything queued for the retry.
   */
  takeLine(): { kind: 'line'; bytes: number[] } | { kind: 'wait' } {
    for (;;) {
      const end = this.queue.findIndex((b) => b === 0x0d || b === 0x0a);
      if (end >= 0) {
        const bytes = this.queue.splice(0, end + 1);
        const term = bytes.pop();
        if (term === 0x0d && this.queue[0] === 0x0a) this.queue.shift();
        return { kind: 'line', bytes };
      }
      if (this.ended) return { kind: 'line', bytes: this.queue.splice(0, this.queue.length) };
      const r = this.console.read(256);
      if (r === 'wait') return { kind: 'wait' };
      if (r.length === 0) this.ended = true;
      for (const b of r) this.queue.push(b);
    }
  }
}

const ROWS: Array<[number, string]> = [
  [0x02, '1234567890-='], [0x10, 'qwertyuiop[]'], [0x1e, "asdfghjkl;'`"], [0x2b, '\\zxcvbnm,./'],
];
const SHIFTED: Array<[number, string]> = [
  [0x02, '!@#$%^&*()_+'], [0x10, 'QWERTYUIOP{}'], [0x1e, 'ASDFGHJKL:"~'], [0x2b, '|ZXCVBNM<>?'],
];

/** Set-1 scan code of the key that types ASCII byte `b` on a US keyboard (0 when there is none). */
export function scanCodeOf(b: number): number {
  if (b === 0x0d || b === 0x0a) return 0x1c;
  if (b === 0x1b) return 0x01;
  if (b === 0x08) return 0x0e;
  if (b === 0x09) return 0x0f;
  if (b === 0x20) return 0x39;
  const ch = String.fromCharCode(b);
  for (const [base, keys] of [...ROWS, ...SHIFTED]) {
    const i = keys.indexOf(ch);
    if (i >= 0) return base + i;
  }
  return 0;
}
