// Hand-checked shifts/rotates (count 0, 1, n, masked, through CF), bit instructions, multiply and
// divide (incl. #DE), BCD adjustments and conversions, against the SDM pseudocode worked by hand.
import { strict as assert } from 'assert';
import { prebuild, run, r64 } from './helpers';

const CF = 1, PF = 4, ZF = 0x40, SF = 0x80, OF = 0x800;

interface Case {
  code: string;
  bits?: 16 | 32 | 64;
  a?: bigint;
  b?: bigint;
  c?: bigint;
  d?: bigint;
  cf?: boolean;
  /** Expected rax (and rdx when given). */
  rax: bigint;
  rdx?: bigint;
  /** Expected values of the flags in `mask`. */
  flags?: number;
  mask?: number;
}

const cases: Case[] = [
  { code: 'shl eax, 1', a: 0x80000001n, rax: 2n, flags: CF | OF, mask: CF | OF | ZF | SF },
  { code: 'shl eax, 4', a: 0x0fffffffn, rax: 0xfffffff0n, flags: SF, mask: CF | ZF | SF },
  { code: 'shl eax, cl', a: 1n, c: 32n, rax: 1n, flags: 0, mask: CF },
  { code: 'shl al, cl', a: 0xffn, c: 9n, rax: 0n, flags: ZF, mask: ZF | CF },
  { code: 'shr eax, 1', a: 0x80000001n, rax: 0x40000000n, flags: CF | OF, mask: CF | OF | SF | ZF },
  { code: 'sar eax, 4', a: 0x80000008n, rax: 0xf8000000n, flags: CF | SF, mask: CF | SF | ZF },
  { code: 'sar al, 1', a: 0x81n, rax: 0xc0n, flags: CF | SF, mask: CF | SF | OF },
  { code: 'rol eax, 4', a: 0x80000001n, rax: 0x18n, flags: 0, mask: CF },
  { code: 'rol al, 1', a: 0x80n, rax: 0x01n, flags: CF | OF, mask: CF | OF },
  { code: 'ror eax, 1', a: 1n, rax: 0x80000000n, flags: CF | OF, mask: CF | OF },
  { code: 'rcl al, 1', a: 0x80n, cf: true, rax: 0x01n, flags: CF | OF, mask: CF | OF },
  { code: 'rcr eax, 1', a: 2n, cf: true, rax: 0x80000001n, flags: OF, mask: CF | OF },
  { code: 'rcl ax, 17', a: 0x1234n, cf: false, rax: 0x1234n, flags: 0, mask: CF },
  { code: 'shld eax, ebx, 8', a: 0x11223344n, b: 0xaabbccddn, rax: 0x223344aan, flags: CF, mask: CF },
  { code: 'shrd eax, ebx, 8', a: 0x11223344n, b: 0xaabbccddn, rax: 0xdd112233n, flags: 0, mask: CF },
  { code: 'shl eax, 0', a: 5n, cf: true, rax: 5n, flags: CF, mask: CF },
  { bits: 64, code: 'shl rax, 33', a: 3n, rax: 0x600000000n, flags: 0, mask: CF | ZF },
  { bits: 64, code: 'shr rax, 63', a: 0x8000000000000000n, rax: 1n, flags: 0, mask: CF | ZF },
  { bits: 64, code: 'sar rax, 40', a: 0x8000000000000000n, rax: 0xffffffffff800000n, flags: SF, mask: CF | SF },
  { bits: 64, code: 'rol rax, 8', a: 0x1122334455667788n, rax: 0x2233445566778811n, flags: CF, mask: CF },
  { bits: 64, code: 'ror rax, 36', a: 0x1122334455667788n, rax: 0x4556677881122334n, flags: 0, mask: CF },
  { bits: 64, code: 'shld rax, rbx, 16', a: 0x1122334455667788n, b: 0xaabbccddeeff0011n, rax: 0x334455667788aabbn, flags: 0, mask: CF },
  // bit instructions
  { code: 'bt eax, 31', a: 0x80000000n, rax: 0x80000000n, flags: CF, mask: CF },
  { code: 'bts eax, ebx', a: 0n, b: 33n, rax: 2n, flags: 0, mask: CF },
  { code: 'btr eax, 0', a: 3n, rax: 2n, flags: CF, mask: CF },
  { code: 'btc eax, 4', a: 0n, rax: 16n, flags: 0, mask: CF },
  { code: 'bsf eax, ebx', a: 7n, b: 0x80n, rax: 7n, flags: 0, mask: ZF },
  { code: 'bsr eax, ebx', a: 7n, b: 0x80000001n, rax: 31n, flags: 0, mask: ZF },
  { code: 'bsf eax, ebx', a: 7n, b: 0n, rax: 7n, flags: ZF, mask: ZF },
  { code: 'tzcnt eax, ebx', b: 0n, rax: 32n, flags: CF, mask: CF | ZF },
  { code: 'lzcnt eax, ebx', b: 1n, rax: 31n, flags: 0, mask: CF | ZF },
  { code: 'popcnt eax, ebx', b: 0xf0f0n, rax: 8n, flags: 0, mask: CF | ZF },
  { bits: 64, code: 'bsr rax, rbx', b: 0x100000000n, rax: 32n, flags: 0, mask: ZF },
  { bits: 64, code: 'popcnt rax, rbx', b: 0xffffffffffffffffn, rax: 64n, flags: 0, mask: ZF },
  // multiply / divide
  { code: 'mul ebx', a: 0xffffffffn, b: 0xffffffffn, rax: 1n, rdx: 0xfffffffen, flags: CF | OF, mask: CF | OF },
  { code: 'mul bl', a: 16n, b: 16n, rax: 0x100n, flags: CF | OF, mask: CF | OF },
  { code: 'mul bx', a: 0x1234n, b: 2n, d: 0xffffn, rax: 0x2468n, rdx: 0n, flags: 0, mask: CF | OF },
  { code: 'imul ebx', a: 0xffffffffn, b: 2n, rax: 0xfffffffen, rdx: 0xffffffffn, flags: 0, mask: CF | OF },
  { code: 'imul eax, ebx', a: 0x40000000n, b: 2n, rax: 0x80000000n, flags: CF | OF, mask: CF | OF },
  { code: 'imul eax, ebx, -3', b: 5n, rax: 0xfffffff1n, flags: 0, mask: CF | OF },
  { code: 'div ebx', a: 0n, d: 1n, b: 2n, rax: 0x80000000n, rdx: 0n },
  { code: 'div bl', a: 1000n, b: 7n, rax: 0x068en },
  { code: 'idiv ebx', a: 0xfffffff9n, d: 0xffffffffn, b: 2n, rax: 0xfffffffdn, rdx: 0xffffffffn },
  { code: 'idiv bl', a: 0xfff9n, b: 2n, rax: 0xfffdn },
  { bits: 64, code: 'mul rbx', a: 0xffffffffffffffffn, b: 0xffffffffffffffffn, rax: 1n, rdx: 0xfffffffffffffffen, flags: CF | OF, mask: CF | OF },
  { bits: 64, code: 'imul rbx', a: 0xffffffffffffffffn, b: 0xffffffffffffffffn, rax: 1n, rdx: 0n, flags: 0, mask: CF | OF },
  { bits: 64, code: 'imul rax, rbx', a: 0x100000000n, b: 0x100000000n, rax: 0n, flags: CF | OF, mask: CF | OF },
  { bits: 64, code: 'div rbx', a: 5n, d: 1n, b: 0x100000000n, rax: 0x100000000n, rdx: 5n },
  { bits: 64, code: 'div rbx', a: 100n, d: 0n, b: 7n, rax: 14n, rdx: 2n },
  { bits: 64, code: 'idiv rbx', a: 0xffffffffffffff9cn, d: 0xffffffffffffffffn, b: 7n, rax: 0xfffffffffffffff2n, rdx: 0xfffffffffffffffen },
  // BCD and conversions
  { code: 'daa', a: 0x0fn, rax: 0x15n, flags: 0, mask: CF },
  { code: 'daa', a: 0x9an, rax: 0x00n, flags: CF | ZF, mask: CF | ZF },
  { code: 'das', a: 0x0fn, rax: 0x09n, flags: 0, mask: CF },
  { code: 'aaa', a: 0x000bn, rax: 0x0101n, flags: CF, mask: CF },
  { code: 'aas', a: 0x020bn, rax: 0x0105n, flags: CF, mask: CF },
  { code: 'aam', a: 0x3fn, rax: 0x0603n, flags: 0, mask: ZF },
  { code: 'aad', a: 0x0603n, rax: 0x3fn, flags: PF, mask: ZF | PF },
  { code: 'cbw', a: 0x80n, rax: 0xff80n },
  { code: 'cwde', a: 0x8000n, rax: 0xffff8000n },
  { code: 'cdq', a: 0x80000000n, rax: 0x80000000n, rdx: 0xffffffffn },
  { bits: 64, code: 'cdqe', a: 0x80000000n, rax: 0xffffffff80000000n },
  { bits: 64, code: 'cqo', a: 0x8000000000000000n, rax: 0x8000000000000000n, rdx: 0xffffffffffffffffn },
  { code: 'movsx eax, bl', b: 0x80n, rax: 0xffffff80n },
  { code: 'movzx eax, bx', a: 0xffffffffn, b: 0x18000n, rax: 0x8000n },
  { bits: 64, code: 'movsxd rax, ebx', b: 0x80000000n, rax: 0xffffffff80000000n },
  { code: 'bswap eax', a: 0x11223344n, rax: 0x44332211n },
  { bits: 64, code: 'bswap rax', a: 0x1122334455667788n, rax: 0x8877665544332211n },
  { code: 'xadd eax, ebx', a: 1n, b: 2n, rax: 3n },
  { code: 'cmpxchg ebx, ecx', a: 5n, b: 5n, c: 9n, rax: 5n, flags: ZF, mask: ZF },
  { code: 'cmpxchg ebx, ecx', a: 5n, b: 6n, c: 9n, rax: 6n, flags: 0, mask: ZF },
  { code: 'cmc', cf: true, a: 0n, rax: 0n, flags: 0, mask: CF },
  { code: 'sahf', a: 0xd500n, rax: 0xd500n, flags: CF | PF | ZF | SF, mask: CF | PF | ZF | SF },
  { code: 'setc al', cf: true, a: 0x1200n, rax: 0x1201n },
  { code: 'cmovc eax, ebx', cf: true, a: 1n, b: 2n, rax: 2n },
  { bits: 64, code: 'cmovc eax, ebx', cf: false, a: 0xffffffff00000001n, b: 2n, rax: 1n },
];

