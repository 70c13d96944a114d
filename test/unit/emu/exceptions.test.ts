// Exceptions with their vectors, error codes, CR2 and faulting RIP (SDM Vol. 3 §6.15), the
// environment's say over them, self-modifying code, and the JSON machine state round trip.
import { strict as assert } from 'assert';
import { load, run, r32, r64, CODE } from './helpers';
import { PERM_R } from '../../../src/emu/memory';
import { Machine } from '../../../src/emu/machine';
import { BareEnvironment, CONTINUE, type EnvResult, type GuestException } from '../../../src/emu/environment';
import type { Exit } from '../../../src/emu/exit';

function fault(exit: Exit): { vector: number; errorCode?: number; address?: number; pc: number } {
  assert.equal(exit.reason, 'fault', JSON.stringify(exit));
  if (exit.reason !== 'fault') throw new Error('unreachable');
  return exit;
}

describe('emu exceptions', () => {
  it('UD2 raises #UD at its own address', () => {
    const { m, exit } = run(32, 'nop\nud2\nhlt');
    const f = fault(exit);
    assert.equal(f.vector, 6);
    assert.equal(f.pc, CODE + 1);
    assert.equal(m.rip, CODE + 1);
  });

  it('a LOCK prefix on a non-lockable instruction raises #UD', () => {
    const { exit } = run(32, 'db 0xf0\nmov eax, ebx\nhlt');
    assert.equal(fault(exit).vector, 6);
  });

  it('a read of unmapped memory raises #PF with error code 0 (CPL 0), CR2 = address', () => {
    const { m, exit } = run(32, 'mov eax, [0x40000000]\nhlt');
    const f = fault(exit);
    assert.equal(f.vector, 14);
    assert.equal(f.errorCode, 0);
    assert.equal(f.address, 0x40000000);
    assert.equal(m.cr2, 0x40000000);
  });

  it('a write to a read-only page raises #PF with P|W, and at CPL 3 with U', () => {
    const m = load(32, 'mov dword [0x30000], 1\nhlt', { setup: (mm) => mm.map(0x30000, 0x1000, PERM_R) });
    assert.equal(fault(m.run(10)).errorCode, 3);
    const m3 = new Machine();
    m3.start('protected32', 3);
    m3.map(0x1000, 0x1000, PERM_R | 4);
    m3.map(0x30000, 0x1000, PERM_R);
    m3.writeMemory(0x1000, Uint8Array.of(0xc7, 0x05, 0x00, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x00));
    m3.rip = 0x1000;
    assert.equal(fault(m3.run(10)).errorCode, 7);
  });

  it('a page-crossing write that faults on the second page writes nothing', () => {
    const m = load(32, 'mov dword [0x1fffe], 0x11223344\nhlt');
    assert.equal(fault(m.run(10)).vector, 14);
    assert.deepEqual([...(m.readMemory(0x1fffe, 2) as Uint8Array)], [0, 0]);
  });

  it('a non-canonical 64-bit address raises #GP(0)', () => {
    const { exit } = run(64, 'mov rax, 0x0000800000000000\nmov rbx, [rax]\nhlt');
    const f = fault(exit);
    assert.equal(f.vector, 13);
    assert.equal(f.errorCode, 0);
  });

  it('HLT at CPL 3 raises #GP(0)', () => {
    const m = new Machine();
    m.start('protected32', 3);
    m.map(0, 0x2000, 7);
    m.writeMemory(0x1000, Uint8Array.of(0xf4));
    m.rip = 0x1000;
    assert.equal(fault(m.run(5)).vector, 13);
  });

  it('IN at CPL 3 with IOPL 0 raises #GP(0)', () => {
    const m = new Machine();
    m.start('protected32', 3);
    m.map(0, 0x2000, 7);
    m.writeMemory(0x1000, Uint8Array.of(0xe4, 0x60));
    m.rip = 0x1000;
    assert.equal(fault(m.run(5)).vector, 13);
  });

  it('INT3 outside real mode is a trap: pc is the INT3, RIP past it', () => {
    const { m, exit } = run(32, 'nop\nint3\nhlt');
    const f = fault(exit);
    assert.equal(f.vector, 3);
    assert.equal(m.rip, CODE + 2);
  });

  it('the environment sees every exception first and may continue', () => {
    const seen: GuestException[] = [];
    class SkipUd extends BareEnvironment {
      override exception(mm: Machine, e: GuestException): EnvResult {
        seen.push(e);
        mm.rip += 2; // skip UD2
        return CONTINUE;
      }
    }
    const { m, exit } = run(32, 'ud2\nmov eax, 7\nhlt', { env: new SkipUd() });
    assert.equal(exit.reason, 'halted');
    assert.equal(r32(m, 0), 7);
    assert.equal(seen.length, 1);
    assert.equal(seen[0].vector, 6);
    assert.equal(seen[0].pc, CODE);
  });
});

