// Drives the per-instruction comparison for one mode: generates the vectors of every case,
// assembles the instruction texts with nasm (64-bit bytes for the CPU; bytes for the emulator's
// mode), runs all vectors on the real CPU in one tracer process, then on the emulator, and
// collects the differences by case. 32-bit mode: this machine's kernel runs no 32-bit code, so
// the CPU executes the same instruction text assembled for 64-bit mode with 32-bit operands and
// zero upper halves — identical semantics for every instruction in the catalogue — while the
// emulator runs the real 32-bit encoding in 32-bit protected mode.
import { instructionCases, is64Only, randomInput, renderText, Rng, type InstructionCase, type VectorInput } from './instructionCases';
import { assembleEach, buildTracer, runNative, type NativeOutcome } from './nativeCpu';
import { EmulatorCpu } from './emulatorCpu';
import { compareOutcome, type Mismatch } from './compareCpu';

/** One generated vector with the bytes each side runs. */
export interface PreparedVector {
  id: string;
  caseIndex: number;
  input: VectorInput;
}

/** Everything the real CPU said for one mode, ready for emulator comparison. */
export interface ModeRun {
  bits: 32 | 64;
  cases: InstructionCase[];
  texts: string[];
  emuBytes: Uint8Array[];
  vectors: PreparedVector[];
  native: Map<string, NativeOutcome>;
}

/** Generates, assembles and runs natively every vector for `bits`. */
export function runOnCpu(dir: string, bits: 32 | 64, seed: number): ModeRun {
  const cases = instructionCases().filter((c) => bits === 64 || (!c.only64 && !is64Only(c.text)));
  const texts = cases.map((c) => renderText(c, bits));
  const nativeBytes = assembleEach(dir, texts, 64, `native${bits}`);
  const emuBytes = bits === 64 ? nativeBytes : assembleEach(dir, texts, 32, `emu${bits}`);
  const rng = new Rng(seed);
  const vectors: PreparedVector[] = [];
  // X86DBG_VECTOR_SCALE=10 runs ten times the vectors (deeper local runs; CI uses 1).
  const scale = Math.max(1, Math.min(100, Number(process.env.X86DBG_VECTOR_SCALE ?? '1') || 1));
  cases.forEach((c, caseIndex) => {
    for (let k = 0; k < (c.vectors ?? 24) * scale; k++) {
      const input = randomInput(rng, bits);
      c.prepare?.(input, rng, bits);
      if (bits === 32) for (let i = 0; i < 16; i++) input.regs[i] = i < 8 ? input.regs[i] & 0xffffffffn : 0n;
      vectors.push({ id: `${bits}.${caseIndex}.${k}`, caseIndex, input });
    }
  });
  const tracer = buildTracer(dir);
  const native = runNative(tracer, vectors.map((v) => ({ id: v.id, code: nativeBytes[v.caseIndex], input: v.input })));
  return { bits, cases, texts, emuBytes, vectors, native };
}

/** Runs the vectors of the cases in `group` on the emulator, by step() and by run(); returns comparisons made and differences. */
export function compareGroup(run: ModeRun, group: string, emu: EmulatorCpu): { compared: number; mismatches: Mismatch[] } {
  const mismatches: Mismatch[] = [];
  let compared = 0;
  for (const v of run.vectors) {
    const c = run.cases[v.caseIndex];
    if (c.group !== group) continue;
    const native = run.native.get(v.id);
    if (!native) continue;
    for (const path of ['step', 'run'] as const) {
      const outcome = emu.run(run.emuBytes[v.caseIndex], v.input, path);
      compared++;
      const diffs = compareOutcome(native, outcome, v.input, run.emuBytes[v.caseIndex], run.bits, run.texts[v.caseIndex]);
      if (diffs.length > 0) mismatches.push({ text: `${run.texts[v.caseIndex]} [${path}()]`, bits: run.bits, group, id: v.id, detail: diffs.join('; ') });
    }
  }
  return { compared, mismatches };
}

/** The groups of the catalogue, in order. */
export function groupsOf(run: ModeRun): string[] {
  return [...new Set(run.cases.map((c) => c.group))];
}

/** Mismatches summarised by instruction text: count and the first example. */
export function summarise(mismatches: Mismatch[]): string[] {
  const byText = new Map<string, Mismatch[]>();
  for (const m of mismatches) byText.set(m.text, [...(byText.get(m.text) ?? []), m]);
  return [...byText.entries()].map(([text, ms]) => `${text} (${ms.length}x) e.g. [${ms[0].id}] ${ms[0].detail}`);
}
