// Hand-checked results and flags of the integer arithmetic and logic group at every size
// (SDM Vol. 1 §3.4.3.1 flag definitions); both the generic handlers and the fast 32-bit ones run.
import { strict as assert } from 'assert';
import { prebuild, run, r64 } from './helpers';

const FLAG_BITS: Record<string, number> = { c: 0x1, p: 0x4, a: 0x10, z: 0x40, s: 0x80, o: 0x800 };

/** Flags as letters from the set OSZAPC (upper = set), limited to `defined`. */
function flagString(f: number, defined = 'oszapc'): string {
  return [...defined].map((ch) => (f & FLAG_BITS[ch] ? ch.toUpperCase() : ch)).join('');
}

interface Case {
  /** Instruction(s) under test. */
  code: string;
  bits?: 32 | 64 | 16;
  /** rax, rbx, rcx initial values. */
  a?: bigint;
  b?: bigint;
  c?: bigint;
  cf?: boolean;
  /** Expected rax (after the operation), masked to 64 bits. */
  result: bigint;
  /** Expected flags as OSZAPC letters (upper = set). */
  flags: string;
  /** Flags the instruction defines (others masked). */
  defined?: string;
}

const cases: Case[] = [
  { code: 'add eax, ebx', a: 0xffffffffn, b: 1n, result: 0n, flags: 'osZAPC' },
  { code: 'add eax, ebx', a: 0x7fffffffn, b: 1n, result: 0x80000000n, flags: 'OSzAPc' },
  { code: 'add eax, 1', a: 0x7fffffffn, result: 0x80000000n, flags: 'OSzAPc' },
  { code: 'add eax, ebx', a: 0x12345678n, b: 0x11111111n, result: 0x23456789n, flags: 'oszapc' },
  { code: 'sub eax, ebx', a: 0n, b: 1n, result: 0xffffffffn, flags: 'oSzAPC' },
  { code: 'sub eax, ebx', a: 0x80000000n, b: 1n, result: 0x7fffffffn, flags: 'OszAPc' },
  { code: 'sub eax, 5', a: 5n, result: 0n, flags: 'osZaPc' },
  { code: 'cmp eax, ebx', a: 3n, b: 5n, result: 3n, flags: 'oSzApC' },
  { code: 'adc eax, ebx', a: 0xffffffffn, b: 0n, cf: true, result: 0n, flags: 'osZAPC' },
  { code: 'adc eax, ebx', a: 1n, b: 1n, cf: true, result: 3n, flags: 'oszaPc' },
  { code: 'sbb eax, ebx', a: 5n, b: 5n, cf: true, result: 0xffffffffn, flags: 'oSzAPC' },
  { code: 'sbb eax, ebx', a: 5n, b: 4n, cf: true, result: 0n, flags: 'osZaPc' },
  { code: 'add al, bl', a: 0x80n, b: 0x80n, result: 0n, flags: 'OsZaPC' },
  { code: 'add al, 0x0f', a: 0x1101n, result: 0x1110n, flags: 'oszAhc'.replace('h', 'p') },
  { code: 'sub al, 1', a: 0x100n, result: 0x1ffn, flags: 'oSzAPC' },
  { code: 'add ah, 1', a: 0x7f00n, result: 0x8000n, flags: 'OSzAhc'.replace('h', 'p') },
  { code: 'add ax, 1', a: 0x7fffn, result: 0x8000n, flags: 'OSzAPc' },
  { code: 'add ax, bx', a: 0xffff0001n, b: 0xffffn, result: 0xffff0000n, flags: 'osZAPC' },
  { code: 'inc eax', a: 0xffffffffn, cf: true, result: 0n, flags: 'osZAPC' },
  { code: 'inc eax', a: 0x7fffffffn, cf: false, result: 0x80000000n, flags: 'OSzAPc' },
  { code: 'dec eax', a: 0x80000000n, cf: true, result: 0x7fffffffn, flags: 'OszAPC' },
  { code: 'dec al', a: 0x1n, result: 0n, flags: 'osZaPc' },
  { code: 'neg eax', a: 0n, result: 0n, flags: 'osZaPc' },
  { code: 'neg eax', a: 5n, result: 0xfffffffbn, flags: 'oSzAhC'.replace('h', 'p') },
  { code: 'neg eax', a: 0x80000000n, result: 0x80000000n, flags: 'OSzaPC' },
  { code: 'not eax', a: 0x0f0f0f0fn, cf: true, result: 0xf0f0f0f0n, flags: 'C', defined: 'c' },
  { code: 'xor eax, eax', a: 0x1234n, cf: true, result: 0n, flags: 'osZPc'.replace('P', 'aP'), defined: 'oszapc' },
  { code: 'and eax, ebx', a: 0xff00n, b: 0x0ff0n, result: 0x0f00n, flags: 'oszPc', defined: 'oszpc' },
  { code: 'or eax, ebx', a: 0x80000000n, b: 1n, result: 0x80000001n, flags: 'oSzpc', defined: 'oszpc' },
  { code: 'test eax, ebx', a: 0x80000000n, b: 0x80000000n, result: 0x80000000n, flags: 'oSzPc', defined: 'oszpc' },
  // 64-bit
  { bits: 64, code: 'add rax, rbx', a: 0xffffffffffffffffn, b: 1n, result: 0n, flags: 'osZAPC' },
  { bits: 64, code: 'add rax, rbx', a: 0x7fffffffffffffffn, b: 1n, result: 0x8000000000000000n, flags: 'OSzAPc' },
  { bits: 64, code: 'add rax, rbx', a: 0xffffffffn, b: 1n, result: 0x100000000n, flags: 'oszAPc' },
  { bits: 64, code: 'sub rax, rbx', a: 0n, b: 1n, result: 0xffffffffffffffffn, flags: 'oSzAPC' },
  { bits: 64, code: 'sub rax, rbx', a: 0x100000000n, b: 1n, result: 0xffffffffn, flags: 'oszAPc' },
  { bits: 64, code: 'sub rax, rbx', a: 0x8000000000000000n, b: 1n, result: 0x7fffffffffffffffn, flags: 'OszAPc' },
  { bits: 64, code: 'adc rax, rbx', a: 0xffffffffffffffffn, b: 0n, cf: true, result: 0n, flags: 'osZAPC' },
  { bits: 64, code: 'sbb rax, rbx', a: 0n, b: 0n, cf: true, result: 0xffffffffffffffffn, flags: 'oSzAPC' },
  { bits: 64, code: 'add rax, -1', a: 1n, result: 0n, flags: 'osZAPC' },
  { bits: 64, code: 'add eax, ebx', a: 0xffffffff00000001n, b: 1n, result: 2n, flags: 'oszapc' },
  { bits: 64, code: 'inc rax', a: 0xffffffffn, result: 0x100000000n, flags: 'oszAPc' },
  { bits: 64, code: 'dec rax', a: 0x100000000n, result: 0xffffffffn, flags: 'oszAPc' },
  { bits: 64, code: 'neg rax', a: 1n, result: 0xffffffffffffffffn, flags: 'oSzAPC' },
  { bits: 64, code: 'cmp rax, rbx', a: 0x100000000n, b: 0xffffffffn, result: 0x100000000n, flags: 'oszApc' },
  { bits: 64, code: 'xor rax, rbx', a: 0xffffffff00000000n, b: 0xffffffff00000000n, result: 0n, flags: 'osZPc', defined: 'oszpc' },
  // 16-bit code
  { bits: 16, code: 'add ax, bx', a: 0xffffn, b: 1n, result: 0n, flags: 'osZAPC' },
  { bits: 16, code: 'add eax, ebx', a: 0xffffn, b: 1n, result: 0x10000n, flags: 'oszAPc' },
];

describe('emu arithmetic and logic (hand-checked flags)', () => {
  before(() => {
    for (const bits of [16, 32, 64] as const) prebuild(bits, cases.filter((c) => (c.bits ?? 32) === bits).map((c) => `${c.cf ? 'stc' : 'clc'}\n${c.code}\nhlt`));
  });
  for (const c of cases) {
    const bits = c.bits ?? 32;
    const desc = `${bits}-bit ${c.code} a=0x${(c.a ?? 0n).toString(16)} b=0x${(c.b ?? 0n).toString(16)}${c.cf !== undefined ? ' cf=' + Number(c.cf) : ''}`;
    it(desc, () => {
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
        },
      });
      assert.equal(exit.reason, 'halted');
      const mask = bits === 64 ? 0xffffffffffffffffn : 0xffffffffn;
      assert.equal('0x' + (r64(m, 0) & mask).toString(16), '0x' + c.result.toString(16), 'result');
      const defined = c.defined ?? 'oszapc';
      const want = [...defined].map((ch) => (c.flags.includes(ch.toUpperCase()) ? ch.toUpperCase() : ch)).join('');
      assert.equal(flagString(m.getRflags(), defined), want, 'flags');
    });
  }
});
