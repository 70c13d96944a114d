// The ELF, flat and .COM writers against outside truth: programs written by writeElf run on this
// machine's Linux with the same output and exit code as the ld-built originals, read back equal,
// and flat images equal `objcopy -O binary`. 32-bit executables run only where the kernel allows.
import { strict as assert } from 'assert';
import { chmodSync, readFileSync, realpathSync, writeFileSync } from 'fs';
import { join } from 'path';
import { loadBinary } from '../../src/asm/loadBinary';
import { loadFlatBinary } from '../../src/asm/binaryLoaders';
import { writeElf } from '../../src/asm/elfWriter';
import { writeComFile, writeFlatBinary } from '../../src/asm/binaryWriters';
import type { Program } from '../../src/asm/program';
import { canRun32BitExecutables, hasTool, makeTempDir, mustRun, runTool } from './native/toolchain';
import { addressRangesFromDecodedLines, objdumpDecodedLines, readelfLoads } from './native/elfTools';

const PROG64 = `section .text
global _start
_start:
  mov eax, 1
  mov edi, 1
  lea rsi, [rel msg]
  mov edx, len
  syscall
  add qword [counter], 5
  mov rdi, [counter]
  add rdi, [bonus]
  mov eax, 60
  syscall
section .data
msg: db "written by x86dbg", 10
len equ $ - msg
bonus: dq 37
section .bss
counter: resq 4
`;
const PROG32 = `bits 32
section .text
global _start
_start:
  mov eax, 4
  mov ebx, 1
  mov ecx, msg
  mov edx, 3
  int 0x80
  mov eax, 1
  mov ebx, [code]
  int 0x80
section .data
msg: db "32", 10
code: dd 23
`;
/** A hand-placed 64-bit flat program (nasm -f bin, org in the usual ELF text area). */
const FLAT64 = `bits 64
org 0x401000
  mov eax, 1
  mov edi, 1
  lea rsi, [rel text]
  mov edx, 6
  syscall
  mov eax, 60
  mov edi, 12
  syscall
text: db "flat!", 10
`;

function load(path: string): Program {
  const r = loadBinary(new Uint8Array(readFileSync(path)), path);
  if (!r.ok) assert.fail(r.message);
  return r.program;
}

function write(p: Program, path: string, elfClass?: 32 | 64): void {
  const w = writeElf(p, elfClass ? { elfClass } : {});
  if (!w.ok) assert.fail(w.message);
  writeFileSync(path, w.bytes);
  chmodSync(path, 0o755);
}

function sameImage(a: Program, b: Program): void {
  assert.equal(b.entry, a.entry);
  assert.equal(b.bits, a.bits);
  assert.deepEqual(b.segments.map((s) => [s.address, s.memSize, s.permissions, Buffer.from(s.bytes).toString('hex')]),
    a.segments.map((s) => [s.address, s.memSize, s.permissions, Buffer.from(s.bytes).toString('hex')]));
  const key = (p: Program): string[] => p.symbols.map((s) => `${s.name}@${s.address}:${s.kind}:${s.size}:${s.global === true}`).sort();
  assert.deepEqual(key(b), key(a));
}

