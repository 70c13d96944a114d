// DebugUnit.setEmulatorBreakpoints: the debugger's unlimited exec address set, checked where the
// debugger's exec slots are (before the instruction runs), invisible to the guest and to DR6/DR7.
// Driven through real machines running nasm-assembled code (the conformance rig) and the unit alone.
import { strict as assert } from 'assert';
import type { Exit } from '../../../../src/emu/exit';
import { guestSlots, hostSlots, realWithDbHandler, reg, rig } from '../../../conformance/harness';

function emulatorExit(exit: Exit): { dr6: number; pc: number; dr7: number } {
  if (exit.reason !== 'debug') throw new Error(`expected a debug exit, got ${JSON.stringify(exit)}`);
  assert.equal(exit.emulatorBreakpoint, true, 'marked as an emulator breakpoint');
  assert.equal(exit.exception, 1);
  return { dr6: exit.dr6 >>> 0, pc: exit.pc, dr7: exit.dr7 >>> 0 };
}

describe('DebugUnit emulator breakpoints', () => {
  it('stops before the instruction runs; resuming runs it exactly once', () => {
    const r = rig('mov eax, 1\nA: add eax, 1\nB: add eax, 10\nhlt');
    r.m.debug.setEmulatorBreakpoints(new Set([r.labels.A]));
    assert.deepEqual(emulatorExit(r.run()), { dr6: 0xffff0ff0, pc: r.labels.A, dr7: 0 });
    assert.equal(r.m.rip, r.labels.A);
    assert.equal(r.m.regs[0], 1, 'the instruction at A has not run');
    assert.equal(r.run().reason, 'halted', 'resuming runs A once without stopping again');
    assert.equal(r.m.regs[0], 12);
  });

  it('several addresses, each hit in order, and again on every pass of a loop', () => {
    const r = rig('mov ecx, 3\nL:\nA: inc eax\nB: inc ebx\nC: dec ecx\njnz L\nhlt');
    r.m.debug.setEmulatorBreakpoints(new Set([r.labels.C, r.labels.A, r.labels.B]));
    const seen: number[] = [];
    for (;;) {
      const e = r.run();
      if (e.reason === 'halted') break;
      seen.push(emulatorExit(e).pc);
      assert.ok(seen.length < 20, 'too many stops');
    }
    const { A, B, C } = r.labels;
    assert.deepEqual(seen, [A, B, C, A, B, C, A, B, C]);
    assert.equal(r.m.regs[0], 3);
  });

  it('a block containing one stops at it (hot loop compiled before the breakpoint is set)', () => {
    const r = rig('mov ecx, 100000\nL: inc eax\nadd ebx, 2\nA: xor edx, edx\ninc esi\ndec ecx\njnz L\nhlt');
    assert.equal(r.run(50_000).reason, 'budget');
    const before = r.m.regs[0];
    r.m.debug.setEmulatorBreakpoints(new Set([r.labels.A]));
    assert.equal(emulatorExit(r.run(1_000_000)).pc, r.labels.A);
    assert.equal(r.m.rip, r.labels.A);
    assert.equal(r.m.regs[0] - r.m.regs[6], 1, 'stopped between inc eax and inc esi');
    assert.ok(r.m.regs[0] >= before);
    const esi = r.m.regs[6];
    assert.equal(emulatorExit(r.run(1_000_000)).pc, r.labels.A);
    assert.equal(r.m.regs[6], esi + 1, 'one more iteration');
  });

  it('removing them (null) lets the loop run to its end, unarmed', () => {
    const r = rig('mov ecx, 1000\nL:\nA: inc eax\ndec ecx\njnz L\nhlt');
    r.m.debug.setEmulatorBreakpoints(new Set([r.labels.A]));
    emulatorExit(r.run());
    r.m.debug.setEmulatorBreakpoints(null);
    assert.equal(r.run().reason, 'halted');
    assert.equal(r.m.regs[0], 1000);
    assert.equal(r.m.debug.armed, false, 'nothing armed once the set is gone');
  });

  it('a null or empty set arms nothing and changes no exit', () => {
    const r = rig('mov ecx, 50\nL: inc eax\ndec ecx\njnz L\nhlt');
    r.m.debug.setEmulatorBreakpoints(null);
    assert.equal(r.m.debug.armed, false);
    r.m.debug.setEmulatorBreakpoints(new Set());
    assert.equal(r.m.debug.armed, false);
    assert.equal(r.m.debug.quiet, true);
    assert.equal(r.run().reason, 'halted');
    assert.equal(r.m.regs[0], 50);
  });

  it('guest DR6/DR7 untouched, host DR7 reported as the debugger set it; a guest exec slot at the same address still fires after', () => {
    const r = rig('nop\nA: nop\nhlt');
    hostSlots(r.m, 0x4, [0, 0x401000 + 0x100]);
    guestSlots(r.m, 0x401, [r.labels.A]);
    r.m.debug.setEmulatorBreakpoints(new Set([r.labels.A]));
    const e = emulatorExit(r.run());
    assert.equal(e.pc, r.labels.A);
    assert.equal(e.dr6, 0xffff0ff0, 'no B bit: not a DR slot');
    assert.equal(e.dr7, 0x404);
    assert.deepEqual(r.m.debug.guestRegisters(), { dr: [r.labels.A, 0, 0, 0], dr6: 0xffff0ff0, dr7: 0x401 });
    const next = r.run();
    assert.equal(next.reason, 'fault', 'then the guest layer: #DB with no IDT');
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff1);
  });

  it('together with a debugger exec slot at the same address: one exit with the B bit and the flag', () => {
    const r = rig('A: nop\nhlt');
    hostSlots(r.m, 0x1, [r.labels.A]);
    r.m.debug.setEmulatorBreakpoints(new Set([r.labels.A]));
    assert.deepEqual(emulatorExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.A, dr7: 0x401 });
    assert.equal(r.run().reason, 'halted');
  });

  it('on a REP instruction: fires once, not again when a budget splits the iterations', () => {
    const r = rig('mov rdi, 0x600000\nmov ecx, 1000\nmov al, 7\nA: rep stosb\nhlt');
    r.m.debug.setEmulatorBreakpoints(new Set([r.labels.A]));
    assert.equal(emulatorExit(r.run()).pc, r.labels.A);
    let budgets = 0;
    for (;;) {
      const e = r.run(100);
      if (e.reason === 'halted') break;
      assert.equal(e.reason, 'budget', `no second hit: ${JSON.stringify(e)}`);
      budgets++;
    }
    assert.ok(budgets >= 5, 'the REP was split by budgets');
    assert.equal(reg(r.m, 1), 0);
  });

  it('at a real-mode #DB handler entry (linear CS:IP), before the handler runs', () => {
    const r = realWithDbHandler('int1\nhlt');
    const handler = r.labels.db_handler;
    assert.ok(handler !== undefined, 'harness names its handler');
    r.m.debug.setEmulatorBreakpoints(new Set([handler]));
    assert.equal(emulatorExit(r.run()).pc, handler);
    assert.equal(r.log().length, 0, 'the handler has not logged yet');
    r.run();
    assert.equal(r.log().length, 1);
  });

  it('a new set bumps slotGeneration (compiled regions re-check their blocks)', () => {
    const r = rig('hlt');
    const g = r.m.debug.slotGeneration;
    r.m.debug.setEmulatorBreakpoints(new Set([0x401000]));
    assert.notEqual(r.m.debug.slotGeneration, g);
    assert.equal(r.m.debug.blockMayRun(0x400ff0, 0x20), false);
    assert.equal(r.m.debug.blockMayRun(0x401001, 0x20), true);
  });
});
