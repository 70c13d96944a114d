// The slot matcher: SDM Table 16-1 (case 50) as a table, the overlap rule of SDM §17.2.5 against a
// naive reference over random slots and accesses (the page and granule filters must never hide a hit),
// and the exec/I/O rules of x86-debug-registers.md §4.
import { strict as assert } from 'assert';
import { SlotMatcher, type LayerSlots } from '../../../../src/emu/debug/matcher';
import { encodeSlot, type SlotKind, type SlotLength } from '../../../../src/emu/debug/registers';

const none: LayerSlots = { dr7: 0x400, addresses: [0, 0, 0, 0], include: 0 };

function guestOnly(dr7: number, addresses: number[]): SlotMatcher {
  const m = new SlotMatcher();
  m.rebuild(none, { dr7, addresses, include: 0xf });
  return m;
}

describe('debug matcher: SDM Table 16-1 (case 50)', () => {
  // DR0 = A0001h RW11 LEN1, DR1 = A0002h RW01 LEN1, DR2 = B0002h RW11 LEN2, DR3 = C0000h RW01 LEN4.
  const m = guestOnly(0xd7130455, [0xa0001, 0xa0002, 0xb0002, 0xc0000]);
  const rows: [string, number, number, boolean, number][] = [
    ['read A0001h x1', 0xa0001, 1, false, 0x1],
    ['read A0001h x2', 0xa0001, 2, false, 0x1],
    ['write A0001h x2', 0xa0001, 2, true, 0x3],
    ['write A0002h x1', 0xa0002, 1, true, 0x2],
    ['write A0002h x2', 0xa0002, 2, true, 0x2],
    ['read/write B0001h x4', 0xb0001, 4, true, 0x4],
    ['read/write B0002h x1', 0xb0002, 1, true, 0x4],
    ['read/write B0002h x2', 0xb0002, 2, true, 0x4],
    ['write C0000h x4', 0xc0000, 4, true, 0x8],
    ['write C0001h x2', 0xc0001, 2, true, 0x8],
    ['write C0003h x1', 0xc0003, 1, true, 0x8],
    ['read/write A0000h x1', 0xa0000, 1, true, 0],
    ['read A0002h x1', 0xa0002, 1, false, 0],
    ['read/write A0003h x4', 0xa0003, 4, true, 0],
    ['read/write B0000h x2', 0xb0000, 2, true, 0],
    ['read C0000h x2', 0xc0000, 2, false, 0],
    ['read/write C0004h x4', 0xc0004, 4, true, 0],
  ];
  for (const [name, address, size, write, bits] of rows) {
    it(`case 50: ${name} → ${bits ? 'B' + bits.toString(2).padStart(4, '0') : 'no #DB'}`, () => {
      // Slots live in bits 4-7 (guest layer); "read/write" rows must match as a read and as a write
      // alike for the RW=11 slots, so check the write form and, for no-hit rows, the read form too.
      assert.equal(m.matchData(address, size, write) >>> 4, bits);
      if (name.startsWith('read/write') && bits === 0) assert.equal(m.matchData(address, size, false) >>> 4, 0);
    });
  }
});

