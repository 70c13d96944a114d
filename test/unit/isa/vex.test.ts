// The VEX-encoded general-purpose forms (BMI1/BMI2) in decoder, encoder and formatter: operand roles
// (ModRM.reg, VEX.vvvv, ModRM.rm) per the SDM's Op/En column, the #UD encodings (VEX.L = 1, a used
// vvvv where none belongs, a legacy 66/F2/F3/LOCK/REX prefix before VEX, no row for pp/W), and the
// 32-bit-mode rules (VEX.W, VEX.B and vvvv[3] ignored). Bytes are nasm 2.16's for the same text; a
// seeded fuzz of the whole BMI VEX space (every header bit, random ModRM/SIB/displacement) must match
// iced-x86: the same instructions valid, the same lengths and the same NASM text.
import { strict as assert } from 'assert';
import { Decoder, DecoderOptions, Formatter, FormatterSyntax, Instruction as IcedInstruction } from 'iced-x86';
import { decode } from '../../../src/isa/decode';
import { encode } from '../../../src/isa/encode';
import { formatInstruction } from '../../../src/isa/format';
import { Instruction, type DecodeResult } from '../../../src/isa/instruction';
import { Reg } from '../../../src/isa/registers';
import { forms } from '../../../src/isa/tableIndex';

function dec(hex: string, mode: 16 | 32 | 64): { r: DecodeResult; insn: Instruction; text: string } {
  const bytes = Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
  const insn = new Instruction();
  const r = decode(bytes, 0, bytes.length, mode, insn);
  return { r, insn, text: r.kind === 'ok' ? formatInstruction(insn) : '' };
}

const reg = (r: number) => ({ kind: 'reg' as const, reg: r });

