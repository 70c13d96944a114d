// Words that are also names on every JavaScript object (constructor, toString, valueOf,
// hasOwnProperty, __proto__) are ordinary labels to nasm: defined, jumped to, used in data and in
// memory operands, the bytes are nasm's (they were once taken for size keywords or data units).
import * as assert from 'assert';
import { hex, runNasm, runOurs } from './asmNasm';

const WORDS = ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', 'isPrototypeOf'];

const SOURCE = ['bits 32', ...WORDS.flatMap((w, i) => [`${w}:`, `  jmp ${w}`, `  mov eax, [${w} + ${i}]`, `  dd ${w}`, `  call ${w}`])].join('\n') + '\n';

describe('asm: labels named like JavaScript object members against nasm', function () {
  this.timeout(60000);
  it('bytes identical to nasm -f bin', () => {
    const nasm = runNasm(SOURCE);
    assert.ok(nasm.ok, nasm.ok ? '' : nasm.stderr);
    const ours = runOurs(SOURCE, 'src.asm');
    assert.ok(ours.ok, ours.ok ? '' : ours.diagnostics.map((d) => `${d.line}: ${d.message}`).join('\n'));
    assert.strictEqual(hex(ours.image), hex(nasm.bytes));
  });
});
