// Unit tests of the slot table (src/adapter/slots.ts) against x86-debug-register-cases.md section L
// (cases 98–102, GDB x86-dregs.c and the QEMU KVM stub) and the adapter's budget/waiting rules.
import { strict as assert } from 'assert';
import { SlotTable, splitWatchRegion, chunksFor, type SlotClient } from '../../src/adapter/slots';
import { lenCode } from '../../src/emu/debug/registers';

function data(id: number, address: number, length: number, access: 'read' | 'write' | 'readWrite' = 'write', label = `w${id}`): SlotClient {
  return { id, label, request: { kind: 'data', access, address, length } };
}
function exec(id: number, address: number, label = `0x${address.toString(16)}`): SlotClient {
  return { id, label, request: { kind: 'exec', address } };
}

describe('adapter slots: GDB split (case 98)', () => {
  it('case 98: 16-byte aligned watch, 64-bit debug registers → (0x2000,8),(0x2008,8)', () => {
    assert.deepEqual(splitWatchRegion(0x2000, 16, 8), [
      { address: 0x2000, len: 8 },
      { address: 0x2008, len: 8 },
    ]);
  });
  it('case 98: 16-byte aligned watch, 32-bit debug registers → four 4-byte slots', () => {
    assert.deepEqual(splitWatchRegion(0x2000, 16, 4), [
      { address: 0x2000, len: 4 },
      { address: 0x2004, len: 4 },
      { address: 0x2008, len: 4 },
      { address: 0x200c, len: 4 },
    ]);
  });
  it('splits an unaligned 4-byte region at 0x1003 into 1+2+1 naturally aligned chunks', () => {
    assert.deepEqual(splitWatchRegion(0x1003, 4, 8), [
      { address: 0x1003, len: 1 },
      { address: 0x1004, len: 2 },
      { address: 0x1006, len: 1 },
    ]);
  });
  it('splits a 3-byte region at 0x1000 into 2+1', () => {
    assert.deepEqual(splitWatchRegion(0x1000, 3, 8), [
      { address: 0x1000, len: 2 },
      { address: 0x1002, len: 1 },
    ]);
  });
  it('every chunk of every small region is aligned, 1/2/4/8 bytes, and the chunks tile the region', () => {
    for (const maxLen of [4, 8] as const) {
      for (let addr = 0x3000; addr < 0x3010; addr++) {
        for (let len = 1; len <= 20; len++) {
          const chunks = splitWatchRegion(addr, len, maxLen);
          let next = addr;
          for (const c of chunks) {
            assert.equal(c.address, next);
            assert.ok([1, 2, 4, 8].includes(c.len) && c.len <= maxLen);
            assert.equal(c.address % c.len, 0, `chunk ${c.address.toString(16)}/${c.len} unaligned`);
            next += c.len;
          }
          assert.equal(next, addr + len);
        }
      }
    }
  });
  it('refuses a region that needs more than four slots, saying how many it needs', () => {
    const r = chunksFor({ kind: 'data', access: 'write', address: 0x1001, length: 16 }, 8);
    assert.equal(r.ok, false);
    assert.match(!r.ok ? r.message : '', /need 4|need [5-9]/);
  });
  it('LEN encoding 1→00, 2→01, 4→11, 8→10', () => {
    assert.deepEqual([1, 2, 4, 8].map((l) => lenCode(l as 1 | 2 | 4 | 8)), [0, 1, 3, 2]);
  });
});

