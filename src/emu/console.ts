// The guest console: the one interface through which guest output leaves and guest input arrives,
// shared by the CLI (process stdio), the adapter (DAP output events, x86dbg.input) and tests.
// Imports nothing.

export interface GuestConsole {
  /** Guest wrote bytes to stdout (fd 1, DOS/BIOS teletype, port E9h, COM1) or stderr (fd 2). */
  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void;
  /** Take up to `max` bytes of input. Returns an empty array at end of input, or 'wait' when
   *  no input is available yet but more may come (the machine then exits with reason 'input'). */
  read(max: number): Uint8Array | 'wait';
}

/** A console over fixed input and collected output, for tests and batch runs. */
export class BufferConsole implements GuestConsole {
  private input: Uint8Array;
  private inputPos = 0;
  readonly stdout: number[] = [];
  readonly stderr: number[] = [];

  constructor(input: Uint8Array | string = new Uint8Array(0), private readonly endless = false) {
    this.input = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  }

  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    const out = stream === 'stdout' ? this.stdout : this.stderr;
    for (const b of bytes) out.push(b);
  }

  read(max: number): Uint8Array | 'wait' {
    if (this.inputPos >= this.input.length) return this.endless ? 'wait' : new Uint8Array(0);
    const n = Math.min(max, this.input.length - this.inputPos);
    const chunk = this.input.slice(this.inputPos, this.inputPos + n);
    this.inputPos += n;
    return chunk;
  }

  /** Append input (used when the console waits for more). */
  feed(bytes: Uint8Array | string): void {
    const add = typeof bytes === 'string' ? new TextEncoder().encode(bytes) : bytes;
    const rest = this.input.slice(this.inputPos);
    const merged = new Uint8Array(rest.length + add.length);
    merged.set(rest);
    merged.set(add, rest.length);
    this.input = merged;
    this.inputPos = 0;
  }

  text(stream: 'stdout' | 'stderr' = 'stdout'): string {
    return new TextDecoder().decode(Uint8Array.from(stream === 'stdout' ? this.stdout : this.stderr));
  }
}
