// Conformance cases D (data breakpoint matching), E (implicit stack accesses) and F (REP string
// instructions) of x86-debug-register-cases.md, through the debugger layer (the trap exits with
// pc = the next instruction) and, where the case is about the guest's DR6, the guest layer.
import { strict as assert } from 'assert';
import { DS, FS } from '../../src/emu/cpu';
import { EFLAGS_RF } from '../../src/emu/debug/registers';
import { debugExit, faultExit, guestSlots, hostSlots, reg, rig } from './harness';

const RCX = 1;
const RSP = 4;
const RSI = 6;
const RDI = 7;

/** One instruction A then B: hlt; slot in the debugger layer; returns the exit or 'none'. */
function hit(instruction: string, dr7: number, address: number, setup = ''): { dr6: number; atNext: boolean } | 'none' {
  const r = rig(`${setup}\nA: ${instruction}\nB: hlt`);
  hostSlots(r.m, dr7, [address]);
  const exit = r.run();
  if (exit.reason === 'halted') return 'none';
  const d = debugExit(exit);
  return { dr6: d.dr6, atNext: d.pc === r.labels.B };
}

const B0_NEXT = { dr6: 0xffff0ff1, atNext: true };

describe('DR conformance D: data breakpoint matching', () => {
  it('case 36: write exact — trap after the write, memory updated', () => {
    const r = rig('mov al, 0x5a\nA: mov byte [0x601000], al\nB: hlt');
    hostSlots(r.m, 0x00010401, [0x601000]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.B, dr7: 0x00010401 });
    assert.equal((r.m.readMemory(0x601000, 1) as Uint8Array)[0], 0x5a);
  });

  it('a data hit by the last instruction of a run() slice ends that run(), not the next', () => {
    const r = rig('A: mov byte [0x601000], al\nB: hlt');
    hostSlots(r.m, 0x00010401, [0x601000]);
    assert.deepEqual(debugExit(r.m.run(1)), { dr6: 0xffff0ff1, pc: r.labels.B, dr7: 0x00010401 });
    assert.equal(r.m.run(1).reason, 'halted');
  });

  it('case 36 (guest layer): #DB trap, guest DR6 = FFFF0FF1h', () => {
    const r = rig('A: mov byte [0x601000], al\nB: hlt');
    guestSlots(r.m, 0x00010401, [0x601000]);
    assert.deepEqual(faultExit(r.run()), { vector: 1, pc: r.labels.B, errorCode: undefined });
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff1);
  });

  it('case 37: write overlapping from a lower address', () => {
    assert.deepEqual(hit('mov dword [0x601002], eax', 0x000d0401, 0x601004), B0_NEXT);
  });

  it('case 38: adjacent, no overlap', () => {
    assert.equal(hit('mov dword [0x601000], eax', 0x000d0401, 0x601004), 'none');
  });

  it('case 40: 4-byte slot at an unaligned address watches the aligned dword (REC)', () => {
    assert.deepEqual(hit('mov byte [0x601000], al', 0x000d0401, 0x601003), B0_NEXT);
    assert.equal(hit('mov byte [0x601004], al', 0x000d0401, 0x601003), 'none');
  });

  it('case 42: a read does not fire a write-only slot', () => {
    assert.equal(hit('mov al, [0x601000]', 0x00010401, 0x601000), 'none');
  });

  it('case 43: RW = 11 fires on a read', () => {
    assert.deepEqual(hit('mov al, [0x601000]', 0x00030401, 0x601000), B0_NEXT);
  });

  it('case 44: RW = 11 does not fire on instruction fetch', () => {
    const r = rig(`mov eax, 0x${(0x601000).toString(16)}\njmp rax\nhlt`);
    r.m.writeMemory(0x601000, Uint8Array.of(0x90, 0xf4));
    hostSlots(r.m, 0x00030401, [0x601000]);
    assert.equal(r.run().reason, 'halted');
  });

  it('case 45: read-modify-write fires a write slot', () => {
    assert.deepEqual(hit('add byte [0x601000], 1', 0x00010401, 0x601000), B0_NEXT);
  });

  it('case 47: a read hits only the read/write slot of two on the same dword', () => {
    const r = rig('A: mov eax, [0x601000]\nB: hlt');
    hostSlots(r.m, 0x00df0405, [0x601000, 0x601000]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.B, dr7: 0x00df0405 });
  });

  it('case 49: only a disabled slot matches — no #DB, DR6 unchanged', () => {
    const r = rig('mov al, [0x601000]\nhlt');
    guestSlots(r.m, 0x00030400, [0x601000]);
    assert.equal(r.run().reason, 'halted');
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff0);
  });

  it('disabled-but-matching guest slots are reported with an enabled hit (§3.2 REC)', () => {
    const r = rig('A: mov dword [0x601000], eax\nB: hlt');
    guestSlots(r.m, 0x00dd0401, [0x601000, 0x601000]);
    assert.equal(faultExit(r.run()).pc, r.labels.B);
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff3);
  });

  it('case 50: SDM Table 16-1 through the machine (32-bit flat)', () => {
    const rows: [string, number][] = [
      ['mov al, [0xa0001]', 0xffff0ff1],
      ['mov ax, [0xa0001]', 0xffff0ff1],
      ['mov [0xa0001], ax', 0xffff0ff3],
      ['mov [0xa0002], al', 0xffff0ff2],
      ['mov [0xa0002], ax', 0xffff0ff2],
      ['mov [0xb0001], eax', 0xffff0ff4],
      ['mov [0xb0002], al', 0xffff0ff4],
      ['mov [0xb0002], ax', 0xffff0ff4],
      ['mov [0xc0000], eax', 0xffff0ff8],
      ['mov [0xc0001], ax', 0xffff0ff8],
      ['mov [0xc0003], al', 0xffff0ff8],
      ['mov [0xa0000], al', 0],
      ['mov al, [0xa0002]', 0],
      ['mov [0xa0003], eax', 0],
      ['mov [0xb0000], ax', 0],
      ['mov ax, [0xc0000]', 0],
      ['mov [0xc0004], eax', 0],
    ];
    for (const [insn, dr6] of rows) {
      const r = rig(`A: ${insn}\nB: hlt`, { mode: 'protected32' });
      assert.ok(r.m.map(0xa0000, 0x30000, 7).ok);
      hostSlots(r.m, 0xd7130455, [0xa0001, 0xa0002, 0xb0002, 0xc0000]);
      const exit = r.run();
      if (dr6 === 0) assert.equal(exit.reason, 'halted', insn);
      else assert.deepEqual(debugExit(exit), { dr6, pc: r.labels.B, dr7: 0xd7130455 }, insn);
    }
  });

  it('case 53: the segment base is applied (32-bit, DS.base = 100000h)', () => {
    for (const [slot, fires] of [
      [0x101000, true],
      [0x1000, false],
    ] as const) {
      const r = rig('A: mov [0x1000], al\nB: hlt', { mode: 'protected32' });
      assert.ok(r.m.map(0x101000, 0x1000, 7).ok);
      r.m.setSegment(DS, { ...r.m.getSegment(DS), base: 0x100000 });
      hostSlots(r.m, 0x00010401, [slot]);
      const exit = r.run();
      assert.equal(exit.reason, fires ? 'debug' : 'halted', slot.toString(16));
    }
  });

  it('case 54: FS base in 64-bit mode', () => {
    const r = rig('A: mov [fs:0x10], eax\nB: hlt');
    assert.ok(r.m.map(0x70000000, 0x1000, 7).ok);
    r.m.setSegment(FS, { ...r.m.getSegment(FS), base: 0x70000000 });
    hostSlots(r.m, 0x000d0401, [0x70000010]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.B, dr7: 0x000d0401 });
  });
});

