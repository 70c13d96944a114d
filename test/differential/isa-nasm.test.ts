// Differential test of src/isa against outside truth: a generated corpus covering every table row
// (register, size, immediate and addressing variants) in 16/32/64-bit code is assembled by Debian's
// nasm; our encoder must produce nasm's bytes, our decoder must read nasm's bytes back (length,
// format → parse → encode gives the same instruction), and iced-x86 must agree with our decoder.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Decoder, DecoderOptions, Formatter, FormatterSyntax, Instruction as IcedInstruction } from 'iced-x86';
import { decode } from '../../src/isa/decode';
import { encode, type AsmOperand } from '../../src/isa/encode';
import { formatInstruction } from '../../src/isa/format';
import { Instruction } from '../../src/isa/instruction';
import { Reg } from '../../src/isa/registers';
import { generateCorpus } from '../unit/isa/corpus';
import { parseInstruction, type CorpusLine } from '../unit/isa/nasmSyntax';

type Mode = 16 | 32 | 64;
interface Assembled { line: CorpusLine; address: number; bytes: Uint8Array }

function hex(b: Uint8Array): string {
  return Buffer.from(b).toString('hex');
}

/** Assemble all lines in one nasm run; lines nasm rejects are dropped (and returned). */
function assembleWithNasm(mode: Mode, lines: CorpusLine[]): { assembled: Assembled[]; rejected: CorpusLine[] } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-isa-'));
  let current = lines;
  const rejected: CorpusLine[] = [];
  try {
    for (let attempt = 0; attempt < 4; attempt++) {
      const src = path.join(dir, 'c.asm');
      const lst = path.join(dir, 'c.lst');
      fs.writeFileSync(src, `bits ${mode}\n` + current.map((l) => l.text).join('\n') + '\n');
      const r = spawnSync('nasm', ['-f', 'bin', '-w-all', '-o', path.join(dir, 'c.bin'), '-l', lst, src], { encoding: 'utf8' });
      if (r.status !== 0) {
        const bad = new Set<number>();
        for (const m of r.stderr.matchAll(/c\.asm:(\d+): error/g)) bad.add(Number(m[1]) - 2);
        if (bad.size === 0) throw new Error(`nasm failed: ${r.stderr || r.error}`);
        current.forEach((l, i) => { if (bad.has(i)) rejected.push(l); });
        current = current.filter((_, i) => !bad.has(i));
        continue;
      }
      const byLine = new Map<number, { address: number; hex: string }>();
      for (const row of fs.readFileSync(lst, 'utf8').split('\n')) {
        const m = /^\s*(\d+)\s+([0-9A-F]{8})\s+([0-9A-F]+)-?/.exec(row);
        if (!m) continue;
        const n = Number(m[1]);
        const prev = byLine.get(n);
        if (prev) prev.hex += m[3];
        else byLine.set(n, { address: parseInt(m[2], 16), hex: m[3] });
      }
      // A line without bytes is no instruction to nasm (an unknown word becomes a label): rejected.
      const assembled: Assembled[] = [];
      current.forEach((line, i) => {
        const e = byLine.get(i + 2);
        if (!e) rejected.push(line);
        else assembled.push({ line, address: e.address, bytes: Uint8Array.from(Buffer.from(e.hex, 'hex')) });
      });
      return { assembled, rejected };
    }
    throw new Error('nasm kept rejecting lines');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The line's operands with `$`-relative targets made absolute for `address`. */
function resolveOperands(line: CorpusLine, address: number): AsmOperand[] {
  return line.request.operands.map((o, i) => {
    if (line.relative === undefined || i !== line.relativeOperand) return o;
    if (o.kind === 'imm') return { ...o, value: BigInt(address) + line.relative };
    if (o.kind === 'mem') return { ...o, disp: BigInt(address) + line.relative };
    return o;
  });
}

function icedFormatter(): Formatter {
  const f = new Formatter(FormatterSyntax.Nasm);
  f.hexPrefix = '0x';
  f.hexSuffix = '';
  f.uppercaseHex = false;
  f.spaceAfterOperandSeparator = true;
  f.smallHexNumbersInDecimal = false;
  f.branchLeadingZeros = false;
  f.showBranchSize = false;
  f.ripRelativeAddresses = false;
  f.addLeadingZeroToHexNumbers = false;
  return f;
}

/** Text normalisation for comparing with iced (spelling differences only, no semantics). */
function normalise(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/nosplit /g, '').replace(/\[(ss|ds):/g, '[').replace(/^imul (\w+), \1, /, 'imul $1, ').replace(/^lea (\w+), \[\w\w:/, 'lea $1, [').replace(/^o(16|32) push /, 'push ').replace(/\babs /g, '').replace(/\brel /g, '').replace(/\bqword (0x[0-9a-f]+\])/g, '$1')
    // NASM's HINT_NOPn r/m (0F 19–0F 1F) is iced's `nop r/m, r`; NP 0F 1C /0 m8 is CLDEMOTE, a hint too.
    .replace(/^cldemote (.*)$/, 'nop $1, reg').replace(/^hint_nop\d+ (?:(?:word|dword|qword) )?(.*)$/, 'nop $1, reg').replace(/^nop (.*), \w+$/, 'nop $1, reg').trim();
}

const modes: Mode[] = [16, 32, 64];

const r = (reg: number): AsmOperand => ({ kind: 'reg', reg });
/** Lines no assembler may accept (wrong mode, impossible registers, missing size, memory-to-memory). */
const invalidLines: Record<Mode, CorpusLine[]> = {
  16: [
    { text: 'add rax, rbx', request: { mnemonic: 'add', operands: [r(Reg.RAX), r(Reg.RBX)], mode: 16 }, formCode: '' },
    { text: 'mov al, sil', request: { mnemonic: 'mov', operands: [r(Reg.AL), r(Reg.SIL)], mode: 16 }, formCode: '' },
    { text: 'inc [bx]', request: { mnemonic: 'inc', operands: [{ kind: 'mem', base: Reg.BX, disp: 0n }], mode: 16 }, formCode: '' },
    { text: 'mov ax, [bx+ax]', request: { mnemonic: 'mov', operands: [r(Reg.AX), { kind: 'mem', base: Reg.BX, index: Reg.AX, scale: 1, disp: 0n }], mode: 16 }, formCode: '' },
    { text: 'swapgs', request: { mnemonic: 'swapgs', operands: [], mode: 16 }, formCode: '' },
  ],
  32: [
    { text: 'push rax', request: { mnemonic: 'push', operands: [r(Reg.RAX)], mode: 32 }, formCode: '' },
    { text: 'add [eax], [ebx]', request: { mnemonic: 'add', operands: [{ kind: 'mem', base: Reg.EAX, disp: 0n }, { kind: 'mem', base: Reg.EBX, disp: 0n }], mode: 32 }, formCode: '' },
    { text: 'lea eax, ebx', request: { mnemonic: 'lea', operands: [r(Reg.EAX), r(Reg.EBX)], mode: 32 }, formCode: '' },
    { text: 'mov eax, bx', request: { mnemonic: 'mov', operands: [r(Reg.EAX), r(Reg.BX)], mode: 32 }, formCode: '' },
    { text: 'mov eax, [esp*2]', request: { mnemonic: 'mov', operands: [r(Reg.EAX), { kind: 'mem', index: Reg.ESP, scale: 4, disp: 0n }], mode: 32 }, formCode: '' },
    { text: 'shl eax, bl', request: { mnemonic: 'shl', operands: [r(Reg.EAX), r(Reg.BL)], mode: 32 }, formCode: '' },
  ],
  64: [
    { text: 'aaa', request: { mnemonic: 'aaa', operands: [], mode: 64 }, formCode: '' },
    { text: 'push eax', request: { mnemonic: 'push', operands: [r(Reg.EAX)], mode: 64 }, formCode: '' },
    { text: 'mov ah, sil', request: { mnemonic: 'mov', operands: [r(Reg.AH), r(Reg.SIL)], mode: 64 }, formCode: '' },
    { text: 'add al, ax', request: { mnemonic: 'add', operands: [r(Reg.AL), r(Reg.AX)], mode: 64 }, formCode: '' },
    { text: 'pusha', request: { mnemonic: 'pusha', operands: [], mode: 64 }, formCode: '' },
    { text: 'mov eax, [bx]', request: { mnemonic: 'mov', operands: [r(Reg.EAX), { kind: 'mem', base: Reg.BX, disp: 0n }], mode: 64 }, formCode: '' },
    { text: 'inc dword [rax+rbx*3+rcx]', request: { mnemonic: 'inc', operands: [{ kind: 'mem', size: 4, base: Reg.RCX, index: Reg.RBX, scale: 3, disp: 0n }], mode: 64 }, formCode: '' },
  ],
};
const summary: string[] = [];

describe('isa against nasm 2.16 and iced-x86 (generated corpus, every row)', function () {
  this.timeout(180000);
  after(() => { if (summary.length) process.stdout.write('\n' + summary.join('\n') + '\n'); });

  for (const mode of modes) {
    describe(`${mode}-bit`, () => {
      let assembled: Assembled[] = [];
      let rejected: CorpusLine[] = [];
      before(() => {
        ({ assembled, rejected } = assembleWithNasm(mode, [...generateCorpus(mode), ...invalidLines[mode]]));
      });

      it('encoder produces nasm\'s bytes for every line nasm assembles', () => {
        const bad: string[] = [];
        for (const a of assembled) {
          const r = encode({ ...a.line.request, operands: resolveOperands(a.line, a.address), address: a.address });
          const ours = r.kind === 'ok' ? hex(r.bytes) : `error: ${r.message}`;
          if (ours !== hex(a.bytes)) bad.push(`${a.line.text}  nasm ${hex(a.bytes)}  ours ${ours}  (${a.line.formCode})`);
        }
        summary.push(`isa ${mode}-bit: ${assembled.length} corpus lines compared with nasm, ${bad.length} encoder mismatches, ${rejected.length} lines nasm rejects`);
        assert.equal(bad.length, 0, `${bad.length} mismatches:\n${bad.slice(0, 40).join('\n')}`);
      });

      it('encoder rejects the lines nasm rejects (incl. a list of invalid lines nasm must reject)', () => {
        const notRejected = invalidLines[mode].filter((l) => !rejected.includes(l)).map((l) => l.text);
        assert.deepEqual(notRejected, [], 'nasm accepted lines the test expects to be invalid');
        const accepted = rejected.filter((l) => encode({ ...l.request, operands: resolveOperands(l, 0), address: 0 }).kind === 'ok');
        assert.equal(accepted.length, 0, `we accept ${accepted.length} lines nasm rejects:\n${accepted.slice(0, 40).map((l) => l.text).join('\n')}`);
      });

      it('decoder reads nasm\'s bytes back: same length, and format → parse → encode gives the same instruction', () => {
        const insn = new Instruction();
        const again = new Instruction();
        const bad: string[] = [];
        for (const a of assembled) {
          const r = decode(a.bytes, 0, a.bytes.length, mode, insn);
          if (r.kind !== 'ok' && !(r.kind === 'unsupported' && insn.form !== null)) { bad.push(`${a.line.text}: ${JSON.stringify(r)} (${hex(a.bytes)})`); continue; }
          if (insn.length !== a.bytes.length) { bad.push(`${a.line.text}: length ${insn.length} vs ${a.bytes.length}`); continue; }
          const text = formatInstruction(insn, { address: a.address });
          const parsed = parseInstruction(text);
          if (!parsed) { bad.push(`${a.line.text}: cannot parse back '${text}'`); continue; }
          const operands = parsed.operands;
          const e = encode({ mnemonic: parsed.mnemonic, operands, mode, address: a.address, prefixes: [...parsed.prefixes, ...(parsed.segment ? [] : [])] });
          if (e.kind !== 'ok') { bad.push(`${a.line.text}: '${text}' does not encode: ${e.message}`); continue; }
          if (hex(e.bytes) === hex(a.bytes)) continue;
          // A different but equivalent encoding (e.g. XCHG/TEST operand order) must decode to the same operation.
          const r2 = decode(e.bytes, 0, e.bytes.length, mode, again);
          const same = r2.kind === r.kind && formatInstruction(again, { address: a.address }) === text;
          if (!same) bad.push(`${a.line.text}: '${text}' re-encodes to ${hex(e.bytes)} not ${hex(a.bytes)}`);
        }
        assert.equal(bad.length, 0, `${bad.length} mismatches:\n${bad.slice(0, 40).join('\n')}`);
      });

      it('iced-x86 decodes nasm\'s bytes to the same length and text as our decoder + formatter', () => {
        const insn = new Instruction();
        const fmt = icedFormatter();
        const iced = new IcedInstruction();
        const bad: string[] = [];
        for (const a of assembled) {
          const r = decode(a.bytes, 0, a.bytes.length, mode, insn);
          if (r.kind !== 'ok') continue;
          const d = new Decoder(mode, a.bytes, DecoderOptions.None);
          d.ip = BigInt(a.address);
          d.decodeOut(iced);
          const theirs = fmt.format(iced);
          const len = iced.length;
          d.free();
          const ours = formatInstruction(insn, { address: a.address });
          if (len !== insn.length) bad.push(`${a.line.text}: iced length ${len}, ours ${insn.length}`);
          else if (normalise(ours) !== normalise(theirs)) bad.push(`${a.line.text}: iced '${theirs}' ours '${ours}'`);
        }
        iced.free();
        fmt.free();
        assert.equal(bad.length, 0, `${bad.length} differences:\n${bad.slice(0, 40).join('\n')}`);
      });
    });
  }
});
