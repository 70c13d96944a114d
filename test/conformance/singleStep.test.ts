// Conformance cases G (single-step and combinations), H (MOV SS / POP SS) and I (I/O breakpoints) of
// x86-debug-register-cases.md. The guest's own #DB path runs in real mode through the IVT: a handler
// logs the pushed IP and DR6 and returns, so sequences of #DBs can be compared with the cases.
import { strict as assert } from 'assert';
import { CR4_DE } from '../../src/emu/debug/registers';
import { debugExit, faultExit, guestSlots, hostSlots, realWithDbHandler, rig } from './harness';

const SET_TF = 'pushfd\npop eax\nor eax, 0x100\npush eax';
const BS = 0xffff4ff0;

describe('DR conformance G: single-step', () => {
  it('case 65: basic single-step — 3 #DBs, the POPF that set TF does not trap', () => {
    const r = realWithDbHandler(`${SET_TF}\npopfd\nand eax, ~0x100\nL: push eax\nL1: popfd\nL2: hlt`);
    assert.equal(r.run().reason, 'halted');
    assert.deepEqual(r.log(), [
      [r.labels.L, BS],
      [r.labels.L1, BS],
      [r.labels.L2, BS],
    ]);
  });

  it('case 66: TF + data breakpoint on one instruction → one #DB with BS|B0', () => {
    const r = realWithDbHandler(`${SET_TF}\npopfd\nA: mov [0x6000], al\nB: pushfd\npop eax\nand eax, ~0x100\npush eax\npopfd\nhlt`);
    guestSlots(r.m, 0x00010401, [0x6000]);
    assert.equal(r.run().reason, 'halted');
    assert.deepEqual(r.log()[0], [r.labels.B, 0xffff4ff1]);
  });

  it('TF over REP STOSB traps after every iteration (guest layer, §11)', () => {
    const r = realWithDbHandler(`mov di, 0x6000\nmov cx, 3\n${SET_TF}\npopfd\nA: rep stosb\nB: pushfd\npop eax\nand eax, ~0x100\npush eax\npopfd\nhlt`);
    assert.equal(r.run().reason, 'halted');
    assert.deepEqual(
      r.log().slice(0, 3).map(([ip]) => ip),
      [r.labels.A, r.labels.A, r.labels.B],
    );
  });

  it('POPF cannot set RF (§5.2): a guest code breakpoint after it still fires', () => {
    const r = rig('pushfq\nor qword [rsp], 0x10000\npopfq\nT: nop\nhlt');
    guestSlots(r.m, 0x401, [r.labels.T]);
    assert.deepEqual(faultExit(r.run()), { vector: 1, pc: r.labels.T, errorCode: undefined });
  });

  it('case 70: sticky BS, B bits replaced by a code breakpoint', () => {
    const r = rig('L: nop\nhlt');
    r.m.debug.setGuestRegister(6, 0xffff4ff2);
    guestSlots(r.m, 0x420, [0, 0, r.labels.L]);
    assert.equal(faultExit(r.run()).pc, r.labels.L);
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff4ff4);
  });

  it('case 72: ICEBP → #DB trap after it, DR6 without status bits', () => {
    const r = realWithDbHandler('A: int1\nB: hlt');
    assert.equal(r.run().reason, 'halted');
    assert.deepEqual(r.log(), [[r.labels.B, 0xffff0ff0]]);
  });
});

