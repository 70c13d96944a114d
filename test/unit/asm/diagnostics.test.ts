// Diagnostics: each case is a small source, the first diagnostic's severity, line, column range and the
// exact message a student sees. Plus: one run reports every error it finds, not just the first.
import * as assert from 'assert';
import { assemble } from '../../../src/asm/assembler';

type Case = [source: string, severity: 'error' | 'warning', line: number, column: number, endColumn: number, message: string];

const cases: Case[] = [
  ["mov eax, 1 +", 'error', 1, 12, 13, "operand: expected an expression after '+'"],
  ["mvo eax, 1", 'error', 1, 1, 4, "'mvo' is not an instruction or directive"],
  ["mov eax, [ebx", 'error', 1, 10, 11, "missing ']' to close the memory operand"],
  ["mov eax, [ebx*3 + ecx*2]", 'error', 1, 19, 22, "only one register in an address can be scaled"],
  ["mov eax, [eax*16]", 'error', 1, 10, 11, "scale 16 is not allowed: use 1, 2, 4 or 8"],
  ["db \"unterminated", 'error', 1, 4, 17, "unterminated string: missing closing \""],
  ["db 'abc", 'error', 1, 4, 8, "unterminated string: missing closing '"],
  ["dw 10, , 20", 'error', 1, 8, 9, "expected an expression, found ','"],
  ["db 0x", 'error', 1, 4, 6, "invalid number '0x'"],
  ["db 12q9", 'error', 1, 4, 8, "invalid number '12q9'"],
  // nasm reads 1.2.3 as one float constant: "too many periods in floating-point constant"
  ["dd 1.2.3", 'error', 1, 4, 9, "too many periods in floating-point constant ('1.2.3')"],
  ["times -1 db 0", 'error', 1, 1, 6, "TIMES count -1 is negative"],
  ["times 1000000000000 db 0", 'error', 1, 1, 6, "TIMES count 1000000000000 is too large (the limit is 67108864)"],
  ["resb -5", 'error', 1, 1, 5, "RESB count -5 is negative"],
  ["bits 48", 'error', 1, 1, 5, "BITS 48 is not valid: use 16, 32 or 64"],
  ["align 3", 'error', 1, 1, 6, "ALIGN boundary 3 is not a power of two"],
  ["jmp undefined_label", 'error', 1, 5, 20, "symbol 'undefined_label' is not defined"],
  ["mov eax, undefined_value + 4", 'error', 1, 10, 25, "symbol 'undefined_value' is not defined"],
  ["dd 5 / 0", 'error', 1, 6, 7, "division by zero"],
  ["dq 7 // 0", 'error', 1, 6, 8, "division by zero"],
  ["label: nop\nlabel: nop", 'error', 2, 1, 6, "symbol 'label' is already defined (at line 1)"],
  ["extern printf", 'error', 1, 8, 14, "EXTERN 'printf': this assembler builds a complete program without a linker, so 'printf' must be defined in this source (or an %include'd file)"],
  ["%error this is my message", 'error', 1, 1, 7, "this is my message"],
  ["%warning careful here", 'warning', 1, 1, 9, "careful here"],
  ["%fatal stop here", 'error', 1, 1, 7, "stop here"],
  ["%if 1\nnop", 'error', 2, 1, 2, "%if has no matching %endif before the end of 'd.asm'"],
  ["%endif", 'error', 1, 1, 7, "%endif without a matching %if"],
  ["%else", 'error', 1, 1, 6, "%else without a matching %if"],
  ["%elif 1", 'error', 1, 1, 6, "%elif without a matching %if"],
  ["%macro m 1\nnop", 'error', 1, 1, 7, "%macro 'm' has no matching %endmacro"],
  ["%endmacro", 'error', 1, 1, 10, "%endmacro without a matching %macro"],
  ["%endrep", 'error', 1, 1, 8, "%endrep without a matching %rep"],
  ["%rep 2\nnop", 'error', 1, 1, 5, "%rep has no matching %endrep"],
  ["%macro two 2\ndb %1, %2\n%endmacro\ntwo 1", 'error', 4, 1, 4, "macro 'two' expects 2 parameters, got 1"],
  ["%macro two 2\ndb %1, %2\n%endmacro\ntwo 1, 2, 3", 'error', 4, 1, 4, "macro 'two' expects 2 parameters, got 3"],
  ["%include \"missing.inc\"", 'error', 1, 10, 23, "cannot include 'missing.inc': no file access in this context"],
  ["incbin \"missing.bin\"", 'error', 1, 8, 21, "cannot read INCBIN file 'missing.bin': no file access in this context"],
  ["%if undefined_sym\n%endif", 'error', 1, 1, 4, "'undefined_sym' is not defined when the preprocessor evaluates %if"],
  ["%bogus directive", 'error', 1, 1, 7, "unknown preprocessor directive '%bogus'"],
  ["%define REC REC + 1\ndb REC", 'error', 2, 4, 7, "symbol 'REC' is not defined"],
  ["%macro rec 0\nrec\n%endmacro\nrec", 'error', 4, 1, 4, "macro 'rec' expands too deeply (more than 200 levels: is it calling itself without end?)"],
  ["%rep 2000000\n%endrep", 'error', 1, 1, 5, "%rep count 2000000 is too large (the limit is 1000000)"],
  ["mov eax, ebx, ecx", 'error', 1, 1, 4, "invalid combination of opcode and operands for 'mov'"],
  ["mov eax,", 'error', 1, 8, 9, "expected an operand after the comma"],
  ["db 1 2", 'error', 1, 6, 7, "expected ',' between values, found '2'"],
  ["equ 5", 'error', 1, 1, 4, "EQU needs a label before it: NAME equ VALUE"],
  ["x equ", 'error', 1, 3, 6, "EQU needs a value: expected an expression after 'equ'"],
  ["org 0x100\norg 0x200", 'error', 2, 1, 4, "ORG given twice with different addresses (0x100 and 0x200): a flat binary has one origin"],
  ["mov al, 0x1234", 'warning', 1, 9, 15, "value 4660 exceeds the bounds of a byte (8-bit) immediate: only its low 8 bits are used (as nasm does)"],
  ["bits 32\nadd eax, 0x100000005", 'warning', 2, 10, 21, "value 4294967301 exceeds the bounds of a dword (32-bit) immediate: only its low 32 bits are used (as nasm does)"],
  ["foo: mov ax, seg foo", 'error', 1, 14, 17, "SEG is not available here: a flat binary or an ELF program has no segment base to refer to (nasm says the same for -f bin and -f elf; only segmented formats such as -f obj have one); write the segment value as a number"],
  ["foo: mov ax, foo wrt bar", 'error', 1, 18, 21, "WRT is not available here: it asks an object-file format (nasm -f obj, or ELF's ..got/..plt) for a relocation relative to another segment or section, and this assembler writes complete flat or static programs; write the address without WRT"],
  ["jmp %$next", 'error', 1, 5, 11, "'%$next' is local to a context, but no context is open (use %push first)"],
  ["%push a\njmp %$$x\n%pop", 'error', 2, 5, 9, "'%$$x' refers to a context 1 below the innermost, but only 1 context is open"],
  ["bits 32\n%local y:dword", 'error', 2, 1, 7, "%local adds to %$localsize of the current context: write %push and %assign %$localsize 0 before it"],
  ["%arg x", 'error', 1, 6, 7, "%arg expects name:size pairs (size byte, word, dword, qword, tword, ...), e.g. %arg count:dword"],
  ["%stacksize huge", 'error', 1, 12, 16, "%stacksize takes one of flat, flat64, large or small"],
  ["%pop", 'error', 1, 1, 5, "%pop without a context: the context stack is empty (missing %push?)"],
  ["%push a\n%pop b", 'error', 2, 6, 7, "%pop b: the innermost context is 'a'"],
  ["%repl x", 'error', 1, 1, 6, "%repl without a context: the context stack is empty (missing %push?)"],
  ["dd __?float32?__(x)", 'error', 1, 18, 19, "__?float32?__ needs a floating-point constant such as 1.5, -2.0e3 or 0x1.8p3, not 'x'"],
  ["dd __float32__ + 1", 'error', 1, 4, 15, "__float32__ is a function: write __float32__(a floating-point constant)"],
  ["inc [ebx]", 'error', 1, 5, 6, "operation size not specified: write byte, word, dword or qword before the memory operand of 'inc'"],
  ["mov eax, rip", 'error', 1, 1, 4, "invalid combination of opcode and operands for 'mov'"],
  ["mov [eax + ebx + ecx], 1", 'error', 1, 18, 21, "a memory operand can use at most two registers (base + index*scale)"],
  ["mov eax, [ebx * ecx]", 'error', 1, 10, 11, "a register can only be multiplied by a constant"],
  ["mov eax, [es:fs:ebx]", 'error', 1, 14, 16, "more than one segment override in a memory operand"],
  ["section .text align=3", 'error', 1, 1, 8, "section alignment 3 is not a power of two"],
  ["struc s\n.a resb 1", 'error', 1, 1, 6, "STRUC 's' has no matching ENDSTRUC"],
  ["endstruc", 'error', 1, 1, 9, "ENDSTRUC without a matching STRUC"],
  ["iend", 'error', 1, 1, 5, "IEND without a matching ISTRUC"],
  ["at 5, db 1", 'error', 1, 1, 3, "AT outside ISTRUC ... IEND"],
  ["istruc nosuch\niend", 'error', 2, 1, 5, "'nosuch' is not a structure defined with STRUC ... ENDSTRUC"],
  ["absolute 0\ndb 1", 'error', 2, 1, 3, "code or data cannot be placed in ABSOLUTE or STRUC space (use RESB/RESW/... there)"],
  ["section .bss\ndb 1", 'warning', 2, 1, 3, "data in the uninitialised section '.bss' is ignored (only RESB/RESW/... belong there)"],
  ["mov eax, 1 ; fine\n   xor foo, 1", 'error', 2, 4, 7, "invalid combination of opcode and operands for 'xor'"],
  ["jmp short far_away\ntimes 200 nop\nfar_away: nop", 'error', 1, 5, 10, "short jump is out of range: the target is 198 bytes away, a short jump reaches -128..127"],
  ["push eax, ebx", 'error', 1, 1, 5, "invalid combination of opcode and operands for 'push'"],
  ["%substr x 'abc'", 'error', 1, 9, 10, "%substr expects a macro name, a string and a start position"],
  ["%strlen x", 'error', 1, 9, 10, "%strlen expects a macro name and a string"],
  ["global missing_symbol", 'warning', 1, 8, 22, "GLOBAL 'missing_symbol' is never defined"],
  ["mov byte eax, 1", 'error', 1, 10, 13, "the size keyword does not match register 'eax'"],
  ["dd 1.5e3x", 'error', 1, 4, 10, "invalid character in floating-point constant exponent: 'x' ('1.5e3x')"],
  ["%ifidn a\n%endif", 'error', 1, 1, 7, "%ifidn expects two comma-separated arguments"],
  ["stosb eax", 'error', 1, 1, 6, "invalid combination of opcode and operands for 'stosb'"],
  ["`bad\\xZZ`", 'error', 1, 1, 2, "bad \\x escape: expected hexadecimal digits"],
  ["mov eax, [ebx - ecx]", 'error', 1, 17, 20, "a register cannot be subtracted in an address: only base + index*scale + displacement"],
  ["db 1 @ 2", 'error', 1, 6, 7, "expected ',' between values, found '@'"],
  ["mov eax, (1 + 2", 'error', 1, 10, 11, "expected ')'"],
  ["mov eax, 1 ? 2", 'error', 1, 10, 11, "expected ':' in a ?: conditional expression"],
  ["%push f\n%stacksize flat\n%assign %$localsize 0\n%local buf:byte[16]", 'warning', 4, 16, 17, "%local stops at '[16]', as nasm does, and ignores it: there are no arrays here: 'buf' gets one byte slot (make room for an array by adding its size to %$localsize)"],
  ["%push f\n%stacksize flat\n%arg a:dword b:dword", 'warning', 3, 14, 15, "%arg stops at 'b:dword', as nasm does, and ignores it: separate the names with commas"],
];

