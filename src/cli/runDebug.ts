// The debugger-layer flags of `x86dbg run` (issue 5 "Command line"): --break ADDR,
// --watch ADDR:LEN:w|rw|io, --step, --exits FILE → the machine's setGuestDebug slots (DR0, DR1, … in
// the order given), and one JSON line per debug exit. Node APIs allowed (the exits file); imports the
// debug unit's DR7 helpers, the Exit and Program types. Used by runCommand.ts (helper "env").

import * as fs from 'fs';
import type { Exit } from '../emu/exit';
import type { ProgramSymbol } from '../asm/program';
import type { GuestDebugConfig } from '../emu/debug/debugUnit';
import { DR6_BS, encodeSlot, type SlotKind, type SlotLength } from '../emu/debug/registers';

/** One --break or --watch request, as typed on the command line. */
export interface SlotRequest {
  /** The flag as given, for messages ("--watch buf:4:w"). */
  flag: string;
  kind: SlotKind;
  /** ADDR: a number or a label, optionally label+N / label-N. */
  target: string;
  length: SlotLength;
}

/** The parsed debug flags. */
export interface RunDebugOptions {
  requests: SlotRequest[];
  step: boolean;
  /** Where exit lines go: a file path, or null for stderr. */
  exitsPath: string | null;
}

/** A slot after label resolution. */
export interface ResolvedSlot extends SlotRequest {
  index: number;
  address: number;
}

export type ParseResult = { ok: true; options: RunDebugOptions; rest: string[] } | { ok: false; message: string };
export type ResolveResult = { ok: true; config: GuestDebugConfig | null; slots: ResolvedSlot[] } | { ok: false; message: string };

const WATCH_KINDS: Record<string, SlotKind> = { w: 'write', rw: 'readwrite', io: 'io' };

/** Usage lines for the debug flags (runCommand appends them to its help). */
export const DEBUG_FLAGS_USAGE = [
  '  --break ADDR            instruction breakpoint in the next free DR slot (ADDR: number or label)',
  '  --watch ADDR:LEN:w|rw|io  data (write / read-write) or I/O watchpoint, LEN 1, 2, 4 or 8',
  '  --step                  single-step: a debug exit after every instruction',
  '  --exits FILE            write the JSON line of each debug exit to FILE instead of stderr',
].join('\n');

/**
 * Take --break/--watch/--step/--exits out of `args` (both `--flag value` and `--flag=value`);
 * everything else is returned in `rest` in order. At most four slots, as on the hardware.
 */
export function extractDebugFlags(args: readonly string[]): ParseResult {
  const requests: SlotRequest[] = [];
  const rest: string[] = [];
  let step = false;
  let exitsPath: string | null = null;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i];
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const takesValue = name === '--break' || name === '--watch' || name === '--exits';
    if (!takesValue) {
      if (arg === '--step') step = true;
      else rest.push(arg);
      continue;
    }
    let value: string;
    if (eq > 0) value = arg.slice(eq + 1);
    else if (i + 1 < args.length) value = args[++i];
    else return { ok: false, message: `${name} needs a value` };
    if (name === '--exits') {
      exitsPath = value;
      continue;
    }
    const request = name === '--break' ? parseBreak(value) : parseWatch(value);
    if (typeof request === 'string') return { ok: false, message: request };
    if (requests.length === 4) {
      const held = requests.map((r, n) => `DR${n}: ${r.flag}`).join(', ');
      return { ok: false, message: `${request.flag}: all four debug registers are in use (${held})` };
    }
    requests.push(request);
  }
  return { ok: true, options: { requests, step, exitsPath }, rest };
}

function parseBreak(value: string): SlotRequest | string {
  if (value.trim() === '') return '--break needs an address or label';
  return { flag: `--break ${value}`, kind: 'exec', target: value.trim(), length: 1 };
}

function parseWatch(value: string): SlotRequest | string {
  const flag = `--watch ${value}`;
  const parts = value.split(':');
  if (parts.length !== 3) return `${flag}: expected ADDR:LEN:w|rw|io`;
  const [target, lenText, kindText] = parts;
  const length = Number(lenText);
  if (length !== 1 && length !== 2 && length !== 4 && length !== 8) return `${flag}: LEN must be 1, 2, 4 or 8`;
  const kind = WATCH_KINDS[kindText.toLowerCase()];
  if (!kind) return `${flag}: kind must be w, rw or io`;
  if (target.trim() === '') return `${flag}: missing address`;
  return { flag, kind, target: target.trim(), length };
}

