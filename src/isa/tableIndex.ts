// Parses the SDM-notation rows of table.ts ONCE at load into Forms, the decode index (opcode map ×
// opcode byte → candidate forms) and the encode index (mnemonic → forms), plus the exported
// mnemonic lists. A malformed row is a programming error and throws at load (tested).
// Imports only src/isa.
import { FlagBit, ModeBit, OperandSpecCode, type Form, type MandatoryPrefix, type OperandSpec } from './form';
import { parseReg, Reg, type RegId } from './registers';
import { table, type TableRow } from './table';

function flagMask(letters: string): number {
  let m = 0;
  for (const ch of letters) {
    switch (ch) {
      case 'o': m |= FlagBit.OF; break;
      case 's': m |= FlagBit.SF; break;
      case 'z': m |= FlagBit.ZF; break;
      case 'a': m |= FlagBit.AF; break;
      case 'p': m |= FlagBit.PF; break;
      case 'c': m |= FlagBit.CF; break;
      case 'd': m |= FlagBit.DF; break;
      case 'i': m |= FlagBit.IF; break;
      case 't': m |= FlagBit.TF; break;
      default: throw new Error(`bad flag letter '${ch}'`);
    }
  }
  return m;
}

/** Parsed flags columns by text: most rows share a handful of them (load time). */
const flagsByText = new Map<string, { r: number; w: number; u: number }>();

function parseFlags(text: string | undefined): { r: number; w: number; u: number } {
  const key = text ?? '';
  const known = flagsByText.get(key);
  if (known !== undefined) return known;
  const parsed = parseFlagsText(key);
  flagsByText.set(key, parsed);
  return parsed;
}

function parseFlagsText(text: string): { r: number; w: number; u: number } {
  const out = { r: 0, w: 0, u: 0 };
  for (const part of text.split(' ')) {
    if (part.length === 0) continue;
    const [k, letters] = part.split(':');
    if (k !== 'r' && k !== 'w' && k !== 'u') throw new Error(`bad flags part '${part}'`);
    out[k] = flagMask(letters ?? '');
  }
  return out;
}

function spec(kind: OperandSpec['kind'], size: number, text: string, memSize = size, fixed: RegId = 0): OperandSpec {
  return { kind, code: OperandSpecCode[kind], size, memSize, fixed, text };
}

const memSizes: Record<string, number> = {
  m: 0, m8: 1, m16: 2, m32: 4, m64: 8, m128: 16,
  'm16&16': 4, 'm32&32': 8, 'm16&32': 6, 'm16&64': 10, 'm16:16': 4, 'm16:32': 6, 'm16:64': 10,
};

/** Parse one operand of the instruction column. `opcodeReg`/`hasCrDr` decide what a bare `rN` means. */
function parseOperand(text: string, opcodeReg: boolean, hasCrDr: boolean, immSeen: boolean): OperandSpec {
  let m: RegExpMatchArray | null;
  if ((m = /^r(8|16|32|64)$/.exec(text))) {
    const size = Number(m[1]) / 8;
    return spec(opcodeReg ? 'opReg' : hasCrDr ? 'rmReg' : 'reg', size, text);
  }
  if ((m = /^r\/m(8|16|32|64)$/.exec(text))) return spec('rm', Number(m[1]) / 8, text);
  if ((m = /^r(16|32|64)\/m(16)$/.exec(text))) return spec('rm', Number(m[1]) / 8, text, Number(m[2]) / 8);
  if (text in memSizes) return spec('mem', memSizes[text], text);
  if ((m = /^imm(8|16|32|64)$/.exec(text))) return spec(immSeen ? 'imm2' : 'imm', Number(m[1]) / 8, text);
  if ((m = /^rel(8|16|32)$/.exec(text))) return spec('rel', Number(m[1]) / 8, text);
  if ((m = /^ptr16:(16|32)$/.exec(text))) return spec('ptr', 2 + Number(m[1]) / 8, text);
  if ((m = /^moffs(8|16|32|64)$/.exec(text))) return spec('moffs', Number(m[1]) / 8, text);
  if (text === '1') return spec('one', 1, text);
  if (text === 'Sreg') return spec('sreg', 2, text);
  if (/^CR0-CR(7|15)$/.test(text)) return spec('cr', 8, text);
  if (text === 'DR0-DR7') return spec('dr', 8, text);
  const reg = parseReg(text);
  if (reg !== undefined) return spec('fixed', regByteSize(reg), text, regByteSize(reg), reg);
  throw new Error(`unknown operand '${text}'`);
}

