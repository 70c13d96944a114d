// Conformance cases C (instruction breakpoints) and K (debugger-layer semantics) of
// x86-debug-register-cases.md. Matching is checked through the debugger layer (setGuestDebug → a
// 'debug' exit, as KVM_EXIT_DEBUG) and through the guest layer (#DB delivered to the guest: with no
// IDT yet it surfaces as a 'fault' exit with vector 1, and the guest's DR6 shows what it would read).
import { strict as assert } from 'assert';
import { EFLAGS_RF } from '../../src/emu/debug/registers';
import { debugExit, faultExit, guestSlots, hostSlots, realWithDbHandler, rig } from './harness';

describe('DR conformance C: instruction breakpoints', () => {
  it('case 19: exec hit — fault-class, the NOP not executed (debugger layer)', () => {
    const r = rig('A: nop\nB: hlt');
    hostSlots(r.m, 0x401, [r.labels.A]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.A, dr7: 0x401 });
    assert.equal(r.m.rip, r.labels.A);
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff0, 'guest DR6 untouched by a debugger exit');
    assert.equal(r.run().reason, 'halted', 'resuming runs the instruction once without stopping again');
  });

  it('case 19: exec hit (guest layer) — #DB at A, guest DR6 = FFFF0FF1h', () => {
    const r = rig('A: nop\nhlt');
    guestSlots(r.m, 0x401, [r.labels.A]);
    assert.deepEqual(faultExit(r.run()), { vector: 1, pc: r.labels.A, errorCode: undefined });
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff1);
    assert.equal(r.m.getRflags() & EFLAGS_RF, 0, 'pushed RF = 0 for a code breakpoint');
  });

  it('the guest programs DR0/DR7 itself with MOV and the breakpoint fires a few instructions later', () => {
    const r = rig('mov eax, 0x401\nmov rbx, A\nmov dr0, rbx\nmov dr7, rax\nnop\nnop\nA: nop\nhlt');
    assert.deepEqual(faultExit(r.run()), { vector: 1, pc: r.labels.A, errorCode: undefined });
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff1);
  });

  it('case 20: exec via the G bit', () => {
    const r = rig('A: nop\nhlt');
    guestSlots(r.m, 0x402, [r.labels.A]);
    assert.equal(faultExit(r.run()).pc, r.labels.A);
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff1);
    const h = rig('A: nop\nhlt');
    hostSlots(h.m, 0x402, [h.labels.A]);
    assert.equal(debugExit(h.run()).dr6, 0xffff0ff1);
  });

  it('case 21: exec slot disabled — no #DB, DR6 unchanged', () => {
    const r = rig('A: nop\nhlt');
    guestSlots(r.m, 0x400, [r.labels.A]);
    hostSlots(r.m, 0x400, [r.labels.A]);
    assert.equal(r.run().reason, 'halted');
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff0);
  });

  it('case 22: exec address inside an instruction never fires', () => {
    const r = rig('A: mov eax, 0x12345678\nhlt');
    guestSlots(r.m, 0x401, [r.labels.A + 2]);
    hostSlots(r.m, 0x401, [r.labels.A + 2]);
    assert.equal(r.run().reason, 'halted');
  });

  it('case 23: exec on a prefix — only the first prefix byte matches', () => {
    const a = rig('A: db 0x66, 0x90\nhlt');
    hostSlots(a.m, 0x401, [a.labels.A + 1]);
    assert.equal(a.run().reason, 'halted');
    const b = rig('A: db 0x66, 0x90\nhlt');
    hostSlots(b.m, 0x401, [b.labels.A]);
    assert.deepEqual(debugExit(b.run()), { dr6: 0xffff0ff1, pc: b.labels.A, dr7: 0x401 });
  });

  it('case 24: RF suppresses once; the breakpoint fires again when the loop comes back (guest layer)', () => {
    const r = rig('mov ecx, 2\nA: nop\ndec ecx\njnz A\nhlt');
    guestSlots(r.m, 0x401, [r.labels.A]);
    assert.equal(faultExit(r.run()).pc, r.labels.A);
    r.m.setRflags(r.m.getRflags() | EFLAGS_RF); // what the handler's IRETQ with RF=1 in the frame does
    assert.equal(faultExit(r.run()).pc, r.labels.A, 'second pass fires again');
    assert.equal(r.m.regs[1], 1, 'the NOP ran once in between');
    assert.equal(r.m.getRflags() & EFLAGS_RF, 0, 'RF cleared after the instruction');
  });

  it('case 24: the debugger layer resumes the same way (RF semantics of an exit)', () => {
    const r = rig('mov ecx, 2\nA: nop\ndec ecx\njnz A\nhlt');
    hostSlots(r.m, 0x401, [r.labels.A]);
    assert.equal(debugExit(r.run()).pc, r.labels.A);
    assert.equal(debugExit(r.run()).pc, r.labels.A);
    assert.equal(r.m.regs[1], 1);
    assert.equal(r.run().reason, 'halted');
  });

  it('case 26: code breakpoint beats #UD; with RF = 1 the #UD follows', () => {
    const r = rig('A: ud2\nhlt');
    guestSlots(r.m, 0x401, [r.labels.A]);
    assert.equal(faultExit(r.run()).vector, 1);
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff1);
    r.m.setRflags(r.m.getRflags() | EFLAGS_RF);
    assert.deepEqual(faultExit(r.run()), { vector: 6, pc: r.labels.A, errorCode: undefined });
  });

  it('case 28: code breakpoint beats the code-fetch #PF of an unmapped page', () => {
    const target = 0x500000;
    const r = rig(`jmp ${target}\nhlt`);
    guestSlots(r.m, 0x401, [target]);
    assert.deepEqual(faultExit(r.run()), { vector: 1, pc: target, errorCode: undefined });
    r.m.setRflags(r.m.getRflags() | EFLAGS_RF);
    const pf = faultExit(r.run());
    assert.equal(pf.vector, 14);
    assert.equal(pf.pc, target);
  });

  it('case 29: code breakpoint on a jump target — the JMP completes', () => {
    const r = rig('A: jmp T\nnop\nT: nop\nhlt');
    hostSlots(r.m, 0x401, [r.labels.T]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.T, dr7: 0x401 });
  });

  it('case 31: two exec slots on one address → one #DB with B0|B2', () => {
    const r = rig('A: nop\nhlt');
    guestSlots(r.m, 0x411, [r.labels.A, 0, r.labels.A]);
    assert.equal(faultExit(r.run()).pc, r.labels.A);
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff5);
    const h = rig('A: nop\nhlt');
    hostSlots(h.m, 0x411, [h.labels.A, 0, h.labels.A]);
    assert.equal(debugExit(h.run()).dr6, 0xffff0ff5);
  });

  it('case 33: exec slot with LEN ≠ 0 fires on the exact address (REC)', () => {
    const r = rig('nop\nA: nop\nhlt');
    hostSlots(r.m, 0x000c0401, [r.labels.A]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.A, dr7: 0x000c0401 });
  });

  it('case 34: MOV SS shadow hides the guest code breakpoint on the next instruction (Intel, REC)', () => {
    const r = realWithDbHandler('mov ax, ss\nmov ss, ax\nT: nop\nhlt');
    guestSlots(r.m, 0x401, [r.labels.T]);
    assert.equal(r.run().reason, 'halted');
    assert.deepEqual(r.log(), []);
  });
});

