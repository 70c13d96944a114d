// The fine filter of watched pages (SlotMatcher.watchedGranules, kept per side-TLB entry): accesses
// of at most 8 bytes to a 64-byte granule no armed slot can see are served inline without reporting
// to the debug unit. The filter must never hide a hit: checked against SlotMatcher.matchData for
// every start offset and size of a page, and in running code (hot compiled loops sliding an access
// across a slot, one byte before it and one byte into it) against stepping one instruction at a time.
import { strict as assert } from 'assert';
import { load } from './helpers';
import type { Machine } from '../../../src/emu/machine';
import type { Exit } from '../../../src/emu/exit';
import type { GuestDebugConfig } from '../../../src/emu/debug/debugUnit';
import { SlotMatcher } from '../../../src/emu/debug/matcher';
import { encodeSlot, type SlotKind } from '../../../src/emu/debug/registers';

type DataKind = Extract<SlotKind, 'write' | 'readwrite'>;

function config(slots: [DataKind, number, 1 | 2 | 4 | 8][]): GuestDebugConfig {
  let dr7 = 0;
  const addr = [0, 0, 0, 0];
  slots.forEach(([kind, address, len], n) => {
    dr7 = encodeSlot(dr7, n, kind, len);
    addr[n] = address;
  });
  return { singleStep: false, hw: { dr7, addr } };
}

function runToExit(m: Machine, stepwise: boolean): Exit {
  let exit: Exit = stepwise ? m.step() : m.run(1e7);
  for (let guard = 0; exit.reason === 'budget' && guard < 1e7; guard++) exit = stepwise ? m.step() : m.run(1e7);
  return exit;
}

/** Run `src` under `slots` whole and stepwise; both must stop alike. Returns the whole run's machine and exit. */
function sameAsStepping(bits: 32 | 64, src: string, slots: GuestDebugConfig): { m: Machine; exit: Exit } {
  const a = load(bits, src);
  const b = load(bits, src);
  a.setGuestDebug(slots);
  b.setGuestDebug(slots);
  const exit = runToExit(a, false);
  assert.deepEqual(exit, runToExit(b, true));
  assert.deepEqual(a.saveState(), b.saveState());
  return { m: a, exit };
}

/** A loop storing, loading or adding to (read-modify-write) `size` bytes at 0x9000 + ECX for ECX = 0, 1, … 0xFF0, then HLT. */
function slidingLoop(bits: 32 | 64, size: 1 | 2 | 4 | 8, kind: 'store' | 'load' | 'rmw'): string {
  const reg = { 1: 'al', 2: 'ax', 4: 'eax', 8: 'rax' }[size];
  const at = bits === 64 ? '[rbx + rcx]' : '[ebx + ecx]';
  const access = kind === 'load' ? `mov ${reg}, ${at}` : kind === 'store' ? `mov ${at}, ${reg}` : `add ${at}, ${reg}`;
  return ['mov ebx, 0x9000', 'xor ecx, ecx', `l: ${access}`, 'inc ecx', 'cmp ecx, 0xff0', 'jne l', 'hlt'].join('\n');
}

