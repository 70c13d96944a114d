// The encoder reuses one scratch plan and byte buffer across calls (src/isa/encode.ts): no request's
// result may depend on what was encoded before it, buffers grow for long prefix runs, and the
// error paths rebuilt without string joins keep their messages.
import { strict as assert } from 'assert';
import { encode, type EncodeRequest, type EncodeResult } from '../../../src/isa/encode';
import { Reg } from '../../../src/isa/registers';
import { generateCorpus } from './corpus';

function text(r: EncodeResult): string {
  return r.kind === 'ok' ? `${Array.from(r.bytes, (b) => b.toString(16).padStart(2, '0')).join('')} ${r.form.code}` : `error: ${r.message}`;
}

describe('isa encoder scratch state', function () {
  it('every corpus request encodes the same whatever was encoded before it (forward, reversed and shuffled order)', () => {
    const requests: EncodeRequest[] = [];
    for (const mode of [16, 32, 64] as const) for (const line of generateCorpus(mode)) requests.push({ ...line.request, address: 0x2000 });
    const forward = requests.map((r) => text(encode(r)));
    const reversed: string[] = new Array<string>(requests.length);
    for (let i = requests.length - 1; i >= 0; i--) reversed[i] = text(encode(requests[i]));
    assert.deepEqual(reversed, forward);
    // A fixed stride walks the list in an order unrelated to modes and mnemonics.
    const stride = 7919;
    for (let k = 0, i = 0; k < requests.length; k++, i = (i + stride) % requests.length) assert.equal(text(encode(requests[i])), forward[i], `request ${i}`);
    assert.ok(forward.filter((t) => !t.startsWith('error')).length > 30_000);
  });

  it('a run of prefix words longer than the scratch buffers grows them (REP ×60 MOVSB = 60 × F3, A4)', () => {
    const prefixes = new Array<string>(60).fill('rep');
    const r = encode({ mnemonic: 'movsb', operands: [], mode: 32, prefixes });
    assert.equal(r.kind, 'ok');
    if (r.kind !== 'ok') return;
    assert.equal(r.bytes.length, 61);
    assert.ok(r.bytes.subarray(0, 60).every((b) => b === 0xf3));
    assert.equal(r.bytes[60], 0xa4);
    // and the next ordinary request is unaffected
    const add = encode({ mnemonic: 'add', mode: 32, prefixes: ['lock'], operands: [{ kind: 'mem', base: Reg.EAX, disp: 0n, size: 4 }, { kind: 'imm', value: 1n }] });
    assert.equal(text(add), 'f0830001 Add_rm32_imm8');
  });

  it('16-bit addressing: ModRM.rm from any register order, and the messages for pairs without an encoding', () => {
    const mov = (base: number, index: number): EncodeResult =>
      encode({ mnemonic: 'mov', mode: 16, operands: [{ kind: 'reg', reg: Reg.AX }, { kind: 'mem', base, index, disp: 0n }] });
    const rm = (base: number, index: number): number => { const r = mov(base, index); return r.kind === 'ok' ? r.bytes[1] & 7 : -1; };
    // SDM Vol. 2 Table 2-1: [BX+SI]=0, [BX+DI]=1, [BP+SI]=2, [BP+DI]=3
    assert.deepEqual([rm(Reg.BX, Reg.SI), rm(Reg.SI, Reg.BX), rm(Reg.DI, Reg.BX), rm(Reg.BP, Reg.SI), rm(Reg.DI, Reg.BP)], [0, 0, 1, 2, 3]);
    assert.equal(text(mov(Reg.BP, Reg.BX)), 'error: invalid 16-bit effective address [bx+bp]');
    assert.equal(text(mov(Reg.SI, Reg.DI)), 'error: invalid 16-bit effective address [si+di]');
    assert.equal(text(mov(Reg.AX, Reg.SI)), 'error: invalid 16-bit effective address [ax+si]');
  });

  it('SHL r/m, 1 takes the D1 form for 1 given as a number or a BigInt, and C1 ib for 2', () => {
    const shl = (value: bigint | number): string => text(encode({ mnemonic: 'shl', mode: 32, operands: [{ kind: 'reg', reg: Reg.EAX }, { kind: 'imm', value }] }));
    assert.equal(shl(1n), 'd1e0 Shl_rm32_1');
    assert.equal(shl(1), 'd1e0 Shl_rm32_1');
    assert.equal(shl(2n), 'c1e002 Shl_rm32_imm8');
  });
});
