// Launch: read the program (an .asm source assembled in-process, or a flat/.COM/boot/ELF binary),
// create the machine for its environment with a session console, and build the runtime around it.
// A source that does not assemble fails with its diagnostics (file:line:col: message). Node APIs allowed.
import * as fs from 'fs';
import * as path from 'path';
import type { Program } from '../asm/program';
import { loadBinary } from '../asm/loadBinary';
import type { X86LaunchArguments } from './protocol';
import type { BreakpointStore } from './breakpoints';
import { Runtime } from './runtime';
import type { FaultPolicy, StopReport } from './runtimeTypes';
import { SymbolIndex } from './symbols';
import { MachineTarget, SessionConsole } from './machineTarget';
import { createGuestMachine } from './guestMachine';
import { decoderFor } from './disassembly';
import { ShadowStack } from './shadowStack';
import { parseLoadAddress } from '../emu/env/bareMetalLoader';
import { assembleSource } from './sourceAssembly';

export interface Launched {
  program: Program;
  runtime: Runtime;
  target: MachineTarget;
  /** How long each step took. */
  timings: LaunchTimings;
}

/** Milliseconds per launch step (wall clock): shown with `trace`, and the benchmark's breakdown. */
export interface LaunchTimings {
  /** Reading the program file. */
  read: number;
  /** Assembling it, or finding it unchanged since the last launch; loading a binary counts here too. */
  assemble: number;
  /** true when the source was unchanged and its earlier Program was reused. */
  reused: boolean;
  /** Creating the machine and loading the program into it. */
  machine: number;
  /** The symbol index (labels, line map). */
  symbols: number;
  /** The runtime and its helpers. */
  runtime: number;
}

/** One line for the debug console: `read 0.3 ms, assemble 61.2 ms, ...`. */
export function formatTimings(t: LaunchTimings): string {
  return `read ${t.read.toFixed(1)} ms, assemble ${t.assemble.toFixed(1)} ms${t.reused ? ' (unchanged: reused)' : ''}, machine ${t.machine.toFixed(1)} ms, symbols ${t.symbols.toFixed(1)} ms, runtime ${t.runtime.toFixed(1)} ms`;
}

export interface LaunchHooks {
  output(category: 'stdout' | 'stderr' | 'console', text: string): void;
  stopped(stop: StopReport): void;
  ended(code: number, message: string): void;
  /** Whether a guest fault stops (see FaultPolicy). */
  faultPolicy: FaultPolicy;
  /** The breakpoint store for this program's debug-register width (kept across restarts). */
  store(maxLen: 4 | 8): BreakpointStore;
}

export type LaunchResult = { ok: true; launched: Launched } | { ok: false; message: string; diagnostics: string[] };

const SOURCE_EXTENSIONS = new Set(['.asm', '.nasm', '.s', '.inc', '.x86']);

/** Case-preserving absolute path used to match breakpoints with the line map. */
export function normalizePath(p: string): string {
  return path.resolve(p);
}

/** A loaded program and the time its two steps took (ms). */
export type LoadedProgram =
  | { ok: true; program: Program; readMs: number; assembleMs: number; /** true when an unchanged source's earlier Program was reused. */ reused: boolean }
  | { ok: false; message: string; diagnostics: string[] };

