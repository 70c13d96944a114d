// Per-instruction comparison with the real CPU, 32-bit mode (the emulator runs 32-bit encodings in
// protected mode; this kernel runs no 32-bit code, so the CPU runs the same instruction text in 64-bit
// mode with 32-bit operands — see instructionHarness.ts): every case of the catalogue
// (test/differential/native/instructionCases.ts) runs natively under ptrace and on the emulator
// with the same seeded random and edge-case inputs; registers, defined flags, the data window and
// faults (exception class and RIP) must agree. One test per instruction group.
import { strict as assert } from 'assert';
import { groupsOf } from './native/instructionHarness';
import { instructionCases, is64Only } from './native/instructionCases';
import { describeModeComparison } from './native/describeModeComparison';

export const INSTRUCTION_SEED_32 = 0x32;

const groups = [...new Set(instructionCases().filter((c) => !c.only64 && !is64Only(c.text)).map((c) => c.group))];

describeModeComparison({
  mode: 32,
  seed: INSTRUCTION_SEED_32,
  title: 'instructions vs the real CPU, 32-bit mode (CPU runs the same operation in 64-bit mode; ptrace tracer)',
  groups,
  catalogueCheck: {
    name: '32-bit mode leaves out only the 64-bit-only cases',
    check: (run) => {
      const cases = instructionCases();
      if (run) assert.equal(run.cases.length, cases.filter((c) => !c.only64 && !is64Only(c.text)).length);
      if (run) assert.deepEqual(groupsOf(run), groups);
    },
  },
});