describe('emu shifts, bits, multiply/divide, BCD, conversions (hand-checked)', () => {
  before(() => {
    for (const bits of [16, 32, 64] as const) prebuild(bits, cases.filter((c) => (c.bits ?? 32) === bits).map((c) => `${c.cf ? 'stc' : 'clc'}\n${c.code}\nhlt`));
  });
  for (const c of cases) {
    const bits = c.bits ?? 32;
    it(`${bits}-bit ${c.code} a=0x${(c.a ?? 0n).toString(16)} b=0x${(c.b ?? 0n).toString(16)}`, () => {
      const { m, exit } = run(bits, `${c.cf ? 'stc' : 'clc'}\n${c.code}\nhlt`, {
        setup: (mm) => {
          const set = (i: number, v: bigint | undefined): void => {
            if (v === undefined) return;
            mm.regs[i] = Number(v & 0xffffffffn) | 0;
            mm.regsHi[i] = Number((v >> 32n) & 0xffffffffn) | 0;
          };
          set(0, c.a);
          set(3, c.b);
          set(1, c.c);
          set(2, c.d);
        },
      });
      assert.equal(exit.reason, 'halted', JSON.stringify(exit));
      const mask = bits === 64 ? 0xffffffffffffffffn : 0xffffffffn;
      assert.equal('0x' + (r64(m, 0) & mask).toString(16), '0x' + c.rax.toString(16), 'rax');
      if (c.rdx !== undefined) assert.equal('0x' + (r64(m, 2) & mask).toString(16), '0x' + c.rdx.toString(16), 'rdx');
      if (c.mask !== undefined) assert.equal((m.getRflags() & c.mask).toString(16), (c.flags ?? 0).toString(16), 'flags');
    });
  }

  it('DIV by zero raises #DE at the DIV (fault exit, RIP unchanged)', () => {
    const { m, exit } = run(32, 'nop\ndiv ebx\nhlt', { setup: (mm) => { mm.regs[3] = 0; } });
    assert.equal(exit.reason, 'fault');
    assert.equal(exit.reason === 'fault' && exit.vector, 0);
    assert.equal(m.rip, 0x1001);
  });
  it('DIV quotient overflow raises #DE', () => {
    const { exit } = run(32, 'div ebx\nhlt', { setup: (mm) => { mm.regs[2] = 5; mm.regs[3] = 5; } });
    assert.equal(exit.reason === 'fault' && exit.vector, 0);
  });
  it('IDIV of INT_MIN by -1 raises #DE', () => {
    const { exit } = run(32, 'cdq\nidiv ebx\nhlt', { setup: (mm) => { mm.regs[0] = -2147483648; mm.regs[3] = -1; } });
    assert.equal(exit.reason === 'fault' && exit.vector, 0);
  });
  it('AAM 0 raises #DE', () => {
    const { exit } = run(32, 'db 0xd4, 0x00\nhlt');
    assert.equal(exit.reason === 'fault' && exit.vector, 0);
  });
});
