// Watched pages stay out of the TLBs (src/emu/dataWatch.ts), so the TLB hit path needs no debug
// test. These cases arm a data slot on a page the guest has already touched (TLB warm, blocks
// compiled) — by the guest's own MOV DR7, by setGuestDebug at a pause — and check the hit still
// fires where the SDM says (trap after the accessing instruction), including page-crossing accesses
// into the watched page, read-modify-writes, and a slot removed then armed again.
import { strict as assert } from 'assert';
import { CODE, load } from './helpers';
import type { Machine } from '../../../src/emu/machine';
import type { Exit } from '../../../src/emu/exit';
import { encodeSlot } from '../../../src/emu/debug/registers';
import { pageNumberOf, TLB_MASK } from '../../../src/emu/memory';

/** A loop that reads 0x9010 and writes 0x9020 forever (warms both TLBs and compiles its block). */
const WARM_LOOP = `l: mov eax, [0x9010]\nmov [0x9020], eax\nadd dword [0x9030], 1\nmov [0x9ffe], eax\ninc ecx\njmp l`;

function slot(kind: 'write' | 'readwrite', address: number, len: 1 | 2 | 4 | 8): { singleStep: boolean; hw: { dr7: number; addr: number[] } } {
  return { singleStep: false, hw: { dr7: encodeSlot(0, 0, kind, len), addr: [address, 0, 0, 0] } };
}

function inReadTlb(m: Machine, lin: number): boolean {
  const pn = pageNumberOf(lin);
  return m.rKey[pn & TLB_MASK] === pn;
}

function debugExit(e: Exit): Extract<Exit, { reason: 'debug' }> {
  assert.equal(e.reason, 'debug', JSON.stringify(e));
  return e as Extract<Exit, { reason: 'debug' }>;
}

describe('emu: data slots on pages already in the TLB (watched pages)', () => {
  it('setGuestDebug at a pause: a write slot on a warm page fires on the next write', () => {
    const m = load(32, WARM_LOOP);
    assert.equal(m.run(5000).reason, 'budget');
    assert.ok(inReadTlb(m, 0x9010), 'page 9 is in the read TLB before the slot is set');
    m.setGuestDebug(slot('write', 0x9020, 4));
    assert.ok(!inReadTlb(m, 0x9010), 'arming drops the watched page from the TLB');
    const e = debugExit(m.run(100000));
    assert.equal(e.dr6 >>> 0, 0xffff0ff1);
    assert.equal(e.access?.[0].address, 0x9020);
    assert.equal(e.access?.[0].kind, 'write');
    assert.equal(e.pc, CODE + 5 + 5, 'pc = the instruction after mov [0x9020], eax');
  });

  it('a read/write slot on a warm page fires on a read; a write slot does not', () => {
    const m = load(32, WARM_LOOP);
    assert.equal(m.run(5000).reason, 'budget');
    m.setGuestDebug(slot('write', 0x9010, 4));
    assert.equal(m.run(3000).reason, 'budget', 'reads do not match a write slot');
    m.setGuestDebug(slot('readwrite', 0x9010, 4));
    const e = debugExit(m.run(100000));
    assert.equal(e.access?.[0].kind, 'read');
    assert.equal(e.pc, CODE + 5, 'pc = the instruction after mov eax, [0x9010]');
  });

  it('a read-modify-write on a warm page reports one write', () => {
    const m = load(32, WARM_LOOP);
    assert.equal(m.run(5000).reason, 'budget');
    m.setGuestDebug(slot('write', 0x9030, 4));
    const e = debugExit(m.run(100000));
    assert.equal(e.access?.[0].kind, 'write');
    assert.equal(e.access?.[0].address, 0x9030);
    assert.equal(e.pc, CODE + 10 + 7, 'pc = the instruction after add dword [0x9030], 1');
  });

  it('a page-crossing write into a watched page fires (its second page is watched)', () => {
    const m = load(32, WARM_LOOP);
    assert.equal(m.run(5000).reason, 'budget');
    m.setGuestDebug(slot('write', 0xa000, 1));
    const e = debugExit(m.run(100000));
    assert.equal(e.access?.[0].address, 0x9ffe);
    assert.equal(e.access?.[0].size, 4);
    assert.equal(e.pc, CODE + 17 + 5, 'pc = the instruction after mov [0x9ffe], eax');
  });

  it('a slot removed and armed again fires again (the page re-entered the TLB in between)', () => {
    const m = load(32, WARM_LOOP);
    assert.equal(m.run(5000).reason, 'budget');
    m.setGuestDebug(slot('write', 0x9020, 4));
    debugExit(m.run(100000));
    m.setGuestDebug(null);
    assert.equal(m.run(5000).reason, 'budget', 'no stop with the slot removed');
    assert.ok(inReadTlb(m, 0x9010), 'the page is cached again once unwatched');
    m.setGuestDebug(slot('write', 0x9020, 4));
    const e = debugExit(m.run(100000));
    assert.equal(e.access?.[0].address, 0x9020);
  });

  it('a hit inside a hot watched block (register-only ops around it) names the right instruction and state', () => {
    // The slot is reached on iteration 300, long after the block was compiled watched; the run must
    // stop exactly where stepping one instruction at a time stops.
    const src = 'xor ecx, ecx\nl: add ebx, ecx\nxor edx, ebx\nmov [0x9000+ecx*4], ebx\nshl edx, 1\nimul eax, edx, 3\ninc ecx\ncmp ecx, 1000\njne l\nhlt';
    const config = slot('write', 0x9000 + 300 * 4, 4);
    const a = load(32, src);
    const b = load(32, src);
    a.setGuestDebug(config);
    b.setGuestDebug(config);
    const ea = debugExit(a.run(1e6));
    let eb = b.step();
    for (let guard = 0; eb.reason === 'budget' && guard < 1e5; guard++) eb = b.step();
    assert.deepEqual(ea, debugExit(eb));
    assert.equal(ea.access?.[0].by, CODE + 2 + 2 + 2, 'by = the MOV');
    assert.equal(a.regs[1], 300);
    assert.deepEqual(a.saveState(), b.saveState());
  });

  it("the guest's own MOV DR7 mid-run arms a slot on a warm page: B0 in the guest's DR6 after the access", () => {
    // The first loop warms page 9 (TLB and compiled blocks); then the guest arms DR0 = 0x9020 as a
    // 4-byte write slot (L0, R/W = 01, LEN = 11) and writes it once. With no IDT the #DB ends the run.
    const src = [
      'mov ecx, 500',
      'l: mov eax, [0x9010]',
      'mov [0x9020], eax',
      'dec ecx',
      'jnz l',
      'mov eax, 0x9020',
      'mov dr0, eax',
      'mov eax, 0x000d0001',
      'mov dr7, eax',
      'mov eax, [0x9010]',
      'mov [0x9020], eax',
      'after: hlt',
    ].join('\n');
    const m = load(32, src);
    const e = m.run(100000);
    assert.notEqual(e.reason, 'halted', 'the write must raise #DB before the HLT');
    assert.equal(m.debug.guestDr6Value & 0xf, 1, 'B0 set');
    // The trap is taken after `mov [0x9020], eax` (5 bytes before the HLT at the end).
    const hltAt = CODE + 5 + 5 + 5 + 1 + 2 + 5 + 3 + 5 + 3 + 5 + 5;
    assert.equal(m.pc(), hltAt, 'stopped at the HLT, after the write');
  });
});
