// Formatter output in NASM syntax: the example, hex styles, absolute branch targets with a
// symbolizer, RIP-relative and moffs spellings, prefixes, and size keywords only where NASM needs them.
import { strict as assert } from 'assert';
import { decode } from '../../../src/isa/decode';
import { formatDb, formatInstruction, type FormatOptions } from '../../../src/isa/format';
import { Instruction } from '../../../src/isa/instruction';

function text(hex: string, mode: 16 | 32 | 64, opts: FormatOptions = {}): string {
  const bytes = Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
  const insn = new Instruction();
  const r = decode(bytes, 0, bytes.length, mode, insn);
  assert.equal(r.kind, 'ok', hex);
  return formatInstruction(insn, opts);
}

describe('isa formatter', () => {
  it('prints the issue example and the hex styles', () => {
    assert.equal(text('c7 45 f8 01 00 00 00', 64), 'mov dword [rbp-0x8], 0x1');
    assert.equal(text('c7 45 f8 01 00 00 00', 64, { hex: 'h' }), 'mov dword [rbp-8h], 1h');
    assert.equal(text('b8 ff 00 00 00', 32, { hex: 'h' }), 'mov eax, 0ffh');
  });

  it('prints branch targets as absolute addresses, through the symbolizer when it knows them', () => {
    assert.equal(text('eb fe', 64, { address: 0x401000 }), 'jmp 0x401000');
    assert.equal(text('e8 fb 0f 00 00', 32, { address: 0x1000 }), 'call 0x2000');
    assert.equal(text('e8 fb 0f 00 00', 32, { address: 0x1000, symbolize: (a) => (a === 0x2000 ? 'print' : undefined) }), 'call print');
    assert.equal(text('75 fe', 16, { address: 0xfff0 }), 'jne 0xfff0');
    assert.equal(text('e9 00 00 00 80', 64, { address: 0 }), 'jmp 0xffffffff80000005');
  });

  it('spells memory operands the way NASM reads them', () => {
    assert.equal(text('8b 05 10 00 00 00', 64, { address: 0x1000 }), 'mov eax, [rel 0x1016]');
    assert.equal(text('48 a1 88 77 66 55 44 33 22 11', 64), 'mov rax, [abs qword 0x1122334455667788]');
    assert.equal(text('a1 00 10 00 00', 32), 'mov eax, [0x1000]');
    assert.equal(text('8b 04 4d 00 00 00 00', 32), 'mov eax, [nosplit ecx*2]');
    assert.equal(text('8b 04 0d 10 00 00 00', 32), 'mov eax, [nosplit ecx*1+0x10]');
    assert.equal(text('8b 04 8d 10 00 00 00', 32), 'mov eax, [ecx*4+0x10]');
    assert.equal(text('64 8b 00', 32), 'mov eax, [fs:eax]');
    assert.equal(text('8b 42 fc', 16), 'mov ax, [bp+si-0x4]');
    assert.equal(text('0f b6 03', 32), 'movzx eax, byte [ebx]');
    assert.equal(text('ff 30', 32), 'push dword [eax]');
    assert.equal(text('0f 94 00', 32), 'sete [eax]');
    assert.equal(text('0f 01 10', 32), 'lgdt [eax]');
    assert.equal(text('48 ff 18', 64), 'call far [rax]');
    assert.equal(text('ff 18', 64), 'call dword far [rax]');
  });

  it('prints prefixes: lock, rep/repe/repne, operand size where only a prefix says it', () => {
    assert.equal(text('f0 0f c1 03', 32), 'lock xadd [ebx], eax');
    assert.equal(text('f3 48 ab', 64), 'rep stosq');
    assert.equal(text('66 6a 01', 32), 'o16 push 0x1');
    assert.equal(text('66 9c', 32), 'pushfw');
    assert.equal(text('9c', 32), 'pushf');
    assert.equal(text('48 0f 07', 64), 'o64 sysret');
  });

  it('prints bytes that are no instruction as db', () => {
    assert.equal(formatDb(Uint8Array.from([0x0f, 0x0b]), 0, 2), 'db 0xf, 0xb');
  });
});
