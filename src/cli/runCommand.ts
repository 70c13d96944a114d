// x86dbg run FILE: loads or assembles FILE, starts it in its environment (inferred or --env/--bits),
// runs it in slices with guest stdio on the process's stdio, prints the debugger-layer exits of
// --break/--watch/--step (runDebug.ts) and ends with the guest's exit status, or 128 + signal for a
// fault (described on stderr). Node APIs allowed; never imports the VS Code layer.
import * as fs from 'fs';
import * as path from 'path';
import type { Exit } from '../emu/exit';
import type { ProgramSymbol } from '../asm/program';
import { loadProgram } from '../emu/env/loadProgram';
import { signalForException } from '../emu/env/signals';
import { DebugExitPrinter, DEBUG_FLAGS_USAGE, buildGuestDebug, extractDebugFlags } from './runDebug';
import { RUN_USAGE, parseRunOptions, type RunOptions } from './runOptions';
import { ProcessConsole } from './runConsole';
import { loadProgramFile } from './runInput';

/** Exit status when --max-instructions ran out (as timeout(1) does). */
export const STATUS_BUDGET = 124;
/** Exit status for usage errors and programs that cannot be loaded. */
export const STATUS_USAGE = 2;
/** Instructions per run() call: large, because each call has a fixed cost (measured: 1e5-instruction slices ran 35 % slower). */
const SLICE = 10_000_000;
/** With a terminal on stdin: smaller slices so typed keys reach a polling guest promptly. */
const INTERACTIVE_SLICE = 1_000_000;

function fail(message: string, status = STATUS_USAGE): number {
  process.stderr.write(`x86dbg run: ${message}\n`);
  return status;
}

function note(message: string): void {
  process.stderr.write(`x86dbg: ${message}\n`);
}

/** The exit status a finished run reports (guest status, 128 + signal, 124 for the budget). */
export function exitStatus(exit: Exit): number {
  switch (exit.reason) {
    case 'exited': return exit.code & 0xff;
    case 'halted': return 0;
    case 'fault': return 128 + (exit.signal ?? signalForException(exit.vector));
    case 'budget': return STATUS_BUDGET;
    default: return 1;
  }
}

function readAllowedFiles(paths: readonly string[]): Map<string, Uint8Array> | string {
  const files = new Map<string, Uint8Array>();
  for (const p of paths) {
    try {
      files.set(p, new Uint8Array(fs.readFileSync(p)));
    } catch (err) {
      return `--allow-file ${p}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`;
    }
  }
  return files;
}

export async function runCommand(args: string[]): Promise<number> {
  if (args.includes('--help') || args.includes('-h')) {
    process.stdout.write(`${RUN_USAGE}\n${DEBUG_FLAGS_USAGE}\n`);
    return 0;
  }
  const debugFlags = extractDebugFlags(args);
  if (!debugFlags.ok) return fail(debugFlags.message);
  const parsed = parseRunOptions(debugFlags.rest);
  if (!parsed.ok) return fail(`${parsed.message}\n${RUN_USAGE}`);
  const o: RunOptions = parsed.options;

  const input = loadProgramFile(o.file, { environment: o.environment, bits: o.bits });
  if (!input.ok) return fail(input.message);
  for (const w of input.warnings) note(w);
  const program = input.program;

  const files = readAllowedFiles(o.allowFiles);
  if (typeof files === 'string') return fail(files);
  let inputFd = 0;
  if (o.stdinPath !== undefined) {
    try {
      inputFd = fs.openSync(o.stdinPath, 'r');
    } catch (err) {
      return fail(`--stdin ${o.stdinPath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
    }
  }
  const console = new ProcessConsole(inputFd, inputFd === 0 && process.stdin.isTTY === true);
  const launched = loadProgram(program, {
    console, environment: o.environment, bits: o.bits, argv: [o.file, ...o.guestArgs], files,
    bootDrive: o.bootDrive, org: o.org, memoryLimit: o.memoryMiB !== undefined ? o.memoryMiB * 1024 * 1024 : undefined, notice: note,
  });
  if (!launched.ok) return fail(launched.message);
  const m = launched.machine;

  if (o.initialStatePath !== undefined) {
    let json: unknown;
    try {
      json = JSON.parse(fs.readFileSync(o.initialStatePath, 'utf8'));
    } catch (err) {
      return fail(`--initial-state ${o.initialStatePath}: ${err instanceof Error ? err.message : String(err)}`);
    }
    const r = m.loadState(json);
    if (!r.ok) return fail(`--initial-state ${o.initialStatePath}: ${r.message}`);
  }

  // Symbols in linear addresses for --break/--watch labels (a .COM's offsets sit in its load segment).
  const symbols: ProgramSymbol[] = program.symbols.map((s) => (s.kind === 'constant' || launched.loadBase === 0 ? s : { ...s, address: s.address + launched.loadBase }));
  const debug = buildGuestDebug(debugFlags.options, symbols);
  if (!debug.ok) return fail(debug.message);
  if (debug.config !== null) m.setGuestDebug(debug.config);
  const printer = DebugExitPrinter.open(debugFlags.options);
  if (typeof printer === 'string') return fail(printer);

  let exit: Exit;
  try {
    exit = await runToEnd(m, o.maxInstructions, console, printer);
  } finally {
    printer.close();
    console.close();
  }

  if (o.statePath !== undefined) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(o.statePath)), { recursive: true });
      fs.writeFileSync(o.statePath, JSON.stringify(m.saveState(), null, 2) + '\n');
    } catch (err) {
      note(`--state ${o.statePath}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  if (exit.reason === 'fault') note(exit.message);
  if (exit.reason === 'budget') note(`stopped after ${m.icount} instructions (--max-instructions)`);
  if (exit.reason === 'input') note('the guest waits for input after the end of its input');
  return exitStatus(exit);
}

type Runnable = { run(budget: number): Exit; icount: number };

/** Run in slices until the guest ends; debug exits are printed and the run goes on. */
async function runToEnd(m: Runnable, max: number | undefined, console: ProcessConsole, printer: DebugExitPrinter): Promise<Exit> {
  const limit = max ?? Infinity;
  const start = m.icount;
  for (;;) {
    const left = limit - (m.icount - start);
    if (left <= 0) return { reason: 'budget' };
    const exit = m.run(Math.min(console.interactive ? INTERACTIVE_SLICE : SLICE, left));
    switch (exit.reason) {
      case 'budget':
        // A terminal's keys arrive as events: let them in between slices.
        if (console.interactive) await new Promise((resolve) => setImmediate(resolve));
        continue;
      case 'debug':
        printer.print(exit);
        continue;
      case 'input':
        if (console.ended) return exit;
        await console.waitForInput();
        continue;
      default:
        return exit;
    }
  }
}
