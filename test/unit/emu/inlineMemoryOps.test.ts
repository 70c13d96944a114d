// Compiled regions do 32-bit MOVs between a GPR and memory inline (decodeCache.ts inlineMov32):
// address arithmetic with 16- and 32-bit address sizes, the segment limit check, real-mode A20
// wrapping, the TLB hit and everything else through Cpu.read32/write32. Each hot loop must end in
// the same state (and the same fault) as stepping one instruction at a time.
import { strict as assert } from 'assert';
import { load } from './helpers';
import type { Machine } from '../../../src/emu/machine';
import type { Exit } from '../../../src/emu/exit';
import { COMPILE_AFTER } from '../../../src/emu/decodeCache';

/** Run at most 200,000 instructions (whole or one at a time) until an exit; 'budget' when none came. */
function runToExit(m: Machine, stepwise: boolean): Exit {
  if (!stepwise) return m.run(200000);
  let exit: Exit = m.step();
  for (let k = 1; exit.reason === 'budget' && k < 200000; k++) exit = m.step();
  return exit;
}

function compiledSomewhere(m: Machine): boolean {
  return m.cache.curSlots.some((b) => b !== undefined && (b.compiled !== null || b.compiledWatched !== null));
}

/** Run `src` whole and stepwise (after `setup` on each); same exit and state; returns the exit. */
function sameAsStepping(bits: 16 | 32, src: string, setup: (m: Machine) => void = () => undefined): Exit {
  const a = load(bits, src, { setup });
  const b = load(bits, src, { setup });
  const exit = runToExit(a, false);
  assert.deepEqual(exit, runToExit(b, true));
  assert.deepEqual(a.saveState(), b.saveState());
  assert.ok(compiledSomewhere(a), 'the loop ran compiled');
  return exit;
}

const N = COMPILE_AFTER * 8;

describe('emu: 32-bit MOVs to and from memory inline in compiled code', () => {
  it('real mode, 16-bit addresses: BX+SI+disp and BX+DI-2 wrap at 64 KiB', () => {
    // BX climbs past FFFFh: the 16-bit sums wrap inside the segment (DS = 0x800); dword aligned,
    // so no access reaches past offset FFFFh (that would be #GP).
    const src = ['mov ax, 0x800', 'mov ds, ax', 'mov bx, 0xfe00', 'mov si, 0x10', 'mov di, 0x22', `mov cx, ${N}`, 'l: mov eax, [bx+si+0x10]', 'add eax, ecx', 'mov [bx+di-2], eax', 'add bx, 4', 'dec cx', 'jnz l', 'hlt'].join('\n');
    assert.deepEqual(sameAsStepping(16, src), { reason: 'halted' });
  });

  it('a page-crossing dword load and store in a hot loop go through the slow path', () => {
    // EDX = 13..15 make [0x9FFD + …] cross into page 0xA.
    const src = ['mov ebx, 0x9ff0', `mov ecx, ${N}`, 'l: mov edx, ecx', 'and edx, 15', 'mov eax, [ebx+edx]', 'add eax, ecx', 'mov [ebx+edx+1], eax', 'dec ecx', 'jnz l', 'hlt'].join('\n');
    assert.deepEqual(sameAsStepping(32, src), { reason: 'halted' });
  });

  it('a load past the DS limit in a compiled block raises #GP like stepping', () => {
    // DS limit 0x9FFF: the dword at 0x9FFD.. is the first one past it.
    const src = ['mov ebx, 0x9000', 'l: mov eax, [ebx]', 'mov [ebx+0x100-0x100], eax', 'inc ebx', 'jmp l'].join('\n');
    const exit = sameAsStepping(32, src, (m) => {
      const ds = m.getSegment(3);
      m.setSegment(3, { ...ds, limit: 0x9fff });
    });
    assert.equal(exit.reason, 'fault', JSON.stringify(exit));
    assert.equal(exit.reason === 'fault' ? exit.vector : -1, 13);
  });

  it('a store through a segment with a base (ES override) lands at base + offset', () => {
    const src = ['mov ebx, 0x100', `mov ecx, ${N}`, 'l: mov [es:ebx+ecx*4], ecx', 'mov eax, [es:ebx+ecx*4]', 'add edx, eax', 'dec ecx', 'jnz l', 'hlt'].join('\n');
    let machine: Machine | null = null;
    const exit = sameAsStepping(32, src, (m) => {
      const es = m.getSegment(0);
      m.setSegment(0, { ...es, base: 0x8000 });
      machine = m;
    });
    assert.deepEqual(exit, { reason: 'halted' });
    const m = machine as Machine | null;
    assert.equal(m?.readMemory(0x8000 + 0x100 + 4 * 7, 4)?.[0], 7, 'ES base added');
  });
});
