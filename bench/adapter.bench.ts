// Adapter latency: a DAP client (DebugClient) talks to the adapter served in this process (serveDap
// under tsx), to the built bundle as one long-lived server process (as inline in the extension
// host) and as fresh `node dist/adapter.js` processes over stdio (as `x86dbg dap`), and to a tsx
// child that first assembles the file as the editor's diagnostics do (F5 in VS Code). Figures:
// launch → stopped on entry for a generated 10,000-line source (first, unchanged, edited; wall and
// the adapter's main-thread CPU), and the `next` round trip (request sent → `stopped` received),
// median over many steps. Aims (issue 6): ≤ 150 ms and ≤ 2 ms.
import * as child from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { Benchmark, BenchFigure } from './run';
import { listenDap } from '../src/adapter/serve';
import { assemble } from '../src/asm/assembler';
import { loadProgramFile } from '../src/adapter/launch';
import { assembleRecordingReads, offerAssembly } from '../src/adapter/sourceAssembly';
import { BreakpointStore } from '../src/adapter/breakpoints';
import { createGuestMachine } from '../src/adapter/guestMachine';
import { MachineTarget, SessionConsole } from '../src/adapter/machineTarget';
import { SymbolIndex } from '../src/adapter/symbols';
import { decoderFor } from '../src/adapter/disassembly';
import { Runtime } from '../src/adapter/runtime';

const LINES = 10_000;
const STEPS = 300;
/** Child processes per case of the inline product figure. */
const PRODUCT_RUNS = 3;
/** Fresh adapter processes per figure (each spawned, launched once, then ended). */
const FRESH_RUNS = 5;
/** The built stand-alone adapter (`npx webpack --mode production`), or X86DBG_ADAPTER. */
const ADAPTER = process.env.X86DBG_ADAPTER ?? path.resolve(__dirname, '../dist/adapter.js');

/**
 * A Linux 64-bit program of LINES source lines: arithmetic, memory and calls, then exit(0).
 * `edit` > 0 changes its constants (an edited source: the launch cannot reuse an earlier assembly).
 */
