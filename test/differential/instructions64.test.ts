// Per-instruction comparison with the real CPU, 64-bit mode: every case of the catalogue
// (test/differential/native/instructionCases.ts) runs natively under ptrace and on the emulator
// with the same seeded random and edge-case inputs; registers, defined flags, the data window and
// faults (exception class and RIP) must agree. One test per instruction group.
import { strict as assert } from 'assert';
import { groupsOf } from './native/instructionHarness';
import { instructionCases, is64Only } from './native/instructionCases';
import { describeModeComparison } from './native/describeModeComparison';

export const INSTRUCTION_SEED_64 = 0x64;

const groups = [...new Set(instructionCases().map((c) => c.group))];

describeModeComparison({
  mode: 64,
  seed: INSTRUCTION_SEED_64,
  title: 'instructions vs the real CPU, 64-bit mode (ptrace tracer)',
  groups,
  catalogueCheck: {
    name: 'the catalogue has every group in this mode and 64-bit-only cases',
    check: (run) => {
      const cases = instructionCases();
      assert.ok(cases.some((c) => is64Only(c.text)));
      if (run) assert.deepEqual(groupsOf(run), groups);
    },
  },
});
