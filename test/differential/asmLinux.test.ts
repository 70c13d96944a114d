// Linux programs: our assembler's Program (elf32/elf64 layout) against the executable nasm + ld build
// from the same source: every loaded byte at every address, the entry point and every symbol address
// must be identical (so addresses in the debugger equal those of a native build), over all programs in
// test/differential/programs. The ELF side is read with the formats helper's loader. The line map is
// checked against the DWARF .debug_line of `nasm -f elfNN -g -F dwarf` + ld: same file:line for every
// row, except rows nasm puts inside a %macro body (we report the invocation line, as the issue asks).
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { assemble } from '../../src/asm/assembler';
import { loadElf } from '../../src/asm/elfReader';
import type { Program } from '../../src/asm/program';
import { PROGRAM_DIR, buildNative, listPrograms } from './programsHarness';

function byteAt(p: Program, address: number): number | undefined {
  for (const s of p.segments) {
    if (address >= s.address && address < s.address + s.memSize) return address - s.address < s.bytes.length ? s.bytes[address - s.address] : 0;
  }
  return undefined;
}

describe('assembler vs nasm + ld: Linux programs byte for byte', function () {
  this.timeout(120000);
  const readFile = (p: string): Uint8Array | undefined => (fs.existsSync(p) ? new Uint8Array(fs.readFileSync(p)) : undefined);
  let compared = 0;
  let bytes = 0;
  after(() => process.stdout.write(`\n  asm vs nasm+ld: ${compared} programs, ${bytes} loaded bytes compared\n`));
  for (const c of listPrograms()) {
    it(`${c.name} (${c.bits}-bit)`, () => {
      const exe = buildNative(c);
      const native = loadElf(new Uint8Array(fs.readFileSync(exe)), exe);
      assert.ok(native.ok, !native.ok ? native.message : '');
      const file = path.join(PROGRAM_DIR, c.name + '.asm');
      const ours = assemble(c.source, { fileName: file, readFile, format: c.bits === 64 ? 'elf64' : 'elf32' });
      assert.ok(ours.ok, !ours.ok ? ours.diagnostics.slice(0, 5).map((d) => `${d.line}:${d.column} ${d.message}`).join('\n') : '');
      const n = native.program;
      const o = ours.program;
      assert.strictEqual(o.entry.toString(16), n.entry.toString(16), 'entry point');
      const diffs: string[] = [];
      for (const seg of n.segments) {
        // the first PT_LOAD holds only the ELF and program headers, which have no source
        if (seg.bytes[0] === 0x7f && seg.bytes[1] === 0x45 && seg.bytes[2] === 0x4c && seg.bytes[3] === 0x46) continue;
        for (let a = seg.address; a < seg.address + seg.bytes.length; a++) {
          const want = seg.bytes[a - seg.address];
          const got = byteAt(o, a);
          if (got !== want && diffs.length < 10) {
            const line = o.lineMap.find((e) => a >= e.address && a < e.address + e.length);
            diffs.push(`0x${a.toString(16)}: ld ${want.toString(16)}, ours ${got === undefined ? 'unmapped' : got.toString(16)}${line ? ` (line ${line.location.line})` : ''}`);
          }
        }
        bytes += seg.bytes.length;
      }
      assert.deepStrictEqual(diffs, []);
      const symDiffs: string[] = [];
      for (const s of n.symbols) {
        if (s.kind === 'constant' || s.name.startsWith('..') || s.name === '' || s.name.startsWith('__') || s.name === '_edata' || s.name === '_end') continue;
        const mine = o.symbols.find((x) => x.name === s.name);
        if (!mine) symDiffs.push(`${s.name}: missing`);
        else if (mine.address !== s.address) symDiffs.push(`${s.name}: ld 0x${s.address.toString(16)}, ours 0x${mine.address.toString(16)}`);
      }
      assert.deepStrictEqual(symDiffs.slice(0, 10), []);
      compared++;
    });
  }
});

/** Lines of `file` that lie inside %macro ... %endmacro blocks. */
function macroBodyLines(file: string): Set<number> {
  const out = new Set<number>();
  let depth = 0;
  fs.readFileSync(file, 'utf8').split('\n').forEach((l, i) => {
    if (/^\s*%i?macro\b/i.test(l)) depth++;
    else if (/^\s*%endm(acro)?\b/i.test(l)) depth = Math.max(0, depth - 1);
    else if (depth > 0) out.add(i + 1);
  });
  return out;
}

describe('assembler line map vs DWARF lines of nasm -g -F dwarf + ld', function () {
  this.timeout(120000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-asmdwarf-'));
  let rows = 0;
  let macroRows = 0;
  after(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    process.stdout.write(`\n  asm line map vs DWARF: ${rows} rows identical, ${macroRows} macro-body rows mapped to the invocation instead\n`);
  });
  const readFile = (p: string): Uint8Array | undefined => (fs.existsSync(p) ? new Uint8Array(fs.readFileSync(p)) : undefined);
  for (const c of listPrograms()) {
    it(`${c.name}`, () => {
      const src = path.join(PROGRAM_DIR, c.name + '.asm');
      const obj = path.join(dir, c.name + '.o');
      const exe = path.join(dir, c.name);
      assert.strictEqual(spawnSync('nasm', ['-f', c.bits === 64 ? 'elf64' : 'elf32', '-g', '-F', 'dwarf', '-I', PROGRAM_DIR + '/', '-o', obj, src]).status, 0);
      assert.strictEqual(spawnSync('ld', [...(c.bits === 32 ? ['-m', 'elf_i386'] : []), '-o', exe, obj]).status, 0);
      const native = loadElf(new Uint8Array(fs.readFileSync(exe)), exe);
      assert.ok(native.ok && native.program.lineMap.length > 0, 'no DWARF lines');
      const ours = assemble(c.source, { fileName: src, readFile, format: c.bits === 64 ? 'elf64' : 'elf32' });
      assert.ok(ours.ok);
      const bodies = new Map<string, Set<number>>();
      const bad: string[] = [];
      for (const e of native.program.lineMap) {
        const mine = ours.program.lineMap.find((x) => e.address >= x.address && e.address < x.address + x.length);
        const theirs = `${path.basename(e.location.file)}:${e.location.line}`;
        const got = mine ? `${path.basename(mine.location.file)}:${mine.location.line}` : 'none';
        if (got === theirs) {
          rows++;
          continue;
        }
        const file = path.join(PROGRAM_DIR, path.basename(e.location.file));
        if (!bodies.has(file)) bodies.set(file, fs.existsSync(file) ? macroBodyLines(file) : new Set());
        if (mine && bodies.get(file)!.has(e.location.line)) {
          macroRows++;
          continue;
        }
        bad.push(`0x${e.address.toString(16)}: DWARF ${theirs}, ours ${got}`);
      }
      assert.deepStrictEqual(bad.slice(0, 10), []);
    });
  }
});
