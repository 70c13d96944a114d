// The session-2 NASM language features against Debian's nasm beyond byte equality (the fixtures
// contexts/builtins/floats/overflow.asm are byte-compared in asmNasm.test.ts): out-of-range
// immediates warn on lines where nasm warns too, and sources nasm rejects (SEG, WRT, context
// misuse) are rejected by ours on the same lines, with our own explanation.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { assemble } from '../../src/asm/assembler';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'asm');

/** nasm -f bin on a source: exit status and the line numbers of its warnings and errors. */
function nasmDiagnostics(source: string): { ok: boolean; warnings: number[]; errors: number[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-asmlang-'));
  try {
    fs.writeFileSync(path.join(dir, 'l.asm'), source);
    const r = spawnSync('nasm', ['-f', 'bin', '-o', 'l.bin', 'l.asm'], { cwd: dir, encoding: 'utf8' });
    const lines = (kind: string): number[] => [...new Set([...r.stderr.matchAll(new RegExp(`^l\\.asm:(\\d+): ${kind}:`, 'gm'))].map((m) => Number(m[1])))].sort((a, b) => a - b);
    return { ok: r.status === 0, warnings: lines('warning'), errors: lines('error') };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function oursDiagnostics(source: string): { ok: boolean; warnings: number[]; errors: number[] } {
  const r = assemble(source, { fileName: 'l.asm', format: 'bin' });
  const lines = (sev: string): number[] => [...new Set(r.diagnostics.filter((d) => d.severity === sev).map((d) => d.line))].sort((a, b) => a - b);
  return { ok: r.ok, warnings: lines('warning'), errors: lines('error') };
}

describe('assembler vs nasm: diagnostics of the session-2 language features', function () {
  this.timeout(60000);

  it('out-of-range immediates: ours warns on the lines nasm warns on (and nowhere else)', () => {
    const source = fs.readFileSync(path.join(FIXTURES, 'overflow.asm'), 'utf8');
    const nasm = nasmDiagnostics(source);
    const ours = oursDiagnostics(source);
    assert.ok(nasm.ok && ours.ok);
    assert.ok(ours.warnings.length >= 15, `only ${ours.warnings.length} warnings`);
    const extra = ours.warnings.filter((l) => !nasm.warnings.includes(l));
    assert.deepStrictEqual(extra, [], 'ours warns where nasm does not');
    // nasm also warns on a few values inside [-2^n, 2^n-1] that it shortens to imm8 forms; ours does not
    const missed = nasm.warnings.filter((l) => !ours.warnings.includes(l));
    assert.ok(missed.length <= 3, `nasm warns on lines ours does not: ${missed.join(', ')}`);
  });

  const rejected: [string, string][] = [
    ['SEG of a label', 'foo: nop\nmov ax, seg foo\n'],
    ['WRT', 'foo: nop\nbar: nop\nmov ax, foo wrt bar\n'],
    ['%pop without %push', 'nop\n%pop\n'],
    ['%pop with the wrong name', '%push a\nnop\n%pop b\n'],
    ['%$ label without a context', 'nop\njmp %$x\n'],
    ['%$$ beyond the stack', '%push a\njmp %$$x\n%pop\n'],
    ['%repl without a context', 'nop\n%repl q\n'],
  ];
  for (const [what, source] of rejected) {
    it(`rejects ${what} like nasm, on the same line`, () => {
      const nasm = nasmDiagnostics(source);
      const ours = oursDiagnostics(source);
      assert.strictEqual(nasm.ok, false, 'nasm accepted it');
      assert.strictEqual(ours.ok, false, 'ours accepted it');
      assert.deepStrictEqual(ours.errors, nasm.errors);
    });
  }
});
