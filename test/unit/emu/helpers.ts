// Test helpers for the CPU core: assemble a snippet with Debian's nasm (-f bin), load it into a
// fresh Machine in real, flat 32-bit or 64-bit mode at CPL 0, and run it until HLT.
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Machine } from '../../../src/emu/machine';
import { PERM_RW, PERM_RWX } from '../../../src/emu/memory';
import type { Exit } from '../../../src/emu/exit';
import type { Environment } from '../../../src/emu/environment';

export const CODE = 0x1000;
export const DATA = 0x8000;
export const STACK_TOP = 0x20000;

let dir: string | undefined;
const cache = new Map<string, Uint8Array>();

/** Assemble `src` (NASM syntax, `bits` and `org` added) into flat bytes. */
export function asm(bits: 16 | 32 | 64, src: string, org = CODE): Uint8Array {
  const key = `${bits}:${org}:${src}`;
  const hit = cache.get(key);
  if (hit) return hit;
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-emu-test-'));
  const file = path.join(dir, `t${cache.size}.asm`);
  fs.writeFileSync(file, `bits ${bits}\norg 0x${org.toString(16)}\n${src}\n`);
  execFileSync('nasm', ['-f', 'bin', file, '-o', file + '.bin']);
  const bytes = new Uint8Array(fs.readFileSync(file + '.bin'));
  cache.set(key, bytes);
  return bytes;
}

/**
 * Assemble many snippets in one nasm run (each in its own 4 KiB section with vstart = org, a unique
 * global label first so `.local` labels stay inside it) and fill the cache asm() reads.
 * Falls back to nothing on failure (asm() then assembles one by one).
 */
export function prebuild(bits: 16 | 32 | 64, sources: string[], org = CODE): void {
  const todo = [...new Set(sources)].filter((s) => !cache.has(`${bits}:${org}:${s}`));
  if (todo.length === 0) return;
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-emu-test-'));
  const file = path.join(dir, `batch${cache.size}.asm`);
  const SLOT = 0x1000;
  const text = [`bits ${bits}`];
  todo.forEach((src, i) => text.push(`section s${i} start=0x${(i * SLOT).toString(16)} vstart=0x${org.toString(16)}`, `__snippet${i}:`, src));
  fs.writeFileSync(file, text.join('\n') + '\n');
  try {
    execFileSync('nasm', ['-f', 'bin', file, '-o', file + '.bin'], { stdio: 'pipe' });
  } catch {
    return;
  }
  const all = new Uint8Array(fs.readFileSync(file + '.bin'));
  todo.forEach((src, i) => {
    let end = Math.min(all.length, (i + 1) * SLOT);
    while (end > i * SLOT && all[end - 1] === 0) end--;
    cache.set(`${bits}:${org}:${src}`, all.slice(i * SLOT, Math.max(end, i * SLOT + 1)));
  });
}

export interface RunOptions {
  env?: Environment;
  budget?: number;
  /** Called after loading, before running (set registers, memory...). */
  setup?: (m: Machine) => void;
  org?: number;
}

/** A machine with the code loaded at CODE (or org), RWX memory 0..0x20000, SP at STACK_TOP. */
export function load(bits: 16 | 32 | 64, src: string, opts: RunOptions = {}): Machine {
  const org = opts.org ?? CODE;
  const code = asm(bits, src, org);
  const m = new Machine({ env: opts.env });
  if (bits === 16) m.start('real');
  else if (bits === 32) m.start('protected32', 0);
  else m.start('long64', 0);
  m.map(0, STACK_TOP, PERM_RWX, 'low');
  m.writeMemory(org, code);
  m.rip = org;
  m.regs[4] = bits === 16 ? 0xfffe : STACK_TOP;
  opts.setup?.(m);
  return m;
}

/** Load and run until an exit (HLT → 'halted'). */
export function run(bits: 16 | 32 | 64, src: string, opts: RunOptions = {}): { m: Machine; exit: Exit } {
  const m = load(bits, src, opts);
  const exit = m.run(opts.budget ?? 1_000_000);
  return { m, exit };
}

/** Unsigned 32-bit register value. */
export function r32(m: Machine, i: number): number {
  return m.regs[i] >>> 0;
}

/** 64-bit register value as bigint. */
export function r64(m: Machine, i: number): bigint {
  return (BigInt(m.regsHi[i] >>> 0) << 32n) | BigInt(m.regs[i] >>> 0);
}

export { PERM_RW, PERM_RWX };
