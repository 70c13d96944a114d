// Hot blocks run as compiled JS functions (decodeCache.compileBlock) once they have run
// COMPILE_AFTER times. Compilation must be invisible: each program loops long enough for its blocks
// to be compiled, and one big run() must end in the same state as stepping one instruction at a
// time — including a fault inside a compiled block and self-modifying code hitting one.
import { strict as assert } from 'assert';
import { CODE, load } from './helpers';
import type { Machine } from '../../../src/emu/machine';
import { COMPILE_AFTER } from '../../../src/emu/decodeCache';
import { encodeSlot } from '../../../src/emu/debug/registers';

function runToEnd(m: Machine, stepwise: boolean): string {
  let exit = stepwise ? m.step() : m.run(1e7);
  let guard = 0;
  while (exit.reason === 'budget' && guard++ < 1e7) exit = stepwise ? m.step() : m.run(1e7);
  return JSON.stringify(exit);
}

/** How many blocks of the code page got compiled. */
function compiledBlocks(m: Machine, bits: 16 | 32 | 64): number {
  let count = 0;
  for (let off = 0; off < 0x100; off++) {
    const lin = bits === 16 ? m.getSegment(1).base + CODE + off : CODE + off;
    if (m.cache.curPn === lin >>> 12 && (m.cache.curSlots[lin & 0xfff]?.compiled || m.cache.curSlots[lin & 0xfff]?.compiledWatched)) count++;
  }
  return count;
}

const N = COMPILE_AFTER * 5;
const programs: [string, 16 | 32 | 64, string][] = [
  ['32-bit loop with memory, flags and a call', 32, `mov ecx, ${N}\nxor eax, eax\nl: add eax, ecx\nmov [0x9000+ecx*4], eax\nadc edx, 0\nshl eax, 1\ncall f\ndec ecx\njnz l\nhlt\nf: xor ebx, eax\nsbb esi, ebx\nret`],
  ['64-bit arithmetic and stack', 64, `mov rcx, ${N}\nmov rax, 1\nl: imul rax, rax, 3\npush rax\npop rbx\nxor rbx, rcx\nsub rcx, 1\njnz l\nhlt`],
  ['16-bit real mode with segments', 16, `mov ax, 0x800\nmov ds, ax\nmov cx, ${N}\nl: mov [bx], cx\nadd bx, 2\ninc dx\nloop l\nhlt`],
  ['a fault inside a compiled block', 32, 'mov ebx, 0x10000\nl: mov eax, 1\nmov ecx, [ebx]\nmov edx, 3\nadd ebx, 0x100\njmp l'],
  ['self-modifying code inside a compiled block', 32, `mov ecx, ${N}\nmov edi, 0x9000\nmov esi, p+1\nl: cmp ecx, ${COMPILE_AFTER * 2}\ncmove edi, esi\nmov [edi], cl\np: mov al, 0\nadd bl, al\ndec ecx\njnz l\nhlt`],
];