/**
 * Operand specs by context (bit 2: opcode register, bit 1: CR/DR row, bit 0: an immediate came
 * before) and text: rows with the same operand share one (read-only) spec object (load time).
 */
const operandsByContext: Map<string, OperandSpec>[] = [0, 1, 2, 3, 4, 5, 6, 7].map(() => new Map<string, OperandSpec>());

function sharedOperand(text: string, opcodeReg: boolean, hasCrDr: boolean, immSeen: boolean): OperandSpec {
  const known = operandsByContext[(opcodeReg ? 4 : 0) | (hasCrDr ? 2 : 0) | (immSeen ? 1 : 0)];
  let s = known.get(text);
  if (s === undefined) known.set(text, (s = parseOperand(text, opcodeReg, hasCrDr, immSeen)));
  return s;
}

/** An operand of a VEX row by its Op/En letter: `r32a`/`r32b`/`r64` (R, V), `r/m32` (M), `imm8` (I). */
function parseVexOperand(text: string, letter: string, code: string): OperandSpec {
  const m = /^(?:r|r\/m)(32|64)[ab]?$/.exec(text);
  if (letter === 'I') {
    if (text !== 'imm8') throw new Error(`${code}: bad immediate '${text}'`);
    return spec('imm', 1, text);
  }
  if (!m) throw new Error(`${code}: bad VEX operand '${text}'`);
  const size = Number(m[1]) / 8;
  if (letter === 'R') return spec('reg', size, text);
  if (letter === 'V') return spec('vvvv', size, text);
  if (letter === 'M' && text.startsWith('r/m')) return spec('rm', size, text);
  throw new Error(`${code}: operand '${text}' does not fit Op/En letter ${letter}`);
}

function regByteSize(reg: RegId): number {
  if (reg < 0x20) return 1;
  if (reg < 0x30 || (reg >= 0x50 && reg < 0x60)) return 2;
  return reg < 0x40 ? 4 : 8;
}

/** The operand size an operand selects (0 = none): far pointers select by their offset part. */
function operandSelectsOsz(s: OperandSpec): number {
  switch (s.kind) {
    case 'reg': case 'rm': case 'opReg': case 'rmReg': case 'moffs': case 'vvvv':
      return s.size;
    case 'fixed':
      return s.fixed === Reg.DX || s.fixed === Reg.CL || s.fixed >= 0x50 ? -1 : s.size;
    case 'mem':
      if (s.text.startsWith('m16:')) return Number(s.text.slice(4)) / 8;
      if (s.text.includes('&')) return -1;
      return s.size === 0 ? -1 : s.size;
    case 'rel':
      return s.size === 1 ? -1 : s.size;
    case 'ptr':
      return s.size - 2;
    default:
      return -1;
  }
}

/** Operations whose narrow immediate is zero-extended (counts, ports, vectors, frame sizes). */
const zeroExtendedImm = new Set<string>([
  'rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar', 'shld', 'shrd', 'bt', 'bts', 'btr', 'btc',
  'in', 'out', 'int', 'enter', 'ret', 'retFar', 'aam', 'aad', 'rorx',
]);

/** Bytes of an immediate or code-offset token of the opcode column (`ib`, `iw`, `id`, `io`, `cb`, `cw`, `cd`, `cp`), else 0. */
function immTokenSize(t: string): number {
  if (t.length !== 2) return 0;
  const kind = t.charCodeAt(0);
  if (kind !== 0x69 /* i */ && kind !== 0x63 /* c */) return 0;
  switch (t.charCodeAt(1)) {
    case 0x62: return 1; // b
    case 0x77: return 2; // w
    case 0x64: return 4; // d
    case 0x6f: return kind === 0x69 ? 8 : 0; // io
    case 0x70: return kind === 0x63 ? 6 : 0; // cp
    default: return 0;
  }
}

