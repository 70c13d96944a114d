// Cost of the debug unit on the hot path: MIPS with no slot, with 4 instruction slots and with 4 data
// slots armed in the debugger layer but never hit — on the workload's code/data pages (its data page
// is watched, so its accesses must pass the granule filter), and on a page it never touches — each as
// a ratio to the unarmed run measured in the same process: rounds interleave the runs (rotating their order) and the figure is the
// median of the per-round ratios of CPU-time speeds, which resists the load of a shared machine (the
// ratio of the best speeds is printed beside it). Workloads: /work/shared/bench/body.inc
// (or bench/workloads/body.inc) loops A (registers) and B (bubble sort), built with nasm + ld.
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Benchmark, BenchFigure } from './run';
import { Machine } from '../src/emu/machine';
import { CONTINUE, DELIVER, type EnvResult, type Environment } from '../src/emu/environment';
import { loadBinary } from '../src/asm/loadBinary';
import type { Program } from '../src/asm/program';
import type { GuestDebugConfig } from '../src/emu/debug/debugUnit';
import { encodeSlot } from '../src/emu/debug/registers';

const BODY_CANDIDATES = [path.join(__dirname, 'workloads', 'body.inc'), '/work/shared/bench/body.inc'];
/** Rounds of the interleaved runs (more than the other benches: the shared machine's load moves single rounds by ±10 %). */
const ROUNDS = 15;

class ExitOnlyEnv implements Environment {
  softwareInterrupt(m: Machine, vector: number): EnvResult {
    if (vector === 0x80 && m.regs[0] === 1) return { kind: 'stop', exit: { reason: 'exited', code: m.regs[3] & 0xff } };
    return DELIVER;
  }
  systemCall(): EnvResult {
    return DELIVER;
  }
  portIn(): number {
    return 0xff;
  }
  portOut(): EnvResult {
    return CONTINUE;
  }
  halt(): EnvResult {
    return { kind: 'stop', exit: { reason: 'halted' } };
  }
  exception(): EnvResult {
    return DELIVER;
  }
}

function build(dir: string, body: string, loopA: boolean, reps: number): Program {
  const name = loopA ? 'a' : 'b';
  const src = path.join(dir, `${name}.asm`);
  const lines = ['bits 32', loopA ? '%define LOOPA' : '', '%define ITER 1000000', '%define N 1000', 'section .bss', 'ARR: resd 1000', 'section .text', 'global _start', '_start:', `  mov ebp, ${reps}`, `%include "${body}"`, '  mov eax, 1', '  xor ebx, ebx', '  int 0x80', ''];
  fs.writeFileSync(src, lines.join('\n'));
  execFileSync('nasm', ['-f', 'elf32', src, '-o', path.join(dir, `${name}.o`)]);
  execFileSync('ld', ['-m', 'elf_i386', '-o', path.join(dir, name), path.join(dir, `${name}.o`)]);
  const loaded = loadBinary(new Uint8Array(fs.readFileSync(path.join(dir, name))), name);
  if (!loaded.ok) throw new Error(loaded.message);
  return loaded.program;
}

/** Run the program once under `config`; returns instructions per second. */
function measure(program: Program, config: GuestDebugConfig | null): number {
  const m = new Machine({ env: new ExitOnlyEnv() });
  m.start('protected32', 3);
  for (const seg of program.segments) {
    const start = seg.address & ~0xfff;
    m.map(start, ((seg.address + seg.memSize + 0xfff) & ~0xfff) - start, 7);
    m.writeMemory(seg.address, seg.bytes);
  }
  m.map(0xbff00000, 0x100000, 3);
  m.regs[4] = 0xbfff0000;
  m.setRip(program.entry);
  m.setGuestDebug(config);
  const before = m.icount;
  // CPU time of this process, not wall time: the machine is shared, wall time measures the neighbours.
  const t0 = process.cpuUsage();
  let exit = m.run(2e9);
  while (exit.reason === 'budget') exit = m.run(2e9);
  const used = process.cpuUsage(t0);
  const seconds = (used.user + used.system) / 1e6;
  if (exit.reason !== 'exited') throw new Error(`workload ended with ${JSON.stringify(exit)}`);
  return (m.icount - before) / seconds;
}

/**
 * Four slots of one kind near the workload's code or data that the run never hits; `far` puts data
 * slots on a page the workload never touches (the common case: a watched variable elsewhere).
 */
function slotsNear(program: Program, kind: 'exec' | 'write', far = false): GuestDebugConfig {
  const text = program.symbols.find((s) => s.name === '_start')?.address ?? program.entry;
  const arr = program.symbols.find((s) => s.name === 'ARR')?.address ?? 0;
  // Exec: unused bytes of the code page after the program; data: just past the array, same page.
  const base = kind === 'exec' ? (text & ~0xfff) + 0xf00 : far ? ((arr + 4000) & ~0xfff) + 0x10000 : arr + 4000 + 64;
  let dr7 = 0;
  const addr: number[] = [];
  for (let n = 0; n < 4; n++) {
    addr.push(base + n * 16);
    dr7 = encodeSlot(dr7, n, kind, kind === 'exec' ? 1 : 4);
  }
  return { singleStep: false, hw: { dr7, addr } };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function workload(name: string, loopA: boolean, reps: number): Benchmark {
  return {
    name: `debug unit cost: ${name}`,
    run(): BenchFigure[] {
      const body = BODY_CANDIDATES.find((p) => fs.existsSync(p));
      if (!body || spawnSync('nasm', ['-v']).status !== 0) return [{ name: 'skipped (no nasm or body.inc)', value: 0, unit: '' }];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-debug-bench-'));
      const program = build(dir, body, loopA, reps);
      const configs: [string, GuestDebugConfig | null][] = [
        ['no slots', null],
        ['4 instruction slots armed, never hit', slotsNear(program, 'exec')],
        ['4 data slots armed, never hit', slotsNear(program, 'write')],
        ['4 data slots on an untouched page', slotsNear(program, 'write', true)],
      ];
      const best = configs.map(() => 0);
      const ratios: number[][] = configs.map(() => []);
      measure(program, null); // warm-up
      for (let round = 0; round < ROUNDS; round++) {
        const speeds = configs.map(() => 0);
        for (let k = 0; k < configs.length; k++) {
          const i = (k + round) % configs.length;
          speeds[i] = measure(program, configs[i][1]);
          best[i] = Math.max(best[i], speeds[i]);
        }
        speeds.forEach((v, i) => ratios[i].push(v / speeds[0]));
      }
      return configs.map(([label], i) => {
        const ratio = median(ratios[i]);
        return {
          name: label,
          value: best[i],
          unit: 'insn/s',
          note: i === 0 ? `best of ${ROUNDS}` : `median ratio to unarmed ${ratio.toFixed(3)} (${((1 - ratio) * 100).toFixed(1)} % slower; best to best ${(best[i] / best[0]).toFixed(3)})`,
        };
      });
    },
  };
}

export const benchmarks: Benchmark[] = [workload('loop A (registers)', true, 3), workload('loop B (bubble sort)', false, 2)];
