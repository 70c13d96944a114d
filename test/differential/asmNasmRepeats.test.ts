// Repeated instruction texts (the parse-time encoder encodes a text once per BITS and prefix set
// and reuses its bytes) against nasm -f bin: the same text under BITS 16/32/64, with and without
// prefix words and segment overrides, in macros, and after %define changes what a word means.
import { assertSameAsNasm } from './asmNasm';

const SOURCE = `
%macro twice 1
  %1
  %1
%endmacro
%define R eax
bits 32
  push eax
  mov R, 5
  add [ebx+4], eax
  lock add [ebx+4], eax
  fs add [ebx+4], eax
  add [ebx+4], eax
  twice {inc eax}
  push eax
%undef R
%define R ebx
  mov R, 5
bits 16
  push eax
  add [bx+4], ax
  mov ax, 5
  mov ax, 5
  twice {inc ax}
bits 64
  push rax
  add [rbx+4], eax
  add [ebx+4], eax
  add [ebx+4], eax
  add [rbx+4], eax
  mov eax, 5
  mov eax, 5
  mov R, 5
  twice {inc eax}
  twice {inc rax}
  rep movsb
  movsb
  rep movsb
`;

describe('asm: repeated instruction texts against nasm', function () {
  this.timeout(60000);
  it('bytes identical to nasm -f bin', () => {
    assertSameAsNasm(SOURCE);
  });
});