/** Value of an upper-case hex digit, or -1. */
function hexDigit(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  return -1;
}

/** The byte written as two upper-case hex digits at the start of t, or -1. */
function hexByteAt0(t: string): number {
  if (t.length < 2) return -1;
  const hi = hexDigit(t.charCodeAt(0));
  const lo = hexDigit(t.charCodeAt(1));
  return hi < 0 || lo < 0 ? -1 : hi * 16 + lo;
}

/** true for an opcode-register token `XX+rb`, `XX+rw`, `XX+rd`, `XX+ro`. */
function isOpcodeRegToken(t: string): boolean {
  if (t.length !== 5 || t.charCodeAt(2) !== 0x2b /* + */ || t.charCodeAt(3) !== 0x72 /* r */) return false;
  const w = t.charCodeAt(4);
  return w === 0x62 || w === 0x77 || w === 0x64 || w === 0x6f;
}

/** The operand texts of an instruction column after its mnemonic (`ADD r/m32, imm8` → `r/m32`, `imm8`). */
function operandTextsOf(ins: string, from: number): string[] {
  const out: string[] = [];
  let i = from;
  while (i <= ins.length) {
    let j = ins.indexOf(',', i);
    if (j < 0) j = ins.length;
    const t = ins.slice(i, j).trim();
    if (t.length > 0) out.push(t);
    i = j + 1;
  }
  return out;
}

/**
 * Parse one row (load time, once per row: a scanner over the two text columns rather than regular
 * expressions and array callbacks, since this runs before any of it is optimised).
 */
