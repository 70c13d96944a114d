// Compiled regions while debug slots are armed: with only exec slots (or nothing) armed a hot loop
// runs the unwatched compiled code and checks each next block's "no exec slot inside" answer once
// per region call; with a data slot it runs the watched code. Slots changed at a pause by the
// debugger, or mid-run by the guest's own MOV DR7 in a block of the running region, must take
// effect at the next instruction: every case is compared with stepping one instruction at a time.
import { strict as assert } from 'assert';
import { CODE, load } from './helpers';
import type { Machine } from '../../../src/emu/machine';
import type { Exit } from '../../../src/emu/exit';
import type { GuestDebugConfig } from '../../../src/emu/debug/debugUnit';
import { COMPILE_AFTER } from '../../../src/emu/decodeCache';
import { encodeSlot } from '../../../src/emu/debug/registers';

/** Run (whole runs or single steps) until a non-budget exit; the exit as JSON. */
function runToExit(m: Machine, stepwise: boolean): string {
  let exit: Exit = stepwise ? m.step() : m.run(1e7);
  for (let guard = 0; exit.reason === 'budget' && guard < 1e7; guard++) exit = stepwise ? m.step() : m.run(1e7);
  return JSON.stringify(exit);
}

/** Advance both machines by `count` instructions: `a` in one run(), `b` one step at a time. */
function advance(a: Machine, b: Machine, count: number): void {
  assert.equal(a.run(count).reason, 'budget');
  for (let k = 0; k < count; k++) assert.equal(b.step().reason, 'budget');
  assert.deepEqual(a.saveState(), b.saveState());
}

function hasCompiled(m: Machine, lin: number): boolean {
  const block = m.cache.curPn === lin >>> 12 ? m.cache.curSlots[lin & 0xfff] : undefined;
  return block?.compiled != null || block?.compiledWatched != null;
}

/** Slot 0 of the debugger layer, plus an exec slot on an address the program never reaches. */
function slots(kind: 'exec' | 'write', address: number): GuestDebugConfig {
  let dr7 = encodeSlot(0, 0, kind, kind === 'exec' ? 1 : 4);
  dr7 = encodeSlot(dr7, 1, 'exec', 1);
  return { singleStep: false, hw: { dr7, addr: [address, CODE + 0xf00, 0, 0] } };
}

// A two-block loop: l (3 ops) and m (4 ops, reached by the JNZ's fall-through and looping back).
// Byte offsets: l = 0, `add edx, ecx` = 2 (2 bytes), `jnz m` = 4 ... see the assertions.
const LOOP = [
  'xor ecx, ecx',
  'l: inc ecx', //        CODE + 2
  'add edx, ecx', //      CODE + 3
  'test ecx, 1', //       CODE + 5
  'jnz m', //             CODE + 11
  'm: add ebx, ecx', //   CODE + 13
  'mov [0x9000], ebx', // CODE + 15
  'xor esi, ebx', //      CODE + 21
  'cmp ecx, 3000', //     CODE + 23
  'jne l', //             CODE + 29
  'hlt',
].join('\n');
const M_ADD = CODE + 13;
const M_XOR = CODE + 21;

describe('emu: compiled regions with slots armed', () => {
  it('only exec slots armed: the loop runs compiled; an exec slot added at a pause inside a compiled block stops before it', () => {
    const a = load(32, LOOP);
    const b = load(32, LOOP);
    a.setGuestDebug(slots('exec', CODE + 0xf10));
    b.setGuestDebug(slots('exec', CODE + 0xf10));
    advance(a, b, COMPILE_AFTER * 12 + 5);
    assert.ok(hasCompiled(a, CODE + 2), 'the loop is compiled before the slot is set');
    a.setGuestDebug(slots('exec', M_XOR));
    b.setGuestDebug(slots('exec', M_XOR));
    const ea = runToExit(a, false);
    assert.equal(ea, runToExit(b, true));
    const exit = JSON.parse(ea) as Exit;
    assert.equal(exit.reason, 'debug');
    assert.equal(exit.reason === 'debug' ? exit.pc : -1, M_XOR, 'stopped before the XOR');
    assert.deepEqual(a.saveState(), b.saveState());
    // Moved away at the pause: the loop runs to its end.
    a.setGuestDebug(slots('exec', CODE + 0xf10));
    b.setGuestDebug(slots('exec', CODE + 0xf10));
    assert.equal(runToExit(a, false), JSON.stringify({ reason: 'halted' }));
    assert.equal(runToExit(b, true), JSON.stringify({ reason: 'halted' }));
    assert.deepEqual(a.saveState(), b.saveState());
  });

  it('an exec slot at the start of a chained block of the running region stops there', () => {
    const a = load(32, LOOP);
    const b = load(32, LOOP);
    advance(a, b, COMPILE_AFTER * 12 + 3);
    a.setGuestDebug(slots('exec', M_ADD));
    b.setGuestDebug(slots('exec', M_ADD));
    const ea = runToExit(a, false);
    assert.equal(ea, runToExit(b, true));
    assert.equal((JSON.parse(ea) as { pc: number }).pc, M_ADD);
    assert.deepEqual(a.saveState(), b.saveState());
  });

  it('a data slot added at a pause while the loop runs compiled under exec slots hits after the MOV', () => {
    const a = load(32, LOOP);
    const b = load(32, LOOP);
    a.setGuestDebug(slots('exec', CODE + 0xf10));
    b.setGuestDebug(slots('exec', CODE + 0xf10));
    advance(a, b, COMPILE_AFTER * 12 + 1);
    a.setGuestDebug(slots('write', 0x9000));
    b.setGuestDebug(slots('write', 0x9000));
    const ea = runToExit(a, false);
    assert.equal(ea, runToExit(b, true));
    const exit = JSON.parse(ea) as Extract<Exit, { reason: 'debug' }>;
    assert.equal(exit.pc, M_XOR, 'trap after the MOV');
    assert.equal(exit.access?.[0].by, CODE + 15, 'by = the MOV');
    assert.deepEqual(a.saveState(), b.saveState());
  });

  it("the guest's MOV DR7 in a block of the running region arms an exec slot inside the next block: #DB before that instruction", () => {
    // Every 16th iteration a block of the loop's region writes DR7 (0 until iteration 640, then
    // L0 with DR0 = `target`, the second op of the block that follows it).
    const src = [
      'mov eax, target',
      'mov dr0, eax',
      'mov edi, 1',
      'xor ecx, ecx',
      'l: inc ecx',
      'test ecx, 15',
      'jnz skip',
      'xor eax, eax',
      'cmp ecx, 640',
      'cmove eax, edi',
      'mov dr7, eax',
      'skip: add edx, 1',
      'target: add ebx, 1',
      'cmp ecx, 1000',
      'jne l',
      'hlt',
    ].join('\n');
    const a = load(32, src);
    const b = load(32, src);
    const ea = runToExit(a, false);
    assert.equal(ea, runToExit(b, true));
    assert.notEqual(ea, JSON.stringify({ reason: 'halted' }), 'the exec slot fired');
    assert.equal(a.regs[1], 640, 'in iteration 640');
    assert.equal(a.regs[3], 639, 'before the ADD EBX of that iteration');
    assert.deepEqual(a.saveState(), b.saveState());
  });
});
