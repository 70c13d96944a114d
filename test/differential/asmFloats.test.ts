// Floating-point constants against Debian's nasm: a deterministic corpus of about 3,000 decimal,
// hexadecimal and binary constants (random digits and exponents across every format's range, plus
// the rounding ties, overflow and underflow edges) in DB/DW/DD/DQ/DT/DO, assembled by nasm; each
// constant read and encoded by src/asm/floatConstants.ts must give nasm's bytes exactly.
import * as assert from 'assert';
import { runNasm } from './asmNasm';
import { applyFloatOption, dataFloatFormat, DEFAULT_FLOAT_CONTROL, encodeFloat, parseFloatConstant, type FloatControl } from '../../src/asm/floatConstants';

const DIRECTIVES: Record<number, string> = { 1: 'db', 2: 'dw', 4: 'dd', 8: 'dq', 10: 'dt', 16: 'do' };
const SIZES = [1, 2, 4, 8, 10, 16];
/** Decimal exponent range that reaches past each format's overflow and underflow. */
const EXP_RANGE: Record<number, number> = { 1: 6, 2: 12, 4: 45, 8: 330, 10: 4960, 16: 4960 };

/** The corpus: [constant text, data size] pairs from a fixed seed. */
function corpus(): { text: string; size: number }[] {
  let seed = 12345;
  const rnd = (): number => {
    seed = (seed * 1103515245 + 12345) & 0x7fffffff;
    return seed / 0x80000000;
  };
  const pick = (alphabet: string, n: number): string => Array.from({ length: n }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join('');
  const out: { text: string; size: number }[] = [];
  for (let k = 0; k < 3000; k++) {
    const size = SIZES[k % SIZES.length];
    const range = EXP_RANGE[size];
    const r = rnd();
    let text: string;
    if (r < 0.5) text = `${pick('0123456789', 1 + Math.floor(rnd() * 3))}.${pick('0123456789', Math.floor(rnd() * 25))}e${Math.floor((rnd() * 2 - 1) * range)}`;
    else if (r < 0.65) text = `${pick('0123456789', 1 + Math.floor(rnd() * 20))}.0`;
    else if (r < 0.9) text = `0x${pick('0123456789abcdef', 1 + Math.floor(rnd() * 3))}.${pick('0123456789abcdef', Math.floor(rnd() * 30))}p${Math.floor((rnd() * 2 - 1) * range * 3.4)}`;
    else text = `0b1.${pick('01', 1 + Math.floor(rnd() * 12))}p${Math.floor((rnd() * 2 - 1) * 20)}`;
    if (rnd() < 0.3) text = '-' + text;
    out.push({ text, size });
  }
  const edges = ['16777219.0', '16777217.0', '0.0146484375', '65520.0', '3.5e38', '0x1.000003p0', '0x1.000001p0', '1e-46', '0.7e-45', '2.4703282292062328e-324',
    '2.4703282292062327e-324', '1.7976931348623159e308', '9007199254740993.0', '0x1.8p128', '300.0', '248.0', '480.0', '500.0', '1.5e3_0', '1e', '0.0', '-0.0',
    '0x0.0p0', '1e5000', '1e-5000', '0x1p20000', '0x1p-20000', '0x1.0000000000000000000000000000000000000000000001p-150', '$1.8p1', '0o17.5', '0q1.1p1', '0y1.1', '0d1.5', '0t1.5', '0h1.8p3'];
  for (const text of edges) for (const size of SIZES) out.push({ text, size });
  return out;
}

describe('floating-point constants vs nasm -f bin', function () {
  this.timeout(60000);

  it('every constant of the corpus encodes to nasm\'s bytes in DB/DW/DD/DQ/DT/DO', () => {
    const cases = corpus();
    const nasm = runNasm(cases.map((c) => `${DIRECTIVES[c.size]} ${c.text}`).join('\n') + '\n');
    assert.ok(nasm.ok, nasm.stderr);
    let at = 0;
    const wrong: string[] = [];
    for (const c of cases) {
      const want = Buffer.from(nasm.bytes.subarray(at, at + c.size)).toString('hex');
      at += c.size;
      const parsed = parseFloatConstant(c.text);
      const got = parsed.ok ? encodeFloat(parsed.value, dataFloatFormat(c.size)!) : parsed;
      const hex = got.ok ? Buffer.from(got.bytes).toString('hex') : `error: ${got.message}`;
      if (hex !== want) wrong.push(`${DIRECTIVES[c.size]} ${c.text}: ours ${hex}, nasm ${want}`);
    }
    assert.strictEqual(at, nasm.bytes.length);
    assert.deepStrictEqual(wrong.slice(0, 20), [], `${wrong.length} of ${cases.length} differ`);
  });

  it('under each FLOAT directive setting (near/up/down/zero × daz/nodaz) a sample of the corpus gives nasm\'s bytes', () => {
    const sample = corpus().filter((_, i) => i % 7 === 0);
    const lines: string[] = [];
    const expect: { text: string; size: number; control: FloatControl }[] = [];
    for (const round of ['near', 'up', 'down', 'zero']) {
      for (const daz of ['nodaz', 'daz']) {
        const control: FloatControl = { ...DEFAULT_FLOAT_CONTROL };
        assert.ok(applyFloatOption(control, round) && applyFloatOption(control, daz));
        lines.push(`float ${round}`, `float ${daz}`);
        for (const c of sample) {
          lines.push(`${DIRECTIVES[c.size]} ${c.text}`);
          expect.push({ ...c, control });
        }
      }
    }
    const nasm = runNasm(lines.join('\n') + '\n');
    assert.ok(nasm.ok, nasm.stderr);
    let at = 0;
    const wrong: string[] = [];
    for (const c of expect) {
      const want = Buffer.from(nasm.bytes.subarray(at, at + c.size)).toString('hex');
      at += c.size;
      const parsed = parseFloatConstant(c.text);
      const got = parsed.ok ? encodeFloat(parsed.value, dataFloatFormat(c.size)!, c.control) : parsed;
      const hex = got.ok ? Buffer.from(got.bytes).toString('hex') : `error: ${got.message}`;
      if (hex !== want) wrong.push(`float ${c.control.round}${c.control.daz ? ' daz' : ''}: ${DIRECTIVES[c.size]} ${c.text}: ours ${hex}, nasm ${want}`);
    }
    assert.strictEqual(at, nasm.bytes.length);
    assert.deepStrictEqual(wrong.slice(0, 20), [], `${wrong.length} of ${expect.length} differ`);
    assert.strictEqual(applyFloatOption({ ...DEFAULT_FLOAT_CONTROL }, 'sideways'), false);
  });

  it('overflow warns where nasm warns; malformed constants and formats nasm lacks are errors', () => {
    const warn = (text: string, size: number): string[] => {
      const p = parseFloatConstant(text);
      assert.ok(p.ok, text);
      const e = encodeFloat(p.value, dataFloatFormat(size)!);
      assert.ok(e.ok, text);
      return e.warnings;
    };
    // one exponent above the largest finite one is written without a warning (all-ones exponent), as nasm does
    assert.deepStrictEqual(warn('0x1.8p128', 4), []);
    assert.deepStrictEqual(warn('0x1p129', 4), ['overflow in floating-point constant']);
    assert.deepStrictEqual(warn('0x1.fffffffp127', 4), ['overflow in floating-point constant']);
    assert.deepStrictEqual(warn('1' + '0'.repeat(60) + '.0', 8), ['floating-point constant significand contains more than 52 digits']);
    assert.deepStrictEqual(warn('1234567890123456789012p', 10), ['packed BCD truncated to 18 digits']);
    for (const bad of ['1.2.3', '0x1.8q3', '1.5e3x', '0b1.2']) assert.strictEqual(parseFloatConstant(bad).ok, false, bad);
    const bcd = parseFloatConstant('1234p');
    assert.ok(bcd.ok);
    assert.strictEqual(encodeFloat(bcd.value, dataFloatFormat(4)!).ok, false);
    assert.strictEqual(dataFloatFormat(32), undefined);
  });

  it('random and mutated constant texts never throw: each is read or refused with a message', () => {
    let seed = 99;
    const rnd = (n: number): number => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const alphabet = '0123456789abcdefxXpPeE.+-_$hqoybdt ';
    const formats = [1, 2, 4, 8, 10, 16].map((n) => dataFloatFormat(n)!);
    for (let k = 0; k < 5000; k++) {
      const text = Array.from({ length: 1 + rnd(40) }, () => alphabet[rnd(alphabet.length)]).join('') + (rnd(3) === 0 ? `e${rnd(100000)}` : '');
      const p = parseFloatConstant(text);
      if (!p.ok) {
        assert.ok(p.message.length > 0);
        continue;
      }
      const e = encodeFloat(p.value, formats[rnd(formats.length)], { round: (['near', 'up', 'down', 'zero'] as const)[rnd(4)], daz: rnd(2) === 0 });
      if (e.ok) assert.ok(e.bytes.length >= 1);
      else assert.ok(e.message.length > 0);
    }
  });
});
