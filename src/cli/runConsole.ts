// The guest console of `x86dbg run`: guest stdout/stderr go to the process's (synchronous writes,
// so output order is kept and nothing is lost at exit), guest stdin comes from the process's stdin
// or the --stdin file, read synchronously; a non-blocking stdin with no data yet answers 'wait'.
// Node APIs allowed; never imports the VS Code layer.
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

  /** @param inputFd fd to read guest input from (0, or an opened --stdin file). */
  constructor(private readonly inputFd: number) {}

  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    writeAll(stream === 'stdout' ? 1 : 2, bytes);
  }

  read(max: number): Uint8Array | 'wait' {
    if (this.ended || max <= 0) return new Uint8Array(0);
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
}
