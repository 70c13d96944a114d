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
});
