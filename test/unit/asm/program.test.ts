// What the assembler's Program carries for the debugger: symbols with size and element size from the
// defining directive, the line map across %include and macro expansions (the invocation line), the
// entry point, segments per format, and the inferred environment and bits. Values are worked out by
// hand from the source (nasm's own byte/listing agreement is checked in test/differential).
import * as assert from 'assert';
import { assemble, type AssembleResult } from '../../../src/asm/assembler';

function ok(r: AssembleResult): Extract<AssembleResult, { ok: true }> {
  if (!r.ok) assert.fail(r.diagnostics.map((d) => `${d.line}:${d.column} ${d.message}`).join('\n'));
  return r;
}

function sym(r: Extract<AssembleResult, { ok: true }>, name: string) {
  const s = r.program.symbols.find((x) => x.name === name);
  assert.ok(s, `no symbol ${name}`);
  return s;
}

describe('assembler Program', () => {
  it('symbols carry size and element size from db/dw/dd/dq/dt, strings, TIMES and RES*', () => {
    const r = ok(assemble(['section .data', 'msg: db "hello", 10, 0', 'w: dw 1, 2, 3', 'arr: times 10 dd 0', 'q dq 1.5', 't: dt 2.5', 'section .bss', 'buf: resb 64', 'qs: resq 4', 'section .text', '_start: mov eax, [w]', 'ret'].join('\n'), { fileName: 'p.asm', format: 'elf32' }));
    const want: Record<string, [string, number, number]> = { msg: ['data', 7, 1], w: ['data', 6, 2], arr: ['data', 40, 4], q: ['data', 8, 8], t: ['data', 10, 10], buf: ['data', 64, 1], qs: ['data', 32, 8], _start: ['code', 0, 0] };
    for (const [name, [kind, size, elementSize]] of Object.entries(want)) {
      const s = sym(r, name);
      assert.deepStrictEqual([s.kind, s.size, s.elementSize], [kind, size, elementSize], name);
    }
    assert.strictEqual(sym(r, 'msg').section, '.data');
    assert.strictEqual(sym(r, 'buf').section, '.bss');
  });

  it('a label on its own line takes the data that follows; EQU is a constant', () => {
    const r = ok(assemble('org 0x100\nvalues:\n  dw 1, 2\n  dw 3\ncount equ ($ - values) / 2\n  db count\n', { fileName: 'p.asm' }));
    assert.deepStrictEqual([sym(r, 'values').size, sym(r, 'values').elementSize, sym(r, 'values').address], [6, 2, 0x100]);
    assert.deepStrictEqual([sym(r, 'count').kind, sym(r, 'count').address], ['constant', 3]);
  });

  it('line map: every instruction line, %include lines in their own file, macro lines at the invocation', () => {
    const files: Record<string, string> = { '/src/lib.inc': '; lib\nhelper:\n  inc eax\n  ret\n' };
    const src = ['bits 32', 'org 0x1000', '%macro twice 0', '  nop', '  nop', '%endmacro', 'start:', '  mov eax, 1', '  twice', '  call helper', '  jmp start', '%include "lib.inc"', 'data: db 1, 2, 3'].join('\n');
    const r = ok(assemble(src, { fileName: '/src/main.asm', readFile: (p) => (files[p] ? new TextEncoder().encode(files[p]) : undefined) }));
    const map = r.program.lineMap.map((e) => `${e.address.toString(16)}+${e.length} ${e.location.file.split('/').pop()}:${e.location.line}${e.isInstruction ? '' : ' data'}`);
    assert.deepStrictEqual(map, ['1000+5 main.asm:8', '1005+1 main.asm:9', '1006+1 main.asm:9', '1007+5 main.asm:10', '100c+2 main.asm:11', '100e+1 lib.inc:3', '100f+1 lib.inc:4', '1010+3 main.asm:13 data']);
    assert.strictEqual(sym(r, 'helper').address, 0x100e);
    assert.strictEqual(sym(r, 'helper').location?.file, '/src/lib.inc');
  });

  it('%rep body lines map to their own lines, each iteration at its own address', () => {
    const r = ok(assemble('bits 16\n%rep 3\n  inc ax\n  dec bx\n%endrep\n', { fileName: 'r.asm' }));
    assert.deepStrictEqual(r.program.lineMap.map((e) => `${e.address}:${e.location.line}`), ['0:3', '1:4', '2:3', '3:4', '4:3', '5:4']);
  });

  it('infers the environment, bits, format and entry', () => {
    const cases: [string, string, number, string, number][] = [
      ['global _start\nsection .text\n_start: mov rax, 60\n syscall\n', 'linux', 64, 'elf64', 0x401000],
      ['section .text\nglobal _start\n_start: mov eax, 1\n int 0x80\n', 'linux', 32, 'elf32', 0x8049000],
      ['org 100h\n mov ah, 9\n int 21h\n ret\n', 'dos', 16, 'com', 0x100],
      ['org 0x7c00\nbits 16\n jmp $\n times 510-($-$$) db 0\n dw 0xaa55\n', 'boot', 16, 'bin', 0x7c00],
      ['bits 32\nnop\n', 'bare', 32, 'bin', 0],
      ['bits 16\nstart: nop\nbits 32\n..start: nop\n', 'bare', 32, 'bin', 1],
    ];
    for (const [src, env, bits, format, entry] of cases) {
      const r = ok(assemble(src, { fileName: 'i.asm' }));
      assert.deepStrictEqual([r.program.environment, r.program.bits, r.format, r.program.entry], [env, bits, format, entry], src);
    }
  });

  it('Linux layout: .text, .rodata, .data+.bss at the addresses ld 2.40 gives (checked with nm), with permissions', () => {
    const r = ok(assemble('section .text\nglobal _start\n_start: nop\nsection .rodata\nr: db 1\nsection .data\nd: db 2\nsection .bss\nb: resd 1\n', { fileName: 'l.asm', format: 'elf64' }));
    const segs = r.program.segments.map((s) => `${s.name}@${s.address.toString(16)} ${s.bytes.length}/${s.memSize} ${s.permissions.read ? 'r' : '-'}${s.permissions.write ? 'w' : '-'}${s.permissions.execute ? 'x' : '-'}`);
    assert.deepStrictEqual(segs, ['.text@401000 1/1 r-x', '.rodata@402000 1/1 r--', '.data@403004 1/8 rw-']);
    assert.deepStrictEqual([sym(r, 'r').address, sym(r, 'd').address, sym(r, 'b').address], [0x402000, 0x403004, 0x403008]);
  });

  it('flat binaries: one image segment from ORG holding the file, .bss in memSize only', () => {
    const r = ok(assemble('org 0x100\nnop\nsection .data\nx: db 5\nsection .bss\ny: resb 16\n', { fileName: 'f.asm' }));
    assert.strictEqual(r.program.segments.length, 1);
    const s = r.program.segments[0];
    assert.deepStrictEqual([s.address, Array.from(s.bytes), s.memSize], [0x100, [0x90, 0, 0, 0, 5], 0x118 - 0x100]);
    assert.deepStrictEqual(Array.from(r.image), [0x90, 0, 0, 0, 5]);
  });
});
