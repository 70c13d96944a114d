// The direct JMP/Jcc/CALL encoder of the passes against the isa encoder (itself byte-compared with
// nasm in test/differential): for every mnemonic it accepts, both modes, short and near, at
// distances around the rel8 edges and far away, the bytes are identical; what it declines is
// exactly what it documents (16-bit, SHORT is not passed to it, rel32 overflow, other mnemonics).
import * as assert from 'assert';
import { BranchEncoder } from '../../../src/asm/branchEncoding';
import { encodeInstruction } from '../../../src/asm/isaBridge';

const CC = ['o', 'no', 'b', 'c', 'nae', 'ae', 'nb', 'nc', 'e', 'z', 'ne', 'nz', 'be', 'na', 'a', 'nbe', 's', 'ns', 'p', 'pe', 'np', 'po', 'l', 'nge', 'ge', 'nl', 'le', 'ng', 'g', 'nle'];
const MNEMONICS = ['jmp', 'call', ...CC.map((c) => 'j' + c)];
const DELTAS = [-100000, -131, -130, -129, -128, -127, -126, -1, 0, 1, 2, 100, 127, 128, 129, 130, 131, 132, 133, 134, 135, 70000];

function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}

describe('asm BranchEncoder', () => {
  it('writes the bytes the isa encoder writes, for every Jcc spelling, JMP and CALL, short and near, 32 and 64 bits', () => {
    const enc = new BranchEncoder();
    let compared = 0;
    for (const bits of [32, 64] as const) {
      for (const mnemonic of MNEMONICS) {
        for (const near of [false, true]) {
          for (const address of [0x20000, 0x401000]) {
            for (const d of DELTAS) {
              const target = BigInt(address + d);
              const ref = encodeInstruction({ mnemonic, prefixes: [], operands: [{ kind: 'imm', value: target, relocatable: false, jump: near ? 'near' : undefined }], bits, address });
              assert.ok(ref.ok, `${mnemonic} ${d}: isa encoder failed`);
              assert.ok(enc.encode(mnemonic, target, near, address, bits), `${mnemonic} ${d} declined`);
              assert.strictEqual(hex(enc.bytes.subarray(0, enc.length)), hex(ref.bytes), `bits ${bits} ${near ? 'near ' : ''}${mnemonic} at ${address.toString(16)} to ${target.toString(16)}`);
              compared++;
            }
          }
        }
      }
    }
    assert.strictEqual(compared, 2 * MNEMONICS.length * 2 * 2 * DELTAS.length);
  });

  it('declines 16-bit code, other branches, and a near target beyond rel32', () => {
    const enc = new BranchEncoder();
    assert.strictEqual(enc.encode('jmp', 0x110n, false, 0x100, 16), false);
    for (const m of ['loop', 'jcxz', 'jecxz', 'jrcxz', 'loopne', 'mov', 'constructor', 'toString']) assert.strictEqual(enc.encode(m, 0x1010n, false, 0x1000, 64), false, m);
    assert.strictEqual(enc.encode('jmp', 0x100000000n, false, 0x1000, 64), false);
    assert.strictEqual(enc.encode('call', 0x100001000n, false, 0x1000, 32), false);
    assert.strictEqual(enc.encode('jmp', 1n << 60n, false, 0x1000, 64), false);
  });
});
