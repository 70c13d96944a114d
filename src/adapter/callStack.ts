// The call stack for stackTrace and stepOut: frame 0 at the instruction pointer, then one frame per
// entry of the shadow call stack (kept as CALL/RET/INT/IRET execute), each at its call site's source
// line with an instructionPointerReference. Without a shadow stack (a target without the hook), the
// guest stack is scanned for return addresses that follow a CALL. Imports adapter modules, DAP types.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Runtime } from './runtime';

export interface CallFrame {
  frame: DebugProtocol.StackFrame;
  /** Address execution resumes at in this frame (frame 0: pc; others: the return address). */
  address: number;
  /** Linear address of the stack slot holding this frame's return address (frames > 0). */
  slot?: number;
}

const MAX_SCAN_SLOTS = 2048;
const MAX_FRAMES = 64;
/** Lengths a near CALL can have (E8 rel16/rel32, FF /2 with ModRM/SIB/disp, prefixes). */
const CALL_LENGTHS = [5, 2, 3, 6, 7, 4, 8, 9];

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

/** The call instruction that returns to `address`, if the bytes before it are one. */
export function callBefore(rt: Runtime, address: number): number | undefined {
  for (const k of CALL_LENGTHS) {
    const at = address - k;
    if (at < 0) continue;
    const insn = rt.decode(at);
    if (insn && insn.flow === 'call' && insn.length === k) return at;
  }
  return undefined;
}

function makeFrame(rt: Runtime, id: number, address: number, shownAt: number): DebugProtocol.StackFrame {
  const name = rt.symbols.describe(shownAt, 'code') ?? '0x' + shownAt.toString(16);
  const line = rt.symbols.lineAt(shownAt);
  const frame: DebugProtocol.StackFrame = { id, name, line: 0, column: 0, instructionPointerReference: '0x' + shownAt.toString(16) };
  if (line) {
    frame.source = { path: line.file, name: baseName(line.file) };
    frame.line = line.line;
    frame.column = 1;
  } else {
    frame.presentationHint = 'subtle';
  }
  if (id > 0) frame.name += ` (returns to 0x${address.toString(16)})`;
  return frame;
}

/** Frames from the instruction pointer outwards. */
export function buildCallStack(rt: Runtime): CallFrame[] {
  const pc = rt.target.pc();
  const frames: CallFrame[] = [{ frame: makeFrame(rt, 0, pc, pc), address: pc }];
  if (rt.shadow) {
    const ssBase = rt.target.mode() === 64 ? 0 : rt.target.segment('ss').base;
    for (const f of rt.shadow.current(rt.target.stackPointer())) {
      if (frames.length >= MAX_FRAMES) break;
      const insn = rt.decode(f.from);
      // An exception frame returns to the faulting instruction; CALL and INT n to the next one.
      const returns = f.kind === 'call' || (insn && insn.flow === 'int') ? f.from + (insn ? insn.length : 0) : f.from;
      const cf = makeFrame(rt, frames.length, returns, f.from);
      if (f.kind === 'int') cf.name = `${cf.name} [interrupt]`;
      frames.push({ frame: cf, address: returns, slot: ssBase + f.sp });
    }
    return frames;
  }
  return scanFrames(rt, frames);
}

/** Fallback: return addresses found on the guest stack (a value that follows a CALL instruction). */
function scanFrames(rt: Runtime, frames: CallFrame[]): CallFrame[] {
  const width = rt.target.mode() / 8;
  const sp = rt.target.sp();
  const hasLines = rt.symbols.lines.length > 0;
  const bytes = rt.target.read(sp, MAX_SCAN_SLOTS * width) ?? readPrefix(rt, sp, width);
  for (let i = 0; i + width <= bytes.length && frames.length < MAX_FRAMES; i += width) {
    let v = 0;
    for (let k = Math.min(width, 6) - 1; k >= 0; k--) v = v * 256 + bytes[i + k];
    if (width === 8 && (bytes[i + 6] !== 0 || bytes[i + 7] !== 0)) continue;
    if (v === 0) continue;
    if (hasLines && !rt.symbols.lineAt(v) && !rt.symbols.lineAt(v - 1)) continue;
    const call = callBefore(rt, v);
    if (call === undefined) continue;
    frames.push({ frame: makeFrame(rt, frames.length, v, call), address: v, slot: sp + i });
  }
  return frames;
}

/** Read as many whole slots as are mapped from sp upwards. */
function readPrefix(rt: Runtime, sp: number, width: number): Uint8Array {
  let n = MAX_SCAN_SLOTS;
  while (n > 0) {
    n = Math.floor(n / 2);
    const b = rt.target.read(sp, n * width);
    if (b) return b;
  }
  return new Uint8Array(0);
}
