// Checks that the per-instruction comparison can fail: a copy of the CPU's own outcome must
// compare equal, and each single perturbation (a register, a defined flag, a memory byte, a fault
// instead of completion, the fault RIP) must be reported — while flipping a flag the SDM leaves
// undefined (AF after AND) must not. Shared by instructions64/32.test.ts.
import { strict as assert } from 'assert';
import { compareOutcome } from './compareCpu';
import { AF, CF, CODE_ADDR, ZF } from './instructionCases';
import type { EmulatorOutcome } from './emulatorCpu';
import type { ModeRun } from './instructionHarness';

/** Registers a describe() block of self-checks over the results of `getRun()`. */
export function describeComparisonSelfCheck(getRun: () => ModeRun | undefined, bits: 32 | 64): void {
  describe(`comparison self-check (${bits}-bit)`, () => {
    const pick = (run: ModeRun, text: string): { native: NonNullable<ReturnType<ModeRun['native']['get']>>; v: ModeRun['vectors'][number]; bytes: Uint8Array } => {
      const index = run.texts.indexOf(text);
      assert.ok(index >= 0, `case ${text} exists`);
      const v = run.vectors.find((x) => x.caseIndex === index && run.native.get(x.id)?.completed);
      assert.ok(v, `a completed vector of ${text}`);
      const native = run.native.get(v.id);
      assert.ok(native);
      return { native, v, bytes: run.emuBytes[index] };
    };
    const asEmu = (n: { regs: bigint[]; flags: number; window: Uint8Array }, bytes: Uint8Array): Extract<EmulatorOutcome, { kind: 'completed' }> => ({
      kind: 'completed', rip: CODE_ADDR + bytes.length, regs: [...n.regs], flags: n.flags, window: n.window.slice(),
    });

    it('the CPU outcome compared with itself is equal; every perturbation is reported', function () {
      const run = getRun();
      if (!run) this.skip();
      const text = bits === 64 ? 'add qword [rdi+8], rbx' : 'add dword [edi+8], ebx';
      const { native, v, bytes } = pick(run, text);
      const same = asEmu(native, bytes);
      assert.deepEqual(compareOutcome(native, same, v.input, bytes, bits, text), []);
      const reg = asEmu(native, bytes);
      reg.regs[3] ^= 1n;
      assert.match(compareOutcome(native, reg, v.input, bytes, bits, text).join(), /rbx|ebx/);
      const flag = asEmu(native, bytes);
      flag.flags ^= CF | ZF;
      assert.match(compareOutcome(native, flag, v.input, bytes, bits, text).join(), /flags/);
      const mem = asEmu(native, bytes);
      mem.window[0x48] ^= 0x10;
      assert.match(compareOutcome(native, mem, v.input, bytes, bits, text).join(), /memory at window\+0x48/);
      const rip = asEmu(native, bytes);
      rip.rip += 1;
      assert.match(compareOutcome(native, rip, v.input, bytes, bits, text).join(), /RIP after/);
      const fault: EmulatorOutcome = { kind: 'fault', vector: 13, pc: CODE_ADDR, regs: [...native.regs], flags: native.flags, window: native.window };
      assert.match(compareOutcome(native, fault, v.input, bytes, bits, text).join(), /CPU completed, emulator raised vector 13/);
    });

    it('a flag the SDM leaves undefined (AF after AND) is not compared; a defined one (ZF) is', function () {
      const run = getRun();
      if (!run) this.skip();
      const text = 'and eax, ebx';
      const { native, v, bytes } = pick(run, text);
      const af = asEmu(native, bytes);
      af.flags ^= AF;
      assert.deepEqual(compareOutcome(native, af, v.input, bytes, bits, text), []);
      const zf = asEmu(native, bytes);
      zf.flags ^= ZF;
      assert.equal(compareOutcome(native, zf, v.input, bytes, bits, text).length, 1);
    });

    it('faults must agree in class and RIP', function () {
      const run = getRun();
      if (!run) this.skip();
      const index = run.texts.indexOf('ud2');
      const v = run.vectors.find((x) => x.caseIndex === index);
      assert.ok(v);
      const native = run.native.get(v.id);
      assert.ok(native && !native.completed && native.signal === 4, 'ud2 raises SIGILL natively');
      const bytes = run.emuBytes[index];
      const base = { regs: [...native.regs], flags: native.flags, window: native.window };
      assert.deepEqual(compareOutcome(native, { kind: 'fault', vector: 6, pc: CODE_ADDR, ...base }, v.input, bytes, bits, 'ud2'), []);
      assert.match(compareOutcome(native, { kind: 'fault', vector: 13, pc: CODE_ADDR, ...base }, v.input, bytes, bits, 'ud2').join(), /exception/);
      assert.match(compareOutcome(native, { kind: 'fault', vector: 6, pc: CODE_ADDR + 2, ...base }, v.input, bytes, bits, 'ud2').join(), /fault RIP/);
    });
  });
}
