// The hot memory path: compiled regions (a hot block runs on into the blocks of its page that its
// jumps reach), the inline TLB hits of 32-bit loads/stores, and both under paging. Whatever the
// budget slicing, a run must end in the same state as single-stepping — including a fault in a
// later block of a region, self-modifying code through a page alias, and an INVLPG-free PTE change.
import { strict as assert } from 'assert';
import { Machine } from '../../../src/emu/machine';
import { PERM_RWX } from '../../../src/emu/memory';
import { COMPILE_AFTER } from '../../../src/emu/decodeCache';
import { BareEnvironment, type EnvResult, type GuestException } from '../../../src/emu/environment';
import { asm, load } from './helpers';

class StopOnException extends BareEnvironment {
  override exception(_m: Machine, e: GuestException): EnvResult {
    return { kind: 'stop', exit: { reason: 'fault', vector: e.vector, errorCode: e.errorCode, address: e.address, pc: e.pc, message: e.message } };
  }
}

function runToEnd(m: Machine, slice: number): string {
  let exit = m.run(slice);
  let guard = 0;
  while (exit.reason === 'budget' && guard++ < 1e7) exit = m.run(slice);
  return JSON.stringify(exit);
}

const N = COMPILE_AFTER * 4;
/** Bubble sort of 40 dwords (the loop B shape: two blocks per inner iteration) with a fault at the end. */
const sortSrc = [
  `mov ebp, ${N / 16}`,
  'rep_: mov ecx, 40',
  'xor eax, eax',
  'init: inc eax',
  'mov [0x9000 + ecx*4 - 4], eax',
  'dec ecx',
  'jnz init',
  'mov esi, 39',
  'outer: xor edi, edi',
  'inner: mov eax, [0x9000 + edi*4]',
  'mov edx, [0x9000 + edi*4 + 4]',
  'cmp eax, edx',
  'jle noswap',
  'mov [0x9000 + edi*4], edx',
  'mov [0x9000 + edi*4 + 4], eax',
  'noswap: inc edi',
  'cmp edi, esi',
  'jb inner',
  'dec esi',
  'jnz outer',
  'dec ebp',
  'jnz rep_',
  'mov ebx, 0x30000',
  'mov eax, [ebx]',
  'hlt',
].join('\n');

/** Two machines running `src`, one in slices of `slice` instructions, one single-stepping; same end state. */
function compare(make: () => Machine, slice: number): void {
  const a = make();
  const b = make();
  const ea = runToEnd(a, slice);
  const eb = runToEnd(b, 1);
  assert.equal(ea, eb);
  assert.deepEqual(a.saveState(), b.saveState());
  assert.equal(a.cr2, b.cr2);
}

/** The sort under 32-bit paging: code at linear 0x400000 (physical 0x1000), data identity-mapped. */
function pagedSort(): Machine {
  const m = new Machine({ env: new StopOnException() });
  m.start('protected32', 0);
  m.map(0, 0x20000, PERM_RWX, 'ram');
  const w = (pa: number, v: number): void => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); m.mem.write(pa, b); };
  w(0x10000, 0x11000 | 3);
  for (let i = 0; i < 32; i++) w(0x11000 + i * 4, (i << 12) | 3);
  w(0x10004, 0x12000 | 3);
  w(0x12000, 0x1000 | 3);
  m.mem.write(0x1000, asm(32, sortSrc, 0x400000));
  m.cr3 = 0x10000;
  m.cr0 = (m.cr0 | 0x80000000) >>> 0;
  m.flushTlb();
  m.rip = 0x400000;
  m.regs[4] = 0x8000;
  return m;
}

describe('emu hot path: compiled regions and inline TLB hits equal single-stepping', () => {
  for (const slice of [1e7, 7, 100, 333]) {
    it(`bubble sort ending in a #PF, slices of ${slice}`, () => {
      compare(() => load(32, sortSrc, { env: new StopOnException() }), slice);
    });
  }

  it('the same under 32-bit paging (code at a linear address ≠ physical, #PF with CR2 at the end)', () => {
    compare(pagedSort, 1e7);
    const m = pagedSort();
    const exit = JSON.parse(runToEnd(m, 1e7));
    assert.equal(exit.vector, 14);
    assert.equal(m.cr2, 0x30000);
  });

  it('self-modifying code in a later block of a region, written through a page alias', () => {
    const src = [
      `mov ecx, ${N}`,
      'l: test cl, 1',
      'jz even',
      'add ebx, 1',
      'even: cmp ecx, ' + COMPILE_AFTER,
      'jne skip',
      'mov byte [p + 0x1000 + 1], 5',
      'skip:',
      'p: mov al, 1',
      'add edx, eax',
      'dec ecx',
      'jnz l',
      'hlt',
    ].join('\n');
    const make = (): Machine => {
      const m = pagedSort();
      const w = (pa: number, v: number): void => { const b = new Uint8Array(4); new DataView(b.buffer).setUint32(0, v >>> 0, true); m.mem.write(pa, b); };
      w(0x12004, 0x1000 | 3); // alias: 0x401000 → the code's physical page
      m.mem.write(0x1000, new Uint8Array(0x400));
      m.mem.write(0x1000, asm(32, src, 0x400000));
      m.invlpg(0x401000);
      return m;
    };
    compare(make, 1e7);
    const m = make();
    runToEnd(m, 1e7);
    assert.equal(m.regs[2], (N - COMPILE_AFTER) * 1 + COMPILE_AFTER * 5, 'the patched immediate took effect');
  });
});
