// The guest console of `x86dbg run`: guest stdout/stderr go to the process's (synchronous writes,
// so output order is kept and nothing is lost at exit). Guest stdin comes from a file or pipe read
// synchronously, or — when stdin is a terminal — from 'data' events, so a guest polling for a key
// (INT 16h/01h) is told "nothing yet" instead of blocking the emulator; a read with nothing there
// answers 'wait' and the run resumes on the next line typed. Node APIs allowed; never the VS Code layer.
import * as fs from 'fs';
import type { GuestConsole } from '../emu/console';

function writeAll(fd: number, bytes: Uint8Array): void {
  let off = 0;
  while (off < bytes.length) {
    try {
      off += fs.writeSync(fd, bytes, off, bytes.length - off);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') continue;
      if ((err as NodeJS.ErrnoException).code === 'EPIPE') return;
      throw err;
    }
  }
}

export class ProcessConsole implements GuestConsole {
  /** True once the input reached its end. */
  ended = false;
  private readonly pending: number[] = [];
  private listening = false;
  private wake: (() => void) | null = null;

  /**
   * @param inputFd fd to read guest input from (0, or an opened --stdin file).
   * @param interactive read fd 0 through events (a terminal) instead of blocking reads.
   */
  constructor(private readonly inputFd: number, readonly interactive = false) {}

  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    writeAll(stream === 'stdout' ? 1 : 2, bytes);
  }

  read(max: number): Uint8Array | 'wait' {
    if (max <= 0) return new Uint8Array(0);
    if (this.interactive) return this.readInteractive(max);
    if (this.ended) return new Uint8Array(0);
    const buf = new Uint8Array(Math.min(max, 65536));
    try {
      const n = fs.readSync(this.inputFd, buf, 0, buf.length, null);
      if (n === 0) this.ended = true;
      return buf.subarray(0, n);
    } catch (err) {
      // EAGAIN: a non-blocking stdin with nothing yet. Anything else (EOF, EBADF for a closed
      // stdin, EISDIR...) ends the guest's input.
      if ((err as NodeJS.ErrnoException).code === 'EAGAIN') return 'wait';
      this.ended = true;
      return new Uint8Array(0);
    }
  }

  private readInteractive(max: number): Uint8Array | 'wait' {
    if (!this.listening) {
      this.listening = true;
      process.stdin.on('data', (chunk: Buffer) => {
        for (const b of chunk) this.pending.push(b);
        this.notify();
      });
      process.stdin.on('end', () => {
        this.ended = true;
        this.notify();
      });
    }
    if (this.pending.length > 0) return Uint8Array.from(this.pending.splice(0, Math.min(max, this.pending.length)));
    return this.ended ? new Uint8Array(0) : 'wait';
  }

  private notify(): void {
    const w = this.wake;
    this.wake = null;
    w?.();
  }

  /** Resolves when more input may be there (next terminal line, end of input, or a short pause). */
  waitForInput(): Promise<void> {
    if (!this.interactive) return new Promise((resolve) => setTimeout(resolve, 5));
    if (this.pending.length > 0 || this.ended) return Promise.resolve();
    return new Promise((resolve) => {
      this.wake = resolve;
    });
  }

  /** Stop listening to the terminal so the process can exit. */
  close(): void {
    if (this.listening) process.stdin.pause();
  }
}
