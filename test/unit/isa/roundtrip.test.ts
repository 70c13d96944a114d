// Every row round-trips without external tools: for each generated corpus line (every encodable
// row, 16/32/64-bit), encode → decode (same length, same row or its decode twin, same registers)
// → format → parse back → encode gives the same bytes. The nasm comparison is in test/differential.
import { strict as assert } from 'assert';
import { decode } from '../../../src/isa/decode';
import { encode, type AsmOperand } from '../../../src/isa/encode';
import { formatInstruction } from '../../../src/isa/format';
import { Instruction } from '../../../src/isa/instruction';
import { table } from '../../../src/isa/table';
import { forms } from '../../../src/isa/tableIndex';
import { generateCorpus } from './corpus';
import { parseInstruction, type CorpusLine } from './nasmSyntax';

const address = 0x4000;

function resolved(line: CorpusLine): AsmOperand[] {
  return line.request.operands.map((o, i) => {
    if (line.relative === undefined || i !== line.relativeOperand) return o;
    return o.kind === 'imm' ? { ...o, value: BigInt(address) + line.relative } : o.kind === 'mem' ? { ...o, disp: BigInt(address) + line.relative } : o;
  });
}

describe('isa round trip of every row (encode → decode → format → parse → encode)', function () {
  this.timeout(60000);
  const rowsHit = new Set<string>();
  for (const mode of [16, 32, 64] as const) {
    it(`${mode}-bit`, () => {
      const insn = new Instruction();
      const bad: string[] = [];
      for (const line of generateCorpus(mode)) {
        const e = encode({ ...line.request, operands: resolved(line), address });
        if (e.kind !== 'ok') { bad.push(`${line.text}: ${e.message}`); continue; }
        rowsHit.add(e.form.code);
        const r = decode(e.bytes, 0, e.bytes.length, mode, insn);
        if (r.kind !== 'ok' && !(r.kind === 'unsupported' && insn.form)) { bad.push(`${line.text}: decode ${JSON.stringify(r)}`); continue; }
        if (insn.length !== e.bytes.length) { bad.push(`${line.text}: length ${insn.length} vs ${e.bytes.length}`); continue; }
        const f = insn.form!;
        const nopAlias = f.exec === 'nop' && e.form.exec === 'xchg' && e.bytes[e.bytes.length - 1] === 0x90; // XCHG eAX, eAX is 90 = NOP
        if (!nopAlias && (f.exec !== e.form.exec || f.opcode !== e.form.opcode || f.map !== e.form.map)) bad.push(`${line.text}: decoded as ${f.code}, encoded ${e.form.code}`);
        const text = formatInstruction(insn, { address });
        const p = parseInstruction(text);
        if (!p) { bad.push(`${line.text}: cannot parse '${text}'`); continue; }
        const again = encode({ mnemonic: p.mnemonic, operands: p.operands, mode, address, prefixes: p.prefixes });
        if (again.kind !== 'ok') { bad.push(`${line.text}: '${text}': ${again.message}`); continue; }
        if (Buffer.compare(Buffer.from(again.bytes), Buffer.from(e.bytes)) !== 0) {
          const second = new Instruction();
          decode(again.bytes, 0, again.bytes.length, mode, second);
          if (formatInstruction(second, { address }) !== text) bad.push(`${line.text}: '${text}' → ${Buffer.from(again.bytes).toString('hex')} vs ${Buffer.from(e.bytes).toString('hex')}`);
        }
      }
      assert.equal(bad.length, 0, `${bad.length} failures:\n${bad.slice(0, 30).join('\n')}`);
    });
  }

  it('the corpus makes the encoder choose every encodable row in some mode', () => {
    const missing = forms.filter((f) => table[f.index].alias !== 'decode' && !rowsHit.has(f.code)).map((f) => f.code);
    assert.deepEqual(missing, []);
  });
});
