// Test helper: renders encoder operands as NASM source text and parses our formatter's NASM text
// back into encoder operands (the "parse back" half of the round trips). Small on purpose: it
// understands exactly the syntax format.ts prints plus what corpus.ts writes.
import type { AsmMemory, AsmOperand, EncodeRequest } from '../../../src/isa/encode';
import { parseReg, regName, RegKind, regKind } from '../../../src/isa/registers';

const sizeNames: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword', 10: 'tword', 16: 'oword' };
const sizeOf: Record<string, number> = { byte: 1, word: 2, dword: 4, qword: 8, tword: 10, oword: 16 };

function num(v: bigint | number): string {
  const b = BigInt(v);
  return b < 0n ? '-0x' + (-b).toString(16) : '0x' + b.toString(16);
}

/** NASM text of a memory operand; `relTo` set = the disp is `$+relTo` (RIP-relative corpus lines). */
export function renderMemory(m: AsmMemory, relText?: string): string {
  const parts: string[] = [];
  if (m.base !== undefined) parts.push(regName(m.base) ?? '?');
  if (m.index !== undefined) parts.push(`${regName(m.index)}*${m.scale ?? 1}`);
  let inner = parts.join('+');
  const disp = BigInt(m.disp);
  if (relText !== undefined) inner = `rel ${relText}`;
  else if (parts.length === 0) inner = (m.dispSize === 8 ? 'qword ' : '') + num(disp);
  else if (disp !== 0n) inner += disp < 0n ? '-0x' + (-disp).toString(16) : '+0x' + disp.toString(16);
  const seg = m.segment !== undefined ? `${regName(m.segment)}:` : '';
  const size = m.size !== undefined ? sizeNames[m.size] + ' ' : '';
  return `${m.far ? 'far ' : ''}${size}[${seg}${inner}]`;
}

/** NASM text of an operand. */
export function renderOperand(o: AsmOperand): string {
  switch (o.kind) {
    case 'reg': return regName(o.reg) ?? '?';
    case 'mem': return renderMemory(o);
    case 'imm': return `${o.strict ? 'strict ' : ''}${o.branch ? o.branch + ' ' : ''}${o.size && o.strict ? sizeNames[o.size] + ' ' : ''}${num(o.value)}`;
    case 'far': return `${num(o.segment)}:${num(o.offset)}`;
  }
}

function parseNumber(text: string): bigint | undefined {
  const t = text.trim();
  let m: RegExpExecArray | null;
  if ((m = /^(-?)0x([0-9a-f]+)$/i.exec(t))) return (m[1] ? -1n : 1n) * BigInt('0x' + m[2]);
  if ((m = /^(-?)([0-9][0-9a-f]*)h$/i.exec(t))) return (m[1] ? -1n : 1n) * BigInt('0x' + m[2]);
  if ((m = /^(-?)([0-9]+)$/.exec(t))) return BigInt(t);
  return undefined;
}

function parseMemory(text: string): AsmMemory | undefined {
  let t = text.trim();
  const mem: AsmMemory = { kind: 'mem', disp: 0n };
  for (let k = 0; k < 2; k++) {
    if (t.startsWith('far ')) { mem.far = true; t = t.slice(4).trim(); }
    const sm = /^(byte|word|dword|qword|tword|oword)\s+/.exec(t);
    if (sm) { mem.size = sizeOf[sm[1]]; t = t.slice(sm[0].length); }
  }
  if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
  let inner = t.slice(1, -1).trim();
  const seg = /^(es|cs|ss|ds|fs|gs):/.exec(inner);
  if (seg) { mem.segment = parseReg(seg[1]); inner = inner.slice(seg[0].length); }
  if (inner.startsWith('nosplit ')) { mem.nosplit = true; inner = inner.slice(8); }
  if (inner.startsWith('rel ')) { mem.ripRelative = true; inner = inner.slice(4); }
  if (inner.startsWith('abs ')) inner = inner.slice(4);
  if (inner.startsWith('qword ')) { mem.dispSize = 8; inner = inner.slice(6); }
  let disp = 0n;
  for (const rawTerm of inner.replace(/-/g, '+-').split('+').map((s) => s.trim()).filter((s) => s.length > 0)) {
    const [a, b] = rawTerm.split('*');
    const reg = parseReg(a);
    if (reg !== undefined) {
      if (b !== undefined) { mem.index = reg; mem.scale = Number(b); }
      else if (mem.base === undefined) mem.base = reg;
      else { mem.index = reg; mem.scale = 1; }
      continue;
    }
    const n = parseNumber(rawTerm);
    if (n === undefined) return undefined;
    disp += n;
  }
  mem.disp = disp;
  return mem;
}

/** Parse one operand of our formatter's output. */
export function parseOperand(text: string): AsmOperand | undefined {
  const t = text.trim();
  const reg = parseReg(t);
  if (reg !== undefined && regKind(reg) <= RegKind.Debug) return { kind: 'reg', reg };
  if (t.includes('[')) return parseMemory(t);
  const far = /^(0x[0-9a-f]+):(0x[0-9a-f]+)$/i.exec(t);
  if (far) return { kind: 'far', segment: Number(far[1]), offset: Number(far[2]) };
  const n = parseNumber(t);
  return n === undefined ? undefined : { kind: 'imm', value: n };
}

const prefixWords = new Set(['lock', 'rep', 'repe', 'repz', 'repne', 'repnz', 'a16', 'a32', 'a64', 'o16', 'o32', 'o64']);
const segWords = new Set(['es', 'cs', 'ss', 'ds', 'fs', 'gs']);

/** Parse a whole formatted instruction into an encode request (without address/mode). */
export function parseInstruction(text: string): { mnemonic: string; operands: AsmOperand[]; prefixes: string[]; segment?: string } | undefined {
  const words = text.trim().split(/\s+/);
  const prefixes: string[] = [];
  let segment: string | undefined;
  while (words.length > 1 && (prefixWords.has(words[0]) || segWords.has(words[0]))) {
    const w = words.shift() as string;
    if (segWords.has(w)) segment = w;
    else prefixes.push(w);
  }
  const mnemonic = words.shift();
  if (mnemonic === undefined) return undefined;
  const rest = words.join(' ').trim();
  const operands: AsmOperand[] = [];
  if (rest.length > 0) {
    for (const part of splitOperands(rest)) {
      const o = parseOperand(part);
      if (o === undefined) return undefined;
      operands.push(o);
    }
  }
  return { mnemonic, operands, prefixes, segment };
}

function splitOperands(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === ',' && depth === 0) { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** A corpus line: the NASM source and the request our encoder gets for it (address filled in later). */
export interface CorpusLine {
  text: string;
  request: EncodeRequest;
  /** For relative branches / RIP-relative: the target is `$ + relative`... */
  relative?: bigint;
  /** ...and this operand (an imm target or a ripRelative memory operand) holds it. */
  relativeOperand?: number;
  /** Table row the line was generated from. */
  formCode: string;
}
