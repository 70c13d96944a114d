// x86dbg disasm FILE [--bits 16|32|64] [--org ADDR] [--hex 0x|h]: disassembles a flat binary, .COM,
// boot image or static ELF (its executable segments, with symbol labels) using the isa decoder and
// NASM formatter; prints ADDRESS  BYTES  INSTRUCTION per line. Node APIs allowed; no VS Code.
import * as fs from 'fs';
import { decode } from '../isa/decode';
import { Instruction } from '../isa/instruction';
import { formatInstruction, formatDb } from '../isa/format';
import { loadBinary } from '../asm/loadBinary';
import type { Bits, Program } from '../asm/program';

const USAGE = 'usage: x86dbg disasm FILE [--bits 16|32|64] [--org ADDR] [--hex 0x|h]';

/** Disassembles `bytes` placed at `address` into text lines. */
export function disassemble(bytes: Uint8Array, address: number, bits: Bits, options: { hex?: '0x' | 'h'; labels?: Map<number, string> } = {}): string[] {
  const out: string[] = [];
  const insn = new Instruction();
  const labels = options.labels;
  const symbolize = labels ? (a: number): string | undefined => labels.get(a) : undefined;
  let off = 0;
  while (off < bytes.length) {
    const at = address + off;
    const name = labels?.get(at);
    if (name) out.push(`${name}:`);
    const r = decode(bytes, off, bytes.length, bits, insn);
    let len: number;
    let text: string;
    if (r.kind === 'ok' || (r.kind === 'unsupported' && insn.length > 0)) {
      len = insn.length;
      text = r.kind === 'ok' ? formatInstruction(insn, { address: at, hex: options.hex, symbolize }) : `${formatDb(bytes, off, len, { hex: options.hex })} ; ${r.family} instruction (not executed by x86dbg)`;
    } else {
      len = 1;
      text = formatDb(bytes, off, 1, { hex: options.hex }) + (r.kind === 'truncated' ? ' ; truncated instruction' : ' ; invalid opcode');
    }
    const hex = Array.from(bytes.subarray(off, off + len), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
    out.push(`${at.toString(16).toUpperCase().padStart(8, '0')}  ${hex.padEnd(20)}  ${text}`);
    off += len;
  }
  return out;
}

function parseAddress(text: string): number | undefined {
  const t = text.toLowerCase();
  const v = t.startsWith('0x') ? parseInt(t.slice(2), 16) : t.endsWith('h') ? parseInt(t.slice(0, -1), 16) : parseInt(t, 10);
  return Number.isFinite(v) && v >= 0 ? v : undefined;
}

export async function disasmCommand(args: string[]): Promise<number> {
  let file: string | undefined;
  let bits: Bits | undefined;
  let org: number | undefined;
  let hex: '0x' | 'h' = '0x';
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--bits') {
      const b = Number(args[++i]);
      if (b !== 16 && b !== 32 && b !== 64) {
        process.stderr.write(`x86dbg disasm: --bits must be 16, 32 or 64\n`);
        return 2;
      }
      bits = b;
    } else if (a === '--org') {
      org = parseAddress(args[++i] ?? '');
      if (org === undefined) {
        process.stderr.write(`x86dbg disasm: --org needs an address (0x7c00, 7c00h or decimal)\n`);
        return 2;
      }
    } else if (a === '--hex') hex = args[++i] === 'h' ? 'h' : '0x';
    else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (a.startsWith('-')) {
      process.stderr.write(`x86dbg disasm: unknown option '${a}'\n${USAGE}\n`);
      return 2;
    } else file = a;
  }
  if (!file) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (e) {
    process.stderr.write(`x86dbg disasm: cannot read '${file}': ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const loaded = loadBinary(bytes, file, { bits, org });
  if (!loaded.ok) {
    process.stderr.write(`x86dbg disasm: ${loaded.message}\n`);
    return 1;
  }
  const program: Program = loaded.program;
  const labels = new Map<number, string>();
  for (const s of program.symbols) if (s.kind === 'code' && !labels.has(s.address)) labels.set(s.address, s.name);
  const segments = loaded.format === 'elf' ? program.segments.filter((s) => s.permissions.execute) : program.segments;
  const lines: string[] = [];
  for (const seg of segments) {
    if (segments.length > 1) lines.push(`; ${seg.name} at 0x${seg.address.toString(16)}`);
    lines.push(...disassemble(seg.bytes, org !== undefined && loaded.format !== 'elf' ? org : seg.address, bits ?? program.bits, { hex, labels }));
  }
  process.stdout.write(lines.join('\n') + '\n');
  return 0;
}
