// Per-instruction comparison with the real CPU, 64-bit mode: every case of the catalogue
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

export const INSTRUCTION_SEED_64 = 0x64;

describe('instructions vs the real CPU, 64-bit mode (ptrace tracer)', function () {
  this.timeout(180000);
  let run: ModeRun | undefined;
  let emu: EmulatorCpu | undefined;
  let cleanup = (): void => undefined;
  let total = 0;

  before(function () {
    if (process.platform !== 'linux' || process.arch !== 'x64' || !hasTool('nasm') || !hasTool('gcc')) this.skip();
    const t = makeTempDir('insn64');
    cleanup = t.cleanup;
    try {
      run = runOnCpu(t.dir, 64, INSTRUCTION_SEED_64);
    } catch (e) {
      if (!(e instanceof TracerUnavailable)) throw e;
      process.stdout.write(`\n      SKIPPED: ${e.message}\n`);
      this.skip();
    }
    emu = new EmulatorCpu(64);
  });
  after(() => {
    cleanup();
    if (total > 0) process.stdout.write(`\n      [instructions64] ${total} comparisons with the CPU (each vector by step() and by run())\n`);
  });

  const groups = [...new Set(instructionCases().map((c) => c.group))];
  for (const group of groups) {
    it(`${group}: emulator matches the CPU`, function () {
      if (!run || !emu) this.skip();
      const r = compareGroup(run, group, emu);
      total += r.compared;
      assert.ok(r.compared > 0, `no vectors in group ${group}`);
      assert.deepEqual(summarise(r.mismatches), [], `${r.mismatches.length} of ${r.compared} vectors differ`);
    });
  }

  it('the catalogue has every group in this mode and 64-bit-only cases', () => {
    const cases = instructionCases();
    assert.ok(cases.some((c) => is64Only(c.text)));
    if (run) assert.deepEqual(groupsOf(run), groups);
  });

  describeComparisonSelfCheck(() => run, 64);
});
