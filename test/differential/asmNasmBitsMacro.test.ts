// __?BITS?__ against nasm -f bin: the format's default until a BITS, [BITS] or USE line changes it,
// also for BITS lines repeated (the preprocessor hands repeated source lines out without lexing them
// again) and lines written inside macros.
import * as assert from 'assert';
import { assertSameAsNasm, hex } from './asmNasm';

const SOURCE = `db __?BITS?__
bits 32
db __?BITS?__
[bits 16]
db __?BITS?__, __BITS__
use64
db __?BITS?__
bits 32
db __?BITS?__
%macro mode 1
bits %1
db __?BITS?__
%endmacro
mode 16
bits 32
db __?BITS?__
mode 64
db __?BITS?__
`;

describe('asm: __?BITS?__ against nasm', function () {
  this.timeout(60000);
  it('bytes identical to nasm -f bin', () => {
    const { ours } = assertSameAsNasm(SOURCE);
    assert.strictEqual(hex(ours.image), '10201010402010204040');
  });
});
