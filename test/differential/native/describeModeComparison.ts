// The mocha suite shape shared by the per-instruction comparisons with the real CPU in 32- and
// 64-bit mode: run the catalogue natively under ptrace once, then one test per instruction group
// comparing the emulator vector by vector, plus the mode's own catalogue check and the self-check.
import { strict as assert } from 'assert';
import { hasTool, makeTempDir } from './toolchain';
import { compareGroup, runOnCpu, summarise, type ModeRun } from './instructionHarness';
import { EmulatorCpu } from './emulatorCpu';
import { TracerUnavailable } from './nativeCpu';
import { describeComparisonSelfCheck } from './comparisonSelfCheck';

export interface ModeComparison {
  mode: 32 | 64;
  seed: number;
  title: string;
  /** The instruction groups this mode compares, in catalogue order. */
  groups: string[];
  /** A test of the catalogue for this mode, given the native run (undefined when the tracer is unavailable). */
  catalogueCheck: { name: string; check: (run: ModeRun | undefined) => void };
}

export function describeModeComparison(spec: ModeComparison): void {
  describe(spec.title, function () {
    this.timeout(180000);
    let run: ModeRun | undefined;
    let emu: EmulatorCpu | undefined;
    let cleanup = (): void => undefined;
    let total = 0;

    before(function () {
      if (process.platform !== 'linux' || process.arch !== 'x64' || !hasTool('nasm') || !hasTool('gcc')) this.skip();
      const t = makeTempDir(`insn${spec.mode}`);
      cleanup = t.cleanup;
      try {
        run = runOnCpu(t.dir, spec.mode, spec.seed);
      } catch (e) {
        if (!(e instanceof TracerUnavailable)) throw e;
        process.stdout.write(`\n      SKIPPED: ${e.message}\n`);
        this.skip();
      }
      emu = new EmulatorCpu(spec.mode);
    });
    after(() => {
      cleanup();
      if (total > 0) process.stdout.write(`\n      [instructions${spec.mode}] ${total} comparisons with the CPU (each vector by step() and by run())\n`);
    });

    for (const group of spec.groups) {
      it(`${group}: emulator matches the CPU`, function () {
        if (!run || !emu) this.skip();
        const r = compareGroup(run, group, emu);
        total += r.compared;
        assert.ok(r.compared > 0, `no vectors in group ${group}`);
        assert.deepEqual(summarise(r.mismatches), [], `${r.mismatches.length} of ${r.compared} vectors differ`);
      });
    }

    it(spec.catalogueCheck.name, () => spec.catalogueCheck.check(run));

    describeComparisonSelfCheck(() => run, spec.mode);
  });
}