describe('emu compiled blocks equal single-stepping', () => {
  for (const [name, bits, src] of programs) {
    it(name, () => {
      const a = load(bits, src);
      const b = load(bits, src);
      const ea = runToEnd(a, false);
      const eb = runToEnd(b, true);
      assert.equal(ea, eb, 'same exit');
      assert.deepEqual(a.saveState(), b.saveState());
      if (!name.startsWith('self-modifying')) assert.ok(compiledBlocks(a, bits) > 0, 'a block was compiled');
      assert.equal(compiledBlocks(b, bits), 0, 'stepping never compiles');
    });
  }

  it('self-modifying code: a compiled block stops after the writing instruction', () => {
    const src = `mov ecx, ${N}\nmov edi, 0x9000\nmov esi, p+1\nl: cmp ecx, ${COMPILE_AFTER * 2}\ncmove edi, esi\nmov [edi], cl\np: mov al, 0\nadd bl, al\ndec ecx\njnz l\nhlt`;
    const m = load(32, src);
    // Run until the block is compiled but before the write reaches it.
    while (compiledBlocks(m, 32) === 0 && m.icount < 1e6) m.run(50);
    assert.ok(compiledBlocks(m, 32) > 0, 'compiled before the SMC');
    assert.equal(runToEnd(m, false), JSON.stringify({ reason: 'halted' }));
    const b = load(32, src);
    runToEnd(b, true);
    assert.deepEqual(m.saveState(), b.saveState());
  });

  it('with debugger slots armed (an exec slot never hit, a write slot hit late), run() reports the same stops as stepping', () => {
    const src = `mov ecx, ${N}\nxor eax, eax\nl: add eax, ecx\nmov [0x9000+ecx*4], eax\nadc edx, 0\nshl eax, 1\ndec ecx\njnz l\nhlt`;
    let dr7 = encodeSlot(0, 0, 'exec', 1);
    dr7 = encodeSlot(dr7, 1, 'write', 4);
    const config = { singleStep: false, hw: { dr7, addr: [CODE + 0x800, 0x9000 + 4 * 7, 0, 0] } };
    const stops = (m: Machine, stepwise: boolean): string[] => {
      m.setGuestDebug(config);
      const seen: string[] = [];
      for (let guard = 0; guard < 1e6; guard++) {
        const exit = stepwise ? m.step() : m.run(1e7);
        if (exit.reason === 'budget') continue;
        seen.push(JSON.stringify(exit));
        if (exit.reason !== 'debug') break;
      }
      return seen;
    };
    const a = load(32, src);
    const b = load(32, src);
    const sa = stops(a, false);
    const sb = stops(b, true);
    assert.deepEqual(sa, sb);
    assert.equal(sa.length, 2, 'one data stop, then halted');
    assert.deepEqual(a.saveState(), b.saveState());
    assert.ok(compiledBlocks(a, 32) > 0, 'a block was compiled');
  });

  // Chaining (Machine.chainCompiled): compiled blocks run back to back without returning to the
  // run loop. The program below has several compiled blocks that follow each other (a branch taken
  // or not, a call and its return); budgets that end inside a chain and a pause requested by an op
  // inside a chained block must stop exactly where stepping stops.
  const chainSrc = `mov ecx, ${N}\nxor eax, eax\nl: add eax, ecx\ntest cl, 1\njz even\nmov [0x9000+ecx*4], eax\nxor edx, eax\neven: inc esi\nadd edi, esi\ncall f\ndec ecx\njnz l\nhlt\nf: xor ebx, eax\nsbb esi, ebx\nret`;

  it('chained compiled blocks: budgets ending mid-chain stop at the same state as stepping', () => {
    const a = load(32, chainSrc);
    const b = load(32, chainSrc);
    for (const slice of [1000, 7, 13, 501, 3, 64, 999]) {
      const ea = a.run(slice);
      assert.equal(ea.reason, 'budget');
      for (let k = 0; k < slice; k++) assert.equal(b.step().reason, 'budget');
      assert.equal(a.icount, b.icount, `icount after a slice of ${slice}`);
      assert.deepEqual(a.saveState(), b.saveState(), `state after a slice of ${slice}`);
    }
    assert.ok(compiledBlocks(a, 32) >= 3, 'several blocks compiled (a chain is possible)');
    assert.equal(runToEnd(a, false), runToEnd(b, true));
    assert.deepEqual(a.saveState(), b.saveState());
  });

  it('chained compiled blocks: a pause requested inside a chained block stops after that block', () => {
    const a = load(32, chainSrc);
    const b = load(32, chainSrc);
    const warm = COMPILE_AFTER * 40;
    a.run(warm);
    for (let k = 0; k < warm; k++) b.step();
    assert.ok(compiledBlocks(a, 32) >= 3, 'compiled before the pause');
    // The fifth CALL from here requests a pause; stepping tells which instruction count that CALL has.
    let callsA = 0;
    a.controlTransferHook = (kind) => { if (kind === 'call' && ++callsA === 5) a.requestPause(); };
    let callsB = 0;
    let fifthCallEnds = -1;
    b.controlTransferHook = (kind) => { if (kind === 'call' && ++callsB === 5) fifthCallEnds = b.icount + 1; };
    assert.equal(a.run(1e7).reason, 'budget', 'the pause ends the run');
    while (fifthCallEnds < 0) b.step();
    a.controlTransferHook = null;
    b.controlTransferHook = null;
    // The CALL ends its block: the run stops right after it (at the call target) and does not chain on.
    assert.equal(a.icount, fifthCallEnds, 'stopped right after the CALL');
    assert.equal(b.icount, fifthCallEnds);
    assert.deepEqual(a.saveState(), b.saveState());
    assert.equal(runToEnd(a, false), runToEnd(b, true));
    assert.deepEqual(a.saveState(), b.saveState());
  });

  it('chained compiled watched blocks (slots armed, never hit): budgets ending mid-chain stop where stepping stops', () => {
    let dr7 = encodeSlot(0, 0, 'exec', 1);
    dr7 = encodeSlot(dr7, 1, 'write', 4);
    const config = { singleStep: false, hw: { dr7, addr: [CODE + 0x800, 0x8000, 0, 0] } };
    const a = load(32, chainSrc);
    const b = load(32, chainSrc);
    a.setGuestDebug(config);
    b.setGuestDebug(config);
    for (const slice of [1000, 7, 13, 501, 3, 64, 999]) {
      assert.equal(a.run(slice).reason, 'budget');
      for (let k = 0; k < slice; k++) assert.equal(b.step().reason, 'budget');
      assert.equal(a.icount, b.icount, `icount after a slice of ${slice}`);
      assert.deepEqual(a.saveState(), b.saveState(), `state after a slice of ${slice}`);
    }
    assert.ok(compiledBlocks(a, 32) >= 3, 'several blocks compiled watched (a chain is possible)');
    assert.equal(runToEnd(a, false), runToEnd(b, true));
    assert.deepEqual(a.saveState(), b.saveState());
  });
});
