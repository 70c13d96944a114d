// Block execution must be invisible: the same program run in one big run() (blocks back to back)
// and one instruction at a time (step(), every hook path) ends in the identical machine state,
// including the instruction count, faults in the middle of a block, and self-modifying code.
import { strict as assert } from 'assert';
import { load } from './helpers';
import type { Machine } from '../../../src/emu/machine';

function runToEnd(m: Machine, stepwise: boolean): string {
  let exit = stepwise ? m.step() : m.run(1e6);
  let guard = 0;
  while (exit.reason === 'budget' && guard++ < 1e6) exit = stepwise ? m.step() : m.run(1e6);
  return JSON.stringify(exit);
}

const programs: [string, 16 | 32 | 64, string][] = [
  ['32-bit loop with memory and flags', 32, 'mov ecx, 50\nxor eax, eax\nl: add eax, ecx\nmov [0x9000+ecx*4], eax\nadc edx, 0\nshl eax, 1\ndec ecx\njnz l\nhlt'],
  ['64-bit arithmetic and stack', 64, 'mov rcx, 40\nmov rax, 1\nl: imul rax, rax, 3\npush rax\npop rbx\nxor rbx, rcx\nsub rcx, 1\njnz l\nhlt'],
  ['16-bit real mode with segments', 16, 'mov ax, 0x800\nmov ds, ax\nmov cx, 30\nl: mov [bx], cx\nadd bx, 2\ninc dx\nloop l\nhlt'],
  ['a fault in the middle of a block', 32, 'mov eax, 1\nmov ebx, 2\nmov ecx, [0x50000000]\nmov edx, 3\nhlt'],
  ['self-modifying code inside one block', 32, 'mov ecx, 3\nl: mov byte [p+1], cl\np: mov al, 0\nadd bl, al\ndec ecx\njnz l\nhlt'],
];

describe('emu block execution equals single-stepping', () => {
  for (const [name, bits, src] of programs) {
    it(name, () => {
      const a = load(bits, src);
      const b = load(bits, src);
      const ea = runToEnd(a, false);
      const eb = runToEnd(b, true);
      assert.equal(ea, eb, 'same exit');
      assert.deepEqual(a.saveState(), b.saveState());
    });
  }
});