describe('ELF/flat/.COM writers (native execution, round trip, objcopy)', function () {
  this.timeout(120000);
  let dir = '';
  let cleanup = (): void => undefined;

  before(function () {
    if (!hasTool('nasm') || !hasTool('ld') || !hasTool('objcopy')) this.skip();
    const t = makeTempDir('elfwrite');
    dir = realpathSync(t.dir);
    cleanup = t.cleanup;
    writeFileSync(join(dir, 'p64.asm'), PROG64);
    writeFileSync(join(dir, 'p32.asm'), PROG32);
    writeFileSync(join(dir, 'flat64.asm'), FLAT64);
    mustRun('nasm', ['-f', 'elf64', 'p64.asm', '-o', 'p64.o'], dir);
    mustRun('ld', ['p64.o', '-o', 'p64'], dir);
    mustRun('nasm', ['-f', 'elf32', 'p32.asm', '-o', 'p32.o'], dir);
    mustRun('ld', ['-m', 'elf_i386', 'p32.o', '-o', 'p32'], dir);
  });
  after(() => cleanup());

  it('ELF64 rewritten from an ld executable runs natively with the same output and exit code', () => {
    const original = runTool(join(dir, 'p64'), []);
    assert.equal(original.status, 42);
    write(load(join(dir, 'p64')), join(dir, 'p64.out'));
    const rewritten = runTool(join(dir, 'p64.out'), []);
    assert.equal(rewritten.spawnError, undefined);
    assert.equal(rewritten.stdout.toString(), 'written by x86dbg\n');
    assert.equal(rewritten.status, original.status);
  });

  it('ELF64 of a hand-built Program (nasm -f bin bytes, no ld involved) runs natively', () => {
    mustRun('nasm', ['-f', 'bin', 'flat64.asm', '-o', 'flat64.bin'], dir);
    const p = loadFlatBinary(new Uint8Array(readFileSync(join(dir, 'flat64.bin'))), { org: 0x401000, bits: 64, environment: 'linux' });
    p.segments[0].permissions = { read: true, write: false, execute: true };
    p.symbols.push({ name: 'text', address: 0x401000 + 30, kind: 'data', size: 6, elementSize: 1, global: true });
    write(p, join(dir, 'flat64.elf'));
    const r = runTool(join(dir, 'flat64.elf'), []);
    assert.equal(r.stdout.toString(), 'flat!\n');
    assert.equal(r.status, 12);
    const back = load(join(dir, 'flat64.elf'));
    assert.equal(back.symbols.find((s) => s.name === 'text')?.kind, 'data');
    assert.equal(readFileSync(join(dir, 'flat64.elf')).subarray(0, 4).toString('latin1'), '\x7fELF');
  });

  it('gcc -static C program survives load → writeElf → run', function () {
    if (!hasTool('gcc')) this.skip();
    writeFileSync(join(dir, 'c.c'), '#include <stdio.h>\nint v = 5;\nint main(void){ printf("v=%d\\n", v * 7); return v; }\n');
    mustRun('gcc', ['-static', '-O1', 'c.c', '-o', 'c'], dir);
    write(load(join(dir, 'c')), join(dir, 'c.out'));
    const r = runTool(join(dir, 'c.out'), []);
    assert.equal(r.stdout.toString(), 'v=35\n');
    assert.equal(r.status, 5);
  });

  it('ELF64 and ELF32 round trip: load(writeElf(load(x))) equals load(x)', () => {
    for (const name of ['p64', 'p32']) {
      const a = load(join(dir, name));
      write(a, join(dir, `${name}.rt`));
      sameImage(a, load(join(dir, `${name}.rt`)));
      const headers = mustRun('readelf', ['-hlSsW', join(dir, `${name}.rt`)]).toString();
      assert.match(headers, name === 'p64' ? /Class:\s+ELF64/ : /Class:\s+ELF32/);
    }
  });

  it('ELF32 written from an ld executable: same disassembly; runs natively where the kernel runs 32-bit code', function () {
    const a = load(join(dir, 'p32'));
    write(a, join(dir, 'p32.out'), 32);
    const dis = (f: string): string => mustRun('objdump', ['-d', '-M', 'intel', join(dir, f)]).toString().split('\n').filter((l) => /^\s+[0-9a-f]+:/.test(l)).join('\n');
    assert.equal(dis('p32.out'), dis('p32'));
    if (!canRun32BitExecutables()) this.skip();
    const r = runTool(join(dir, 'p32.out'), []);
    assert.equal(r.stdout.toString(), '32\n');
    assert.equal(r.status, 23);
  });

  it('DWARF lines written from the line map: objdump and gdb read the same lines as from nasm -g + ld', () => {
    mustRun('nasm', ['-f', 'elf64', '-g', '-F', 'dwarf', 'p64.asm', '-o', 'p64g.o'], dir);
    mustRun('ld', ['p64g.o', '-o', 'p64g'], dir);
    const a = load(join(dir, 'p64g'));
    assert.ok(a.lineMap.length >= 10);
    write(a, join(dir, 'p64g.out'));
    assert.equal(runTool(join(dir, 'p64g.out'), []).status, 42);
    const ranges = (f: string): string[] => addressRangesFromDecodedLines(objdumpDecodedLines(join(dir, f)));
    assert.deepEqual(ranges('p64g.out'), ranges('p64g'));
    assert.deepEqual(load(join(dir, 'p64g.out')).lineMap, a.lineMap);
    if (!hasTool('gdb')) return;
    const info = (f: string): string => mustRun('gdb', ['-nx', '-batch', '-ex', 'info line p64.asm:9', '-ex', 'info line *0x401010', join(dir, f)]).toString().replace(/"[^"]*p64\.asm"/g, 'p64.asm');
    const fromOurs = info('p64g.out');
    assert.match(fromOurs, /Line 9 of p64\.asm starts at address 0x[0-9a-f]+/);
    assert.equal(fromOurs, info('p64g'));
  });

  it('flat image equals objcopy -O binary of the same executable', () => {
    const p = load(join(dir, 'p64'));
    // objcopy writes sections only: leave out the PT_LOAD that maps just the ELF headers (offset 0).
    const headerLoad = readelfLoads(join(dir, 'p64')).find((l) => l.offset === 0);
    const sections = { ...p, segments: p.segments.filter((s) => s.address !== headerLoad?.vaddr) };
    assert.ok(sections.segments.length >= 2);
    const w = writeFlatBinary(sections);
    if (!w.ok) assert.fail(w.message);
    mustRun('objcopy', ['-O', 'binary', 'p64', 'p64.bin'], dir);
    assert.ok(Buffer.from(w.bytes).equals(readFileSync(join(dir, 'p64.bin'))), 'flat image differs from objcopy -O binary');
  });

  it('.COM written from a .COM program assembled by nasm -f bin is byte-identical', () => {
    writeFileSync(join(dir, 'hello.asm'), 'org 0x100\nmov dx, msg\nmov ah, 9\nint 0x21\nmov ax, 0x4c00\nint 0x21\nmsg: db "hello$"\n');
    mustRun('nasm', ['-f', 'bin', 'hello.asm', '-o', 'hello.com'], dir);
    const bytes = readFileSync(join(dir, 'hello.com'));
    const p = load(join(dir, 'hello.com'));
    assert.equal(p.environment, 'dos');
    const w = writeComFile(p);
    if (!w.ok) assert.fail(w.message);
    assert.ok(Buffer.from(w.bytes).equals(bytes));
  });
});
