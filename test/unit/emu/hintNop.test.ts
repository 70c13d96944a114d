// ENDBR32/ENDBR64 and the hint-NOP space (0F 19–0F 1F /r, NASM's NOP r/m and HINT_NOP8..63) execute
// as NOPs: no register, flag or memory change and no memory access, so an unmapped operand does not
// fault (SDM Vol. 2 "NOP", "ENDBR64"; CET disabled, as for a user program without shadow stacks).
import { strict as assert } from 'assert';
import { run, r64 } from './helpers';

const HINTS = [
  'endbr64', 'endbr32',
  'nop word [rax]', 'nop dword [rax+rbx*8+0x100]', 'nop eax',
  'hint_nop8 dword [rax]', 'hint_nop31 word [rbx]', 'hint_nop32 dword [rax]', 'hint_nop48 ecx', 'hint_nop63 edx',
];

describe('emu: ENDBR and hint NOPs', () => {
  for (const bits of [16, 32, 64] as const) {
    it(`${bits}-bit: change nothing and never touch memory (unmapped operands do not fault)`, () => {
      const body = HINTS.map((h) => (bits === 16 ? h.replace(/\brax\b/g, 'bx').replace(/\+rbx\*8/, '+si').replace(/\bebx|rbx\b/g, 'bx').replace(/\be(ax|cx|dx)\b/g, '$1') : bits === 32 ? h.replace(/\br(ax|bx)\b/g, 'e$1') : h));
      if (bits === 64) body.push('nop qword [rax]', 'hint_nop40 qword [rax]', 'hint_nop9 rcx');
      const { m, exit } = run(bits, `${body.join('\n')}\nhlt`, {
        setup: (mm) => {
          // Operands point outside every mapping (the helper maps 0..0x20000 only; 16-bit: BX/SI are
          // in the first 64 KiB, so 16-bit mode only checks that nothing changes).
          mm.regs[0] = 0x7ff00000; mm.regs[3] = 0x7fe00000; mm.regs[1] = 0x1234; mm.regs[2] = 0x5678;
          if (bits === 16) { mm.regs[0] = 0x3000; mm.regs[3] = 0x4000; }
          mm.setRflags(0x2 | 0x1 | 0x40 | 0x800);
        },
      });
      assert.equal(exit.reason, 'halted', JSON.stringify(exit));
      assert.equal(r64(m, 0), bits === 16 ? 0x3000n : 0x7ff00000n);
      assert.equal(r64(m, 1), 0x1234n);
      assert.equal(r64(m, 2), 0x5678n);
      assert.equal(m.getRflags() & 0xfff, 0x2 | 0x1 | 0x40 | 0x800);
      assert.equal(m.icount, body.length + 1);
    });
  }
});
