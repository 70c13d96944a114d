// RIP-relative instructions against nasm -f bin: the passes write a new disp32 into the bytes of an
// earlier pass instead of encoding again, so these sources make the distances change between passes
// (forward targets, jumps that grow from short to near in between) and use every operand shape that
// takes the shortcut (register, constant immediate, sized memory, three operands) and some that must not (a
// label-valued immediate, TIMES, a target out of disp32 range is left to the encoder), and the same
// line repeated at several places (statements sharing one parsed body share the bytes).
import { assertSameAsNasm } from './asmNasm';

function source(pad: number): string {
  return `bits 64
default rel
start:
  mov ecx, [v]
  mov eax, [v]
  mov ecx, [v]
  mov dword [v], 5
  add qword [rel v], 0x12345678
  cmp byte [v+3], 7
  lea rax, [x]
  movzx eax, byte [v]
  imul eax, [v], 10
  shl dword [v], 3
  xchg [v], eax
  mov [v], rbx
  mov qword [w], end - start
  times 2 inc dword [v]
  fs mov eax, [v]
  jmp far_away
  mov eax, [abs 0x1000]
  times ${pad} nop
far_away:
  jz start
  mov ecx, [v]
  mov ecx, [v]
  jmp end
  mov ecx, [v]
  mov edx, [x + 8]
end:
v: dq 0
w: dq 0
x: times 4 dq 1
`;
}

describe('asm: RIP-relative instructions across passes against nasm', function () {
  this.timeout(60000);
  for (const pad of [0, 100, 130, 1000]) {
    it(`bytes identical to nasm -f bin (${pad} bytes between a jump and its target)`, () => {
      const src = source(pad);
      assertSameAsNasm(src);
    });
  }
});