describe('DR conformance D: page-crossing accesses', () => {
  it('a dword store across a page boundary fires a slot on the second page', () => {
    assert.deepEqual(hit('mov [0x601ffe], eax', 0x00010401, 0x602000), B0_NEXT);
  });
  it('… and a slot on the first page', () => {
    assert.deepEqual(hit('mov [0x601ffe], eax', 0x00010401, 0x601fff), B0_NEXT);
  });
});

describe('DR conformance E: implicit stack accesses', () => {
  it('case 56: PUSH writes the watched qword', () => {
    const r = rig('A: push rax\nB: hlt');
    r.m.regs[RSP] = 0x7ff010;
    hostSlots(r.m, 0x00090401, [0x7ff008]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.B, dr7: 0x00090401 });
    assert.equal(reg(r.m, RSP), 0x7ff008);
  });

  it('case 58: POP reads — fires a read/write slot, not a write slot', () => {
    const a = rig('A: pop rax\nB: hlt');
    a.m.regs[RSP] = 0x7ff008;
    hostSlots(a.m, 0x000b0401, [0x7ff008]);
    assert.deepEqual(debugExit(a.run()), { dr6: 0xffff0ff1, pc: a.labels.B, dr7: 0x000b0401 });
    assert.equal(reg(a.m, RSP), 0x7ff010);
    const b = rig('A: pop rax\nB: hlt');
    b.m.regs[RSP] = 0x7ff008;
    hostSlots(b.m, 0x00090401, [0x7ff008]);
    assert.equal(b.run().reason, 'halted');
  });

  it('CALL and RET touch the stack slot (write, then read)', () => {
    const r = rig('A: call F\nB: hlt\nF: ret');
    r.m.regs[RSP] = 0x7ff010;
    hostSlots(r.m, 0x000b0401, [0x7ff008]);
    assert.equal(debugExit(r.run()).pc, r.labels.F, 'CALL: trap at the target');
    assert.equal(debugExit(r.run()).pc, r.labels.B, 'RET: trap at the return address');
  });
});