describe('adapter slots: DR7 encoding and sharing (cases 100–102)', () => {
  it('a 4-byte write watch at 0x1004 is slot 0 with R/W 01 and LEN 11 (case 102 accepted form)', () => {
    const t = new SlotTable(8);
    assert.deepEqual(t.place(data(1, 0x1004, 4)), { kind: 'placed', slots: [0] });
    assert.equal(t.dr7(), 0x000d0001);
    assert.deepEqual(t.addresses(), [0x1004, 0, 0, 0]);
  });
  it('case 100: the same slot inserted twice is shared with ref 2; removing twice vacates it and DR7 = 0', () => {
    const t = new SlotTable(8);
    t.place(data(1, 0x3000, 4));
    t.place(data(2, 0x3000, 4));
    assert.equal(t.refCount(0), 2);
    assert.equal(t.refCount(1), 0);
    t.remove(1);
    assert.equal(t.refCount(0), 1);
    assert.equal(t.dr7(), 0x000d0001, 'still armed after the first remove');
    t.remove(2);
    assert.equal(t.refCount(0), 0);
    assert.equal(t.dr7(), 0);
    assert.equal(t.armed(), false);
  });
  it('case 101: a read watch is placed as R/W 11 (access), never as an unsupported read-only slot', () => {
    const t = new SlotTable(8);
    t.place(data(1, 0x2000, 1, 'read'));
    assert.equal((t.dr7() >>> 16) & 3, 3);
    const t2 = new SlotTable(8);
    t2.place(data(1, 0x2000, 2, 'readWrite'));
    assert.equal(t2.dr7(), 0x00070001);
  });
  it('a read watch and a read/write watch on the same bytes share one slot', () => {
    const t = new SlotTable(8);
    t.place(data(1, 0x2000, 4, 'read'));
    t.place(data(2, 0x2000, 4, 'readWrite'));
    assert.equal(t.refCount(0), 2);
    assert.equal(t.refCount(1), 0);
  });
  it('a write and a read/write watch on the same bytes do not share (different R/W)', () => {
    const t = new SlotTable(8);
    t.place(data(1, 0x2000, 4, 'write'));
    t.place(data(2, 0x2000, 4, 'readWrite'));
    assert.deepEqual(t.slotsOf(2), [1]);
  });
  it('case 102: an instruction breakpoint at any address takes LEN 00, R/W 00', () => {
    const t = new SlotTable(8);
    t.place(exec(1, 0x401003));
    assert.equal(t.dr7(), 0x00000001);
    assert.deepEqual(t.addresses(), [0x401003, 0, 0, 0]);
  });
  it('case 102: a fifth breakpoint does not fit; the message names every holder', () => {
    const t = new SlotTable(8);
    t.place(exec(1, 0x401000, 'main.asm:12'));
    t.place(exec(2, 0x401010, 'main.asm:20'));
    t.place(data(3, 0x402000, 4, 'write', 'counter (write, 4 bytes)'));
    t.place(exec(4, 0x401000 + 0x20, '0x401020'));
    const r = t.place(exec(5, 0x401030, 'main.asm:30'));
    assert.deepEqual(r, { kind: 'full', message: 'DR0–DR3 are in use by main.asm:12, main.asm:20, counter (write, 4 bytes), 0x401020', queued: true });
    assert.equal(t.isWaiting(5), true);
  });
  it('DR7 enables L0–L3 with each slot\'s R/W and LEN nibble', () => {
    const t = new SlotTable(8);
    t.place(exec(1, 0x401000));
    t.place(data(2, 0x600000, 1, 'write'));
    t.place(data(3, 0x600008, 8, 'readWrite'));
    t.place(data(4, 0x600004, 2, 'write'));
    // slot0 exec 0000, slot1 write1 0001, slot2 rw8 1011, slot3 write2 0101; L0..L3 = 0x55
    assert.equal(t.dr7(), (0x0 | (0x1 << 4) | (0xb << 8) | (0x5 << 12)) * 0x10000 + 0x55);
  });
  it('a split watch takes all its slots or none (transactional)', () => {
    const t = new SlotTable(8);
    t.place(exec(1, 0x401000));
    t.place(exec(2, 0x401001));
    const r = t.place(data(3, 0x1003, 4)); // needs 3 slots, only 2 free
    assert.equal(r.kind, 'full');
    assert.equal(t.refCount(2), 0);
    assert.equal(t.refCount(3), 0);
  });
  it('hit bits map back to breakpoints: B0|B2 → holders of DR0 and DR2, a split watch once', () => {
    const t = new SlotTable(8);
    t.place(data(7, 0x1003, 4)); // slots 0,1,2
    t.place(exec(8, 0x401000)); // slot 3
    assert.deepEqual(t.holdersForDr6(0xffff0ff5).map((c) => c.id), [7]);
    assert.deepEqual(t.holdersForDr6(0xffff0ff9).map((c) => c.id), [7, 8]);
    assert.deepEqual(t.holdersForDr6(0xffff0ff0).map((c) => c.id), []);
  });
});

describe('adapter slots: budget and waiting queue', () => {
  it('when a slot frees up, waiting breakpoints are placed in the order they were set', () => {
    const t = new SlotTable(8);
    for (let i = 1; i <= 4; i++) t.place(exec(i, 0x401000 + i));
    t.place(exec(5, 0x402000));
    t.place(exec(6, 0x403000));
    assert.deepEqual(t.remove(2).map((c) => c.id), [5]);
    assert.deepEqual(t.slotsOf(5), [1]);
    assert.equal(t.isWaiting(6), true);
    assert.deepEqual(t.remove(3).map((c) => c.id), [6]);
    assert.equal(t.isWaiting(6), false);
  });
  it('a waiting breakpoint that is removed is not placed later', () => {
    const t = new SlotTable(8);
    for (let i = 1; i <= 4; i++) t.place(exec(i, 0x401000 + i));
    t.place(exec(5, 0x402000));
    t.remove(5);
    assert.deepEqual(t.remove(1), []);
  });
  it('a waiting split watch is placed once enough slots are free, later smaller ones keep their turn', () => {
    const t = new SlotTable(8);
    for (let i = 1; i <= 4; i++) t.place(exec(i, 0x401000 + i));
    t.place(data(5, 0x1001, 2)); // needs 2 slots
    t.place(exec(6, 0x409000)); // needs 1
    assert.deepEqual(t.remove(1).map((c) => c.id), [6], 'only one slot free: the 2-slot watch still waits');
    assert.deepEqual(t.remove(2).map((c) => c.id), []);
    assert.deepEqual(t.remove(3).map((c) => c.id), [5]);
  });
  it('queue=false (hybrid mode) reports full without queueing', () => {
    const t = new SlotTable(8);
    for (let i = 1; i <= 4; i++) t.place(exec(i, 0x401000 + i));
    const r = t.place(exec(5, 0x402000), false);
    assert.equal(r.kind, 'full');
    assert.equal(t.isWaiting(5), false);
  });
  it('invalid requests are refused with a reason, not thrown', () => {
    const t = new SlotTable(8);
    assert.equal(t.place(data(1, 0x1000, 0)).kind, 'invalid');
    assert.equal(t.place(data(2, -5, 4)).kind, 'invalid');
    assert.equal(t.place(data(3, 0x1000, 1000)).kind, 'invalid');
    assert.equal(t.armed(), false);
  });
  it('info() describes the four slots for the Debug Registers view', () => {
    const t = new SlotTable(8);
    t.place(data(1, 0x3000, 4, 'write', 'counter (write, 4 bytes)'));
    t.place(data(2, 0x3000, 4, 'write', 'other'));
    const info = t.info();
    assert.equal(info.length, 4);
    assert.deepEqual(info[0], { index: 0, kind: 'write', rw: 1, len: 4, address: 0x3000, breakpointId: 1, breakpointIds: [1, 2], label: 'counter (write, 4 bytes), other' });
    assert.equal(info[1].kind, 'vacant');
  });
});
