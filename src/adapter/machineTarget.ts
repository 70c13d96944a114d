// Binds the adapter's DebugTarget port to src/emu's Machine: registers by name (via src/isa's
// register table), segments, control registers, the guest's debug registers, memory, the debugger
// layer (setGuestDebug) and run(). Also the guest console that turns output into callbacks and takes
// input from the launch's stdin and x86dbg.input. Imports src/emu, src/isa and adapter types.
import type { Machine } from '../emu/machine';
import type { Exit } from '../emu/exit';
import type { GuestConsole } from '../emu/console';
import { parseReg } from '../isa/registers';
import { CS, DS, ES, FS, GS, SSEG } from '../emu/cpu';
import type { DebugTarget, HostDebugSetting, SegmentView, SystemTablesView } from './target';
import { systemSegments } from '../emu/protected/systemSegments';
import type { GuestDebugRegisters } from './protocol';

const SEGMENT_INDEX = { es: ES, cs: CS, ss: SSEG, ds: DS, fs: FS, gs: GS } as const;

/** The guest console of a debug session: output to a callback, input from a queue that can wait. */
export class SessionConsole implements GuestConsole {
  private input: number[] = [];
  private inputPos = 0;
  private eof = false;
  private readonly decoders = { stdout: new TextDecoder('utf-8'), stderr: new TextDecoder('utf-8') };

  constructor(private readonly onOutput: (stream: 'stdout' | 'stderr', text: string) => void) {}

  write(stream: 'stdout' | 'stderr', bytes: Uint8Array): void {
    const text = this.decoders[stream].decode(bytes, { stream: true });
    if (text.length > 0) this.onOutput(stream, text);
  }

  read(max: number): Uint8Array | 'wait' {
    const available = this.input.length - this.inputPos;
    if (available <= 0) return this.eof ? new Uint8Array(0) : 'wait';
    const n = Math.min(max, available);
    const out = Uint8Array.from(this.input.slice(this.inputPos, this.inputPos + n));
    this.inputPos += n;
    if (this.inputPos > 4096 && this.inputPos === this.input.length) {
      this.input = [];
      this.inputPos = 0;
    }
    return out;
  }

  feed(bytes: Uint8Array, eof: boolean): void {
    for (const b of bytes) this.input.push(b);
    if (eof) this.eof = true;
  }
}

/** A DebugTarget over a Machine. */
export class MachineTarget implements DebugTarget {
  constructor(
    readonly machine: Machine,
    private readonly console: SessionConsole,
  ) {}

  mode(): 16 | 32 | 64 {
    return this.machine.codeBits;
  }

  getRegister(name: string): bigint | undefined {
    const m = this.machine;
    const n = name.toLowerCase();
    if (n === 'rflags' || n === 'eflags' || n === 'flags') {
      const f = BigInt(m.getRflags() >>> 0);
      return n === 'flags' ? f & 0xffffn : f;
    }
    if (n === 'efer') return BigInt(m.efer >>> 0);
    const id = parseReg(n);
    if (id === undefined) return undefined;
    return m.getRegister(id);
  }

  setRegister(name: string, value: bigint): boolean {
    const m = this.machine;
    const n = name.toLowerCase();
    if (n === 'rflags' || n === 'eflags' || n === 'flags') {
      const cur = m.getRflags() >>> 0;
      const v = Number(BigInt.asUintN(32, value));
      m.setRflags(n === 'flags' ? (cur & ~0xffff) | (v & 0xffff) : v);
      return true;
    }
    if (n === 'efer') {
      m.efer = Number(BigInt.asUintN(32, value));
      m.updateMode();
      return true;
    }
    const id = parseReg(n);
    if (id === undefined) return false;
    m.setRegister(id, value);
    return true;
  }

  segment(name: 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss'): SegmentView {
    const s = this.machine.getSegment(SEGMENT_INDEX[name]);
    return { selector: s.selector, base: s.base, limit: s.limit, attributes: s.attributes };
  }

  systemTables(): SystemTablesView {
    const m = this.machine;
    const sys = systemSegments(m);
    // The hidden parts belong to the selector they were loaded with (systemSegments.ts).
    const ldtr = sys.ldtSel === m.ldtrSel ? { selector: m.ldtrSel, base: sys.ldtBase, limit: sys.ldtLimit } : { selector: m.ldtrSel, base: 0, limit: 0 };
    const tr = sys.trSel === m.trSel ? { selector: m.trSel, base: sys.trBase, limit: sys.trLimit } : { selector: m.trSel, base: 0, limit: 0 };
    return { gdtr: { base: m.gdtrBase, limit: m.gdtrLimit }, idtr: { base: m.idtrBase, limit: m.idtrLimit }, ldtr, tr };
  }

  cpl(): number {
    return this.machine.cpl;
  }

  guestDebugRegisters(): GuestDebugRegisters {
    const g = this.machine.debug.guestRegisters();
    return { dr: [g.dr[0], g.dr[1], g.dr[2], g.dr[3]], dr6: g.dr6, dr7: g.dr7 };
  }

  pc(): number {
    return this.machine.pc();
  }

  sp(): number {
    const m = this.machine;
    return this.stackPointer() + (m.stackSize === 8 ? 0 : m.getSegment(SSEG).base);
  }

  stackPointer(): number {
    const m = this.machine;
    const size = m.stackSize;
    return Number(m.getRegister(size === 8 ? (parseReg('rsp') as number) : size === 4 ? (parseReg('esp') as number) : (parseReg('sp') as number)));
  }

  read(address: number, length: number): Uint8Array | null {
    if (!Number.isSafeInteger(address) || address < 0 || length < 0) return null;
    return this.machine.readMemory(address, length);
  }

  write(address: number, bytes: Uint8Array): boolean {
    if (!Number.isSafeInteger(address) || address < 0) return false;
    return this.machine.writeMemory(address, bytes);
  }

  setHostDebug(setting: HostDebugSetting): void {
    const armed = (setting.dr7 & 0xff) !== 0;
    this.machine.setGuestDebug({ singleStep: setting.singleStep, hw: armed ? { dr7: setting.dr7, addr: setting.addr } : null });
  }

  setEmulatorBreakpoints(addresses: ReadonlySet<number> | null): void {
    this.machine.debug.setEmulatorBreakpoints(addresses);
  }

  run(budget: number): Exit {
    return this.machine.run(budget);
  }

  runStraight(budget: number): Exit {
    const m = this.machine;
    const inner = m.controlTransferHook;
    this.innerHook = inner;
    m.controlTransferHook = this.pausingHook;
    try {
      return m.run(budget);
    } finally {
      m.controlTransferHook = inner;
      this.innerHook = null;
    }
  }

  /** During runStraight: the hook that was installed (the shadow call stack), called first. */
  private innerHook: Machine['controlTransferHook'] = null;
  /** Created once: forwards to innerHook, and pauses the run when a handler is entered ('int'). */
  private readonly pausingHook: NonNullable<Machine['controlTransferHook']> = (kind, from, to, sp) => {
    this.innerHook?.(kind, from, to, sp);
    if (kind === 'int') this.machine.requestPause();
  };

  codeEpoch(): number {
    return this.machine.cache.epoch;
  }

  /** Instructions retired so far. */
  instructionCount(): number {
    return this.machine.icount;
  }

  feedInput(bytes: Uint8Array, eof: boolean): void {
    this.console.feed(bytes, eof);
  }
}
