// RDRAND/RDSEED on the emulator (SDM Vol. 2 "RDRAND", "RDSEED"): a value is always ready (CF=1,
// OF/SF/ZF/AF/PF=0), r16 writes only the low word, r32 zero-extends; the values are the documented
// deterministic function of the instruction count (src/emu/ops/random.ts), so two runs agree.
import { strict as assert } from 'assert';
import { run, r64 } from './helpers';

const SRC = `mov rax, -1
mov rbx, -1
mov rcx, -1
mov rdx, -1
mov rcx, 0x8d4
push rcx
popfq
rdrand ax
rdrand ebx
rdseed rcx
rdseed edx
rdrand r9
pushfq
pop rsi
hlt`;

describe('emu: RDRAND and RDSEED', () => {
  it('set CF=1 and clear OF, SF, ZF, AF, PF; r16 keeps the upper bits, r32 zero-extends', () => {
    const { m, exit } = run(64, SRC);
    assert.equal(exit.reason, 'halted');
    assert.equal(r64(m, 6) & 0x8d5n, 0x1n);
    assert.equal(r64(m, 0) >> 16n, 0xffffffffffffn);
    assert.equal(r64(m, 3) >> 32n, 0n);
    assert.equal(r64(m, 2) >> 32n, 0n);
    const values = [r64(m, 0) & 0xffffn, r64(m, 3), r64(m, 1), r64(m, 2), r64(m, 9)];
    assert.equal(new Set(values).size, values.length, `values repeat: ${values.join(', ')}`);
    assert.ok(r64(m, 1) >> 32n !== 0n || r64(m, 9) >> 32n !== 0n, '64-bit forms fill the upper half');
  });

  it('are deterministic: the same program reads the same values', () => {
    const a = run(64, SRC).m;
    const b = run(64, SRC).m;
    for (const i of [0, 1, 2, 3, 9]) assert.equal(r64(a, i), r64(b, i));
  });

  it('work in 16- and 32-bit mode with the mode\'s operand sizes', () => {
    const { m, exit } = run(32, 'mov eax, -1\nrdrand ax\nrdseed ebx\nhlt');
    assert.equal(exit.reason, 'halted');
    assert.equal(r64(m, 0) >> 16n, 0xffffn);
    const r = run(16, 'rdrand eax\nrdseed cx\nhlt');
    assert.equal(r.exit.reason, 'halted');
    assert.equal(r.m.getRflags() & 0x8d5, 0x1);
  });
});
