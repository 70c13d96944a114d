// The real-CPU side of the per-instruction comparison: builds cpuTracer.c with gcc, assembles
// instruction texts with `nasm -f bin` in one batch per mode (a table of label offsets at the end
// of the image gives each instruction's bytes), runs every vector through one tracer process and
// parses its result lines. Node-only test helper.
import { readFileSync, writeFileSync } from 'fs';
import { join } from 'path';
import { mustRun, runTool } from './toolchain';
import { CODE_ADDR, WINDOW_SIZE, type VectorInput } from './instructionCases';

/** What the real CPU did with one vector. */
export interface NativeOutcome {
  /** true: reached the INT3 after the instruction; false: raised `signal`. */
  completed: boolean;
  signal: number;
  siCode: number;
  siAddr: number;
  rip: number;
  regs: bigint[];
  flags: number;
  window: Uint8Array;
}

/** The machine does not let the tracer trace (no ptrace in this sandbox): the comparison cannot run. */
export class TracerUnavailable extends Error {}

/** Builds the tracer into `dir` and checks it can start its tracee; returns its path. */
export function buildTracer(dir: string): string {
  const out = join(dir, 'cpuTracer');
  mustRun('gcc', ['-O2', '-Wall', '-o', out, join(__dirname, 'cpuTracer.c')]);
  const probe = runTool(out, [], { input: '' });
  if (!probe.stdout.toString().startsWith('READY ')) throw new TracerUnavailable(`cpuTracer cannot trace here: ${probe.stderr.trim() || probe.spawnError || `status ${probe.status}`}`);
  return out;
}

/**
 * Assembles each text with `nasm -f bin` (bits 16/32/64) in one invocation and returns each
 * instruction's bytes, in order.
 */
export function assembleEach(dir: string, texts: string[], bits: 16 | 32 | 64, tag: string): Uint8Array[] {
  const lines = [`bits ${bits}`];
  texts.forEach((t, i) => lines.push(`L${i}:`, `  ${t}`, `E${i}:`));
  lines.push('align 4, db 0', 'table:');
  texts.forEach((_t, i) => lines.push(`  dd L${i}, E${i}`));
  const src = join(dir, `${tag}.asm`);
  const bin = join(dir, `${tag}.bin`);
  writeFileSync(src, lines.join('\n') + '\n');
  mustRun('nasm', ['-f', 'bin', src, '-o', bin]);
  const image = new Uint8Array(readFileSync(bin));
  const view = new DataView(image.buffer, image.byteOffset, image.byteLength);
  const tableAt = image.length - 8 * texts.length;
  return texts.map((_t, i) => {
    const start = view.getUint32(tableAt + 8 * i, true);
    const end = view.getUint32(tableAt + 8 * i + 4, true);
    return image.slice(start, end);
  });
}

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

/** Runs every vector on the real CPU through one tracer process. */
export function runNative(tracer: string, vectors: { id: string; code: Uint8Array; input: VectorInput }[]): Map<string, NativeOutcome> {
  for (const v of vectors) {
    if (v.input.regs.some((r) => r < 0n || r >= 1n << 64n)) throw new Error(`vector ${v.id}: a register value is outside 0..2^64-1`);
  }
  const lines = vectors.map((v) => `V ${v.id} ${hex(v.code)} ${v.input.regs.map((r) => r.toString(16)).join(' ')} ${v.input.flags.toString(16)} ${hex(v.input.window)}`);
  const r = runTool(tracer, [], { input: lines.join('\n') + '\n', timeoutMs: 300000 });
  if (r.spawnError || r.status !== 0) throw new Error(`cpuTracer failed (${r.spawnError ?? r.status}): ${r.stderr}`);
  const results = new Map<string, NativeOutcome>();
  for (const line of r.stdout.toString().split('\n')) {
    if (line.startsWith('E ') || line.startsWith('X ')) throw new Error(`cpuTracer: ${line}`);
    if (!line.startsWith('R ')) continue;
    const f = line.split(' ');
    const regs = f.slice(7, 23).map((x) => BigInt(`0x${x}`));
    results.set(f[1], {
      completed: f[2] === 'T',
      signal: parseInt(f[3], 10),
      siCode: parseInt(f[4], 10),
      siAddr: parseInt(f[5], 16),
      rip: parseInt(f[6], 16),
      regs,
      flags: parseInt(f[23], 16),
      window: Uint8Array.from(Buffer.from(f[24], 'hex')),
    });
  }
  for (const v of vectors) if (!results.has(v.id)) throw new Error(`cpuTracer gave no result for vector ${v.id}`);
  return results;
}

/** Exception vectors a Linux signal can stand for (x86-64 traps.c / fault.c mapping). */
export function vectorsForSignal(o: NativeOutcome): number[] {
  switch (o.signal) {
    case 8: return [0];
    case 4: return [6];
    case 11: return o.siCode === 1 || o.siCode === 2 ? [14] : [13, 12];
    case 7: return [12, 17];
    case 5: return [1, 3];
    default: return [];
  }
}

export { CODE_ADDR, WINDOW_SIZE };
