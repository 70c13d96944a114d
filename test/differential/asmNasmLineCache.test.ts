// Repeated source lines against nasm: the preprocessor hands a source line it saw pass through
// unchanged out again without lexing it, and the assembler reuses the parsed (and encoded) body of
// a repeated token array. These sources repeat lines across everything that must end that reuse —
// a %define or %macro that changes what a word means, BITS, a label a `.local` name qualifies
// with, %if skipping, a %macro body being collected, %rep and macro bodies, repeated macro
// invocations (their bindings and substituted lines are remembered) with %%labels, %0, nested
// invocations, %if on a parameter and a macro redefined in between, a repeated `.local: insn` line
// under different labels — and compare the bytes,
// the listing line by line, and the lines nasm reports diagnostics on.
import * as assert from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { assertSameAsNasm, hex, runOurs } from './asmNasm';

const SOURCE = `bits 32
VAL equ 3
  nop
  mov eax, VAL
  mov eax, VAL
%define VAL 7
  mov eax, VAL
  mov eax, VAL
  add [ebx+4], eax
a:
  jmp .x
.x:
  jmp .x
b:
  jmp .x
  jmp .x
.x:
  db 1, 2
  times 3 nop
  times 3 nop
%if 0
  add [ebx+4], eax
%endif
  add [ebx+4], eax
%macro twice 0
  add [ebx+4], eax
  nop
%endmacro
  twice
  twice
%rep 3
  add [ebx+4], eax
  inc eax
%endrep
  nop
%macro nop 0
  int3
%endmacro
  nop
  nop
  add [ebx+4], eax
bits 64
default rel
  add [ebx+4], eax
  mov eax, [v]
  nop
  mov eax, [v]
  db 1, 2
  times 3 nop
  twice
%macro skipper 1
  jmp %%over
  db %1, %0
%%over:
  inner %1
%if %1 > 2
  nop
%endif
%endmacro
%macro inner 1
  add eax, %1
%endmacro
  skipper 3
  skipper 3
  skipper 3
  skipper 1
  skipper 3
%macro inner 1
  sub eax, %1
%endmacro
  skipper 3
  skipper 3
%define W 5
  skipper W
  skipper W
%undef W
%define W 6
  skipper W
  skipper W
  skipper W
fa:
.l: inc eax
  jmp .l
fb:
.l: inc eax
  jmp .l
fc:
.l: inc eax
  jmp .l
fd:
.l: inc eax
  jmp fc.l
v: dd 0
`;

/** The lines nasm reports warnings and errors on (default warnings). */
function nasmDiagnosticLines(source: string): { errors: number[]; warnings: number[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-linecache-'));
  try {
    const src = path.join(dir, 'src.asm');
    fs.writeFileSync(src, source);
    const r = spawnSync('nasm', ['-f', 'bin', '-o', path.join(dir, 'out.bin'), src], { encoding: 'utf8' });
    const errors: number[] = [];
    const warnings: number[] = [];
    for (const m of r.stderr.matchAll(/src\.asm:(\d+): (error|warning):/g)) (m[2] === 'error' ? errors : warnings).push(Number(m[1]));
    return { errors, warnings };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe('asm: repeated source lines against nasm (line and parse reuse)', function () {
  this.timeout(60000);

  it('bytes and listing rows identical to nasm -f bin', () => {
    const { nasm, ours } = assertSameAsNasm(SOURCE);
    const byLine = new Map<number, string>();
    for (const l of ours.listing) byLine.set(l.line, (byLine.get(l.line) ?? '') + hex(l.bytes));
    let compared = 0;
    for (const row of nasm.rows) {
      if (row.level !== 0 || row.inexact) continue;
      assert.strictEqual(byLine.get(row.line) ?? '', row.hex, `line ${row.line}: ${SOURCE.split('\n')[row.line - 1]}`);
      compared++;
    }
    assert.ok(compared >= 15, `only ${compared} listing rows compared`);
  });

  it('a repeated line is reported on each of its lines, as nasm does', () => {
    const source = ['bits 32', '  mov al, 300', '  mov al, 300', '  mov eax, [nosuch]', '  nop', '  mov eax, [nosuch]', '  mov al, 300', ''].join('\n');
    const nasm = nasmDiagnosticLines(source);
    assert.deepStrictEqual(nasm, { errors: [4, 6], warnings: [2, 3, 7] });
    const ours = runOurs(source, 'src.asm');
    assert.ok(!ours.ok);
    const lines = (severity: string): number[] => ours.diagnostics.filter((d) => d.severity === severity).map((d) => d.line).sort((x, y) => x - y);
    assert.deepStrictEqual({ errors: lines('error'), warnings: lines('warning') }, nasm);
  });
});