/** Parse a number: 0x1F, 1Fh, 0b101, 31. undefined when it is not a number. */
export function parseNumber(text: string): number | undefined {
  const t = text.trim().toLowerCase().replace(/_/g, '');
  let n: number;
  if (/^0x[0-9a-f]+$/.test(t)) n = parseInt(t.slice(2), 16);
  else if (/^[0-9][0-9a-f]*h$/.test(t)) n = parseInt(t.slice(0, -1), 16);
  else if (/^0b[01]+$/.test(t)) n = parseInt(t.slice(2), 2);
  else if (/^[0-9]+$/.test(t)) n = parseInt(t, 10);
  else return undefined;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Resolve ADDR: a number, or a symbol name with an optional +N / -N. */
export function resolveAddress(target: string, symbols: readonly ProgramSymbol[]): number | string {
  const direct = parseNumber(target);
  if (direct !== undefined) return direct;
  const m = /^([A-Za-z_.?$@][\w.?$@#~]*)\s*(?:([+-])\s*(.+))?$/.exec(target);
  if (!m) return `'${target}' is neither a number nor a label`;
  const symbol = symbols.find((s) => s.name === m[1]);
  if (!symbol) return `unknown label '${m[1]}'`;
  if (m[2] === undefined) return symbol.address;
  const offset = parseNumber(m[3]);
  if (offset === undefined) return `'${m[3]}' is not a number`;
  return m[2] === '+' ? symbol.address + offset : symbol.address - offset;
}

/** The setGuestDebug configuration for the options (null when no slot and no --step). */
export function buildGuestDebug(options: RunDebugOptions, symbols: readonly ProgramSymbol[]): ResolveResult {
  const slots: ResolvedSlot[] = [];
  let dr7 = 0;
  const addr = [0, 0, 0, 0];
  for (const [index, request] of options.requests.entries()) {
    const address = resolveAddress(request.target, symbols);
    if (typeof address === 'string') return { ok: false, message: `${request.flag}: ${address}` };
    slots.push({ ...request, index, address });
    addr[index] = address;
    dr7 = encodeSlot(dr7, index, request.kind, request.length);
  }
  if (slots.length === 0 && !options.step) return { ok: true, config: null, slots };
  return { ok: true, config: { singleStep: options.step, hw: slots.length ? { dr7, addr } : null }, slots };
}

function hex(n: number): string {
  return '0x' + n.toString(16);
}

/** Little-endian bytes as one hex number (exact for any length: built from the digits). */
function bytesHex(bytes: Uint8Array): string {
  let digits = '';
  for (let i = bytes.length - 1; i >= 0; i--) digits += bytes[i].toString(16).padStart(2, '0');
  const trimmed = digits.replace(/^0+(?=.)/, '');
  return '0x' + (trimmed || '0');
}

/** The JSON line for one debug exit (issue 5 "Command line" shape). */
export function formatDebugExit(exit: Extract<Exit, { reason: 'debug' }>): string {
  const slots: number[] = [];
  for (let n = 0; n < 4; n++) if ((exit.dr6 >>> n) & 1) slots.push(n);
  const line: Record<string, unknown> = {
    exception: exit.exception,
    dr6: hex(exit.dr6 >>> 0),
    dr7: hex(exit.dr7 >>> 0),
    pc: hex(exit.pc),
    slots,
  };
  if (exit.dr6 & DR6_BS) line.step = true;
  const access = exit.access?.[0];
  if (access) {
    const a: Record<string, unknown> = { address: hex(access.address), size: access.size, kind: access.kind };
    if (access.kind === 'read' || access.kind === 'write') {
      a.old = bytesHex(access.before);
      a.new = bytesHex(access.after);
    }
    a.by = hex(access.by);
    line.access = a;
  }
  return JSON.stringify(line);
}

/** Writes exit lines to stderr or to the --exits file. */
export class DebugExitPrinter {
  private readonly fd: number | null;

  private constructor(fd: number | null) {
    this.fd = fd;
  }

  /** Open the destination; an error message when the --exits file cannot be created. */
  static open(options: RunDebugOptions): DebugExitPrinter | string {
    if (options.exitsPath === null) return new DebugExitPrinter(null);
    try {
      return new DebugExitPrinter(fs.openSync(options.exitsPath, 'w'));
    } catch (err) {
      return `--exits ${options.exitsPath}: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  /** Print one exit line; the caller then continues the run. */
  print(exit: Extract<Exit, { reason: 'debug' }>): void {
    const text = formatDebugExit(exit) + '\n';
    if (this.fd === null) process.stderr.write(text);
    else fs.writeSync(this.fd, text);
  }

  close(): void {
    if (this.fd !== null) fs.closeSync(this.fd);
  }
}