describe('isa VEX forms (BMI1/BMI2)', () => {
  it('has 26 rows (13 instructions × W0/W1), W1 only in 64-bit mode, VEX.LZ', () => {
    const vex = forms.filter((f) => f.vex);
    assert.equal(vex.length, 26);
    assert.deepEqual([...new Set(vex.map((f) => f.mnemonic))].sort(), ['andn', 'bextr', 'blsi', 'blsmsk', 'blsr', 'bzhi', 'mulx', 'pdep', 'pext', 'rorx', 'sarx', 'shlx', 'shrx']);
    for (const f of vex) assert.equal(f.modes === 4, f.vexW === 1, f.code);
  });

  it('decodes operand roles by Op/En: ANDN RVM, BEXTR RMV, BLSI VM, RORX RMI, MULX with vvvv as the low half', () => {
    const andn = dec('c4 42 b0 f2 c2', 64); // andn r8, r9, r10
    assert.equal(andn.r.kind, 'ok');
    assert.deepEqual(andn.insn.operands.slice(0, 3).map((o) => o.reg), [Reg.R8, Reg.R9, Reg.R10]);
    assert.equal(andn.insn.opSize, 8);
    assert.equal(andn.text, 'andn r8, r9, r10');
    const bextr = dec('c4 e2 f0 f7 03', 64);
    assert.equal(bextr.text, 'bextr rax, [rbx], rcx');
    assert.equal(bextr.insn.operands[1].kind, 'mem');
    assert.equal(dec('c4 c2 30 f3 ca', 64).text, 'blsr r9d, r10d');
    const rorx = dec('c4 e3 fb f0 03 3f', 64);
    assert.equal(rorx.text, 'rorx rax, [rbx], 0x3f');
    assert.equal(rorx.insn.imm, 0x3f);
    assert.equal(rorx.insn.length, 6);
    assert.equal(dec('c4 e2 e3 f6 01', 64).text, 'mulx rax, rbx, [rcx]');
  });

  it('rejects VEX.L = 1, vvvv ≠ 1111b for RORX, pp/W without a row, and legacy prefixes before VEX (#UD)', () => {
    assert.deepEqual(dec('c4 e2 64 f2 c1', 64).r, { kind: 'invalid', reason: 'opcode' }); // andn with L=1
    assert.deepEqual(dec('c4 e2 7c f3 db', 64).r, { kind: 'invalid', reason: 'opcode' }); // blsi with L=1
    assert.deepEqual(dec('c4 e3 3b f0 c3 05', 64).r, { kind: 'invalid', reason: 'opcode' }); // rorx with vvvv=0111b
    assert.deepEqual(dec('c4 e3 78 f0 c3 05', 64).r, { kind: 'invalid', reason: 'opcode' }); // rorx with pp=NP
    assert.deepEqual(dec('c4 e2 61 f2 c1', 64).r, { kind: 'invalid', reason: 'opcode' }); // andn with pp=66
    assert.deepEqual(dec('c4 e2 78 f3 c3', 64).r, { kind: 'invalid', reason: 'opcode' }); // F3 /0: no BLS form
    for (const p of ['66', 'f2', 'f3', 'f0', '40']) assert.deepEqual(dec(`${p} c4 e2 60 f2 c1`, 64).r, { kind: 'invalid', reason: 'opcode' }, p);
    assert.equal(dec('c4 e2 60 f2', 64).r.kind, 'truncated');
  });

  it('in 32-bit mode ignores VEX.W, VEX.B and vvvv[3] for registers (as iced-x86 does), and C4 with mod≠11 is LES', () => {
    assert.equal(dec('c4 e2 e0 f2 c1', 32).text, 'andn eax, ebx, ecx');
    assert.equal(dec('c4 e2 20 f2 c1', 32).text, 'andn eax, ebx, ecx');
    assert.equal(dec('c4 c2 60 f2 c1', 32).text, 'andn eax, ebx, ecx');
    assert.deepEqual(dec('c4 e3 3b f0 c3 05', 32).r, { kind: 'invalid', reason: 'opcode' }); // unused vvvv: all four bits must be 1
    assert.equal(dec('c4 42 b0 f2 c2', 32).insn.exec, 'les');
    assert.equal(dec('c4 e2 60 f2 00', 16).text, 'andn eax, ebx, [bx+si]');
  });

  it('agrees with iced-x86 on random encodings of the BMI opcode space (validity, length, text), all modes', () => {
    let seed = 0x9e3779b9;
    const rand = (n: number) => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) % n; };
    const fmt = new Formatter(FormatterSyntax.Nasm);
    fmt.hexPrefix = '0x'; fmt.hexSuffix = ''; fmt.uppercaseHex = false; fmt.spaceAfterOperandSeparator = true;
    fmt.smallHexNumbersInDecimal = false; fmt.addLeadingZeroToHexNumbers = false; fmt.ripRelativeAddresses = false;
    const iced = new IcedInstruction();
    const ours = new Instruction();
    const bad: string[] = [];
    let valid = 0;
    for (const mode of [16, 32, 64] as const) {
      for (let n = 0; n < 3000; n++) {
        const bytes = new Uint8Array(15);
        for (let i = 0; i < 15; i++) bytes[i] = rand(256);
        const map3 = rand(4) === 0;
        bytes[0] = 0xc4;
        bytes[1] = (bytes[1] & 0xe0) | (map3 ? 3 : 2);
        if (mode !== 64 && rand(8) !== 0) bytes[1] |= 0xc0; // mostly VEX, sometimes LES
        bytes[3] = map3 ? 0xf0 : 0xf0 + rand(8);
        if (rand(2) === 0) bytes[2] &= ~4; // VEX.L = 0 half of the time
        const r = decode(bytes, 0, 15, mode, ours);
        const d = new Decoder(mode, bytes, DecoderOptions.None);
        d.decodeOut(iced);
        const icedOk = !iced.isInvalid;
        const hex = Buffer.from(bytes.subarray(0, 8)).toString('hex');
        if ((r.kind === 'ok') !== icedOk) bad.push(`${mode} ${hex}: ours ${r.kind}, iced ${icedOk ? fmt.format(iced) : 'invalid'}`);
        else if (icedOk) {
          valid++;
          const a = formatInstruction(ours).replace(/\[(ss|ds):/g, '[').replace(/\b(abs|rel|nosplit) /g, '');
          const b = fmt.format(iced).replace(/\[(ss|ds):/g, '[').replace(/\b(abs|rel) /g, '');
          if (iced.length !== ours.length) bad.push(`${mode} ${hex}: length ours ${ours.length}, iced ${iced.length}`);
          else if (a !== b) bad.push(`${mode} ${hex}: ours '${a}', iced '${b}'`);
        }
        d.free();
      }
    }
    iced.free();
    fmt.free();
    assert.ok(valid > 2000, `only ${valid} valid samples`);
    assert.deepEqual(bad.slice(0, 20), [], `${bad.length} differences`);
  });

  it('encodes as nasm does: always C4, no 66 in 16-bit code, 67 for the other address size, REX-only registers in 64-bit mode only', () => {
    const hex = (r: ReturnType<typeof encode>) => (r.kind === 'ok' ? Buffer.from(r.bytes).toString('hex') : r.message);
    assert.equal(hex(encode({ mnemonic: 'andn', operands: [reg(Reg.R8), reg(Reg.R9), reg(Reg.R10)], mode: 64 })), 'c442b0f2c2');
    assert.equal(hex(encode({ mnemonic: 'andn', operands: [reg(Reg.EAX), reg(Reg.EBX), reg(Reg.ECX)], mode: 16 })), 'c4e260f2c1');
    assert.equal(hex(encode({ mnemonic: 'blsi', operands: [reg(Reg.EAX), { kind: 'mem', base: Reg.DI, disp: 0n }], mode: 32 })), '67c4e278f31d');
    assert.equal(hex(encode({ mnemonic: 'rorx', operands: [reg(Reg.RAX), { kind: 'mem', base: Reg.RBX, disp: 0n }, { kind: 'imm', value: 63n }], mode: 64 })), 'c4e3fbf0033f');
    assert.equal(encode({ mnemonic: 'andn', operands: [reg(Reg.RAX), reg(Reg.RBX), reg(Reg.RCX)], mode: 32 }).kind, 'error');
    assert.equal(encode({ mnemonic: 'andn', operands: [reg(Reg.EAX), reg(Reg.R9D), reg(Reg.ECX)], mode: 64 }).kind, 'ok');
    assert.equal(encode({ mnemonic: 'rorx', operands: [reg(Reg.EAX), reg(Reg.EBX), { kind: 'imm', value: 256n }], mode: 64 }).kind, 'error');
  });
});
