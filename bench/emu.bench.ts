// Emulator throughput on the two shared workloads (/work/shared/bench/body.inc, or
// bench/workloads/body.inc when present): each is wrapped as a 32-bit Linux program, built with
// nasm + ld, loaded (PT_LOAD segments) into a Machine in flat 32-bit user mode and run to its exit
// system call. Prints MIPS and, when the binary also runs natively here, the ratio to native speed
// of the same code (more repetitions natively, timed in the same process run).
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Benchmark, BenchFigure } from './run';
import { Machine } from '../src/emu/machine';
import { PERM_R, PERM_RW, PERM_RWX, PERM_W, PERM_X } from '../src/emu/memory';
import { CONTINUE, DELIVER, type EnvResult, type Environment } from '../src/emu/environment';

const BODY_CANDIDATES = [path.join(__dirname, 'workloads', 'body.inc'), '/work/shared/bench/body.inc'];

function haveTools(): boolean {
  return spawnSync('nasm', ['-v']).status === 0 && spawnSync('ld', ['-v']).status === 0;
}

/** Build a 32-bit static Linux ELF running the workload `reps` times; returns its path. */
function build(dir: string, body: string, loopA: boolean, reps: number): string {
  const name = `${loopA ? 'a' : 'b'}-${reps}`;
  const src = path.join(dir, `${name}.asm`);
  fs.writeFileSync(
    src,
    [
      'bits 32',
      loopA ? '%define LOOPA' : '',
      '%define ITER 1000000',
      '%define N 1000',
      'section .bss',
      'ARR: resd 1000',
      'section .text',
      'global _start',
      '_start:',
      `  mov ebp, ${reps}`,
      `%include "${body}"`,
      '  mov eax, 1',
      '  xor ebx, ebx',
      '  int 0x80',
      '',
    ].join('\n'),
  );
  const obj = path.join(dir, `${name}.o`);
  const exe = path.join(dir, name);
  execFileSync('nasm', ['-f', 'elf32', src, '-o', obj]);
  execFileSync('ld', ['-m', 'elf_i386', '-o', exe, obj]);
  return exe;
}

/** Linux int 0x80 exit only: enough for the workloads. */
class ExitOnlyEnv implements Environment {
  softwareInterrupt(m: Machine, vector: number): EnvResult {
    if (vector === 0x80 && m.regs[0] === 1) return { kind: 'stop', exit: { reason: 'exited', code: m.regs[3] & 0xff } };
    return DELIVER;
  }
  systemCall(): EnvResult { return DELIVER; }
  portIn(): number { return 0xff; }
  portOut(): EnvResult { return CONTINUE; }
  halt(): EnvResult { return { kind: 'stop', exit: { reason: 'halted' } }; }
  exception(): EnvResult { return DELIVER; }
}

/** Load a static ELF32's PT_LOAD segments and entry into a fresh user-mode machine. */
function loadElf32(file: string): Machine {
  const b = fs.readFileSync(file);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const m = new Machine({ env: new ExitOnlyEnv() });
  m.start('protected32', 3);
  const phoff = dv.getUint32(28, true);
  const phentsize = dv.getUint16(42, true);
  const phnum = dv.getUint16(44, true);
  for (let i = 0; i < phnum; i++) {
    const p = phoff + i * phentsize;
    if (dv.getUint32(p, true) !== 1) continue;
    const off = dv.getUint32(p + 4, true);
    const vaddr = dv.getUint32(p + 8, true);
    const filesz = dv.getUint32(p + 16, true);
    const memsz = dv.getUint32(p + 20, true);
    const flags = dv.getUint32(p + 24, true);
    const perm = (flags & 4 ? PERM_R : 0) | (flags & 2 ? PERM_W : 0) | (flags & 1 ? PERM_X : 0);
    const start = Math.floor(vaddr / 4096) * 4096;
    m.map(start, vaddr + memsz - start, perm || PERM_RWX);
    m.writeMemory(vaddr, new Uint8Array(b.buffer, b.byteOffset + off, filesz));
  }
  m.map(0xbf000000, 0x100000, PERM_RW, 'stack');
  m.regs[4] = 0xbf0ffff0 | 0;
  m.rip = dv.getUint32(24, true);
  return m;
}

function runEmu(exe: string): { insns: number; seconds: number } {
  const m = loadElf32(exe);
  const t0 = process.hrtime.bigint();
  let exit = m.run(1e12);
  while (exit.reason === 'budget') exit = m.run(1e12);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (exit.reason !== 'exited') throw new Error(`workload ended with ${JSON.stringify(exit)}`);
  return { insns: m.icount, seconds };
}

function runNative(exe: string): number | null {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(exe, [], { stdio: 'ignore' });
  if (r.status !== 0) return null;
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

function workload(loopA: boolean, emuReps: number, nativeReps: number): Benchmark {
  const label = loopA ? 'loop A (register-only add/xor/dec/jnz)' : 'loop B (bubble sort, memory)';
  return {
    name: `emu: ${label}`,
    run(): BenchFigure[] {
      const body = BODY_CANDIDATES.find((p) => fs.existsSync(p));
      if (!body || !haveTools()) return [{ name: 'skipped (nasm/ld or body.inc missing)', value: 0, unit: '' }];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bench-'));
      try {
        const emuExe = build(dir, body, loopA, emuReps);
        runEmu(build(dir, body, loopA, 1)); // warm-up (JIT)
        const { insns, seconds } = runEmu(emuExe);
        const ips = insns / seconds;
        const figures: BenchFigure[] = [{ name: `${label}: ${(insns / 1e6).toFixed(1)} M insns`, value: ips, unit: 'insn/s' }];
        const nativeExe = build(dir, body, loopA, nativeReps);
        const nt = runNative(nativeExe);
        if (nt !== null) {
          const nativeIps = (insns / emuReps) * nativeReps / nt;
          figures.push({ name: `${label}: native`, value: nativeIps, unit: 'insn/s', note: `emulator/native = ${(ips / nativeIps).toFixed(4)}` });
        }
        return figures;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const benchmarks: Benchmark[] = [workload(true, 50, 1000), workload(false, 40, 1000)];