function parseRow(row: TableRow, index: number): Form {
  // Rows have many shapes (optional columns): each column is read once.
  const { code, op, ins, exec, en, flags: flagsColumn, modes: modesColumn, osz: oszColumn, asz: aszColumn, d64, f64, lock, rep, cpl0 } = row;
  let mandatory: MandatoryPrefix = 'none';
  let rexW = false;
  const bytes: number[] = [];
  let opcodeReg = false;
  let digit = -1;
  let hasModrm = false;
  let immBytes = 0;
  let vex = false;
  let vexW = -1;
  let vexMap = 0;
  for (let i = 0; i < op.length; ) {
    if (op.charCodeAt(i) === 0x20) { i++; continue; }
    let j = i + 1;
    while (j < op.length && op.charCodeAt(j) !== 0x20) j++;
    const t = op.slice(i, j);
    i = j;
    if (t === '+') continue;
    if (t.startsWith('VEX.')) {
      // VEX.LZ.[pp.]map.W (SDM Vol. 2 §3.1.1.2): only LZ/L0 (VEX.L = 0) forms are rows.
      const parts = t.split('.');
      if (parts.length < 4 || (parts[1] !== 'LZ' && parts[1] !== 'L0')) throw new Error(`${code}: bad VEX token '${t}'`);
      const w = parts[parts.length - 1];
      const m = parts[parts.length - 2];
      if (parts.length === 5) {
        if (parts[2] !== '66' && parts[2] !== 'F2' && parts[2] !== 'F3') throw new Error(`${code}: bad VEX.pp '${parts[2]}'`);
        mandatory = parts[2];
      }
      vexMap = m === '0F' ? 1 : m === '0F38' ? 2 : m === '0F3A' ? 3 : 0;
      if (vexMap === 0 || (w !== 'W0' && w !== 'W1' && w !== 'WIG')) throw new Error(`${code}: bad VEX token '${t}'`);
      vex = true;
      vexW = w === 'W0' ? 0 : w === 'W1' ? 1 : -1;
      continue;
    }
    if (t === 'NP') { mandatory = 'none'; continue; }
    if (t === 'NFx') { mandatory = 'NFx'; continue; }
    if (!vex && (t === 'F2' || t === 'F3' || t === '66')) { mandatory = t; continue; } // after VEX.*, F2/F3 are opcode bytes
    if (t === 'REX.W') { rexW = true; continue; }
    if (t === '/r') { hasModrm = true; continue; }
    if (t.length === 2 && t.charCodeAt(0) === 0x2f /* / */ && t.charCodeAt(1) >= 0x30 && t.charCodeAt(1) <= 0x37) {
      hasModrm = true;
      digit = t.charCodeAt(1) - 0x30;
      continue;
    }
    const imm = immTokenSize(t);
    if (imm > 0) { immBytes += imm; continue; }
    const byte = hexByteAt0(t);
    if (byte >= 0 && t.length === 2) { bytes.push(byte); continue; }
    if (byte >= 0 && isOpcodeRegToken(t)) { bytes.push(byte); opcodeReg = true; continue; }
    throw new Error(`${code}: bad opcode token '${t}'`);
  }
  let map = vexMap;
  let k = 0;
  if (vex) { if (en === undefined) throw new Error(`${code}: a VEX row needs its Op/En`); }
  else if (en !== undefined) throw new Error(`${code}: Op/En only for VEX rows`);
  else if (bytes[0] === 0x0f) {
    map = 1; k = 1;
    if (bytes[1] === 0x38) { map = 2; k = 2; } else if (bytes[1] === 0x3a) { map = 3; k = 2; }
  }
  const opcode = bytes[k];
  let fixedModrm = -1;
  if (bytes.length === k + 2) { fixedModrm = bytes[k + 1]; hasModrm = true; }
  else if (bytes.length !== k + 1) throw new Error(`${code}: bad opcode bytes`);

  const space = ins.indexOf(' ');
  const mnemonic = (space < 0 ? ins : ins.slice(0, space)).toLowerCase();
  const operandTexts = space < 0 ? [] : operandTextsOf(ins, space);
  // A bare rN is ModRM.rm (register only) with CR/DR operands and in /digit groups (RDRAND r32: 0F C7 /6).
  let hasCrDr = digit >= 0;
  for (const t of operandTexts) if (t.startsWith('CR') || t.startsWith('DR')) hasCrDr = true;
  if (en !== undefined && en.length !== operandTexts.length) throw new Error(`${code}: Op/En ${en} does not fit the operands`);
  const operands: OperandSpec[] = [];
  let immSeen = false;
  for (const t of operandTexts) {
    const letter = en?.[operands.length];
    const o = letter === undefined ? sharedOperand(t, opcodeReg, hasCrDr, immSeen) : parseVexOperand(t, letter, code);
    operands.push(o);
    if (o.kind === 'imm') immSeen = true;
  }

  let osz = 0;
  let byteOp = false;
  if (oszColumn === 'any') osz = 0;
  else if (oszColumn === 8) byteOp = true;
  else if (oszColumn !== undefined) osz = oszColumn / 8;
  else if (rexW) osz = 8;
  else {
    for (const o of operands) {
      const s = operandSelectsOsz(o);
      if (s >= 0) { osz = s === 1 ? 0 : s; byteOp = s === 1; break; }
    }
  }
  // REX.W forms exist only in 64-bit mode (REX is INC/DEC elsewhere).
  const modes = modesColumn === '16/32' ? ModeBit.M16 | ModeBit.M32 : modesColumn === '64' || rexW ? ModeBit.M64 : ModeBit.M16 | ModeBit.M32 | ModeBit.M64;
  const flags = parseFlags(flagsColumn);
  let immOperand: OperandSpec | undefined;
  let widest = 0;
  let memOnly = false;
  let rmRegOnly = false;
  for (const o of operands) {
    if (o.kind === 'imm' && immOperand === undefined) immOperand = o;
    if ((o.kind === 'reg' || o.kind === 'rm' || o.kind === 'fixed' || o.kind === 'opReg') && o.size > widest) widest = o.size;
    if (o.kind === 'mem') memOnly = true;
    if (o.kind === 'rmReg') rmRegOnly = true;
  }
  const immSigned = immOperand !== undefined && !zeroExtendedImm.has(exec) && (exec === 'push' || widest >= immOperand.size);
  return {
    index, code, mnemonic, op, ins, exec, map, opcode, opcodeReg, digit, fixedModrm,
    hasModrm, mandatory, osz, byteOp, memOnly, asz: aszColumn ? aszColumn / 8 : 0, rexW, modes, default64: d64 === true, force64: f64 === true,
    lockable: lock === true, rep: rep ?? 'none', cpl0: cpl0 === true,
    flagsRead: flags.r, flagsWritten: flags.w, flagsUndefined: flags.u, flagsText: flagsColumn ?? '',
    operands, immBytes, immSigned, unsupported: exec === 'unsupported', vex, vexW,
    rmRegOnly, condInOpcode: exec === 'jcc' || exec === 'setcc' || exec === 'cmov',
  };
}

