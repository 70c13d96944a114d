// Fuzzing the assembler: random bytes, random token soup, mutated copies of the nasm fixtures, and the
// known hazards (unterminated strings, recursive macros and defines, huge TIMES/RESB/%rep, deep
// %include recursion). Each input must come back as a result — never an exception, never an
// "internal assembler error" — within a time bound. A seeded generator keeps runs reproducible.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assemble, type AssembleResult } from '../../../src/asm/assembler';

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'asm');
const fixtureSources = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.asm')).map((f) => fs.readFileSync(path.join(FIXTURES, f), 'utf8'));
const words = ['mov', 'add', 'jmp', 'db', 'dw', 'times', 'equ', '%define', '%macro', '%endmacro', '%rep', '%endrep', '%if', '%endif', 'section', '.text', 'eax', 'rax', 'al', '[', ']', ',', ':', '$', '$$', '+', '-', '*', '/', '(', ')', '"', "'", '`', '%1', '%%x', 'label', '.local', '0x10', '1e5', '10b', 'struc', 'endstruc', 'istruc', 'at', 'iend', 'bits', '64', 'org', 'align', 'resb', 'incbin', '%include', 'byte', 'qword', 'rel', 'short', 'far', '?', '\\', ';', '\n'];

let iterations = 0;
let slowest = 0;

function check(source: string, what: string): AssembleResult {
  const t0 = Date.now();
  let r: AssembleResult | undefined;
  assert.doesNotThrow(() => {
    r = assemble(source, { fileName: '/fuzz/f.asm', readFile: (p) => (p === '/fuzz/self.asm' ? new TextEncoder().encode('%include "self.asm"\n') : undefined) });
  }, what);
  const ms = Date.now() - t0;
  slowest = Math.max(slowest, ms);
  assert.ok(ms < 15000, `${what}: took ${ms} ms`);
  const internal = r!.diagnostics.find((d) => d.message.startsWith('internal assembler error'));
  assert.ok(!internal, `${what}: ${internal?.message}\n--- source ---\n${source.slice(0, 400)}`);
  for (const d of r!.diagnostics) assert.ok(d.line >= 1 && d.column >= 1 && d.endColumn > d.column, `${what}: bad range ${JSON.stringify(d)}`);
  iterations++;
  return r!;
}

describe('assembler fuzz: never throws, stays bounded', function () {
  this.timeout(120000);
  after(() => process.stdout.write(`\n  asm fuzz: ${iterations} inputs, slowest ${slowest} ms\n`));

  it('random bytes as source (300 inputs)', () => {
    const rand = rng(1);
    for (let i = 0; i < 300; i++) {
      const len = Math.floor(rand() * 400);
      let s = '';
      for (let k = 0; k < len; k++) s += String.fromCharCode(Math.floor(rand() * (rand() < 0.9 ? 128 : 0x3000)));
      check(s, `random #${i}`);
    }
  });

  it('token soup (400 inputs)', () => {
    const rand = rng(2);
    for (let i = 0; i < 400; i++) {
      const n = Math.floor(rand() * 60);
      const parts: string[] = [];
      for (let k = 0; k < n; k++) parts.push(words[Math.floor(rand() * words.length)]);
      check(parts.join(rand() < 0.5 ? ' ' : ''), `soup #${i}`);
    }
  });

  it('mutated fixtures (300 inputs): deleted, duplicated and swapped characters and lines', () => {
    const rand = rng(3);
    for (let i = 0; i < 300; i++) {
      let s = fixtureSources[i % fixtureSources.length];
      const edits = 1 + Math.floor(rand() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rand() * s.length);
        const kind = Math.floor(rand() * 4);
        if (kind === 0) s = s.slice(0, at) + s.slice(at + 1 + Math.floor(rand() * 10));
        else if (kind === 1) s = s.slice(0, at) + words[Math.floor(rand() * words.length)] + s.slice(at);
        else if (kind === 2) {
          const lines = s.split('\n');
          const a = Math.floor(rand() * lines.length);
          lines.splice(Math.floor(rand() * lines.length), 0, lines[a]);
          s = lines.join('\n');
        } else s = s.slice(0, at) + s.slice(at + Math.floor(rand() * 200));
      }
      check(s, `mutant #${i}`);
    }
  });

  it('known hazards give diagnostics quickly', () => {
    const hazards: [string, RegExp][] = [
      ['db "never closed\n', /unterminated string/],
      ["%macro r 0\nr\n%endmacro\nr\n", /expands too deeply/],
      ['%macro a 0\nb\n%endmacro\n%macro b 0\na\n%endmacro\na\n', /expands too deeply/],
      ['%define A B\n%define B A\ndb A\n', /not defined/],
      ['times 0x7fffffffffffffff db 0\n', /too large/],
      ['times 100000000 db 1, 2\n', /too large/],
      ['resb 0xffffffffff\n', /more than this assembler allows/],
      ['%rep 999999999999\nnop\n%endrep\n', /too large/],
      ['%rep 1000000\n%rep 1000000\nnop\n%endrep\n%endrep\n', /too large/],
      ['%include "self.asm"\n', /nested too deeply/],
      ['x equ x + 1\ndd x\n', /not defined/],
      ['a equ b\nb equ a\ndd a\n', /not defined/],
      ['%if\n%endif\n', /expects an expression/],
      ['[bits 32\n', /missing '\]'/],
    ];
    check('jmp $ + 0x7fffffffffffffff\nmov rax, -0x8000000000000000 / -1\n', 'extreme values');
    for (const [src, re] of hazards) {
      const r = check(src, JSON.stringify(src));
      assert.strictEqual(r.ok, false, `${JSON.stringify(src)} should fail`);
      assert.ok(r.diagnostics.some((d) => re.test(d.message)), `${JSON.stringify(src)}: ${r.diagnostics.map((d) => d.message).join(' | ')}`);
    }
  });
});
