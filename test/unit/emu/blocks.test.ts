// Block execution must be invisible: the same program run in one big run() (blocks back to back)
// and one instruction at a time (step(), every hook path) ends in the identical machine state,
// including the instruction count, faults in the middle of a block, and self-modifying code.
import { strict as assert } from 'assert';
import { load, prebuild } from './helpers';
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

describe('emu Jcc shortcuts agree with the flags', () => {
  const ccs = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];
  const values = [0, 1, -1, 0x7fffffff, -0x80000000, 5];
  const progs = (bits: 32 | 64, op: string): string[] => ccs.map((cc) => `${op}\nset${cc} dl\nj${cc} yes\nmov ecx, 0\nhlt\nyes: mov ecx, 1\nhlt`);
  for (const [bits, op] of [[32, 'cmp eax, ebx'], [32, 'sub eax, ebx'], [32, 'add eax, ebx'], [64, 'cmp rax, rbx'], [32, 'dec eax']] as const) {
    it(`${bits}-bit ${op}; Jcc vs SETcc for all 16 conditions`, () => {
      prebuild(bits, progs(bits, op));
      progs(bits, op).forEach((src, i) => {
        const m = load(bits, src);
        for (const a of values) {
          for (const b of values) {
            m.regs[0] = a; m.regs[3] = b; m.regsHi[0] = a >> 31; m.regsHi[3] = b >> 31;
            m.setRflags(2);
            m.rip = 0x1000;
            m.run(100);
            assert.equal(m.regs[1], m.regs[2] & 0xff, `j${ccs[i]} after ${op} with ${a}, ${b}`);
          }
        }
      });
    });
  }
});