function generateSource(edit = 0): string {
  const out = ['        bits 64', '        section .data', 'acc:    dq 0', 'tbl:    times 64 dd 0', '        section .text', '        global _start', '_start:'];
  let n = 0;
  while (out.length < LINES - 12) {
    const k = n++ % 8;
    if (k === 0) out.push(`        mov rax, ${n + edit * 100_000}`);
    else if (k === 1) out.push('        add rax, rbx');
    else if (k === 2) out.push(`        mov dword [tbl + ${(n % 64) * 4}], eax`);
    else if (k === 3) out.push('        add qword [acc], rax');
    else if (k === 4) out.push('        call helper');
    else if (k === 5) out.push(`lbl${n}:`);
    else if (k === 6) out.push('        xor rbx, rcx   ; a comment');
    else out.push('        inc rcx');
  }
  out.push('        mov eax, 60', '        xor edi, edi', '        syscall', 'helper:', '        inc rbx', '        ret');
  return out.join('\n') + '\n';
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** One session: launch → stopped on entry, then STEPS `next` requests (when steps > 0). */
/**
 * CPU time (ms) the main thread of process `pid` has run so far (Linux /proc/PID/schedstat), NaN elsewhere.
 * On this shared machine a launch's wall time is mostly waiting for a core; its main thread's CPU
 * time is what the launch costs.
 */
function mainThreadCpuMs(pid: number | undefined): number {
  if (pid === undefined) return NaN;
  try {
    return Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return NaN;
  }
}

async function session(port: number, file: string, steps: number, adapterPid?: number): Promise<{ launchMs: number; cpuMs: number; times: number[] }> {
  const dc = new DebugClient('node', '', 'x86dbg');
  await dc.start(port);
  const stops: (() => void)[] = [];
  dc.on('stopped', () => stops.shift()?.());
  const nextStop = (): Promise<void> => new Promise((resolve) => stops.push(resolve));
  try {
    await dc.initializeRequest({ adapterID: 'x86dbg', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const t0 = performance.now();
    const c0 = mainThreadCpuMs(adapterPid);
    const initialized = dc.waitForEvent('initialized');
    const stopped = nextStop();
    await dc.launchRequest({ program: file, stopOnEntry: true } as never);
    await initialized;
    await dc.configurationDoneRequest();
    await stopped;
    const launchMs = performance.now() - t0;
    const cpuMs = mainThreadCpuMs(adapterPid) - c0;
    const times: number[] = [];
    for (let i = 0; i < steps; i++) {
      const t = performance.now();
      const st = nextStop();
      await dc.nextRequest({ threadId: 1 });
      await st;
      times.push(performance.now() - t);
    }
    return { launchMs, cpuMs, times };
  } finally {
    await dc.stop().catch(() => undefined);
  }
}

/** The launch-step line a traced session prints (`x86dbg: launch steps: read 0.3 ms, assemble 61.2 ms, ...`) as numbers. */
function parseSteps(text: string): Map<string, number> {
  const steps = new Map<string, number>();
  for (const m of text.matchAll(/([a-z]+) ([0-9.]+) ms/g)) steps.set(m[1], Number(m[2]));
  return steps;
}

/** A DebugClient on the stdio of an adapter process the bench spawned itself (so it knows the pid). */
class StdioClient extends DebugClient {
  constructor(readonly proc: child.ChildProcessWithoutNullStreams) {
    super(process.execPath, ADAPTER, 'x86dbg');
    this.connect(proc.stdout, proc.stdin);
  }
}

interface FreshLaunch {
  /** spawn → initialize response: process start, bundle load, first request. */
  startMs: number;
  /** launch request sent → stopped on entry. */
  launchMs: number;
  /** spawn → stopped on entry. */
  totalMs: number;
  /** Main-thread CPU time of the adapter process: until the initialize response, and launch → stopped. */
  startCpuMs: number;
  launchCpuMs: number;
  /** The adapter's own step timings (traced runs only). */
  steps: Map<string, number>;
}

/** A fresh `node ADAPTER` process on stdio: initialize, launch with stopOnEntry, configurationDone, stopped. */
async function freshSession(file: string, trace: boolean): Promise<FreshLaunch> {
  const t0 = performance.now();
  const proc = child.spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'pipe'] });
  const dc = new StdioClient(proc);
  let stepsText = '';
  dc.on('output', (e: { body?: { output?: string } }) => {
    const text = e.body?.output ?? '';
    if (text.startsWith('x86dbg: launch steps:')) stepsText = text;
  });
  try {
    await dc.initializeRequest({ adapterID: 'x86dbg', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const t1 = performance.now();
    const c1 = mainThreadCpuMs(proc.pid);
    const initialized = dc.waitForEvent('initialized');
    const stopped = dc.waitForEvent('stopped', 60_000);
    await dc.launchRequest({ program: file, stopOnEntry: true, trace } as never);
    await initialized;
    await dc.configurationDoneRequest();
    await stopped;
    const t2 = performance.now();
    const c2 = mainThreadCpuMs(proc.pid);
    return { startMs: t1 - t0, launchMs: t2 - t1, totalMs: t2 - t0, startCpuMs: c1, launchCpuMs: c2 - c1, steps: parseSteps(stepsText) };
  } finally {
    await dc.stop().catch(() => undefined);
    proc.kill();
  }
}

/**
 * The product's inline path (the adapter in the extension host): the editor's diagnostics assemble
 * the open file as src/vscode/language/diagnostics.ts does (the launch's include reader; a clean,
 * saved buffer is offered to the launch), then the process's FIRST DAP session launches it. Run in a
 * child process (this module with X86DBG_BENCH_PRODUCT set) so the adapter code is as cold as at F5.
 * `saved`: the buffer is the file's text (offered: the launch reuses it). `other`: the diagnostics
 * last assembled another text (nothing offered; the JIT is warm, the launch assembles again).
 */
async function productChild(mode: 'saved' | 'other', file: string): Promise<void> {
  const onDisk = fs.readFileSync(file, 'utf8');
  const text = mode === 'saved' ? onDisk : generateSource(7);
  const { result, reads } = assembleRecordingReads(file, text);
  if (result.ok && mode === 'saved') offerAssembly(file, text, reads, result.program);
  const server = await listenDap(0);
  try {
    // This process is client and adapter: its main thread's CPU covers both (the client's share is small).
    const first = await session(server.port, file, 0, process.pid);
    process.stdout.write(JSON.stringify({ launchMs: first.launchMs, cpuMs: first.cpuMs }) + '\n');
  } finally {
    await server.close();
  }
}

if (process.env.X86DBG_BENCH_PRODUCT === 'saved' || process.env.X86DBG_BENCH_PRODUCT === 'other') {
  productChild(process.env.X86DBG_BENCH_PRODUCT, process.env.X86DBG_BENCH_FILE ?? '').catch((e: unknown) => {
    process.stderr.write(String(e) + '\n');
    process.exitCode = 1;
  });
}

/** One productChild run in a fresh `tsx` process: its first DAP launch → stopped, wall and main-thread CPU (ms). */
function productRun(mode: 'saved' | 'other', file: string): { launchMs: number; cpuMs: number } {
  const out = child.execFileSync(process.execPath, [require.resolve('tsx/cli'), __filename], { env: { ...process.env, X86DBG_BENCH_PRODUCT: mode, X86DBG_BENCH_FILE: file }, encoding: 'utf8' });
  return JSON.parse(out.trim().split('\n').pop() ?? '{}') as { launchMs: number; cpuMs: number };
}

/** The inline product path (see productChild), PRODUCT_RUNS child processes per case, alternating. */
async function measureProduct(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bench-'));
  const file = path.join(dir, 'big.asm');
  fs.writeFileSync(file, generateSource());
  const saved: { launchMs: number; cpuMs: number }[] = [];
  const other: { launchMs: number; cpuMs: number }[] = [];
  try {
    for (let i = 0; i < PRODUCT_RUNS; i++) {
      saved.push(productRun('saved', file));
      other.push(productRun('other', file));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return [
    { name: 'F5 inline: diagnostics assembled the saved file, first launch', value: median(saved.map((r) => r.launchMs)), unit: 'ms', note: `launch → stopped on entry, the assembly reused; main-thread CPU ${median(saved.map((r) => r.cpuMs)).toFixed(1)} ms; median of ${PRODUCT_RUNS} processes (tsx)` },
    { name: 'F5 inline: diagnostics assembled another text, first launch', value: median(other.map((r) => r.launchMs)), unit: 'ms', note: `assembled again, JIT warmed by one assembly; main-thread CPU ${median(other.map((r) => r.cpuMs)).toFixed(1)} ms; aim ≤ 150 ms` },
  ];
}

/** A loopback port nothing listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

/** Resolves once something accepts connections on the port (polling), or rejects after `ms`. */
async function listening(port: number, ms: number): Promise<void> {
  const until = performance.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1', () => {
        sock.destroy();
        resolve(true);
      });
      sock.on('error', () => resolve(false));
    });
    if (ok) return;
    if (performance.now() > until) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Sessions in one long-lived `node ADAPTER --server=PORT` (the built bundle serving sessions, as the extension host does inline). */
interface ServerSessions {
  first: number;
  firstCpu: number;
  again: number;
  edited: number[];
  editedCpu: number[];
  next: number[];
}

async function bundleServerSessions(file: string): Promise<ServerSessions> {
  const port = await freePort();
  const proc = child.spawn(process.execPath, [ADAPTER, `--server=${port}`], { stdio: 'ignore' });
  try {
    await listening(port, 10_000);
    const first = await session(port, file, 0, proc.pid);
    const again = await session(port, file, STEPS, proc.pid);
    const edited: number[] = [];
    const editedCpu: number[] = [];
    for (let edit = 1; edit <= 3; edit++) {
      fs.writeFileSync(file, generateSource(edit));
      const r = await session(port, file, 0, proc.pid);
      edited.push(r.launchMs);
      editedCpu.push(r.cpuMs);
    }
    fs.writeFileSync(file, generateSource());
    return { first: first.launchMs, firstCpu: first.cpuMs, again: again.launchMs, edited, editedCpu, next: again.times };
  } finally {
    proc.kill();
  }
}

/**
 * The built bundle (dist/adapter.js or X86DBG_ADAPTER): one long-lived server process (first session,
 * then again), and FRESH_RUNS fresh processes on stdio alternating with as many traced ones (the step breakdown).
 */
async function measureFresh(): Promise<BenchFigure[]> {
  if (!fs.existsSync(ADAPTER)) return [{ name: 'built adapter: not measured', value: 0, unit: 'ms', note: `${ADAPTER} missing: npx webpack --mode production` }];
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bench-'));
  const file = path.join(dir, 'big.asm');
  fs.writeFileSync(file, generateSource());
  const plain: FreshLaunch[] = [];
  const traced: FreshLaunch[] = [];
  let server: ServerSessions;
  try {
    server = await bundleServerSessions(file);
    for (let i = 0; i < FRESH_RUNS; i++) {
      plain.push(await freshSession(file, false));
      traced.push(await freshSession(file, true));
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const step = (name: string): number => median(traced.map((r) => r.steps.get(name) ?? NaN));
  const rest = median(traced.map((r) => r.launchMs - (r.steps.get('assemble') ?? NaN)));
  return [
    { name: 'bundle server process: launch → stopped on entry, first', value: server.first, unit: 'ms', note: `aim ≤ 150 ms; as inline in the extension host; its main thread's CPU ${server.firstCpu.toFixed(1)} ms` },
    { name: 'bundle server process: launch → stopped on entry, again', value: server.again, unit: 'ms', note: 'source unchanged: its assembly reused' },
    { name: 'bundle server process: launch → stopped on entry, edited', value: median(server.edited), unit: 'ms', note: `sessions 3-5, each source edited: assembled again; main-thread CPU ${median(server.editedCpu).toFixed(1)} ms` },
    { name: `bundle server process: next round trip, median of ${STEPS}`, value: median(server.next), unit: 'ms', note: 'aim ≤ 2 ms' },
    { name: 'fresh adapter process: launch → stopped on entry', value: median(plain.map((r) => r.launchMs)), unit: 'ms', note: `median of ${FRESH_RUNS} processes; aim ≤ 150 ms` },
    { name: '  its main thread\'s CPU time, launch → stopped', value: median(plain.map((r) => r.launchCpuMs)), unit: 'ms', note: 'what the launch costs without waiting for a core' },
    { name: '  spawn → stopped on entry (process start included)', value: median(plain.map((r) => r.totalMs)), unit: 'ms', note: `spawn → initialize response ${median(plain.map((r) => r.startMs)).toFixed(1)} ms, main-thread CPU ${median(plain.map((r) => r.startCpuMs)).toFixed(1)} ms` },
    { name: '  its assemble step (traced runs)', value: step('assemble'), unit: 'ms', note: `read ${step('read').toFixed(1)}, machine ${step('machine').toFixed(1)}, symbols ${step('symbols').toFixed(1)}, runtime ${step('runtime').toFixed(1)} ms` },
    { name: '  the rest of launch → stopped (traced runs)', value: rest, unit: 'ms', note: 'the other steps, DAP messages, the first stop' },
  ];
}

async function measure(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bench-'));
  const file = path.join(dir, 'big.asm');
  fs.writeFileSync(file, generateSource());
  const server = await listenDap(0);
  try {
    const cold = await session(server.port, file, 0);
    const warm = await session(server.port, file, STEPS);
    const edited: number[] = [];
    for (let edit = 1; edit <= 3; edit++) {
      fs.writeFileSync(file, generateSource(edit));
      edited.push((await session(server.port, file, 0)).launchMs);
    }
    const source = fs.readFileSync(file, 'utf8');
    const ta = performance.now();
    assemble(source, { fileName: file });
    const assembleMs = performance.now() - ta;
    // The rest of the launch, in process, after the Program exists: machine + loader, symbol index,
    // runtime objects and the first decode/line lookup (what stop-on-entry needs), best of 5.
    const loaded = loadProgramFile({ program: file });
    if (!loaded.ok) throw new Error(loaded.message);
    let restMs = Infinity;
    for (let i = 0; i < 5; i++) {
      const t0 = performance.now();
      const console = new SessionConsole(() => undefined);
      const created = createGuestMachine(loaded.program, { args: [], console });
      if (!created.ok) throw new Error(created.message);
      const target = new MachineTarget(created.machine, console);
      const symbols = new SymbolIndex(loaded.program, created.loadBase, (p) => path.resolve(p));
      const decode = decoderFor(target, (a) => symbols.describe(a, 'code'));
      const store = new BreakpointStore(created.bits === 64 ? 8 : 4, 'hardware');
      new Runtime(target, symbols, store, decode, { stopped: () => undefined, output: () => undefined, ended: () => undefined }, { faultPolicy: () => ({ stop: true }), trace: false });
      decode(target.pc());
      symbols.lineAt(target.pc());
      restMs = Math.min(restMs, performance.now() - t0);
    }
    const sorted = [...warm.times].sort((a, b) => a - b);
    return [
      { name: `launch → stopped on entry (${LINES}-line source), first`, value: cold.launchMs, unit: 'ms', note: 'aim ≤ 150 ms' },
      { name: `launch → stopped on entry (${LINES}-line source), again`, value: warm.launchMs, unit: 'ms', note: 'source unchanged: its assembly reused' },
      { name: `launch → stopped on entry (${LINES}-line source), edited`, value: median(edited), unit: 'ms', note: 'sessions 3-5, each source edited: assembled again, JIT warming' },
      { name: '  assemble() alone on the same source, warm', value: assembleMs, unit: 'ms', note: 'the assembler is most of the launch' },
      { name: '  the launch after assembling (machine, symbols, runtime)', value: restMs, unit: 'ms', note: "the adapter's own share, best of 5" },
      { name: `next round trip, median of ${STEPS}`, value: median(warm.times), unit: 'ms', note: `aim ≤ 2 ms; p90 ${sorted[Math.floor(STEPS * 0.9)].toFixed(3)} ms` },
    ];
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Rounds of the software-breakpoint comparison (hardware, 1 software, 7 software in each). */
const ROUNDS = 5;

/** A loop of LOOP_ITERATIONS × 4 instructions (with a call every iteration), then `done:` — the breakpoint line. */
const LOOP_ITERATIONS = 200_000;
function loopSource(): string {
  return [
    '        bits 64',
    '        section .data',
    'acc:    dq 0',
    '        section .text',
    '        global _start',
    '_start: mov ecx, ' + LOOP_ITERATIONS,
    '        xor eax, eax',
    'again:  add rax, rcx',
    '        call bump',
    '        dec ecx',
    '        jnz again',
    'done:   mov eax, 60',
    '        xor edi, edi',
    '        syscall',
    'bump:   add qword [acc], 1',
    '        ret',
    'dead:   nop',
    '        nop',
    '        nop',
    '        nop',
  ].join('\n') + '\n';
}

/**
 * configurationDone → stopped at a breakpoint on `done:` about 1 M instructions later, with the
 * breakpoint in `mode`; `extra` more breakpoints of that mode on lines never reached before it.
 */
async function continueToBreakpoint(port: number, file: string, mode: 'hardware' | 'software', extra = 0): Promise<number> {
  const dc = new DebugClient('node', '', 'x86dbg');
  await dc.start(port);
  try {
    await dc.initializeRequest({ adapterID: 'x86dbg', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    const initialized = dc.waitForEvent('initialized');
    await dc.launchRequest({ program: file, stopOnEntry: false } as never);
    await initialized;
    const r = await dc.setBreakpointsRequest({ source: { path: file }, breakpoints: [12, 13, 14, 17, 18, 19, 20].slice(0, 1 + extra).map((line) => ({ line, mode }) as never) });
    if (!r.body.breakpoints[0]?.verified) throw new Error(`breakpoint not verified: ${r.body.breakpoints[0]?.message ?? ''}`);
    const stopped = dc.waitForEvent('stopped', 120_000);
    const t0 = performance.now();
    await dc.configurationDoneRequest();
    const ev = await stopped;
    const ms = performance.now() - t0;
    if ((ev.body as { reason?: string }).reason !== "breakpoint") throw new Error(`${mode}+${extra}: stopped: ${JSON.stringify(ev.body)}`);
    return ms;
  } finally {
    await dc.stop().catch(() => undefined);
  }
}

async function measureSoftware(): Promise<BenchFigure[]> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bench-'));
  const file = path.join(dir, 'loop.asm');
  fs.writeFileSync(file, loopSource());
  const server = await listenDap(0);
  const insns = LOOP_ITERATIONS * 6 + 2;
  try {
    const hw: number[] = [];
    const sw: number[] = [];
    const many: number[] = [];
    // Interleaved rounds so machine load hits the three alike; the ratios are within one run.
    for (let i = 0; i < ROUNDS; i++) {
      hw.push(await continueToBreakpoint(server.port, file, 'hardware'));
      sw.push(await continueToBreakpoint(server.port, file, 'software'));
      many.push(await continueToBreakpoint(server.port, file, 'software', 6));
    }
    return [
      { name: `continue to a hardware breakpoint ${(insns / 1e6).toFixed(1)} M insns away`, value: median(hw), unit: 'ms', note: `DR0, median of ${ROUNDS}` },
      { name: `continue to a software breakpoint ${(insns / 1e6).toFixed(1)} M insns away`, value: median(sw), unit: 'ms', note: `median of ${ROUNDS}; ${(median(sw) / median(hw)).toFixed(2)}x the hardware one` },
      { name: '  the same with 7 software breakpoints (more than the spare slots)', value: median(many), unit: 'ms', note: `median of ${ROUNDS}; ${(median(many) / median(hw)).toFixed(2)}x the hardware one (aim ≤ 1.2x)` },
    ];
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export const benchmarks: Benchmark[] = [
  { name: 'adapter (DAP over loopback)', run: measure },
  { name: 'adapter: the built bundle (a server process; fresh processes on stdio)', run: measureFresh },
  { name: 'adapter: F5 in VS Code, inline (diagnostics first, then the first DAP session)', run: measureProduct },
  { name: 'adapter: software breakpoints', run: measureSoftware },
];