/** Every form, in table order (`forms[i].index === i`). */
export const forms: readonly Form[] = table.map(parseRow);

/** Aliases the decoder never returns (alias: 'encode') are left out of the decode index; VEX forms have their own. */
const decodable = forms.filter((f) => table[f.index].alias !== 'encode' && !f.vex);

/** One shared empty candidate list (holding objects, like the filled ones) for the index slots without forms. */
const NO_FORMS: readonly Form[] = (() => {
  const a = [forms[0]];
  a.pop();
  return a;
})();

/** A decode index with every slot empty: one list per slot is created only when a form lands there (load time). */
function emptyIndex(): Form[][] {
  return new Array<Form[]>(4 * 256 * 8).fill(NO_FORMS as Form[]);
}

function addTo(idx: Form[][], slot: number, f: Form): void {
  if (idx[slot] === NO_FORMS) idx[slot] = [f];
  else idx[slot].push(f);
}

/** Decode-candidate order: whole-ModRM forms, then mandatory-prefix forms, then the rest. */
function decodeRank(f: Form): number {
  return f.fixedModrm >= 0 ? 0 : f.mandatory !== 'none' && f.mandatory !== 'NFx' ? 1 : 2;
}

/** The ModRM.reg value a form needs (from `/digit` or its whole ModRM byte), or -1 for any. */
function slotDigit(f: Form): number {
  return f.fixedModrm >= 0 ? (f.fixedModrm >> 3) & 7 : f.digit;
}

/**
 * The VEX decode index, laid out like `decodeIndex` (`(map * 256 + opcode) * 8 + modrmReg`, maps 2 and 3
 * in use): the general-purpose VEX forms (BMI1/BMI2). Empty = a VEX opcode the decoder only measures.
 */
export const vexDecodeIndex: readonly (readonly Form[])[] = (() => {
  const idx = emptyIndex();
  for (const f of forms) {
    if (!f.vex) continue;
    for (let reg = 0; reg < 8; reg++) if (f.digit < 0 || f.digit === reg) addTo(idx, (f.map * 256 + f.opcode) * 8 + reg, f);
  }
  return idx;
})();

/** Per `map * 256 + opcode`: 1 when some VEX form has that opcode (see vexDecodeIndex). */
export const vexOpcodes: Uint8Array = (() => {
  const a = new Uint8Array(4 * 256);
  for (const f of forms) if (f.vex) a[f.map * 256 + f.opcode] = 1;
  return a;
})();

/**
 * Decode index: `decodeIndex[(map * 256 + opcode) * 8 + modrmReg]` lists the candidate forms for
 * that opcode and ModRM.reg (map 0 = one byte, 1 = 0F, 2 = 0F 38, 3 = 0F 3A; for opcodes without
 * ModRM all eight lists are equal): whole-ModRM forms first, then mandatory-prefix forms, then the
 * rest in table order. Empty = no general-purpose form.
 */
export const decodeIndex: readonly (readonly Form[])[] = (() => {
  // Each opcode's forms in decode order (one pass per rank, table order within it: nothing is sorted).
  const byOpcode: Form[][] = new Array<Form[]>(4 * 256).fill(NO_FORMS as Form[]);
  for (let rank = 0; rank < 3; rank++) {
    for (const f of decodable) {
      if (decodeRank(f) !== rank) continue;
      const n = f.opcodeReg ? 8 : 1;
      for (let r = 0; r < n; r++) {
        const at = f.map * 256 + f.opcode + r;
        if (byOpcode[at] === NO_FORMS) byOpcode[at] = [f];
        else byOpcode[at].push(f);
      }
    }
  }
  // Then per ModRM.reg: an opcode whose forms take any reg shares its one list among the eight slots.
  const idx = emptyIndex();
  for (let at = 0; at < byOpcode.length; at++) {
    const list = byOpcode[at];
    if (list === NO_FORMS) continue;
    let anyDigit = false;
    for (const f of list) if (slotDigit(f) >= 0) anyDigit = true;
    for (let reg = 0; reg < 8; reg++) {
      if (!anyDigit) idx[at * 8 + reg] = list;
      else for (const f of list) if (slotDigit(f) < 0 || slotDigit(f) === reg) addTo(idx, at * 8 + reg, f);
    }
  }
  return idx;
})();

