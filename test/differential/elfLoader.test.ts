// The ELF loader against binutils: executables built here by nasm + ld and by gcc -static (C and .S,
// 64- and 32-bit, DWARF 2 to 5) are loaded, and entry, PT_LOAD segments, .symtab symbols and the
// DWARF line map are compared with what readelf and objdump --dwarf=decodedline print.
import { strict as assert } from 'assert';
import { readFileSync, realpathSync, writeFileSync, mkdirSync } from 'fs';
import { join } from 'path';
import { loadBinary } from '../../src/asm/loadBinary';
import type { Program } from '../../src/asm/program';
import { hasTool, makeTempDir, mustRun } from './native/toolchain';
import { addressRangesFromDecodedLines, basename, objdumpDecodedLines, readelfEntry, readelfLoads, readelfSectionFlags, readelfSymbols } from './native/elfTools';

const NASM64 = `; a 64-bit program with data, bss and an included file
%include "inc/exit.inc"
section .text
global _start
_start:
  mov eax, 1
  mov edi, 1
  lea rsi, [rel msg]
  mov edx, msglen
  syscall
  inc qword [counter]
  EXIT 0
helper:
  ret
section .data
msg: db "hello", 10
msglen equ $ - msg
table: dd 1, 2, 3
section .bss
counter: resq 1
`;
const NASM_INC = `%macro EXIT 1
  mov eax, 60
  mov edi, %1
  syscall
%endmacro
`;
const NASM32 = `bits 32
section .text
global _start
_start:
  mov eax, 4
  mov ebx, 1
  mov ecx, msg
  mov edx, 3
  int 0x80
  mov eax, 1
  xor ebx, ebx
  int 0x80
section .data
msg: db "hi", 10
section .bss
buf: resb 64
`;
const C_MAIN = `#include <stdio.h>
#include "sq.h"
int counter = 3;
static const char greeting[] = "squared";
int main(void) {
  counter = square(counter);
  printf("%s %d\\n", greeting, counter);
  return counter - 9;
}
`;
const C_HEADER = `static inline int square(int x) {
  return x * x;
}
`;
const GAS = `  .text
  .globl _start
_start:
  mov $60, %eax
  mov $3, %edi
  syscall
  .data
  .globl value
  .type value, @object
  .size value, 4
value: .long 42
`;

/** Loads `path` with loadBinary and compares it field by field with readelf/objdump. */
function checkAgainstBinutils(path: string, expectBits: 32 | 64, sources: string[]): Program {
  const bytes = readFileSync(path);
  const r = loadBinary(new Uint8Array(bytes), path);
  if (!r.ok) assert.fail(r.message);
  assert.equal(r.format, 'elf');
  assert.deepEqual(r.warnings, []);
  const p = r.program;
  assert.equal(p.bits, expectBits);
  assert.equal(p.environment, 'linux');
  assert.equal(p.entry, readelfEntry(path));

  const loads = readelfLoads(path);
  assert.equal(p.segments.length, loads.length);
  loads.forEach((l, i) => {
    const s = p.segments[i];
    assert.equal(s.address, l.vaddr, `segment ${i} address`);
    assert.equal(s.bytes.length, l.fileSize, `segment ${i} file size`);
    assert.equal(s.memSize, l.memSize, `segment ${i} memory size`);
    assert.equal((s.permissions.read ? 'R' : '') + (s.permissions.write ? 'W' : '') + (s.permissions.execute ? 'E' : ''), l.flags, `segment ${i} flags`);
    assert.ok(Buffer.from(s.bytes).equals(bytes.subarray(l.offset, l.offset + l.fileSize)), `segment ${i} bytes`);
  });

  const flags = readelfSectionFlags(path);
  const expected = readelfSymbols(path)
    .filter((s) => ['NOTYPE', 'OBJECT', 'FUNC', 'TLS'].includes(s.type) && s.ndx !== 'UND' && s.ndx !== 'COM' && s.name !== '')
    .map((s) => {
      const kind = s.ndx === 'ABS' ? 'constant' : s.type === 'FUNC' ? 'code' : s.type === 'NOTYPE' ? ((flags.get(parseInt(s.ndx, 10)) ?? '').includes('X') ? 'code' : 'data') : 'data';
      return `${s.name}@${s.value.toString(16)}:${kind}:${s.size}:${s.bind !== 'LOCAL'}`;
    })
    .sort();
  const actual = p.symbols.map((s) => `${s.name}@${s.address.toString(16)}:${s.kind}:${s.size}:${s.global === true}`).sort();
  assert.deepEqual(actual, expected);
  assert.ok(actual.length > 0);

  const want = addressRangesFromDecodedLines(objdumpDecodedLines(path));
  const got = p.lineMap.map((e) => `${e.address.toString(16)}+${e.length} ${basename(e.location.file)}:${e.location.line}`).sort();
  assert.deepEqual(got, want);
  assert.ok(got.length > 0, 'the program has line information');
  const files = new Set(p.lineMap.map((e) => e.location.file));
  for (const src of sources) assert.ok(files.has(src), `line map names ${src} by its absolute path (has: ${[...files].join(', ')})`);
  for (let i = 1; i < p.lineMap.length; i++) assert.ok(p.lineMap[i].address >= p.lineMap[i - 1].address + p.lineMap[i - 1].length, 'line map sorted, not overlapping');
  return p;
}

