// Test helper for the assembler's nasm comparisons: run Debian's nasm on a source (in a temp dir),
// read its flat output and its listing (-l) as per-line rows, and run our assembler the same way.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { assemble, type AssembleResult, type OutputFormat } from '../../src/asm/assembler';

/** One byte-producing row of a nasm listing (continuation rows merged). */
export interface ListingRow {
  line: number;
  /** Offset in its section as nasm prints it. */
  offset: number;
  hex: string;
  /** Nesting marker (<1> for macro expansions and included files), 0 at top level. */
  level: number;
  /** The bytes are not literal: relocated values in [brackets], `<rep n>`, `<bin n>` or `??` reservations. */
  inexact: boolean;
  /** The top-level source line this row belongs to (the macro invocation for <1> rows). */
  topLine: number;
}

export interface NasmRun {
  ok: boolean;
  stderr: string;
  bytes: Uint8Array;
  rows: ListingRow[];
}

/** Assembles `source` with `nasm -f bin` (include path = `includeDir`). With `inPlaceDir`, nasm runs
 *  in that directory on the file `fileName` already there (so __?FILE?__ and %include names are the
 *  relative ones our assembler sees with `runOurs(…, fileName, …, inPlaceDir)`). */
export function runNasm(source: string, includeDir?: string, fileName = 'src.asm', inPlaceDir?: string): NasmRun {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-asm-'));
  try {
    const src = inPlaceDir ? fileName : path.join(dir, fileName);
    if (!inPlaceDir) fs.writeFileSync(src, source);
    const out = path.join(dir, 'out.bin');
    const lst = path.join(dir, 'out.lst');
    const args = ['-f', 'bin', '-w-all', '-o', out, '-l', lst, src];
    if (includeDir) args.unshift('-I', includeDir.endsWith('/') ? includeDir : includeDir + '/');
    const r = spawnSync('nasm', args, { encoding: 'utf8', cwd: inPlaceDir });
    if (r.status !== 0) return { ok: false, stderr: r.stderr, bytes: new Uint8Array(0), rows: [] };
    return { ok: true, stderr: r.stderr, bytes: new Uint8Array(fs.readFileSync(out)), rows: parseListing(fs.readFileSync(lst, 'utf8')) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Parses nasm's listing into rows with plain hex bytes (relocation brackets removed). */
export function parseListing(text: string): ListingRow[] {
  const rows: ListingRow[] = [];
  let cont = false;
  let topLine = 0;
  for (const raw of text.split('\n')) {
    const any = /^\s*(\d+) /.exec(raw);
    if (any && !/ <\d+> /.test(raw.slice(0, 40))) topLine = Number(any[1]);
    const m = /^\s*(\d+) ([0-9A-F]{8}) ([0-9A-F[\]()?]+|<res [0-9A-F]+h>|<bin [0-9A-F]+h>)(<rep [0-9A-F]+h>)?(-?)\s*(<(\d+)>)?/.exec(raw);
    if (!m) {
      cont = false;
      continue;
    }
    const inexact = /[[\]()?<]/.test(m[3]) || m[4] !== undefined;
    const hex = m[3].replace(/[[\]()]/g, '').toLowerCase();
    if (cont && rows.length > 0) {
      rows[rows.length - 1].hex += hex;
      rows[rows.length - 1].inexact ||= inexact;
    } else rows.push({ line: Number(m[1]), offset: parseInt(m[2], 16), hex, level: m[7] ? Number(m[7]) : 0, inexact, topLine });
    cont = m[5] === '-';
  }
  return rows;
}

/** Our assembler on a file path (reads includes from disk; relative paths from `baseDir`). */
export function runOurs(source: string, fileName: string, format: OutputFormat = 'bin', baseDir?: string): AssembleResult {
  return assemble(source, {
    fileName,
    format,
    readFile: (p) => {
      try {
        return new Uint8Array(fs.readFileSync(baseDir ? path.resolve(baseDir, p) : p));
      } catch {
        return undefined;
      }
    },
  });
}

export function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** Assembles `source` with nasm -f bin and with ours; asserts both succeed with identical bytes and returns both runs. */
export function assertSameAsNasm(source: string): { nasm: NasmRun; ours: Extract<AssembleResult, { ok: true }> } {
  const nasm = runNasm(source);
  assert.ok(nasm.ok, nasm.stderr);
  const ours = runOurs(source, 'src.asm');
  if (!ours.ok) assert.fail(ours.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
  assert.strictEqual(hex(ours.image), hex(nasm.bytes));
  return { nasm, ours };
}