/** Per `map * 256 + opcode`: 1 when its forms have a ModRM byte, 0 when not, -1 when no form exists. */
export const opcodeHasModrm: Int8Array = (() => {
  const a = new Int8Array(4 * 256).fill(-1);
  for (const f of decodable) {
    const n = f.opcodeReg ? 8 : 1;
    for (let r = 0; r < n; r++) a[f.map * 256 + f.opcode + r] = f.hasModrm ? 1 : 0;
  }
  return a;
})();

const ccAliases: Record<string, string[]> = {
  b: ['c', 'nae'], ae: ['nc', 'nb'], e: ['z'], ne: ['nz'], be: ['na'], a: ['nbe'], p: ['pe'], np: ['po'],
  l: ['nge'], ge: ['nl'], le: ['ng'], g: ['nle'],
};

/** Extra mnemonics NASM accepts for a canonical one (jz → je, sal → shl, xlat → xlatb, ...). */
export const mnemonicAliases: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  for (const [cc, alts] of Object.entries(ccAliases)) {
    for (const head of ['j', 'set', 'cmov']) for (const alt of alts) m.set(head + alt, head + cc);
  }
  m.set('sal', 'shl');
  m.set('loopz', 'loope');
  m.set('loopnz', 'loopne');
  m.set('xlat', 'xlatb');
  m.set('pushaw', 'pusha');
  m.set('popaw', 'popa');
  m.set('pushfw', 'pushf');
  m.set('popfw', 'popf');
  m.set('iretw', 'iret');
  m.set('retn', 'ret');
  m.set('int01', 'int1');
  m.set('icebp', 'int1');
  m.set('fwait', 'wait');
  return m;
})();

/** Encode index: canonical mnemonic → its encodable forms in table order (decode-only aliases left out). */
export const encodeIndex: ReadonlyMap<string, readonly Form[]> = (() => {
  const m = new Map<string, Form[]>();
  for (const f of forms) {
    if (table[f.index].alias === 'decode') continue;
    let list = m.get(f.mnemonic);
    if (!list) m.set(f.mnemonic, (list = []));
    list.push(f);
  }
  return m;
})();

/** Forms an assembler may use for a mnemonic (aliases resolved, case-insensitive); empty if unknown. */
export function formsForMnemonic(mnemonic: string): readonly Form[] {
  const lower = mnemonic.toLowerCase();
  return encodeIndex.get(mnemonicAliases.get(lower) ?? lower) ?? [];
}

/** Instruction prefixes written as mnemonics (NASM). */
export const prefixMnemonics: readonly string[] = ['lock', 'rep', 'repe', 'repz', 'repne', 'repnz', 'o16', 'o32', 'o64', 'a16', 'a32', 'a64'];

/** Every instruction mnemonic the table knows (canonical and aliases), lower case, sorted; prefixes excluded. */
export const mnemonics: readonly string[] = [...new Set([...forms.map((f) => f.mnemonic), ...mnemonicAliases.keys()])].sort();

/** Per mnemonic (canonical or alias), its forms as hover text: `ADD r/m32, r32 — 01 /r — flags w:oszapc`. */
export function describeMnemonic(mnemonic: string): readonly { ins: string; op: string; flags: string; modes: string; cpl0: boolean }[] {
  const lower = mnemonic.toLowerCase();
  const canonical = mnemonicAliases.get(lower) ?? lower;
  return forms
    .filter((f) => f.mnemonic === canonical || (canonical === 'shl' && f.mnemonic === 'sal'))
    .filter((f) => table[f.index].alias !== 'decode' || f.mnemonic === 'sal')
    .map((f) => ({ ins: f.ins, op: f.op, flags: f.flagsText, modes: f.modes === ModeBit.M64 ? '64' : f.modes === (ModeBit.M16 | ModeBit.M32) ? '16/32' : '16/32/64', cpl0: f.cpl0 }));
}

