// The command line: `x86dbg asm` writes the same flat file nasm writes, and an ELF that runs on this
// machine; `x86dbg disasm` reads it back as the instructions written; errors exit 1 with file:line:col.
import * as assert from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { spawnSync } from 'child_process';
import { asmCommand } from '../../src/cli/asmCommand';
import { disasmCommand } from '../../src/cli/disasmCommand';

async function capture(fn: () => Promise<number>): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const o = process.stdout.write.bind(process.stdout);
  const e = process.stderr.write.bind(process.stderr);
  process.stdout.write = ((s: string) => (out.push(String(s)), true)) as typeof process.stdout.write;
  process.stderr.write = ((s: string) => (err.push(String(s)), true)) as typeof process.stderr.write;
  try {
    const code = await fn();
    return { code, out: out.join(''), err: err.join('') };
  } finally {
    process.stdout.write = o;
    process.stderr.write = e;
  }
}

describe('x86dbg asm / disasm', function () {
  this.timeout(30000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-asmcli-'));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('asm --format com writes exactly what nasm -f bin writes, plus a listing', async () => {
    const src = path.join(dir, 'hello.asm');
    fs.writeFileSync(src, 'org 100h\n  mov dx, msg\n  mov ah, 9\n  int 21h\n  ret\nmsg: db "Hello$"\n');
    const r = await capture(() => asmCommand([src, '-o', path.join(dir, 'hello.com'), '--format', 'com', '--listing', path.join(dir, 'hello.lst')]));
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(spawnSync('nasm', ['-f', 'bin', src, '-o', path.join(dir, 'nasm.com')]).status, 0);
    assert.deepStrictEqual(fs.readFileSync(path.join(dir, 'hello.com')), fs.readFileSync(path.join(dir, 'nasm.com')));
    assert.match(fs.readFileSync(path.join(dir, 'hello.lst'), 'utf8'), /^\s+2 00000100 BA0801\s+mov dx, msg$/m);
  });

  it('asm --format elf64 writes a static executable that runs natively', async () => {
    const src = path.join(dir, 'exit.asm');
    fs.writeFileSync(src, 'section .text\nglobal _start\n_start:\n  mov eax, 60\n  mov edi, 42\n  syscall\n');
    const exe = path.join(dir, 'exit');
    const r = await capture(() => asmCommand([src, '-o', exe, '--format', 'elf64']));
    assert.strictEqual(r.code, 0, r.err);
    assert.strictEqual(spawnSync(exe).status, 42);
  });

  it('asm reports errors as file:line:col and exits 1', async () => {
    const src = path.join(dir, 'bad.asm');
    fs.writeFileSync(src, 'nop\n  mvo eax, 1\n');
    const r = await capture(() => asmCommand([src, '-o', path.join(dir, 'bad.bin')]));
    assert.strictEqual(r.code, 1);
    assert.strictEqual(r.err.trim(), `${src}:2:3: error: 'mvo' is not an instruction or directive`);
  });

  it('disasm reads a flat binary back at its origin', async () => {
    const bin = path.join(dir, 'boot.bin');
    fs.writeFileSync(bin, Buffer.from([0xb8, 0x34, 0x12, 0xeb, 0xfb, 0xcd, 0x10]));
    const r = await capture(() => disasmCommand([bin, '--bits', '16', '--org', '0x7c00']));
    assert.strictEqual(r.code, 0, r.err);
    assert.deepStrictEqual(r.out.trim().split('\n').map((l) => l.replace(/\s+/g, ' ')), ['00007C00 B83412 mov ax, 0x1234', '00007C03 EBFB jmp 0x7c00', '00007C05 CD10 int 0x10']);
  });
});