describe('ELF loader vs readelf/objdump (nasm + ld, gcc -static)', function () {
  this.timeout(120000);
  let dir = '';
  let cleanup = (): void => undefined;

  before(function () {
    if (!hasTool('nasm') || !hasTool('gcc') || !hasTool('readelf')) this.skip();
    const t = makeTempDir('elfload');
    dir = realpathSync(t.dir);
    cleanup = t.cleanup;
    mkdirSync(join(dir, 'inc'));
    writeFileSync(join(dir, 'prog64.asm'), NASM64);
    writeFileSync(join(dir, 'inc', 'exit.inc'), NASM_INC);
    writeFileSync(join(dir, 'prog32.asm'), NASM32);
    writeFileSync(join(dir, 'main.c'), C_MAIN);
    writeFileSync(join(dir, 'inc', 'sq.h'), C_HEADER);
    writeFileSync(join(dir, 'start.S'), GAS);
  });
  after(() => cleanup());

  it('nasm -f elf64 -g -F dwarf + ld: entry, segments, symbols, lines (with %include)', () => {
    mustRun('nasm', ['-f', 'elf64', '-g', '-F', 'dwarf', 'prog64.asm', '-o', 'prog64.o'], dir);
    mustRun('ld', ['prog64.o', '-o', 'prog64'], dir);
    const p = checkAgainstBinutils(join(dir, 'prog64'), 64, [join(dir, 'prog64.asm')]);
    const byName = new Map(p.symbols.map((s) => [s.name, s]));
    assert.equal(byName.get('_start')?.kind, 'code');
    assert.equal(byName.get('_start')?.global, true);
    assert.equal(byName.get('helper')?.kind, 'code');
    assert.equal(byName.get('msg')?.kind, 'data');
    assert.equal(byName.get('counter')?.section, '.bss');
    assert.equal(byName.get('msglen')?.kind, 'constant');
    assert.equal(byName.get('msglen')?.address, 6);
  });

  it('nasm -f elf32 -g -F dwarf + ld -m elf_i386', () => {
    mustRun('nasm', ['-f', 'elf32', '-g', '-F', 'dwarf', 'prog32.asm', '-o', 'prog32.o'], dir);
    mustRun('ld', ['-m', 'elf_i386', 'prog32.o', '-o', 'prog32'], dir);
    checkAgainstBinutils(join(dir, 'prog32'), 32, [join(dir, 'prog32.asm')]);
  });

  for (const v of [2, 3, 4, 5]) {
    it(`gcc -g -gdwarf-${v} -static (C with an inline function from an include directory)`, () => {
      mustRun('gcc', ['-g', `-gdwarf-${v}`, '-O1', '-static', '-Iinc', 'main.c', '-o', `c${v}`], dir);
      const p = checkAgainstBinutils(join(dir, `c${v}`), 64, [join(dir, 'main.c'), join(dir, 'inc', 'sq.h')]);
      const byName = new Map(p.symbols.map((s) => [s.name, s]));
      assert.equal(byName.get('main')?.kind, 'code');
      assert.ok((byName.get('main')?.size ?? 0) > 0);
      assert.equal(byName.get('counter')?.kind, 'data');
      assert.equal(byName.get('counter')?.size, 4);
      assert.equal(byName.get('greeting')?.size, 8);
    });
  }

  it('gcc -m32 -g -static (ELF32 C program, DWARF 5)', () => {
    mustRun('gcc', ['-m32', '-g', '-static', '-Iinc', 'main.c', '-o', 'c32'], dir);
    checkAgainstBinutils(join(dir, 'c32'), 32, [join(dir, 'main.c'), join(dir, 'inc', 'sq.h')]);
  });

  it('gcc -g -static -nostdlib on a .S file (gas line info), 64- and 32-bit', () => {
    mustRun('gcc', ['-g', '-static', '-nostdlib', 'start.S', '-o', 's64'], dir);
    const p = checkAgainstBinutils(join(dir, 's64'), 64, [join(dir, 'start.S')]);
    assert.equal(p.symbols.find((s) => s.name === 'value')?.kind, 'data');
    mustRun('gcc', ['-m32', '-g', '-static', '-nostdlib', 'start.S', '-o', 's32'], dir);
    checkAgainstBinutils(join(dir, 's32'), 32, [join(dir, 'start.S')]);
  });
});
