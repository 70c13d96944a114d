// Segment limit checks (SDM Vol. 3 §5.3): explicit operands, stack accesses and string accesses
// outside the limit → #GP(0), or #SS(0) for SS; expand-down segments (the B bit sets the upper
// bound); unusable (null-loaded) data segments → #GP(0); real mode's 64 KiB limit; none in 64-bit mode.
import { strict as assert } from 'assert';
import type { Machine } from '../../../src/emu/machine';
import { BareEnvironment, type EnvResult, type Environment, type GuestException } from '../../../src/emu/environment';
import type { Exit } from '../../../src/emu/exit';
import { load } from './helpers';

const ES = 0;
const SS = 2;
const DS = 3;
const P = 0x80;
const S = 0x10;
const DB = 0x4000;
const G = 0x8000;

class StopOnException extends BareEnvironment implements Environment {
  override exception(_m: Machine, e: GuestException): EnvResult {
    return { kind: 'stop', exit: { reason: 'fault', vector: e.vector, errorCode: e.errorCode, address: e.address, pc: e.pc, message: e.message } };
  }
}

/** Set segment `s`'s hidden part and tell the memory path (as a segment load does). */
function seg(m: Machine, s: number, limit: number, attributes: number, selector = 0x10): void {
  m.setSegment(s, { selector, base: 0, limit, attributes });
  m.segmentLoaded(s);
}

function run(bits: 16 | 32 | 64, src: string, setup: (m: Machine) => void): { m: Machine; exit: Exit } {
  const m = load(bits, src + '\nhlt', { env: new StopOnException(), setup });
  return { m, exit: m.run(100) };
}

function expectFault(exit: Exit, vector: number, errorCode?: number): void {
  assert.equal(exit.reason, 'fault', JSON.stringify(exit));
  if (exit.reason !== 'fault') return;
  assert.equal(exit.vector, vector, exit.message);
  if (errorCode !== undefined) assert.equal(exit.errorCode, errorCode);
}

const DATA_RW = P | S | DB | 0x3;
const DATA_RW_DOWN = P | S | 0x7;

describe('emu segment limit checks', () => {
  it('expand-up DS: the last byte may be read, an access running past the limit is #GP(0)', () => {
    let r = run(32, 'mov al, [0xfff]\nmov eax, [0xffc]\nmov eax, 1', (m) => seg(m, DS, 0xfff, DATA_RW));
    assert.deepEqual(r.exit, { reason: 'halted' });
    r = run(32, 'mov eax, [0xffd]', (m) => seg(m, DS, 0xfff, DATA_RW));
    expectFault(r.exit, 13, 0);
    r = run(32, 'mov word [ebx], 1', (m) => { seg(m, DS, 0xfff, DATA_RW); m.regs[3] = 0x1000; });
    expectFault(r.exit, 13, 0);
  });

  it('the whole operand counts: a far pointer (6 bytes) must fit', () => {
    const r = run(32, 'jmp far [0xffc]', (m) => seg(m, DS, 0x1000, DATA_RW));
    expectFault(r.exit, 13, 0);
  });

  it('SS: pushes, pops and [esp] operands beyond the limit are #SS(0)', () => {
    let r = run(32, 'push eax', (m) => { seg(m, SS, 0x1ffff, DATA_RW); m.regs[4] = 0x20002; });
    expectFault(r.exit, 12, 0);
    assert.equal(r.m.regs[4], 0x20002, 'ESP unchanged by the faulting push');
    r = run(32, 'push eax\npop ebx\nmov ecx, [esp - 4]', (m) => { seg(m, SS, 0x1ffff, DATA_RW); m.regs[4] = 0x20000; m.regs[0] = 9; });
    assert.deepEqual(r.exit, { reason: 'halted' });
    assert.equal(r.m.regs[3], 9);
    r = run(32, 'pop eax', (m) => { seg(m, SS, 0x1ffff, DATA_RW); m.regs[4] = 0x1fffe; });
    expectFault(r.exit, 12, 0);
    r = run(32, 'mov eax, [ebp]', (m) => { seg(m, SS, 0x1ffff, DATA_RW); m.regs[5] = 0x1fffd; });
    expectFault(r.exit, 12, 0);
  });

  it('expand-down DS: offsets at or below the limit fault; B=0 caps the top at FFFFh', () => {
    let r = run(32, 'mov eax, [0x1000]\nmov eax, [0x1fffc]', (m) => seg(m, DS, 0xfff, DATA_RW_DOWN | DB));
    assert.deepEqual(r.exit, { reason: 'halted' });
    r = run(32, 'mov eax, [0xfff]', (m) => seg(m, DS, 0xfff, DATA_RW_DOWN | DB));
    expectFault(r.exit, 13, 0);
    r = run(32, 'mov al, [0xffff]', (m) => seg(m, DS, 0xfff, DATA_RW_DOWN));
    assert.deepEqual(r.exit, { reason: 'halted' });
    r = run(32, 'mov ax, [0xffff]', (m) => seg(m, DS, 0xfff, DATA_RW_DOWN));
    expectFault(r.exit, 13, 0);
    r = run(32, 'mov al, [0x10000]', (m) => seg(m, DS, 0xfff, DATA_RW_DOWN));
    expectFault(r.exit, 13, 0);
  });

  it('an expand-down stack segment faults with #SS(0) when a push reaches the limit', () => {
    const r = run(32, 'push eax\npush eax', (m) => { seg(m, SS, 0x1fff8, DATA_RW_DOWN | DB); m.regs[4] = 0x20000; });
    expectFault(r.exit, 12, 0);
    assert.equal(r.m.regs[4], 0x1fffc, 'the first push (0x1fffc..0x1ffff) fits, the second does not');
  });

  it('a null-loaded (unusable) ES faults #GP(0) on use, also for string stores', () => {
    let r = run(32, 'mov eax, [es:0x100]', (m) => seg(m, ES, 0, 0, 0));
    expectFault(r.exit, 13, 0);
    r = run(32, 'mov edi, 0x100\nstosb', (m) => seg(m, ES, 0, 0, 0));
    expectFault(r.exit, 13, 0);
    r = run(32, 'mov eax, [0x100]', (m) => seg(m, ES, 0, 0, 0));
    assert.deepEqual(r.exit, { reason: 'halted' }, 'other segments are unaffected');
  });

  it('flat 4 GiB segments never fault on the limit; 64-bit mode ignores limits', () => {
    let r = run(32, 'mov eax, [0x1fffc]', (m) => seg(m, DS, 0xffffffff, DATA_RW | G));
    assert.deepEqual(r.exit, { reason: 'halted' });
    r = run(64, 'mov eax, [0x8000]\npush rax', (m) => { seg(m, DS, 0xfff, DATA_RW); seg(m, SS, 0xfff, DATA_RW); });
    assert.deepEqual(r.exit, { reason: 'halted' });
  });

  it('real mode: a word at offset FFFFh is #GP, a push wrapping past SP=1 is #SS', () => {
    let r = run(16, 'mov al, [0xffff]\nmov ax, [0xfffe]', () => undefined);
    assert.deepEqual(r.exit, { reason: 'halted' });
    r = run(16, 'mov ax, [0xffff]', () => undefined);
    expectFault(r.exit, 13);
    r = run(16, 'push ax', (m) => { m.regs[4] = 1; });
    expectFault(r.exit, 12);
  });
});
