// Decoder edge cases from the SDM (#UD reasons, the 15-byte limit, truncation, REX rules) and a
// seeded fuzz against iced-x86: for random byte strings both decoders accept, lengths must agree,
// and for instructions we execute, our NASM text must equal iced's.
import { strict as assert } from 'assert';
import { Decoder, DecoderOptions, Formatter, FormatterSyntax, Instruction as IcedInstruction } from 'iced-x86';
import { decode } from '../../../src/isa/decode';
import { formatInstruction } from '../../../src/isa/format';
import { Instruction, Prefix, type DecodeResult } from '../../../src/isa/instruction';
import { Reg } from '../../../src/isa/registers';

function run(hex: string, mode: 16 | 32 | 64, insn = new Instruction()): { r: DecodeResult; insn: Instruction } {
  const bytes = Uint8Array.from(Buffer.from(hex.replace(/\s+/g, ''), 'hex'));
  return { r: decode(bytes, 0, bytes.length, mode, insn), insn };
}

describe('isa decoder', function () {
  this.timeout(60000);
  it('fills operands, immediates and the memory operand', () => {
    const { r, insn } = run('48 81 84 8b 78 56 34 12 ff ff ff ff', 64); // add qword [rbx+rcx*4+0x12345678], -1
    assert.equal(r.kind, 'ok');
    assert.equal(insn.length, 12);
    assert.equal(insn.exec, 'add');
    assert.equal(insn.opSize, 8);
    assert.deepEqual({ ...insn.mem }, { base: Reg.RBX, index: Reg.RCX, scale: 4, disp: 0x12345678, dispLo: 0x12345678, dispHi: 0, dispSize: 4, segment: Reg.DS, ripRelative: false });
    assert.equal(insn.imm, -1);
    assert.equal(insn.immHi, -1);
    const push = run('6a ff', 32).insn;
    assert.equal(push.imm, -1);
    const io = run('e4 ff', 32).insn; // in al, 0xff: zero-extended port
    assert.equal(io.imm, 0xff);
    const mov = run('48 b8 ef cd ab 89 67 45 23 01', 64).insn;
    assert.equal(mov.imm >>> 0, 0x89abcdef);
    assert.equal(mov.immHi, 0x01234567);
  });

  it('uses SS for BP/SP-based addressing and RIP-relative in 64-bit mode', () => {
    assert.equal(run('8b 45 08', 32).insn.mem.segment, Reg.SS);
    assert.equal(run('8b 46 08', 16).insn.mem.segment, Reg.SS);
    assert.equal(run('8b 47 08', 16).insn.mem.segment, Reg.DS);
    const rip = run('8b 05 10 00 00 00', 64).insn;
    assert.ok(rip.mem.ripRelative);
    assert.equal(rip.mem.base, Reg.RIP);
    assert.equal(run('8b 05 10 00 00 00', 32).insn.mem.ripRelative, false);
    assert.equal(run('26 8b 00', 64).insn.mem.segment, Reg.DS); // ES override ignored in 64-bit mode
    assert.equal(run('65 8b 00', 64).insn.mem.segment, Reg.GS);
    assert.equal(run('26 8b 00', 32).insn.mem.segment, Reg.ES);
  });

  it('gives precise #UD reasons', () => {
    const reason = (hex: string, mode: 16 | 32 | 64) => { const { r } = run(hex, mode); return r.kind === 'invalid' ? r.reason : r.kind; };
    assert.equal(reason('37', 64), 'mode'); // AAA
    assert.equal(reason('06', 64), 'mode'); // PUSH ES
    assert.equal(reason('f0 01 c8', 32), 'lock'); // LOCK with a register destination
    assert.equal(reason('f0 39 08', 32), 'lock'); // CMP is not lockable
    assert.equal(reason('f0 90', 32), 'lock');
    assert.equal(reason('8d c0', 32), 'registerForm'); // LEA eax, eax
    assert.equal(reason('0f 01 d0', 32), 'ok'); // 0F 01 /2 with mod=3 is XGETBV, not LGDT
    assert.equal(run('0f 01 d0', 32).insn.exec, 'xgetbv');
    assert.equal(reason('0f 01 c1', 32), 'unsupported'); // VMCALL: measured, not executed
    assert.equal(reason('0f 0d c0', 64), 'registerForm'); // 0F 0D prefetch hints need memory (#UD on this CPU too)
    assert.equal(reason('f2 0f c7 f0', 64), 'unsupported'); // F2 RDRAND is #UD (SDM "NFx")
    assert.equal(run('f3 0f c7 f8', 64).insn.exec, 'rdpid'); // F3 0F C7 /7 is RDPID, not RDSEED
    assert.equal(reason('0f b2 c0', 32), 'registerForm'); // LSS needs memory
    assert.equal(reason('0f 01 10', 32), 'ok');
    assert.equal(reason('8e c8', 32), 'register'); // MOV CS, ax
    assert.equal(reason('0f 22 c8', 32), 'register'); // MOV CR1
    assert.equal(reason('44 0f 21 c0', 64), 'register'); // MOV r, DR8
    assert.equal(reason('0f 0b', 32), 'ok'); // UD2 decodes; executing it raises #UD
    assert.equal(reason('0f 04', 32), 'opcode');
    assert.equal(reason('fe f8', 32), 'opcode'); // FE /7
  });

  it('enforces the 15-byte limit (#GP) and reports truncation when bytes run out', () => {
    assert.deepEqual(run('66'.repeat(14) + '90', 32).r, { kind: 'ok' });
    assert.deepEqual(run('66'.repeat(15) + '90', 32).r, { kind: 'invalid', reason: 'tooLong' });
    const full = Buffer.from('8184cb785634120f000000', 'hex');
    for (let n = 0; n < full.length; n++) {
      const r = decode(Uint8Array.from(full), 0, n, 32, new Instruction());
      assert.equal(r.kind, 'truncated', `limit ${n}`);
    }
    assert.equal(decode(Uint8Array.from(full), 0, full.length, 32, new Instruction()).kind, 'ok');
  });

  it('applies REX only as the last prefix, and AH..BH only without REX', () => {
    assert.equal(run('48 66 01 c8', 64).insn.opSize, 2); // REX before 66 is ignored
    assert.equal(run('66 48 01 c8', 64).insn.opSize, 8);
    assert.equal(run('88 e0', 64).insn.operands[1].reg, Reg.AH);
    assert.equal(run('40 88 e0', 64).insn.operands[1].reg, Reg.SPL);
    assert.equal(run('41 90', 64).insn.mnemonic, 'xchg');
    assert.equal(run('90', 64).insn.mnemonic, 'nop');
    assert.equal(run('f3 90', 64).insn.mnemonic, 'pause');
  });

  it('records prefixes and the REP/REPE meaning', () => {
    const { insn } = run('f3 a6', 32);
    assert.ok(insn.prefixes & Prefix.Rep);
    assert.equal(insn.form?.rep, 'repe');
    assert.equal(formatInstruction(insn), 'repe cmpsb');
    assert.equal(formatInstruction(run('f2 ae', 32).insn), 'repne scasb');
    assert.equal(formatInstruction(run('64 f3 a4', 32).insn), 'rep fs movsb');
    assert.equal(run('f3 0f bc c1', 32).insn.mnemonic, 'tzcnt');
    assert.equal(run('0f bc c1', 32).insn.mnemonic, 'bsf');
  });

  it('measures x87, SSE, VEX and EVEX forms and reports them unsupported', () => {
    const cases: [string, 16 | 32 | 64, number, string][] = [
      ['d9 c0', 32, 2, 'x87'], ['dd 84 24 00 01 00 00', 32, 7, 'x87'], ['0f 58 c1', 32, 3, 'sse'], ['66 0f 70 c1 1b', 32, 5, 'sse'],
      ['c5 f8 77', 64, 3, 'avx'], ['c4 e3 79 0f c1 08', 64, 6, 'avx'], ['62 f1 7c 48 58 c1', 64, 6, 'avx512'], ['0f 77', 32, 2, 'mmx'],
      ['0f 6f 05 00 00 00 00', 64, 7, 'mmx'],
    ];
    for (const [hex, mode, len, family] of cases) {
      const { r, insn } = run(hex, mode);
      assert.deepEqual(r, { kind: 'unsupported', family }, hex);
      assert.equal(insn.length, len, hex);
    }
    assert.equal(run('c5 06 00 10', 16).insn.mnemonic, 'lds'); // C5 with mod != 3 is LDS outside 64-bit mode
  });

  it('never throws and never reads past the limit on random bytes and limits (seeded)', () => {
    let seed = 12345;
    const rnd = () => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed / 0x7fffffff; };
    const insn = new Instruction();
    const bad: string[] = [];
    for (let i = 0; i < 30000; i++) {
      const b = new Uint8Array(20);
      for (let k = 0; k < 20; k++) b[k] = Math.floor(rnd() * 256);
      const limit = Math.floor(rnd() * 21);
      const mode = ([16, 32, 64] as const)[i % 3];
      try {
        const r = decode(b, 0, limit, mode, insn);
        if ((r.kind === 'ok' || r.kind === 'unsupported') && insn.length > limit) bad.push(`${Buffer.from(b).toString('hex')} limit ${limit}: length ${insn.length}`);
        if (r.kind === 'ok') formatInstruction(insn);
      } catch (e) {
        bad.push(`${Buffer.from(b).toString('hex')} limit ${limit} mode ${mode}: threw ${String(e)}`);
      }
    }
    assert.deepEqual(bad.slice(0, 10), []);
  });

  it('agrees with iced-x86 on random bytes (seeded): lengths, and text for executable forms', () => {
    let seed = 0x2545f491;
    const rand = () => { seed ^= seed << 13; seed ^= seed >>> 17; seed ^= seed << 5; return (seed >>> 0) / 4294967296; };
    const fmt = new Formatter(FormatterSyntax.Nasm);
    fmt.hexPrefix = '0x'; fmt.hexSuffix = ''; fmt.uppercaseHex = false; fmt.spaceAfterOperandSeparator = true;
    fmt.smallHexNumbersInDecimal = false; fmt.branchLeadingZeros = false; fmt.showBranchSize = false;
    fmt.ripRelativeAddresses = false; fmt.addLeadingZeroToHexNumbers = false;
    const iced = new IcedInstruction();
    const ours = new Instruction();
    const bad: string[] = [];
    let compared = 0;
    for (const mode of [16, 32, 64] as const) {
      for (let n = 0; n < 4000; n++) {
        const bytes = new Uint8Array(16);
        for (let i = 0; i < 16; i++) bytes[i] = Math.floor(rand() * 256);
        // Bias towards common first bytes so executable forms are well represented.
        if (rand() < 0.5) bytes[0] = [0x0f, 0x48, 0x66, 0x8b, 0x89, 0x81, 0x83, 0xf7, 0xff, 0xc7][Math.floor(rand() * 10)];
        const r = decode(bytes, 0, 16, mode, ours);
        const d = new Decoder(mode, bytes, DecoderOptions.None);
        d.ip = 0x1000n;
        d.decodeOut(iced);
        const icedInvalid = iced.isInvalid;
        const icedLen = iced.length;
        const icedText = icedInvalid ? '' : fmt.format(iced);
        d.free();
        const hex = Buffer.from(bytes).toString('hex');
        if (r.kind === 'ok') {
          compared++;
          if (icedInvalid) { bad.push(`${mode} ${hex}: iced invalid, ours '${formatInstruction(ours, { address: 0x1000 })}'`); continue; }
          if (icedLen !== ours.length) { bad.push(`${mode} ${hex}: length iced ${icedLen} ours ${ours.length}`); continue; }
          const a = formatInstruction(ours, { address: 0x1000 }).replace(/nosplit /g, '').replace(/\[(ss|ds):/g, '[').replace(/\babs |\brel /g, '');
          const b = icedText.replace(/\[(ss|ds):/g, '[').replace(/\babs |\brel /g, '');
          if (a !== b && !knownSpellingDifference(a, b)) bad.push(`${mode} ${hex}: iced '${b}' ours '${a}'`);
        } else if (r.kind === 'unsupported' && !icedInvalid && icedLen !== ours.length) {
          bad.push(`${mode} ${hex}: unsupported length iced ${icedLen} ours ${ours.length}`);
        }
      }
    }
    iced.free();
    fmt.free();
    assert.ok(compared > 3000, `only ${compared} executable samples`);
    assert.equal(bad.length, 0, `${bad.length} differences:\n${bad.slice(0, 30).join('\n')}`);
  });
});

/** Spellings that differ between iced and NASM-style output but name the same instruction. */
function knownSpellingDifference(ours: string, iced: string): boolean {
  const strip = (s: string) => s.replace(/^(o16|o32|o64|a16|a32|a64) /, '').replace(/^imul (\w+), \1, /, 'imul $1, ')
    .replace(/^(retf?)[dwq]\b/, '$1').replace(/^(bnd|xrelease|xacquire|cs|ds|notrack) /, '').replace(/^lea (\w+), \[\w\w:/, 'lea $1, [').replace(/^(loop\w*|jcxz|jecxz|jrcxz) (\S+), (cx|ecx|rcx)$/, '$1 $2');
  const order = (s: string) => s.replace(/^(fs|gs|es|cs|ss|ds) (rep|repe|repne) /, '$2 $1 ');
  // NASM's HINT_NOPn r/m is iced's two-operand `nop r/m, r` (0F 19–0F 1F); the size keyword is NASM's.
  if (/^hint_nop32 \w+ \[/.test(ours) && iced.startsWith('cldemote ')) iced = `nop ${iced.slice(9)}, reg`;
  const hint = /^hint_nop\d+ (?:byte |word |dword |qword )?(.*)$/.exec(ours);
  if (hint !== null) return new RegExp(`^nop ${hint[1].replace(/[[\]+*]/g, '\\$&')}, \\w+$`).test(iced);
  return strip(ours) === strip(order(iced));
}
