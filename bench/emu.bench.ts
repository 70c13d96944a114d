// Emulator throughput on the two shared workloads (/work/shared/bench/body.inc, or
// bench/workloads/body.inc when present): each is wrapped as a 32-bit Linux program, built with
// nasm + ld, loaded (PT_LOAD segments) into a Machine in flat 32-bit user mode and run to its exit
// system call. Prints MIPS and, when the binary also runs natively here, the ratio to native speed
// of the same code (more repetitions natively, timed in the same process run). Loop B also runs under
// 32-bit paging (identity-mapped 4 KiB pages) to show the cost of translation through the TLB.
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

/**
 * Build a static Linux ELF running the workload `reps` times; returns its path. bits 64 assembles
 * the same 32-bit-register body as 64-bit code (same instruction count) for machines whose kernel
 * cannot run 32-bit programs natively.
 */
function build(dir: string, body: string, loopA: boolean, reps: number, bits: 32 | 64 = 32): string {
  const name = `${loopA ? 'a' : 'b'}-${reps}-${bits}`;
  const src = path.join(dir, `${name}.asm`);
  fs.writeFileSync(
    src,
    [
      `bits ${bits}`,
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
      ...(bits === 32 ? ['  mov eax, 1', '  xor ebx, ebx', '  int 0x80'] : ['  mov eax, 60', '  xor edi, edi', '  syscall']),
      '',
    ].join('\n'),
  );
  const obj = path.join(dir, `${name}.o`);
  const exe = path.join(dir, name);
  execFileSync('nasm', ['-f', bits === 32 ? 'elf32' : 'elf64', src, '-o', obj]);
  execFileSync('ld', bits === 32 ? ['-m', 'elf_i386', '-o', exe, obj] : ['-o', exe, obj]);
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

/**
 * Turn on 32-bit paging with 4 KiB pages identity-mapping every mapped region (user, writable):
 * page directory and tables in a region of their own at 0x00100000. Same program, every memory
 * access now translated (TLB hits, walks on misses).
 */
function enablePaging(m: Machine): void {
  const tables = 0x100000;
  m.map(tables, 0x100000, PERM_RW, 'page tables');
  const put = (pa: number, v: number): void => {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    m.mem.write(pa, b);
  };
  let nextTable = tables + 0x1000;
  const pdeDone = new Set<number>();
  for (const r of m.regions()) {
    for (let a = r.start; a < r.end; a += 4096) {
      const pdi = Math.floor(a / 0x400000);
      if (!pdeDone.has(pdi)) {
        pdeDone.add(pdi);
        put(tables + pdi * 4, nextTable | 7);
        nextTable += 0x1000;
      }
      const pt = (new DataView((m.mem.read(tables + pdi * 4, 4) as Uint8Array).buffer).getUint32(0, true) & ~0xfff) >>> 0;
      put(pt + ((a >>> 12) & 0x3ff) * 4, (a | 7) >>> 0);
    }
  }
  m.cr3 = tables;
  m.cr0 = (m.cr0 | 0x80000000) >>> 0;
  m.flushTlb();
}

/** Run to the exit; wall-clock seconds and CPU seconds of this process (the machine may be shared). */
function runEmu(exe: string, paged = false): { insns: number; seconds: number; cpuSeconds: number } {
  const m = loadElf32(exe);
  if (paged) enablePaging(m);
  const t0 = process.hrtime.bigint();
  const u0 = process.cpuUsage();
  let exit = m.run(1e12);
  while (exit.reason === 'budget') exit = m.run(1e12);
  const u = process.cpuUsage(u0);
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (exit.reason !== 'exited') throw new Error(`workload ended with ${JSON.stringify(exit)}`);
  return { insns: m.icount, seconds, cpuSeconds: (u.user + u.system) / 1e6 };
}

/** Native run: user+system CPU seconds of the child (bash `time`), or null when it cannot run here. */
function runNative(exe: string): number | null {
  const r = spawnSync('bash', ['-c', `TIMEFORMAT='%U %S'; time ${JSON.stringify(exe)} > /dev/null`], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const m = /([0-9.]+) ([0-9.]+)\s*$/.exec(r.stderr);
  return m ? Number(m[1]) + Number(m[2]) : null;
}

function workload(loopA: boolean, emuReps: number, nativeReps: number, paged = false): Benchmark {
  const label = (loopA ? 'loop A (register-only add/xor/dec/jnz)' : 'loop B (bubble sort, memory)') + (paged ? ' under 32-bit paging' : '');
  return {
    name: `emu: ${label}`,
    run(): BenchFigure[] {
      const body = BODY_CANDIDATES.find((p) => fs.existsSync(p));
      if (!body || !haveTools()) return [{ name: 'skipped (nasm/ld or body.inc missing)', value: 0, unit: '' }];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bench-'));
      try {
        const emuExe = build(dir, body, loopA, emuReps);
        // Warm-up: let the JIT optimise the loop and handlers on a full-sized run first.
        runEmu(build(dir, body, loopA, Math.max(1, Math.floor(emuReps / 4))), paged);
        // Best of three: on a shared machine the slowest runs measure the neighbours, not the emulator.
        const runs = [runEmu(emuExe, paged), runEmu(emuExe, paged), runEmu(emuExe, paged)];
        const { insns } = runs[0];
        const cpuSeconds = Math.min(...runs.map((r) => r.cpuSeconds));
        const seconds = Math.min(...runs.map((r) => r.seconds));
        const ips = insns / cpuSeconds;
        const figures: BenchFigure[] = [
          { name: `${label}: ${(insns / 1e6).toFixed(1)} M insns`, value: ips, unit: 'insn/s', note: 'per CPU second of this process, best of 3' },
          { name: `${label}: wall clock`, value: insns / seconds, unit: 'insn/s', note: 'shared machine: CPU time is the fairer figure' },
        ];
        if (paged) return figures;
        // Native: the 32-bit binary when this kernel runs it, else the same body assembled as 64-bit code.
        let nt = runNative(build(dir, body, loopA, nativeReps, 32));
        let how = 'same 32-bit binary';
        if (nt === null) { nt = runNative(build(dir, body, loopA, nativeReps, 64)); how = 'body as 64-bit code: 32-bit binaries do not run on this kernel'; }
        if (nt !== null) {
          const nativeIps = (insns / emuReps) * nativeReps / nt;
          figures.push({ name: `${label}: native (CPU time)`, value: nativeIps, unit: 'insn/s', note: `${how}; emulator/native = ${(ips / nativeIps).toFixed(4)}` });
        }
        return figures;
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

export const benchmarks: Benchmark[] = [workload(true, 30, 1000), workload(false, 25, 1000), workload(false, 25, 0, true)];
