// The shadow call stack: frames pushed and popped as CALL/RET/INT/IRET execute, reported by the
// machine's controlTransferHook (from, to, stack pointer after the transfer). A frame is popped when
// the stack pointer rises above the slot its return address was pushed to, which also drops frames a
// guest abandoned (stack switched, longjmp-style returns). Imports nothing of ours.

export interface ShadowFrame {
  kind: 'call' | 'int';
  /** Linear address of the CALL / INT instruction (or the faulting instruction for an exception). */
  from: number;
  /** Linear address the transfer went to (the callee / handler entry). */
  to: number;
  /** Stack pointer right after the transfer: where the return address (or interrupt frame) lies. */
  sp: number;
}

const MAX_DEPTH = 100_000;

export class ShadowStack {
  private readonly frames: ShadowFrame[] = [];
  /** Frames dropped because the stack grew too deep (runaway recursion). */
  dropped = 0;

  /** The hook to install as Machine.controlTransferHook (created once, no allocation but the frame). */
  readonly hook = (kind: 'call' | 'ret' | 'int' | 'iret', from: number, to: number, sp: number): void => {
    if (kind === 'call' || kind === 'int') {
      if (this.frames.length >= MAX_DEPTH) {
        this.frames.shift();
        this.dropped++;
      }
      this.frames.push({ kind, from, to, sp });
      return;
    }
    this.unwindTo(sp);
  };

  /** Drop frames whose return slot lies below the stack pointer (already returned or abandoned). */
  unwindTo(sp: number): void {
    const f = this.frames;
    while (f.length > 0 && f[f.length - 1].sp < sp) f.pop();
  }

  /** Innermost frame first, after dropping frames the current stack pointer has passed. */
  current(sp: number): ShadowFrame[] {
    this.unwindTo(sp);
    return [...this.frames].reverse();
  }

  clear(): void {
    this.frames.length = 0;
    this.dropped = 0;
  }
}