describe('debug matcher: overlap and type rules', () => {
  it('case 37: write overlapping from a lower address', () => {
    assert.equal(guestOnly(0x000d0401, [0x601004]).matchData(0x601002, 4, true), 0x10);
  });
  it('case 38: adjacent, no overlap', () => {
    assert.equal(guestOnly(0x000d0401, [0x601004]).matchData(0x601000, 4, true), 0);
  });
  it('case 40: 4-byte slot at an unaligned address watches the aligned dword', () => {
    const m = guestOnly(0x000d0401, [0x601003]);
    assert.equal(m.matchData(0x601000, 1, true), 0x10);
    assert.equal(m.matchData(0x601004, 1, true), 0);
  });
  it('case 42: read on a write-only slot does not match', () => {
    assert.equal(guestOnly(0x00010401, [0x601000]).matchData(0x601000, 1, false), 0);
  });
  it('case 43: RW=11 matches a read', () => {
    assert.equal(guestOnly(0x00030401, [0x601000]).matchData(0x601000, 1, false), 0x10);
  });
  it('case 44: RW=11 is not an exec slot (fetches never match)', () => {
    assert.equal(guestOnly(0x00030401, [0x601000]).matchExec(0x601000), 0);
  });
  it('case 22/23: exec slots match only the exact first byte', () => {
    const m = guestOnly(0x401, [0x401002]);
    assert.equal(m.matchExec(0x401000), 0);
    assert.equal(m.matchExec(0x401002), 0x10);
  });
  it('case 31: two exec slots on the same address both match', () => {
    assert.equal(guestOnly(0x411, [0x401000, 0, 0x401000, 0]).matchExec(0x401000), 0x50);
  });
  it('case 83: a memory slot is not an I/O slot, an I/O slot is not a memory slot', () => {
    const mem = guestOnly(0x00010401, [0x3f8]);
    assert.equal(mem.matchIo(0x3f8, 1), 0);
    const io = guestOnly(0x00020401, [0x3f8]);
    assert.equal(io.matchIo(0x3f8, 1), 0x10);
    assert.equal(io.matchData(0x3f8, 1, true), 0);
  });
  it('page-crossing and large accesses match every overlapped slot', () => {
    const m = guestOnly(encodeSlot(encodeSlot(0, 0, 'write', 8), 1, 'write', 1), [0x1ff8, 0x2000]);
    assert.equal(m.matchData(0x1ffe, 4, true) >>> 4, 0x3);
    assert.equal(m.matchData(0x1000, 4096, true) >>> 4, 0x1);
    assert.equal(m.matchData(0x1000, 4097, true) >>> 4, 0x3);
  });
  it('host slots use bits 0-3 and guest slots bits 4-7 of one lookup', () => {
    const m = new SlotMatcher();
    m.rebuild({ dr7: 0x000d0401, addresses: [0x5000, 0, 0, 0], include: 1 }, { dr7: 0x00010401, addresses: [0x5002, 0, 0, 0], include: 1 });
    assert.equal(m.matchData(0x5002, 1, true), 0x11);
    assert.equal(m.matchData(0x5000, 1, true), 0x01);
  });
});

describe('debug matcher: filters never hide a hit (against the naive SDM overlap rule)', () => {
  // Deterministic PRNG (xorshift32) so failures reproduce.
  let seed = 0x2545f491;
  const rnd = (n: number): number => {
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) % n;
  };
  const kinds: SlotKind[] = ['write', 'readwrite', 'exec', 'io'];
  const lengths: SlotLength[] = [1, 2, 4, 8];
  it('20 random slot sets × 2000 accesses each, both layers', () => {
    for (let round = 0; round < 20; round++) {
      // Slots clustered near a few bases so hits are frequent; bases include a 2^32+ address.
      const bases = [0x1000, 0x7ff000, 0xfffff000, 0x1_0000_0040];
      const layers: { dr7: number; addresses: number[]; kind: SlotKind[]; len: SlotLength[] }[] = [];
      for (let l = 0; l < 2; l++) {
        let dr7 = 0x400;
        const addresses: number[] = [];
        const kind: SlotKind[] = [];
        const len: SlotLength[] = [];
        for (let n = 0; n < 4; n++) {
          kind.push(kinds[rnd(4)]);
          len.push(lengths[rnd(4)]);
          addresses.push(bases[rnd(4)] + rnd(200) - 100);
          dr7 = encodeSlot(dr7, n, kind[n], len[n]);
        }
        layers.push({ dr7, addresses, kind, len });
      }
      const m = new SlotMatcher();
      m.rebuild({ ...layers[0], include: 0xf }, { ...layers[1], include: 0xf });
      for (let i = 0; i < 2000; i++) {
        const address = bases[rnd(4)] + rnd(300) - 150;
        const size = [1, 2, 4, 8, 16, 64, 100][rnd(7)];
        const write = rnd(2) === 1;
        let expectData = 0;
        let expectExec = 0;
        for (let l = 0; l < 2; l++) {
          for (let n = 0; n < 4; n++) {
            const { kind, len, addresses } = layers[l];
            const bit = 1 << (n + 4 * l);
            if (kind[n] === 'exec') {
              if (addresses[n] === address) expectExec |= bit;
              continue;
            }
            if (kind[n] === 'io') continue;
            if (kind[n] === 'write' && !write) continue;
            const start = addresses[n] - (addresses[n] % len[n]);
            if (address <= start + len[n] - 1 && address + size - 1 >= start) expectData |= bit;
          }
        }
        assert.equal(m.matchData(address, size, write), expectData, `data ${address.toString(16)}+${size} ${write ? 'w' : 'r'}`);
        assert.equal(m.matchExec(address), expectExec, `exec ${address.toString(16)}`);
      }
    }
  });
});