describe('emu self-modifying code', () => {
  it('a write into already-decoded code takes effect the next time it runs', () => {
    const src = [
      'mov ecx, 2',
      'again: mov eax, 1', // B8 imm32: the immediate is patched below
      'add ebx, eax',
      'mov dword [again+1], 100',
      'dec ecx',
      'jnz again',
      'hlt',
    ].join('\n');
    const { m } = run(32, src);
    assert.equal(r32(m, 3), 101, 'first pass adds 1, second pass adds the patched 100');
  });

  it('patching the next instruction in the same page is seen immediately', () => {
    const src = ['mov byte [next], 0x40', 'next: nop', 'hlt'].join('\n'); // 0x40 = INC EAX
    const { m } = run(32, src);
    assert.equal(r32(m, 0), 1);
  });

  it('writeMemory from a debugger drops decoded code too', () => {
    const m = load(32, 'l: mov eax, 5\njmp l');
    m.run(10);
    assert.equal(r32(m, 0), 5);
    m.writeMemory(CODE + 1, Uint8Array.of(9, 0, 0, 0));
    m.run(10);
    assert.equal(r32(m, 0), 9);
  });
});

describe('emu machine state JSON', () => {
  it('save → JSON → load into a fresh machine → identical state and identical continuation', () => {
    const src = 'mov rcx, 1000\nl: add rax, rcx\nmov [0x9000], rax\nloop l\nhlt';
    const a = load(64, src);
    a.run(500);
    const json = JSON.parse(JSON.stringify(a.saveState()));
    const b = new Machine();
    const r = b.loadState(json);
    assert.deepEqual(r, { ok: true });
    assert.deepEqual(b.saveState(), a.saveState());
    assert.equal(a.run(1e6).reason, 'halted');
    assert.equal(b.run(1e6).reason, 'halted');
    assert.equal(r64(a, 0), r64(b, 0));
    assert.equal(r64(a, 0), 500500n);
    assert.deepEqual(b.saveState(), a.saveState());
  });

  it('a partial state sets only what it names', () => {
    const m = new Machine();
    const r = m.loadState({ mode: 'protected32', cpl: 3, registers: { eax: '0x10', rflags: 0x201 }, memory: [{ address: '0x5000', hex: 'c3 90' }] });
    assert.deepEqual(r, { ok: true });
    assert.equal(m.regs[0], 0x10);
    assert.equal(m.getRflags(), 0x203);
    assert.equal(m.cpl, 3);
    assert.equal(m.codeBits, 32);
    assert.deepEqual([...(m.readMemory(0x5000, 2) as Uint8Array)], [0xc3, 0x90]);
  });

  it('bad input is an error result, never a throw', () => {
    const m = new Machine();
    assert.equal(m.loadState(null).ok, false);
    assert.equal(m.loadState({ registers: { nosuch: 1 } }).ok, false);
    assert.equal(m.loadState({ registers: { eax: 'zz' } }).ok, false);
    assert.equal(m.loadState({ memory: [{ address: 1, hex: 'xyz' }] }).ok, false);
    assert.equal(m.loadState({ mode: 'warp' }).ok, false);
  });

  it('read-only regions round-trip with their permissions', () => {
    const m = load(32, 'hlt', { setup: (mm) => mm.map(0x40000, 0x2000, PERM_R, 'ro') });
    const s = m.saveState();
    const b = new Machine();
    assert.deepEqual(b.loadState(s), { ok: true });
    assert.deepEqual(b.regions(), m.regions());
  });
});