/** Every form (decode-only ones included) by canonical mnemonic. */
const formsByMnemonic: ReadonlyMap<string, readonly Form[]> = (() => {
  const m = new Map<string, Form[]>();
  for (const f of forms) {
    let list = m.get(f.mnemonic);
    if (!list) m.set(f.mnemonic, (list = []));
    list.push(f);
  }
  return m;
})();

const modeBitOf = (mode: number): number => (mode === 16 ? 1 : mode === 32 ? 2 : 4);

/** Memory size of operand `index` of a form (for `r32/m16` the memory part). */
function memSizeOf(form: Form, index: number): number {
  const s = form.operands[index];
  return s.kind === 'rm' ? s.memSize : s.size;
}

/**
 * true when another encodable form of the mnemonic, valid in `mode`, with the same other operands
 * (kinds and sizes) takes memory of a different size at operand `index` — then NASM text needs a
 * size keyword (`inc dword [eax]`, `movzx ax, word [bx]`), else not (`add eax, [ebx]`, `sete [eax]`).
 * `includeDecodeOnly`: also weigh decode-only rows (the formatter does, to be explicit).
 */
export function memorySizeAmbiguous(form: Form, index: number, mode: number, includeDecodeOnly = false): boolean {
  if (forms[form.index] !== form || index < 0 || index >= maxOperands) return sizeAmbiguityOf(form, index, mode, includeDecodeOnly);
  // A pure function of its arguments, asked per memory operand the assembler encodes: memoised.
  const slot = ((form.index * maxOperands + index) * 3 + (mode === 16 ? 0 : mode === 32 ? 1 : 2)) * 2 + (includeDecodeOnly ? 1 : 0);
  const known = ambiguityMemo[slot];
  if (known !== 0) return known === 2;
  const answer = sizeAmbiguityOf(form, index, mode, includeDecodeOnly);
  ambiguityMemo[slot] = answer ? 2 : 1;
  return answer;
}

/** The most operands any form has. */
const maxOperands = forms.reduce((n, f) => Math.max(n, f.operands.length), 0);

/** memorySizeAmbiguous's answers per (form, operand, mode, includeDecodeOnly): 0 = not yet asked, 1 = false, 2 = true. */
const ambiguityMemo = new Uint8Array(forms.length * maxOperands * 3 * 2);

function sizeAmbiguityOf(form: Form, index: number, mode: number, includeDecodeOnly: boolean): boolean {
  const size = memSizeOf(form, index);
  const candidates = includeDecodeOnly ? (formsByMnemonic.get(form.mnemonic) ?? []) : formsForMnemonic(form.mnemonic);
  for (const f of candidates) {
    if (f === form || (f.modes & modeBitOf(mode)) === 0 || f.operands.length !== form.operands.length) continue;
    const s = f.operands[index];
    if (s.kind !== 'rm' && s.kind !== 'mem') continue;
    if (memSizeOf(f, index) === size) continue;
    if (othersSameClass(f, form, index)) return true;
  }
  return false;
}

/** true when every operand of `f` but `index` accepts what the same operand of `form` does. */
function othersSameClass(f: Form, form: Form, index: number): boolean {
  for (let i = 0; i < f.operands.length; i++) if (i !== index && !sameOperandClass(f.operands[i], form.operands[i])) return false;
  return true;
}

function gprLike(s: OperandSpec): boolean {
  return s.kind === 'reg' || s.kind === 'rm' || s.kind === 'opReg' || s.kind === 'rmReg' || s.kind === 'vvvv';
}

/** Operands that accept the same registers/immediates (for the size-keyword question). */
function sameOperandClass(a: OperandSpec, b: OperandSpec): boolean {
  if (gprLike(a) && gprLike(b)) return a.size === b.size;
  if (a.kind === 'fixed' || b.kind === 'fixed') return a.kind === b.kind && a.fixed === b.fixed;
  if ((a.kind === 'imm' || a.kind === 'one') && (b.kind === 'imm' || b.kind === 'one')) return true;
  return a.kind === b.kind;
}
