// Per-instruction comparison with the real CPU, 32-bit mode (the emulator runs 32-bit encodings in
// protected mode; this kernel runs no 32-bit code, so the CPU runs the same instruction text in 64-bit
// mode with 32-bit operands — see instructionHarness.ts): every case of the catalogue
// (test/differential/native/instructionCases.ts) runs natively under ptrace and on the emulator
// with the same seeded random and edge-case inputs; registers, defined flags, the data window and
// faults (exception class and RIP) must agree. One test per instruction group.
import { strict as assert } from 'assert';
import { hasTool, makeTempDir } from './native/toolchain';
import { compareGroup, groupsOf, runOnCpu, summarise, type ModeRun } from './native/instructionHarness';
import { EmulatorCpu } from './native/emulatorCpu';
import { TracerUnavailable } from './native/nativeCpu';
import { instructionCases, is64Only } from './native/instructionCases';
import { describeComparisonSelfCheck } from './native/comparisonSelfCheck';

export const INSTRUCTION_SEED_32 = 0x32;

describe('instructions vs the real CPU, 32-bit mode (CPU runs the same operation in 64-bit mode; ptrace tracer)', function () {
  this.timeout(180000);
  let run: ModeRun | undefined;
  let emu: EmulatorCpu | undefined;
  let cleanup = (): void => undefined;
  let total = 0;

  before(function () {
    if (process.platform !== 'linux' || process.arch !== 'x64' || !hasTool('nasm') || !hasTool('gcc')) this.skip();
    const t = makeTempDir('insn32');
    cleanup = t.cleanup;
    try {
      run = runOnCpu(t.dir, 32, INSTRUCTION_SEED_32);
    } catch (e) {
      if (!(e instanceof TracerUnavailable)) throw e;
      process.stdout.write(`\n      SKIPPED: ${e.message}\n`);
      this.skip();
    }
    emu = new EmulatorCpu(32);
  });
  after(() => {
    cleanup();
    if (total > 0) process.stdout.write(`\n      [instructions32] ${total} comparisons with the CPU (each vector by step() and by run())\n`);
  });

  const groups = [...new Set(instructionCases().filter((c) => !c.only64 && !is64Only(c.text)).map((c) => c.group))];
  for (const group of groups) {
    it(`${group}: emulator matches the CPU`, function () {
      if (!run || !emu) this.skip();
      const r = compareGroup(run, group, emu);
      total += r.compared;
      assert.ok(r.compared > 0, `no vectors in group ${group}`);
      assert.deepEqual(summarise(r.mismatches), [], `${r.mismatches.length} of ${r.compared} vectors differ`);
    });
  }

  it('32-bit mode leaves out only the 64-bit-only cases', () => {
    const cases = instructionCases();
    if (run) assert.equal(run.cases.length, cases.filter((c) => !c.only64 && !is64Only(c.text)).length);
    if (run) assert.deepEqual(groupsOf(run), groups);
  });

  describeComparisonSelfCheck(() => run, 32);
});