describe('assembler diagnostics', () => {
  it(`has at least 50 cases`, () => assert.ok(cases.length >= 50, String(cases.length)));
  for (const [source, severity, line, column, endColumn, message] of cases) {
    it(`${JSON.stringify(source).slice(0, 60)} → ${message.slice(0, 50)}`, () => {
      const r = assemble(source, { fileName: 'd.asm', format: 'bin' });
      assert.strictEqual(r.ok, severity === 'warning', `ok should be ${severity === 'warning'}`);
      const d = r.diagnostics[0];
      assert.ok(d, 'no diagnostic');
      assert.deepStrictEqual(
        { severity: d.severity, file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, message: d.message },
        { severity, file: 'd.asm', line, column, endLine: line, endColumn, message },
      );
    });
  }

  it('reports every error of a run, each on its own line', () => {
    const src = ['mov eax, 1', 'mvo eax, 1', 'db "open', 'jmp nowhere', 'times -2 nop', 'inc [ebx]', 'bits 7', 'nop'].join('\n');
    const r = assemble(src, { fileName: 'many.asm', format: 'bin' });
    assert.strictEqual(r.ok, false);
    const lines = r.diagnostics.filter((d) => d.severity === 'error').map((d) => d.line).sort((a, b) => a - b);
    assert.deepStrictEqual(lines, [2, 3, 4, 5, 6, 7]);
  });

  it('reports errors inside %include files and macro bodies at the right place', () => {
    const files: Record<string, string> = { '/p/inc.asm': 'nop\nbogus_insn eax\n' };
    const src = '%include "inc.asm"\n%macro m 0\n  mov eax, [ebx*3 + ecx*3]\n%endmacro\nnop\nm\n';
    const r = assemble(src, { fileName: '/p/main.asm', format: 'bin', readFile: (p) => (files[p] ? new TextEncoder().encode(files[p]) : undefined) });
    assert.strictEqual(r.ok, false);
    const where = r.diagnostics.map((d) => `${d.file}:${d.line}`);
    assert.deepStrictEqual(where, ['/p/inc.asm:2', '/p/main.asm:6']);
  });
});