describe('DR conformance K: debugger layer (KVM guest-debug semantics)', () => {
  it('case 88: host exec breakpoint exits; guest RIP stays, guest DR6 unchanged', () => {
    const r = rig('A: nop\nhlt');
    hostSlots(r.m, 0x602, [r.labels.A]);
    const exit = r.run();
    assert.deepEqual(exit, { reason: 'debug', dr6: 0xffff0ff1, dr7: 0x602, pc: r.labels.A, exception: 1 });
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff0);
  });

  it('case 89: host write watchpoint exits after the write, with the access details', () => {
    const r = rig('mov eax, 0x12345678\nA: mov [0x601000], eax\nB: hlt');
    r.m.writeMemory(0x601000, Uint8Array.of(1, 2, 3, 4));
    hostSlots(r.m, 0x000d0602, [0x601000]);
    const exit = r.run();
    assert.deepEqual(debugExit(exit), { dr6: 0xffff0ff1, pc: r.labels.B, dr7: 0x000d0602 });
    assert.ok(exit.reason === 'debug' && exit.access);
    assert.equal(exit.access.length, 1);
    const a = exit.access[0];
    assert.deepEqual([a.address, a.size, a.kind, a.by], [0x601000, 4, 'write', r.labels.A]);
    assert.deepEqual([...a.before], [1, 2, 3, 4]);
    assert.deepEqual([...a.after], [0x78, 0x56, 0x34, 0x12]);
    assert.deepEqual([...(r.m.readMemory(0x601000, 4) as Uint8Array)], [0x78, 0x56, 0x34, 0x12]);
  });

  it('case 90 (issue 5 decision): both layers stay active — the guest slot still fires beside the host slot', () => {
    const r = rig('A: nop\nG: nop\nhlt');
    hostSlots(r.m, 0x401, [r.labels.A]);
    guestSlots(r.m, 0x401, [r.labels.G]);
    assert.equal(debugExit(r.run()).pc, r.labels.A);
    assert.deepEqual(faultExit(r.run()), { vector: 1, pc: r.labels.G, errorCode: undefined });
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff1);
  });

  it('case 93: guest-only debugging → #DB injected into the guest, no debugger exit', () => {
    const r = rig('A: nop\nhlt');
    guestSlots(r.m, 0x401, [r.labels.A]);
    const exit = r.run();
    assert.equal(exit.reason, 'fault', 'the guest #DB reaches the environment, not the debugger');
    assert.deepEqual(faultExit(exit), { vector: 1, pc: r.labels.A, errorCode: undefined });
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff1);
  });

  it('case 94: single-step exits after the instruction with BS', () => {
    const r = rig('A: nop\nB: nop\nhlt');
    r.m.setGuestDebug({ singleStep: true, hw: null });
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff4ff0, pc: r.labels.B, dr7: 0 });
    assert.equal(debugExit(r.run()).pc, r.labels.B + 1);
  });

  it('single-step with run(1): every step() returns its own exit', () => {
    const r = rig('A: nop\nB: nop\nhlt');
    r.m.setGuestDebug({ singleStep: true, hw: null });
    assert.equal(debugExit(r.m.step()).pc, r.labels.B);
    assert.equal(debugExit(r.m.step()).pc, r.labels.B + 1);
  });

  it('single-step and an exec slot on the next instruction merge into one exit (BS|B0)', () => {
    const r = rig('A: nop\nB: nop\nhlt');
    r.m.setGuestDebug({ singleStep: true, hw: { dr7: 0x401, addr: [r.labels.B, 0, 0, 0] } });
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff4ff1, pc: r.labels.B, dr7: 0x401 });
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff4ff0, pc: r.labels.B + 1, dr7: 0x401 });
  });

  it('case 96: a guest that single-steps itself under host slots gets its own #DB (BS)', () => {
    const r = realWithDbHandler('pushf\npop ax\nor ax, 0x100\npush ax\npopf\nA: nop\nB: pushf\npop ax\nand ax, ~0x100\npush ax\npopf\nhlt');
    hostSlots(r.m, 0x401, [0x9ff0]);
    assert.equal(r.run().reason, 'halted');
    assert.deepEqual(r.log()[0], [r.labels.B, 0xffff4ff0]);
  });
});
