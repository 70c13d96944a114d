// Unit tests of the expression evaluator (src/adapter/evaluate.ts): NASM number forms, precedence,
// registers, labels and memory operands against a small fake machine.
import { strict as assert } from 'assert';
import { evaluateExpression, parseNumber, type EvalContext } from '../../src/adapter/evaluate';

const memory = new Map<number, number>();
[0x44, 0x33, 0x22, 0x11, 0x88, 0x77, 0x66, 0x55].forEach((b, i) => memory.set(0x402000 + i, b));
const ctx: EvalContext = {
  register: (n) => ({ rax: 0x1234n, eax: 0x1234n, al: 0x34n, ecx: 3n, rsp: 0x7ff000n })[n],
  symbol: (n) => (n === 'counter' ? { address: 0x402000, elementSize: 4, size: 4, kind: 'data' } : n === 'table' ? { address: 0x402000, elementSize: 2, size: 8, kind: 'data' } : n === 'LEN' ? { address: 8, elementSize: 0, size: 0, kind: 'constant' } : undefined),
  readMemory: (a, size) => {
    let v = 0n;
    for (let i = size - 1; i >= 0; i--) {
      const b = memory.get(a + i);
      if (b === undefined) return undefined;
      v = (v << 8n) | BigInt(b);
    }
    return v;
  },
};

function value(text: string): bigint {
  const r = evaluateExpression(text, ctx);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

describe('adapter evaluate', () => {
  it('reads NASM number notations', () => {
    assert.deepEqual(['0x1f', '1fh', '$1f', '0b101', '101b', '17q', '0o17', '42', '42d', '1_000'].map(parseNumber), [31n, 31n, 31n, 5n, 5n, 15n, 15n, 42n, 42n, 1000n]);
  });
  it('follows C precedence and wraps at 64 bits', () => {
    assert.equal(value('1 + 2 * 3'), 7n);
    assert.equal(value('(1 + 2) * 3'), 9n);
    assert.equal(value('1 << 4 | 1'), 17n);
    assert.equal(value('-1'), 0xffffffffffffffffn);
    assert.equal(value('ecx == 3 && al != 0'), 1n);
    assert.equal(value('ecx > 5 || !ecx'), 0n);
  });
  it('reads registers and labels (a label in arithmetic is its address)', () => {
    assert.equal(value('rax + 1'), 0x1235n);
    assert.equal(value('counter + 4'), 0x402004n);
    assert.equal(value('LEN * 2'), 16n);
  });
  it('a bare data label shows the value stored there, sized by its directive', () => {
    const r = evaluateExpression('counter', ctx);
    assert.ok(r.ok);
    assert.equal(r.ok && r.value, 0x11223344n);
    assert.equal(r.ok && r.address, 0x402000);
  });
  it('byte/word/dword/qword [expr] read little-endian memory', () => {
    assert.equal(value('byte [counter]'), 0x44n);
    assert.equal(value('word [counter+2]'), 0x1122n);
    assert.equal(value('dword [counter]'), 0x11223344n);
    assert.equal(value('qword [counter]'), 0x5566778811223344n);
    assert.equal(value('[table]'), 0x3344n, 'size from the directive (dw)');
  });
  it('reports errors instead of throwing', () => {
    for (const bad of ['', 'nosuch', 'dword [0x10]', '1 +', '(1', 'dword counter', '1 / 0', '@@@', "'unterminated", 'x'.repeat(2000)]) {
      const r = evaluateExpression(bad, ctx);
      assert.equal(r.ok, false, bad);
    }
  });

  describe('segmented addressing (segment base + offset, as the CPU forms it)', () => {
    const mem = new Map<number, number>();
    const put = (a: number, b: number): void => void mem.set(a, b);
    const bases: Record<string, number> = { cs: 0x7000, ds: 0x1000, es: 0x3000, ss: 0x2000, fs: 0x9000, gs: 0xa000 };
    const regs: Record<string, bigint> = { bx: 0x10n, si: 4n, di: 8n, bp: 0x20n, ebx: 0x10n, rbx: 0x10n, cr0: 0n };
    const seg = (mode: 16 | 32 | 64): EvalContext => ({
      register: (n) => regs[n],
      symbol: (n) => (n === 'v' ? { address: 0x5010, offset: 0x10, elementSize: 1, size: 1, kind: 'data' } : undefined),
      readMemory: (a, size) => {
        let v = 0n;
        for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(mem.get(a + i) ?? 0xee);
        return v;
      },
      addressing: { mode, segmentBase: (s) => bases[s] },
    });
    put(0x1010, 0x11);
    put(0x1008, 0x22);
    put(0x2020, 0x33);
    put(0x3008, 0x44);
    put(0x10fff, 0x55);
    put(0x9010, 0x66);
    put(0x10, 0x77);
    const at = (text: string, mode: 16 | 32 | 64 = 16): { value: bigint; address?: number } => {
      const r = evaluateExpression(text, seg(mode));
      if (!r.ok) throw new Error(r.message);
      return { value: r.value, address: r.address };
    };
    it('[bx] and [si+4] use DS; [bp] uses SS', () => {
      assert.deepEqual(at('byte [bx]'), { value: 0x11n, address: 0x1010 });
      assert.deepEqual(at('byte [si+4]'), { value: 0x22n, address: 0x1008 });
      assert.deepEqual(at('byte [bp]'), { value: 0x33n, address: 0x2020 });
    });
    it('a segment override, before or inside the brackets, replaces the default', () => {
      assert.equal(at('byte es:[di]').address, 0x3008);
      assert.equal(at('byte [es:di]').address, 0x3008);
      assert.equal(at('es:[di]').address, 0x3008);
      assert.equal(at('byte [ds:bp]').address, 0x1020);
      assert.equal(at('byte [es:di]').value, 0x44n);
    });
    it('16-bit offsets wrap at 64 KiB; a 32-bit register makes the offset 32-bit', () => {
      assert.deepEqual(at('byte [bx-0x11]'), { value: 0x55n, address: 0x10fff });
      assert.equal(at('byte [ebx-0x11]').address, (0x1000 + 0xffffffff) % 2 ** 32);
    });
    it('a label inside brackets is its offset in the segment', () => {
      assert.equal(at('byte [v]').address, 0x1010);
      assert.equal(at('v + 0').value, 0x5010n, 'outside brackets a label is its linear address');
    });
    it('32-bit code: [bx] is a 16-bit address (67h), [ebx] a 32-bit one, both with DS', () => {
      assert.equal(at('byte [ebx+0x10000]', 32).address, 0x1000 + 0x10010);
      assert.equal(at('byte [bx+0x10000]', 32).address, 0x1010);
    });
    it('64-bit code: DS/ES/SS bases are not applied, FS/GS bases are', () => {
      assert.deepEqual(at('byte [rbx]', 64), { value: 0x77n, address: 0x10 });
      assert.deepEqual(at('byte [fs:0x10]', 64), { value: 0x66n, address: 0x9010 });
    });
  });
});
