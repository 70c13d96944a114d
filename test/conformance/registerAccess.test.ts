// Conformance cases A (register access, reserved bits, aliasing, privilege) and B (general detect)
// of x86-debug-register-cases.md, run as real instructions (bytes from nasm) through the Machine:
// the guest layer, since these cases are about the guest's own DR0–DR7.
import { strict as assert } from 'assert';
import { Machine } from '../../src/emu/machine';
import { faultExit, realWithDbHandler, reg, rig } from './harness';

const RAX = 0;
const RCX = 1;
const RBX = 3;

describe('DR conformance A: register access', () => {
  it('case 1: reset values DR6 = FFFF0FF0h, DR7 = 400h, DR0-3 = 0', () => {
    assert.deepEqual(new Machine().debug.guestRegisters(), { dr: [0, 0, 0, 0], dr6: 0xffff0ff0, dr7: 0x400 });
    const r = rig('mov rax, dr6\nmov rbx, dr7\nmov rcx, dr0\nhlt');
    r.m.regs[RCX] = 5;
    assert.equal(r.run().reason, 'halted');
    assert.equal(reg(r.m, RAX), 0xffff0ff0);
    assert.equal(reg(r.m, RBX), 0x400);
    assert.equal(reg(r.m, RCX), 0);
  });

  it('case 2: DR6 write 0 reads fixed ones (32-bit)', () => {
    const r = rig('mov eax, 0\nmov dr6, eax\nmov eax, dr6\nhlt', { mode: 'protected32' });
    assert.equal(r.run().reason, 'halted');
    assert.equal(r.m.regs[RAX] >>> 0, 0xffff0ff0);
  });

  it('case 4: DR7 write masks', () => {
    const r = rig('xor eax, eax\nmov dr7, rax\nmov rbx, dr7\nmov eax, 0xffffdfff\nmov dr7, rax\nmov rcx, dr7\nhlt');
    assert.equal(r.run().reason, 'halted');
    assert.equal(reg(r.m, RBX), 0x400);
    assert.equal(reg(r.m, RCX), 0xffff0fff);
  });

  it('case 5: DR7 upper half reserved → #GP(0), DR7 unchanged', () => {
    const r = rig('mov rax, 0x0000000100000400\nA: mov dr7, rax\nhlt');
    assert.deepEqual(faultExit(r.run()), { vector: 13, pc: r.labels.A, errorCode: 0 });
    assert.equal(r.m.debug.guestRegisters().dr7, 0x400);
  });

  it('case 6: DR6 upper half reserved → #GP(0), DR6 unchanged', () => {
    const r = rig('mov rax, 0x8000000000000000\nA: mov dr6, rax\nhlt');
    assert.deepEqual(faultExit(r.run()), { vector: 13, pc: r.labels.A, errorCode: 0 });
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff0);
  });

  it('case 8: DR4 aliases DR6 with CR4.DE = 0', () => {
    const r = rig('mov eax, 0x4002\nmov dr6, rax\nmov rax, dr4\nxor ecx, ecx\nmov dr4, rcx\nmov rbx, dr6\nhlt');
    assert.equal(r.run().reason, 'halted');
    assert.equal(reg(r.m, RAX), 0xffff4ff2);
    assert.equal(reg(r.m, RBX), 0xffff0ff0);
  });

  it('case 9: DR5 aliases DR7 with CR4.DE = 0', () => {
    const r = rig('mov eax, 0x401\nmov dr5, rax\nmov rbx, dr7\nhlt');
    assert.equal(r.run().reason, 'halted');
    assert.equal(reg(r.m, RBX), 0x401);
  });

  it('case 10: DR4/DR5 raise #UD with CR4.DE = 1', () => {
    const read = rig('mov rax, cr4\nor rax, 8\nmov cr4, rax\nmov eax, 7\nA: mov rax, dr4\nhlt');
    assert.deepEqual(faultExit(read.run()), { vector: 6, pc: read.labels.A, errorCode: undefined });
    assert.equal(reg(read.m, RAX), 7);
    const write = rig('mov rax, cr4\nor rax, 8\nmov cr4, rax\nmov eax, 0x401\nA: mov dr5, rax\nhlt');
    assert.equal(faultExit(write.run()).vector, 6);
    assert.equal(write.m.debug.guestRegisters().dr7, 0x400);
  });

  it('case 11: CPL 3 → #GP(0)', () => {
    const r = rig('A: mov rax, dr7\nhlt', { cpl: 3 });
    assert.deepEqual(faultExit(r.run()), { vector: 13, pc: r.labels.A, errorCode: 0 });
  });
});

describe('DR conformance B: general detect', () => {
  it('case 14: GD basic — #DB fault at the MOV, DR6 = BD, GD cleared, RAX unchanged', () => {
    const r = rig('mov eax, 0x2400\nmov dr7, rax\nA: mov rax, dr0\nhlt');
    assert.deepEqual(faultExit(r.run()), { vector: 1, pc: r.labels.A, errorCode: undefined });
    assert.equal(reg(r.m, RAX), 0x2400);
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff2ff0);
    assert.equal(r.m.debug.guestRegisters().dr7, 0x400);
  });

  it('case 14 (real mode, IVT): the handler returns and the MOV then executes', () => {
    const r = realWithDbHandler('mov eax, 0x2400\nmov dr7, eax\nA: mov ebx, dr7\nhlt');
    assert.equal(r.run().reason, 'halted');
    assert.deepEqual(r.log(), [[r.labels.A, 0xffff2ff0]]);
    assert.equal(r.m.regs[RBX] >>> 0, 0x400);
  });

  it('case 16: GD vs CR4.DE #UD — #UD wins, GD stays set', () => {
    const r = rig('mov rax, cr4\nor rax, 8\nmov cr4, rax\nmov eax, 0x2400\nmov dr7, rax\nA: mov rax, dr5\nhlt');
    assert.equal(faultExit(r.run()).vector, 6);
    assert.equal(r.m.debug.guestRegisters().dr7, 0x2400);
  });

  it('case 18: GD is not blocked by MOV SS and the single-step is not merged (5 #DBs)', () => {
    const r = realWithDbHandler(
      [
        'mov eax, 0x2400',
        'mov dr7, eax',
        'pushfd',
        'pop eax',
        'or eax, 0x100',
        'push eax',
        'mov bx, ss',
        'popfd',
        'S0: mov ss, bx',
        'S1: mov dr6, eax',
        'S2: and eax, ~0x100',
        'S3: push eax',
        'S4: popfd',
        'S5: hlt',
      ].join('\n'),
    );
    assert.equal(r.run().reason, 'halted');
    const L = r.labels;
    assert.deepEqual(r.log(), [
      [L.S1, 0xffff2ff0],
      [L.S2, 0xffff4ff0],
      [L.S3, 0xffff4ff0],
      [L.S4, 0xffff4ff0],
      [L.S5, 0xffff4ff0],
    ]);
  });
});