/** Read and assemble/load the program (a source unchanged since the last launch in this process: its Program again). */
export function loadProgramFile(args: X86LaunchArguments): LoadedProgram {
  if (typeof args.program !== 'string' || args.program.trim() === '') return { ok: false, message: "launch needs 'program': the path of an .asm source or a binary", diagnostics: [] };
  const file = normalizePath(path.resolve(typeof args.cwd === 'string' ? args.cwd : process.cwd(), args.program));
  const t0 = performance.now();
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    return { ok: false, message: `cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`, diagnostics: [] };
  }
  const t1 = performance.now();
  if (SOURCE_EXTENSIONS.has(path.extname(file).toLowerCase())) {
    const assembled = assembleSource(file, new TextDecoder().decode(bytes));
    if (!assembled.ok) return assembled;
    // A copy: the cached Program stays as the assembler made it.
    const program: Program = { ...assembled.program };
    if (args.bits) program.bits = args.bits;
    if (args.environment) program.environment = args.environment;
    if (!program.origin) program.origin = file;
    return { ok: true, program, readMs: t1 - t0, assembleMs: performance.now() - t1, reused: assembled.reused };
  }
  const r = loadBinary(bytes, file, { bits: args.bits, environment: args.environment });
  if (!r.ok) return { ok: false, message: `cannot load ${path.basename(file)}: ${r.message}`, diagnostics: [] };
  if (args.environment) r.program.environment = args.environment;
  return { ok: true, program: r.program, readMs: t1 - t0, assembleMs: performance.now() - t1, reused: false };
}

/** A reader of source lines (for stop texts), caching each file; comments stripped. */
function sourceLines(): (file: string, line: number) => string | undefined {
  const cache = new Map<string, string[] | null>();
  return (file, line) => {
    let lines = cache.get(file);
    if (lines === undefined) {
      try {
        lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
      } catch {
        lines = null;
      }
      cache.set(file, lines);
    }
    const text = lines?.[line - 1];
    return text === undefined ? undefined : text.replace(/;.*$/, '').trim() || undefined;
  };
}

/** Load the program, create its machine, and the runtime (not yet running). */
export function launchProgram(args: X86LaunchArguments, hooks: LaunchHooks): LaunchResult {
  let org: number | undefined;
  if (args.org !== undefined && args.org !== null && args.org !== '') {
    const parsed = parseLoadAddress(args.org);
    if (!parsed.ok) return { ok: false, message: `launch attribute 'org': ${parsed.message}`, diagnostics: [] };
    org = parsed.org;
  }
  const loaded = loadProgramFile(args);
  if (!loaded.ok) return loaded;
  const program = loaded.program;
  const t0 = performance.now();
  const console = new SessionConsole((stream, text) => hooks.output(stream, text));
  const created = createGuestMachine(program, { args: Array.isArray(args.args) ? args.args.map(String) : [], console, environment: args.environment ?? (org !== undefined ? 'bare' : undefined), bits: args.bits, org });
  if (!created.ok) return { ok: false, message: created.message, diagnostics: [] };
  const target = new MachineTarget(created.machine, console);
  const shadow = new ShadowStack();
  created.machine.controlTransferHook = shadow.hook;
  if (typeof args.stdin === 'string' && args.stdin !== '') {
    try {
      const input = new Uint8Array(fs.readFileSync(path.resolve(typeof args.cwd === 'string' ? args.cwd : process.cwd(), args.stdin)));
      console.feed(input, true);
    } catch (e) {
      return { ok: false, message: `cannot read stdin file ${args.stdin}: ${e instanceof Error ? e.message : String(e)}`, diagnostics: [] };
    }
  }
  const t1 = performance.now();
  const symbols = new SymbolIndex(program, created.loadBase, normalizePath);
  const t2 = performance.now();
  const store = hooks.store(created.bits === 64 ? 8 : 4);
  const decode = decoderFor(target, (a) => symbols.describe(a, 'code') ?? symbols.describe(a, 'data'));
  const runtime = new Runtime(
    target,
    symbols,
    store,
    decode,
    { stopped: hooks.stopped, output: hooks.output, ended: hooks.ended },
    {
      shadow,
      maxInstructions: typeof args.maxInstructions === 'number' && args.maxInstructions > 0 ? args.maxInstructions : undefined,
      faultPolicy: hooks.faultPolicy,
      trace: args.trace === true,
      countInstructions: () => target.instructionCount(),
      sourceText: sourceLines(),
    },
  );
  const timings: LaunchTimings = { read: loaded.readMs, assemble: loaded.assembleMs, reused: loaded.reused, machine: t1 - t0, symbols: t2 - t1, runtime: performance.now() - t2 };
  return { ok: true, launched: { program, runtime, target, timings } };
}