describe('DR conformance H: MOV SS / POP SS', () => {
  it('case 73: MOV SS delays single-step by one instruction — 3 #DBs', () => {
    const r = realWithDbHandler(`${SET_TF}\nmov bx, ss\npopfd\nmov ss, bx\nand eax, ~0x100\nL: push eax\nL1: popfd\nL2: hlt`);
    assert.equal(r.run().reason, 'halted');
    assert.deepEqual(r.log(), [
      [r.labels.L, BS],
      [r.labels.L1, BS],
      [r.labels.L2, BS],
    ]);
  });

  it('case 75: MOV SS + watchpoint + ICEBP → exactly one #DB, after the ICEBP', () => {
    const r = realWithDbHandler('mov ss, [0x6000]\ndb 0x2e, 0x2e, 0xf1\nB: hlt');
    r.m.writeMemory(0x6000, Uint8Array.of(0, 0));
    guestSlots(r.m, 0x00f0040a, [0, 0x6000]);
    assert.equal(r.run().reason, 'halted');
    assert.equal(r.log().length, 1);
    assert.equal(r.log()[0][0], r.labels.B);
  });

  it('case 77: MOV SS + watchpoint + INT3 → #BP once and #DB once (B1)', () => {
    const r = realWithDbHandler('mov ss, [0x6000]\ntimes 11 db 0x2e\nint3\nhlt');
    r.m.writeMemory(0x6000, Uint8Array.of(0, 0));
    guestSlots(r.m, 0x00f0040a, [0, 0x6000]);
    assert.equal(r.run().reason, 'halted');
    assert.equal(r.breakpoints(), 1);
    assert.equal(r.log().length, 1);
    assert.equal(r.log()[0][1], 0xffff0ff2);
  });

  it('case 78: POP SS holds its data #DB until after the next instruction', () => {
    // The next instruction moves SP away so the #DB frame does not write the watched word again.
    const r = realWithDbHandler('mov sp, 0x8ffe\nA: pop ss\nmov sp, 0x7000\nB: hlt');
    r.m.writeMemory(0x8ffe, Uint8Array.of(0, 0));
    guestSlots(r.m, 0x00070401, [0x8ffe]);
    assert.equal(r.run().reason, 'halted');
    assert.deepEqual(r.log(), [[r.labels.B, 0xffff0ff1]]);
  });
});

describe('DR conformance I: I/O breakpoints', () => {
  it('case 79: OUT hits an I/O slot with CR4.DE = 1 (trap after the OUT)', () => {
    const r = rig('mov dx, 0x3f8\nA: out dx, al\nB: hlt');
    r.m.cr4 |= CR4_DE;
    hostSlots(r.m, 0x00020401, [0x3f8]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.B, dr7: 0x00020401 });
    const g = rig('mov dx, 0x3f8\nA: out dx, al\nB: hlt');
    g.m.cr4 |= CR4_DE;
    guestSlots(g.m, 0x00020401, [0x3f8]);
    assert.equal(faultExit(g.run()).pc, g.labels.B);
    assert.equal(g.m.debug.guestRegisters().dr6, 0xffff0ff1);
  });

  it('case 81: I/O slot with CR4.DE = 0 never fires (REC)', () => {
    const r = rig('mov dx, 0x3f8\nout dx, al\nhlt');
    hostSlots(r.m, 0x00020401, [0x3f8]);
    assert.equal(r.run().reason, 'halted');
  });

  it('case 83: a memory slot is not an I/O slot', () => {
    const r = rig('mov dx, 0x3f8\nout dx, al\nhlt');
    r.m.cr4 |= CR4_DE;
    hostSlots(r.m, 0x00010401, [0x3f8]);
    assert.equal(r.run().reason, 'halted');
  });

  it('I/O breakpoint on REP OUTSB reports after the first iteration (SDM §17.3.1.2)', () => {
    const r = rig('mov esi, 0x601000\nmov ecx, 3\nmov dx, 0x3f8\nA: rep outsb\nB: hlt');
    r.m.cr4 |= CR4_DE;
    hostSlots(r.m, 0x00020401, [0x3f8]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.A, dr7: 0x00020401 });
    assert.equal(r.m.regs[1], 2);
  });

  it('case 84: INSB memory side fires a write slot', () => {
    const r = rig('mov edi, 0x601000\nmov dx, 0x60\nA: insb\nB: hlt');
    hostSlots(r.m, 0x00010401, [0x601000]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.B, dr7: 0x00010401 });
  });
});