describe('emu: watched-page granule filter', () => {
  it('SlotMatcher.watchedGranules flags every granule where matchData can answer a hit (every offset, sizes 1–8)', () => {
    const cases: [DataKind, number, 1 | 2 | 4 | 8][][] = [
      [['write', 0x9041, 1]],
      [['readwrite', 0x9040, 8], ['write', 0x9ffc, 4]],
      [['write', 0x9002, 2], ['readwrite', 0xa000, 4]],
      [['readwrite', 0x8ffc, 4], ['write', 0x97c0, 8], ['write', 0x97bf, 1], ['readwrite', 0x9fff, 1]],
    ];
    for (const slots of cases) {
      const matcher = new SlotMatcher();
      const hw = config(slots).hw;
      const include = (1 << slots.length) - 1;
      matcher.rebuild({ dr7: hw?.dr7 ?? 0, addresses: hw?.addr ?? [], include }, { dr7: 0, addresses: [0, 0, 0, 0], include: 0 });
      const flags = new Uint8Array(64);
      for (const write of [false, true]) {
        matcher.watchedGranules(9, write, flags, 0);
        let flagged = 0;
        for (let g = 0; g < 64; g++) flagged += flags[g];
        assert.ok(flagged < 64, 'some granules stay quiet');
        for (let off = 0; off < 4096; off++) {
          for (const size of [1, 2, 4, 8]) {
            if (off + size > 4096) continue;
            if (matcher.matchData(0x9000 + off, size, write) !== 0) assert.equal(flags[off >>> 6], 1, `${JSON.stringify(slots)} ${write ? 'write' : 'read'} of ${size} at +0x${off.toString(16)}`);
          }
        }
      }
    }
  });

  it('the filter is exact at granule edges: a 1-byte slot at +0x41 flags granule 0 (a qword from +0x3A reaches it) and granule 1 only', () => {
    const matcher = new SlotMatcher();
    const hw = config([['write', 0x9041, 1]]).hw;
    matcher.rebuild({ dr7: hw?.dr7 ?? 0, addresses: hw?.addr ?? [], include: 1 }, { dr7: 0, addresses: [0, 0, 0, 0], include: 0 });
    const flags = new Uint8Array(64);
    matcher.watchedGranules(9, true, flags, 0);
    assert.deepEqual([...flags].map((f, g) => (f ? g : -1)).filter((g) => g >= 0), [0, 1]);
    matcher.watchedGranules(9, false, flags, 0);
    assert.equal(flags.reduce((a, b) => a + b, 0), 0, 'a write slot leaves every granule quiet for reads');
  });

  for (const [bits, size] of [[32, 1], [32, 2], [32, 4], [64, 4], [64, 8]] as const) {
    it(`a hot ${size}-byte store sliding toward a write slot: quiet one byte before it, a hit on the first overlapping byte (${bits}-bit)`, () => {
      // The slot's byte is the first of granule 5 (+0x140); the first store overlapping it starts at
      // +0x141 - size, in granule 4 when size > 1. Earlier stores (one byte short) must not stop.
      const { m, exit } = sameAsStepping(bits, slidingLoop(bits, size, 'store'), config([['write', 0x9140, 1], ['write', 0x9800, 4]]));
      assert.equal(exit.reason, 'debug', JSON.stringify(exit));
      assert.equal(m.regs[1], 0x141 - size, 'stopped after the first store reaching the slot');
      assert.equal(exit.reason === 'debug' ? exit.access?.[0].address : -1, 0x9141 - size);
    });
  }

  it('a hot 4-byte load sliding across a read/write slot stops on the first overlapping load; a write slot there does not stop loads', () => {
    const src = slidingLoop(32, 4, 'load');
    const rw = sameAsStepping(32, src, config([['readwrite', 0x9284, 4]]));
    assert.equal(rw.exit.reason, 'debug');
    assert.equal(rw.m.regs[1], 0x281, 'the load of +0x281..+0x284 is the first to reach the slot');
    const w = sameAsStepping(32, src, config([['write', 0x9284, 4]]));
    assert.deepEqual(w.exit, { reason: 'halted' });
  });

  for (const size of [1, 4] as const) {
    it(`a hot ${size}-byte read-modify-write (ADD) sliding toward a write slot stops after the first one reaching it`, () => {
      const { m, exit } = sameAsStepping(32, slidingLoop(32, size, 'rmw'), config([['write', 0x9140, 1]]));
      assert.equal(exit.reason, 'debug', JSON.stringify(exit));
      assert.equal(m.regs[1], 0x141 - size);
      assert.deepEqual(exit.reason === 'debug' ? exit.access?.map((a) => [a.address, a.kind]) : [], [[0x9141 - size, 'write']], 'one write reported');
    });
  }

  it('a slot added at a pause in a quiet granule of an already watched page fires (the side entry takes the new filter)', () => {
    const src = ['mov ebx, 0x9000', 'l: xor ecx, ecx', 'm: mov [ebx + ecx], eax', 'add ecx, 4', 'cmp ecx, 0x400', 'jne m', 'inc edx', 'cmp edx, 40', 'jne l', 'hlt'].join('\n');
    const a = load(32, src);
    const b = load(32, src);
    const first = config([['write', 0x9800, 4]]);
    a.setGuestDebug(first);
    b.setGuestDebug(first);
    assert.equal(a.run(3000).reason, 'budget');
    for (let k = 0; k < 3000; k++) b.step();
    const j = 9 & 7;
    assert.equal(a.vwKey[j], 9, 'page 9 is in the side TLB');
    const both = config([['write', 0x9800, 4], ['write', 0x9200, 4]]);
    a.setGuestDebug(both);
    b.setGuestDebug(both);
    const exit = runToExit(a, false);
    assert.deepEqual(exit, runToExit(b, true));
    assert.equal(exit.reason === 'debug' ? exit.access?.[0].address : -1, 0x9200);
    assert.deepEqual(a.saveState(), b.saveState());
  });
});
