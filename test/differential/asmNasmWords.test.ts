// Words that are also names on every JavaScript object (constructor, toString, valueOf,
// hasOwnProperty, __proto__) are ordinary labels to nasm: defined, jumped to, used in data and in
// memory operands, the bytes are nasm's (they were once taken for size keywords or data units).
import { assertSameAsNasm } from './asmNasm';

const WORDS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];

const SOURCE = ['bits 32', ...WORDS.flatMap((w, i) => [`${w}:`, `  jmp ${w}`, `  mov eax, [${w} + ${i}]`, `  dd ${w}`, `  call ${w}`])].join('\n') + '\n';

describe('asm: labels named like JavaScript object members against nasm', function () {
  this.timeout(60000);
  it('bytes identical to nasm -f bin', () => {
    assertSameAsNasm(SOURCE);
  });
});