describe('DR conformance F: REP string instructions', () => {
  function repRig(count: number, mode: 'long64' | 'protected32' = 'long64'): ReturnType<typeof rig> {
    const r = rig('cld\nA: rep movsb\nB: hlt', { mode });
    r.m.regs[RSI] = 0x600000;
    r.m.regs[RDI] = 0x601000;
    r.m.regs[RCX] = count;
    r.m.writeMemory(0x600000, Uint8Array.from({ length: 16 }, (_, i) => i + 1));
    return r;
  }

  it('case 60: REP MOVSB hit mid-way — stops after the 6th iteration on the REP', () => {
    const r = repRig(16);
    hostSlots(r.m, 0x00010401, [0x601005]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.A, dr7: 0x00010401 });
    assert.deepEqual([reg(r.m, RCX), reg(r.m, RSI), reg(r.m, RDI)], [10, 0x600006, 0x601006]);
    assert.deepEqual([...(r.m.readMemory(0x601000, 7) as Uint8Array)], [1, 2, 3, 4, 5, 6, 0]);
    assert.equal(r.run().reason, 'halted', 'resumes without another exit');
    assert.equal(reg(r.m, RCX), 0);
  });

  it('case 60 (guest layer): #DB with RIP on the REP and RF = 1 pushed', () => {
    const r = repRig(16);
    guestSlots(r.m, 0x00010401, [0x601005]);
    assert.deepEqual(faultExit(r.run()), { vector: 1, pc: r.labels.A, errorCode: undefined });
    assert.equal(reg(r.m, RCX), 10);
    assert.notEqual(r.m.getRflags() & EFLAGS_RF, 0, 'RF = 1 in the flags the #DB pushes');
    assert.equal(r.m.debug.guestRegisters().dr6, 0xffff0ff1);
  });

  it('case 61: hit on the last iteration — trap after the instruction', () => {
    const r = repRig(6);
    hostSlots(r.m, 0x00010401, [0x601005]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.B, dr7: 0x00010401 });
    assert.deepEqual([reg(r.m, RCX), reg(r.m, RSI), reg(r.m, RDI)], [0, 0x600006, 0x601006]);
  });

  it('case 64: REP with ECX (32-bit)', () => {
    const r = repRig(16, 'protected32');
    hostSlots(r.m, 0x00010401, [0x601005]);
    assert.deepEqual(debugExit(r.run()), { dr6: 0xffff0ff1, pc: r.labels.A, dr7: 0x00010401 });
    assert.deepEqual([r.m.regs[RCX], r.m.regs[RSI], r.m.regs[RDI]], [10, 0x600006, 0x601006]);
    assert.equal(r.run().reason, 'halted');
  });

  it('a REP stopped mid-way by the budget resumes without re-firing an exec slot on it', () => {
    const r = repRig(16);
    hostSlots(r.m, 0x401, [r.labels.A]);
    assert.equal(debugExit(r.run()).pc, r.labels.A, 'exec slot on the REP fires once');
    assert.equal(r.m.run(3).reason, 'budget');
    assert.ok(reg(r.m, RCX) > 0 && reg(r.m, RCX) < 16, 'stopped mid-way');
    assert.equal(r.run().reason, 'halted', 'no second exec exit on resume');
    assert.equal(reg(r.m, RCX), 0);
  });

  it('single-step over REP traps after every iteration (§11)', () => {
    const r = repRig(3);
    r.m.setGuestDebug({ singleStep: true, hw: null });
    const pcs: number[] = [];
    for (let i = 0; i < 4; i++) pcs.push(debugExit(r.run()).pc);
    assert.deepEqual(pcs, [r.labels.A, r.labels.A, r.labels.A, r.labels.B], 'after CLD, after iterations 1, 2, 3');
    assert.equal(reg(r.m, RCX), 0);
  });
});
