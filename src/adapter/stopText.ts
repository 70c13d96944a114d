// The words of a stop: the DAP reason for the breakpoint that fired, DR6's B0–B3 as slot numbers, and
// for a data breakpoint one line per access that touched its bytes — address, size, bytes before and
// after, and the instruction (with its source line) that made it, since data breakpoints trap after it.
// Imports adapter types and shared emu types only.
import type { DebugAccess } from '../emu/exit';
import type { BreakpointRecord } from './breakpoints';
import type { InstructionDecoder, StopReason } from './runtimeTypes';
import type { SymbolIndex } from './symbols';

/** Bytes (≤ 8) as a little-endian hex value, else as a byte list. */
function bytesValue(bytes: Uint8Array): string {
  if (bytes.length === 0) return '';
  if (bytes.length > 8) return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  let s = '';
  for (let i = bytes.length - 1; i >= 0; i--) s += bytes[i].toString(16).padStart(2, '0');
  return '0x' + s;
}

/** Bn of DR6 as a list of slot indexes. */
export function hitSlots(dr6: number): number[] {
  return [0, 1, 2, 3].filter((i) => ((dr6 >>> i) & 1) !== 0);
}

/** The stopped event's reason for a breakpoint of this origin. */
export function reasonFor(r: BreakpointRecord): StopReason {
  switch (r.origin) {
    case 'source':
      return 'breakpoint';
    case 'function':
      return 'function breakpoint';
    case 'instruction':
      return 'instruction breakpoint';
    case 'data':
      return 'data breakpoint';
  }
}

/** What describeAccess looks up: instructions, source lines and symbols. */
export interface AccessContext {
  decode: InstructionDecoder;
  symbols: SymbolIndex;
  sourceText?: (file: string, line: number) => string | undefined;
}

/** "write at 0x402000 (4 bytes): 0x00000000 → 0x00000001 by `add dword [counter], 1` (main.asm:14)", one per access touching `r`. */
export function describeAccess(r: BreakpointRecord, accesses: readonly DebugAccess[], ctx: AccessContext): string[] {
  const out: string[] = [];
  for (const a of accesses) {
    if (a.address > r.address + r.length - 1 || a.address + a.size - 1 < r.address) continue;
    const insn = ctx.decode(a.by);
    const where = ctx.symbols.lineAt(a.by);
    const src = where ? ctx.sourceText?.(where.file, where.line)?.trim() : undefined;
    const place = where ? ` (${shortFile(where.file)}:${where.line}${src ? `: ${src}` : ''})` : '';
    const name = ctx.symbols.describe(a.address, 'data');
    out.push(
      `${r.label}: ${a.kind} at 0x${a.address.toString(16)}${name ? ` [${name}]` : ''} (${a.size} byte${a.size === 1 ? '' : 's'}): ` +
        `${bytesValue(a.before)} → ${bytesValue(a.after)} by \`${insn ? insn.text : '?'}\` at 0x${a.by.toString(16)}${place}`,
    );
  }
  if (out.length === 0) out.push(`${r.label}: hit (the emulator did not report the access)`);
  return out;
}

function shortFile(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i >= 0 ? file.slice(i + 1) : file;
}
