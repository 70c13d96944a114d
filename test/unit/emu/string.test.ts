// String instructions: every size, both directions, REP/REPE/REPNE termination, segment override
// on the source, 16-bit address wrap, and interruption mid-REP by the budget with registers
// consistent and RIP on the REP (SDM Vol. 2 "REP/REPE/REPZ/REPNE/REPNZ", "MOVS", "CMPS", "SCAS").
import { strict as assert } from 'assert';
import { load, prebuild, run, r32, DATA } from './helpers';

const SRC = DATA;
const DST = DATA + 0x100;

function fill(m: ReturnType<typeof load>, addr: number, bytes: number[]): void {
  m.writeMemory(addr, Uint8Array.from(bytes));
}

const sources = [
  'cld\nrep movsb\nhlt',
  'std\nrep movsd\nhlt',
  'cld\nrep movsw\nhlt',
  'cld\nrepe cmpsb\nhlt',
  'cld\nrepne scasb\nhlt',
  'cld\nrep stosd\nhlt',
  'cld\nlodsw\nhlt',
  'cld\nrep movsb\nhlt',
];

describe('emu string instructions', () => {
  before(() => prebuild(32, sources));

  it('REP MOVSB forward copies ECX bytes and advances ESI/EDI', () => {
    const { m, exit } = run(32, 'cld\nrep movsb\nhlt', {
      setup: (mm) => { fill(mm, SRC, [1, 2, 3, 4, 5]); mm.regs[6] = SRC; mm.regs[7] = DST; mm.regs[1] = 5; },
    });
    assert.equal(exit.reason, 'halted');
    assert.deepEqual([...(m.readMemory(DST, 6) as Uint8Array)], [1, 2, 3, 4, 5, 0]);
    assert.equal(r32(m, 6), SRC + 5);
    assert.equal(r32(m, 7), DST + 5);
    assert.equal(r32(m, 1), 0);
  });

  it('REP MOVSD backward (DF=1) copies from high to low addresses', () => {
    const { m } = run(32, 'std\nrep movsd\nhlt', {
      setup: (mm) => { fill(mm, SRC, [1, 0, 0, 0, 2, 0, 0, 0]); mm.regs[6] = SRC + 4; mm.regs[7] = DST + 4; mm.regs[1] = 2; },
    });
    assert.deepEqual([...(m.readMemory(DST, 8) as Uint8Array)], [1, 0, 0, 0, 2, 0, 0, 0]);
    assert.equal(r32(m, 6), SRC - 4);
    assert.equal(r32(m, 7), DST - 4);
  });

  it('REP with ECX = 0 does nothing', () => {
    const { m } = run(32, 'cld\nrep movsb\nhlt', { setup: (mm) => { mm.regs[6] = SRC; mm.regs[7] = DST; mm.regs[1] = 0; } });
    assert.equal(r32(m, 6), SRC);
    assert.equal(r32(m, 7), DST);
  });

  it('REPE CMPSB stops at the first difference with ZF=0', () => {
    const { m } = run(32, 'cld\nrepe cmpsb\nhlt', {
      setup: (mm) => { fill(mm, SRC, [7, 7, 1, 7]); fill(mm, DST, [7, 7, 2, 7]); mm.regs[6] = SRC; mm.regs[7] = DST; mm.regs[1] = 4; },
    });
    assert.equal(r32(m, 1), 1);
    assert.equal(r32(m, 6), SRC + 3);
    assert.equal(m.getRflags() & 0x40, 0);
    assert.equal(m.getRflags() & 1, 1, 'CF from 1 - 2');
  });

  it('REPNE SCASB finds the byte (ZF=1) and leaves EDI one past it', () => {
    const { m } = run(32, 'cld\nrepne scasb\nhlt', {
      setup: (mm) => { fill(mm, DST, [1, 2, 0, 4]); mm.regs[7] = DST; mm.regs[1] = 100; mm.regs[0] = 0; },
    });
    assert.equal(r32(m, 7), DST + 3);
    assert.equal(r32(m, 1), 97);
    assert.equal(m.getRflags() & 0x40, 0x40);
  });

  it('REP STOSD fills dwords', () => {
    const { m } = run(32, 'cld\nrep stosd\nhlt', { setup: (mm) => { mm.regs[7] = DST; mm.regs[1] = 3; mm.regs[0] = 0x11223344; } });
    const b = m.readMemory(DST, 12) as Uint8Array;
    assert.deepEqual([...b], [0x44, 0x33, 0x22, 0x11, 0x44, 0x33, 0x22, 0x11, 0x44, 0x33, 0x22, 0x11]);
  });

  it('LODSW loads AX and advances ESI by 2', () => {
    const { m } = run(32, 'cld\nlodsw\nhlt', { setup: (mm) => { fill(mm, SRC, [0x34, 0x12]); mm.regs[6] = SRC; mm.regs[0] = -1; } });
    assert.equal(r32(m, 0), 0xffff1234);
    assert.equal(r32(m, 6), SRC + 2);
  });

  it('the budget interrupts REP MOVSB mid-way with RIP on the REP; the next run finishes it', () => {
    const m = load(32, 'cld\nrep movsb\nhlt', { setup: (mm) => { fill(mm, SRC, [1, 2, 3, 4, 5, 6]); mm.regs[6] = SRC; mm.regs[7] = DST; mm.regs[1] = 6; } });
    assert.equal(m.run(1).reason, 'budget'); // CLD
    assert.equal(m.run(3).reason, 'budget'); // three iterations
    assert.equal(m.rip, 0x1001, 'RIP stays on the REP');
    assert.equal(r32(m, 1), 3);
    assert.equal(r32(m, 6), SRC + 3);
    assert.deepEqual([...(m.readMemory(DST, 4) as Uint8Array)], [1, 2, 3, 0]);
    assert.equal(m.run(100).reason, 'halted');
    assert.deepEqual([...(m.readMemory(DST, 6) as Uint8Array)], [1, 2, 3, 4, 5, 6]);
  });

  it('a segment override applies to the source of MOVS (16-bit real mode, FS)', () => {
    const { m } = run(16, 'mov ax, 0x900\nmov fs, ax\ncld\nfs movsb\nhlt', {
      setup: (mm) => { mm.writeMemory(0x9000 + 0x10, Uint8Array.of(0xab)); mm.regs[6] = 0x10; mm.regs[7] = 0x20; },
    });
    assert.equal((m.readMemory(0x20, 1) as Uint8Array)[0], 0xab);
  });

  it('16-bit STOSB wraps DI at 0xFFFF', () => {
    const { m } = run(16, 'mov ax, 0x100\nmov es, ax\nmov al, 0x5a\nstd\nmov cx, 2\nrep stosb\nhlt', { setup: (mm) => { mm.regs[7] = 0; } });
    assert.equal((m.readMemory(0x1000, 1) as Uint8Array)[0], 0x5a);
    assert.equal((m.readMemory(0x1000 + 0xffff, 1) as Uint8Array)[0], 0x5a);
    assert.equal(m.regs[7] & 0xffff, 0xfffe);
  });

  it('64-bit REP MOVSQ uses RSI/RDI/RCX', () => {
    const { m } = run(64, 'cld\nrep movsq\nhlt', {
      setup: (mm) => { fill(mm, SRC, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]); mm.regs[6] = SRC; mm.regs[7] = DST; mm.regs[1] = 2; },
    });
    assert.deepEqual([...(m.readMemory(DST, 16) as Uint8Array)], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);
    assert.equal(r32(m, 1), 0);
  });
});
