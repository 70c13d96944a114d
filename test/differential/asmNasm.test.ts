// The assembler against Debian's nasm: every fixture in test/fixtures/asm (directives, preprocessor,
// labels, addressing, branch sizing) and isa's per-row corpus in 16/32/64-bit are assembled by both
// `nasm -f bin` and ours; the flat images must be byte-identical, each listing row's bytes must equal
// ours for that line, and our line map must put each nasm listing row's address on the same line
// (macro rows on the invocation line).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { generateCorpus } from '../unit/isa/corpus';
import { runNasm, runOurs, hex, type ListingRow } from './asmNasm';
import type { AssembleResult } from '../../src/asm/assembler';

const FIXTURES = path.join(__dirname, '..', 'fixtures', 'asm');
const summary: string[] = [];

/** Rows whose bytes differ from ours (exact rows at top level only). */
function rowMismatches(rows: ListingRow[], ours: Extract<AssembleResult, { ok: true }>, file: string, lines: string[]): string[] {
  const byLine = new Map<number, string>();
  for (const l of ours.listing) if (l.file === file) byLine.set(l.line, (byLine.get(l.line) ?? '') + hex(l.bytes));
  const bad: string[] = [];
  for (const row of rows) {
    if (row.level !== 0 || row.inexact) continue;
    const o = byLine.get(row.line) ?? '';
    if (o !== row.hex) bad.push(`line ${row.line}: ${lines[row.line - 1]?.trim()}  nasm ${row.hex}  ours ${o || '(nothing)'}`);
  }
  return bad;
}

/** Rows whose address our line map attributes to another line (single-section sources). */
function lineMapMismatches(rows: ListingRow[], ours: Extract<AssembleResult, { ok: true }>, file: string, lines: string[]): string[] {
  const origin = ours.program.segments[0].address;
  const bad: string[] = [];
  for (const row of rows) {
    if (row.hex.length === 0 || /^(\?|<res)/.test(row.hex)) continue;
    const expected = row.level === 0 ? row.line : row.topLine;
    const address = origin + row.offset;
    const entry = ours.program.lineMap.find((e) => address >= e.address && address < e.address + e.length);
    if (!entry) {
      bad.push(`line ${expected}: no line-map entry at 0x${address.toString(16)}`);
      continue;
    }
    // nasm lists %rep iterations under the %endrep line; we map them to the body line itself
    const repStart = row.level > 0 && /^\s*%endrep/i.test(lines[expected - 1] ?? '') ? matchingRep(lines, expected) : -1;
    const ok = repStart > 0 ? entry.location.line > repStart && entry.location.line < expected : entry.location.line === expected;
    if (!ok || entry.location.file !== file) bad.push(`0x${address.toString(16)}: nasm line ${expected}, ours ${entry.location.file}:${entry.location.line}`);
  }
  return bad;
}

/** The line of the %rep that a %endrep at `endLine` closes. */
function matchingRep(lines: string[], endLine: number): number {
  let depth = 0;
  for (let i = endLine - 1; i >= 1; i--) {
    const l = lines[i - 1];
    if (/^\s*%endrep/i.test(l)) depth++;
    else if (/^\s*%rep\b/i.test(l) && depth-- === 0) return i;
  }
  return -1;
}

describe('assembler vs nasm -f bin', function () {
  this.timeout(120000);
  after(() => {
    if (summary.length) process.stdout.write('\n' + summary.map((s) => '  ' + s).join('\n') + '\n');
  });

  const fixtures = fs.readdirSync(FIXTURES).filter((f) => f.endsWith('.asm')).sort();
  for (const name of fixtures) {
    describe(`fixture ${name}`, () => {
      // both run in the fixtures directory on the relative name (__?FILE?__ and %include agree)
      const file = name;
      const source = fs.readFileSync(path.join(FIXTURES, name), 'utf8');
      const lines = source.split('\n');
      const nasm = runNasm(source, undefined, name, FIXTURES);
      const ours = runOurs(source, file, 'bin', FIXTURES);
      it('assembles without errors in both', () => {
        assert.ok(nasm.ok, `nasm failed: ${nasm.stderr}`);
        assert.ok(ours.ok, `ours failed:\n${ours.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n')}`);
      });
      it('produces the same bytes as nasm', function () {
        if (!ours.ok || !nasm.ok) this.skip();
        const bad = rowMismatches(nasm.rows, ours, file, lines);
        summary.push(`${name}: ${nasm.bytes.length} bytes, ${nasm.rows.length} listing rows, ${bad.length} row mismatches, image ${hex(ours.image) === hex(nasm.bytes) ? 'identical' : 'DIFFERENT'}`);
        assert.deepStrictEqual(bad, []);
        assert.strictEqual(hex(ours.image), hex(nasm.bytes));
      });
      // (line numbers of included files are not comparable row by row: nasm lists them under the
      // %include's nesting level, we map them to the included file's own lines)
      if (!/^\s*(section|%include)/im.test(source)) {
        it("puts every listing row's address on nasm's line", function () {
          if (!ours.ok || !nasm.ok) this.skip();
          assert.deepStrictEqual(lineMapMismatches(nasm.rows, ours, file, lines).slice(0, 20), []);
        });
      }
    });
  }

  for (const mode of [16, 32, 64] as const) {
    describe(`isa corpus, ${mode}-bit, as one source file`, () => {
      let lines: string[] = [];
      let source = '';
      let nasm: ReturnType<typeof runNasm> | undefined;
      let ours: AssembleResult | undefined;
      const file = `/corpus${mode}.asm`;
      before(() => {
        lines = generateCorpus(mode).map((l) => l.text);
        // drop the lines nasm rejects (isa's own test checks those)
        for (let attempt = 0; attempt < 5; attempt++) {
          source = `bits ${mode}\n` + lines.join('\n') + '\n';
          nasm = runNasm(source);
          if (nasm.ok) break;
          const bad = new Set([...nasm.stderr.matchAll(/src\.asm:(\d+): error/g)].map((m) => Number(m[1]) - 2));
          lines = lines.filter((_, i) => !bad.has(i));
        }
        ours = runOurs(source, file);
      });
      it('nasm and ours assemble the whole corpus', () => {
        assert.ok(nasm?.ok, nasm?.stderr);
        assert.ok(ours?.ok, ours && !ours.ok ? ours.diagnostics.slice(0, 20).map((d) => `${d.line}: ${d.message}: ${lines[d.line - 2]}`).join('\n') : '');
      });
      it('every line has nasm\'s bytes', function () {
        if (!ours?.ok || !nasm?.ok) this.skip();
        const bad = rowMismatches(nasm.rows, ours, file, source.split('\n'));
        summary.push(`isa corpus ${mode}-bit: ${lines.length} lines assembled from text, ${bad.length} mismatches with nasm`);
        assert.deepStrictEqual(bad.slice(0, 30), [], `${bad.length} mismatches`);
      });
      it('the line map matches nasm\'s listing', function () {
        if (!ours?.ok || !nasm?.ok) this.skip();
        assert.deepStrictEqual(lineMapMismatches(nasm.rows, ours, file, source.split('\n')).slice(0, 20), []);
      });
    });
  }
});
