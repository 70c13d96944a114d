// The parser: one preprocessed line of tokens → a Statement (label, TIMES, prefixes, instruction
// with operands, data/reserve directives, assembler directives). Local labels (.x) are qualified
// with the last non-local label here, in source order. Never throws; errors go to the sink.
// Reading the line (cursor, expressions, diagnostics) is ./lineCursor. Imports ./lexer, ./lineCursor,
// ./statements, ./operandRules, ./expressions, ./diagnostics, ./preprocessor (types).
import type { Token } from './lexer';
import type { Expr } from './expressions';
import { LineCursor } from './lineCursor';
import { Statement, type DataItem, type OperandAst, type StatementBody } from './statements';
import type { DiagnosticSink } from './diagnostics';
import type { PLine } from './preprocessor';
import * as operandRulesModule from './operandRules';

// hot code binds imported functions once (under tsx an imported binding is a getter call per use)
const { isBranch } = operandRulesModule;

/** What the parser needs to know about the instruction set (from src/isa). */
export interface ParserIsa {
  isMnemonic(lower: string): boolean;
  isRegister(lower: string): boolean;
  /** Instruction prefixes written as words (lock, rep, o16, a32, ...). */
  isPrefix(lower: string): boolean;
}

// Maps, not object literals: a word that is not there is one hash probe (and `toString` is no unit)
const SIZE_WORDS = new Map<string, number>([['byte', 1], ['word', 2], ['dword', 4], ['qword', 8], ['tword', 10], ['oword', 16], ['yword', 32], ['zword', 64]]);
const DATA_UNITS = new Map<string, number>([['db', 1], ['dw', 2], ['dd', 4], ['dq', 8], ['dt', 10], ['do', 16], ['dy', 32], ['dz', 64]]);
const RES_UNITS = new Map<string, number>([['resb', 1], ['resw', 2], ['resd', 4], ['resq', 8], ['rest', 10], ['reso', 16], ['resy', 32], ['resz', 64]]);
const SEGMENT_REGS = new Set(['es', 'cs', 'ss', 'ds', 'fs', 'gs']);
const DIRECTIVES = new Set(['bits', 'use16', 'use32', 'use64', 'org', 'section', 'segment', 'global', 'extern', 'common', 'static', 'align', 'alignb', 'absolute', 'struc', 'endstruc', 'istruc', 'at', 'iend', 'default', 'cpu', 'incbin', 'equ', 'times', 'sectalign', 'warning', 'list', 'float', 'required']);

/** Shared empty lists for the (many) instructions without prefixes or operands; never mutated. */
const NO_PREFIXES: string[] = [];
const NO_OPERANDS: OperandAst[] = [];
/** The body of a line with only a label (one shared object: label lines are common). */
const NO_BODY: StatementBody = Object.freeze({ k: 'none' });

/** Every assembler directive word the parser knows (BITS, SECTION, DB, RESB, TIMES, ...), lower case;
 *  for the editor grammar and completion. */
export const directiveWords: readonly string[] = Object.freeze([...DIRECTIVES, ...DATA_UNITS.keys(), ...RES_UNITS.keys()].sort());

/** Words that can never be labels (data and reserve directives, directives). */
export function isReservedWord(lower: string): boolean {
  return DATA_UNITS.has(lower) || RES_UNITS.has(lower) || DIRECTIVES.has(lower);
}

/** Parses lines in order; keeps the last non-local label for qualifying `.local` names. */
export class LineParser extends LineCursor {
  constructor(
    private readonly isa: ParserIsa,
    sink: DiagnosticSink,
  ) {
    super(isa.isRegister, sink);
  }

  /** The `label:` of a line whose parse is reused (ParsedLineCache): qualified as parse() does,
   *  and a non-local label becomes the base of later `.x` names. */
  relabel(tok: Token): { name: string; tok: Token } {
    const raw = tok.text.startsWith('$') ? tok.text.slice(1) : tok.text;
    const name = this.qualify(raw);
    if ((!raw.startsWith('.') || raw.startsWith('..')) && !raw.startsWith('..@')) this.lastGlobal = raw;
    return { name, tok };
  }

  /** Parses one line; null when it holds nothing (blank, or an error already reported). */
  parse(line: PLine): Statement | null {
    this.line = line;
    this.toks = line.tokens;
    this.i = 0;
    if (this.toks.length === 0) return null;
    const firstTok = this.toks[0];
    const lastTok = this.toks[this.toks.length - 1];
    // [directive ...] form
    if (this.isOp(firstTok, '[') && this.toks[1]?.kind === 'id' && DIRECTIVES.has(this.toks[1].text.toLowerCase())) {
      if (this.isOp(lastTok, ']')) this.toks = this.toks.slice(1, -1);
      else {
        this.err(lastTok, "missing ']' after the directive");
        this.toks = this.toks.slice(1);
      }
    }
    let label: Statement['label'];
    const t0 = this.peek();
    if (t0 && t0.kind === 'id') {
      const lower = t0.text.toLowerCase();
      const t1 = this.peek(1);
      const colon = this.isOp(t1, ':');
      const isKeyword = this.isa.isMnemonic(lower) || isReservedWord(lower) || this.isa.isRegister(lower) || this.isa.isPrefix(lower);
      if (colon || (!isKeyword && !t0.text.startsWith('$')) || (t0.text.startsWith('$') && t0.text.length > 1)) {
        if (!colon && !isKeyword && t1 && t1.kind === 'id' && !this.isa.isMnemonic(t1.text.toLowerCase()) && !isReservedWord(t1.text.toLowerCase()) && !this.isa.isPrefix(t1.text.toLowerCase())) {
          this.err(t0, `'${t0.text}' is not an instruction or directive`);
          return null;
        }
        if (!colon && !isKeyword && t1 && t1.kind !== 'id') {
          this.err(t0, `'${t0.text}' is not an instruction or directive`);
          return null;
        }
        if (!colon && this.isa.isRegister(lower)) {
          this.err(t0, `'${t0.text}' is a register name and cannot be a label`);
          return null;
        }
        const raw = t0.text.startsWith('$') ? t0.text.slice(1) : t0.text;
        const name = this.qualify(raw);
        if (!raw.startsWith('.') || raw.startsWith('..')) {
          if (!raw.startsWith('..@')) this.pendingGlobal = raw;
        }
        label = { name, tok: t0 };
        this.i += colon ? 2 : 1;
        if (!colon && this.i >= this.toks.length) this.warn(t0, `label '${t0.text}' alone on a line without a colon might be in error`);
      }
    }
    let times: Expr | undefined;
    let timesTok: Token | undefined;
    const tt = this.peek();
    if (tt && tt.kind === 'id' && tt.text.toLowerCase() === 'times') {
      timesTok = tt;
      this.i++;
      times = this.expr('TIMES needs a count') ?? undefined;
      if (!times) return null;
    }
    const body = this.parseBody(label);
    // the label on an EQU line is a constant: it still becomes the base for later .local names
    if (this.pendingGlobal !== undefined) {
      this.lastGlobal = this.pendingGlobal;
      this.pendingGlobal = undefined;
    }
    if (!body) return null;
    if (body.k === 'none' && !label) return null;
    if (times && body.k !== 'insn' && body.k !== 'branch' && body.k !== 'data' && body.k !== 'res' && body.k !== 'incbin' && body.k !== 'align') {
      this.err(timesTok, 'TIMES can only repeat an instruction or a data directive');
      return null;
    }
    return new Statement(line.file, line.line, line.fromMacro, label, times, timesTok, body, firstTok);
  }

  private pendingGlobal: string | undefined;

  private parseBody(label: Statement['label']): StatementBody | null {
    const t = this.peek();
    if (!t) return NO_BODY;
    if (t.kind !== 'id') {
      this.err(t, `expected an instruction or directive, found '${t.text}'`);
      return null;
    }
    const word = t.text.toLowerCase();
    this.i++;
    const dataUnit = DATA_UNITS.get(word);
    if (dataUnit !== undefined) return this.parseData(dataUnit, t);
    const resUnit = RES_UNITS.get(word);
    if (resUnit !== undefined) {
      const count = this.expr(`${t.text} needs a count`);
      if (!count) return null;
      this.expectEnd();
      return { k: 'res', unit: resUnit, count, tok: t };
    }
    // most lines are instructions: the directive cases are looked at only for a directive word
    if (DIRECTIVES.has(word)) {
      switch (word) {
        case 'equ': {
          if (!label) {
            this.err(t, 'EQU needs a label before it: NAME equ VALUE');
            return null;
          }
          const expr = this.expr('EQU needs a value');
          if (!expr) return null;
          this.expectEnd();
          return { k: 'equ', expr, tok: t };
        }
        case 'bits': {
          const bits = this.expr('BITS needs 16, 32 or 64');
          if (!bits) return null;
          this.expectEnd();
          return { k: 'bits', bits, tok: t };
        }
        case 'use16':
        case 'use32':
        case 'use64':
          this.expectEnd();
          return { k: 'bits', bits: { k: 'num', v: BigInt(word.slice(3)) }, tok: t };
        case 'org': {
          const addr = this.expr('ORG needs an address');
          if (!addr) return null;
          this.expectEnd();
          return { k: 'org', addr, tok: t };
        }
        case 'section':
        case 'segment':
          return this.parseSection(t);
        case 'global':
        case 'extern':
        case 'common':
        case 'static': {
          const names: Token[] = [];
          while (this.peek()) {
            const n = this.peek()!;
            if (n.kind === 'id') names.push({ ...n, text: this.qualify(n.text) });
            else if (this.isOp(n, ':')) {
              this.i = this.toks.length;
              break;
            } else if (!this.isOp(n, ',')) {
              this.err(n, `expected a symbol name, found '${n.text}'`);
              return null;
            }
            this.i++;
          }
          if (names.length === 0) {
            this.err(t, `${t.text.toUpperCase()} needs a symbol name`);
            return null;
          }
          return word === 'extern' ? { k: 'extern', names, tok: t } : word === 'global' ? { k: 'global', names, tok: t } : { k: 'ignored', tok: t };
        }
        case 'align':
        case 'alignb': {
          const align = this.expr(`${t.text.toUpperCase()} needs a boundary`);
          if (!align) return null;
          let pad: DataItem | null = null;
          if (this.isOp(this.peek(), ',')) {
            this.i++;
            const rest = this.parseBody(undefined);
            if (rest && rest.k === 'data' && rest.items.length === 1) pad = rest.items[0];
            else if (rest && rest.k === 'insn' && rest.mnemonic === 'nop') pad = null;
            else if (rest && rest.k === 'res') return { k: 'align', align, fill: 'res', pad: null, tok: t };
            else if (rest) this.warn(t, `${t.text.toUpperCase()} padding other than one data item or NOP is treated as NOP`);
          } else this.expectEnd();
          return { k: 'align', align, fill: word === 'alignb' ? 'res' : pad ? 'zero' : 'nop', pad, tok: t };
        }
        case 'absolute': {
          const addr = this.expr('ABSOLUTE needs an address');
          if (!addr) return null;
          this.expectEnd();
          return { k: 'absolute', addr, tok: t };
        }
        case 'struc': {
          const name = this.peek();
          if (!name || name.kind !== 'id') {
            this.err(name ?? t, 'STRUC needs a structure name');
            return null;
          }
          this.i++;
          let offset: Expr | null = null;
          if (this.isOp(this.peek(), ',')) {
            this.i++;
            offset = this.expr('STRUC offset');
          }
          this.lastGlobalOverride(name.text);
          this.expectEnd();
          return { k: 'struc', name, offset, tok: t };
        }
        case 'endstruc':
          this.expectEnd();
          return { k: 'endstruc', tok: t };
        case 'istruc': {
          const name = this.peek();
          if (!name || name.kind !== 'id') {
            this.err(name ?? t, 'ISTRUC needs a structure name');
            return null;
          }
          this.i++;
          this.expectEnd();
          return { k: 'istruc', name, tok: t };
        }
        case 'at': {
          const fieldTok = this.peek();
          if (!fieldTok) {
            this.err(t, 'AT needs a structure field');
            return null;
          }
          const field = this.expr('AT needs a structure field');
          if (!field) return null;
          let body: StatementBody = { k: 'none' };
          if (this.isOp(this.peek(), ',')) {
            this.i++;
            body = this.parseBody(undefined) ?? { k: 'none' };
          } else this.expectEnd();
          return { k: 'at', field, fieldTok, body, tok: t };
        }
        case 'iend':
          this.expectEnd();
          return { k: 'iend', tok: t };
        case 'default': {
          const w = this.peek();
          const v = w?.text.toLowerCase();
          if (!w || (v !== 'rel' && v !== 'abs')) {
            this.err(w ?? t, 'DEFAULT expects REL or ABS');
            return null;
          }
          this.i = this.toks.length;
          return { k: 'default', rel: v === 'rel', tok: t };
        }
        case 'cpu':
        case 'sectalign':
        case 'warning':
        case 'list':
        case 'required':
          this.i = this.toks.length;
          return word === 'cpu' ? { k: 'cpu', tok: t } : { k: 'ignored', tok: t };
        case 'float': {
          // the words are checked by the passes, in order with the data they govern
          const words: Token[] = [];
          for (; this.i < this.toks.length; this.i++) if (!this.isOp(this.toks[this.i], ',')) words.push(this.toks[this.i]);
          return { k: 'float', words, tok: t };
        }
        case 'incbin': {
          const f = this.peek();
          if (!f || f.kind !== 'str') {
            this.err(f ?? t, 'INCBIN needs a file name in quotes');
            return null;
          }
          this.i++;
          let skip: Expr | null = null;
          let len: Expr | null = null;
          if (this.isOp(this.peek(), ',')) {
            this.i++;
            skip = this.expr('INCBIN offset');
            if (this.isOp(this.peek(), ',')) {
              this.i++;
              len = this.expr('INCBIN length');
            }
          }
          this.expectEnd();
          return { k: 'incbin', file: f.bytes ?? '', skip, len, tok: f };
        }
        case 'times':
          this.err(t, 'TIMES must come first on the line (after the label)');
          return null;
      }
    }
    // instruction, with optional prefix words
    let prefixes: string[] = NO_PREFIXES;
    let mn = word;
    let mnTok = t;
    while (this.isa.isPrefix(mn) || (SEGMENT_REGS.has(mn) && this.peek()?.kind === 'id')) {
      if (prefixes === NO_PREFIXES) prefixes = [];
      prefixes.push(mn);
      const n = this.peek();
      if (!n) {
        return { k: 'insn', mnemonic: prefixes.pop()!, prefixes, operands: [], tok: mnTok };
      }
      if (n.kind !== 'id') {
        this.err(n, `expected an instruction after the prefix '${mnTok.text}'`);
        return null;
      }
      this.i++;
      mn = n.text.toLowerCase();
      mnTok = n;
    }
    if (!this.isa.isMnemonic(mn)) {
      this.err(mnTok, `unknown instruction '${mnTok.text}'`);
      return null;
    }
    const operands: OperandAst[] = [];
    while (this.peek()) {
      const op = this.parseOperand();
      if (!op) return null;
      operands.push(op);
      if (this.isOp(this.peek(), ',')) {
        this.i++;
        if (!this.peek()) {
          this.err(this.toks[this.i - 1], 'expected an operand after the comma');
          return null;
        }
        continue;
      }
      if (this.peek()) {
        this.err(this.peek(), `expected ',' between operands, found '${this.peek()!.text}'`);
        return null;
      }
    }
    // a branch to one plain target is kept without the operand list (it lives through every pass)
    if (operands.length === 1 && prefixes.length === 0 && isBranch(mn)) {
      const o = operands[0];
      if (o.kind === 'imm' && o.size === undefined && !o.strict && o.jump === undefined) return { k: 'branch', mnemonic: mn, target: o.expr, opTok: o.tok, tok: mnTok };
    }
    // statements live through every pass: keep exactly-sized arrays (a grown array holds 16 slots)
    return { k: 'insn', mnemonic: mn, prefixes, operands: operands.length === 0 ? NO_OPERANDS : operands.slice(), tok: mnTok };
  }

  private lastGlobalOverride(name: string): void {
    this.pendingGlobal = name;
  }

  private parseSection(t: Token): StatementBody | null {
    const n = this.peek();
    if (!n || (n.kind !== 'id' && n.kind !== 'str')) {
      this.err(n ?? t, 'SECTION needs a section name');
      return null;
    }
    this.i++;
    const name = n.kind === 'str' ? (n.bytes ?? '') : n.text;
    const attrs: Extract<StatementBody, { k: 'section' }>['attrs'] = {};
    while (this.peek()) {
      const a = this.peek()!;
      this.i++;
      if (a.kind !== 'id') {
        this.err(a, `unexpected '${a.text}' in the SECTION attributes`);
        return null;
      }
      const w = a.text.toLowerCase();
      if (this.isOp(this.peek(), '=')) {
        this.i++;
        if (w === 'follows' || w === 'vfollows') {
          const f = this.peek();
          if (f) {
            attrs.follows = f.text;
            this.i++;
          }
          continue;
        }
        const e = this.expr(`SECTION ${w}=`);
        if (!e) return null;
        if (w === 'align') attrs.align = e;
        else if (w === 'start') attrs.start = e;
        else if (w === 'vstart') attrs.vstart = e;
        continue;
      }
      if (w === 'progbits') attrs.kind = 'progbits';
      else if (w === 'nobits') attrs.kind = 'nobits';
      else if (w === 'exec') attrs.exec = true;
      else if (w === 'noexec') attrs.exec = false;
      else if (w === 'write') attrs.write = true;
      else if (w === 'nowrite') attrs.write = false;
      else if (w !== 'alloc' && w !== 'noalloc' && w !== 'private' && w !== 'public' && w !== 'tls') this.warn(a, `unknown SECTION attribute '${a.text}' ignored`);
    }
    return { k: 'section', name, attrs, tok: n };
  }

  private parseData(unit: number, t: Token): StatementBody | null {
    const items: DataItem[] = [];
    if (!this.peek()) {
      this.err(t, `${t.text.toUpperCase()} needs at least one value`);
      return null;
    }
    while (this.peek()) {
      const v = this.peek()!;
      const after = this.peek(1);
      if (v.kind === 'str' && (!after || this.isOp(after, ','))) {
        items.push({ kind: 'string', bytes: v.bytes ?? '', tok: v });
        this.i++;
      } else if ((this.isOp(v, '?') || (v.kind === 'id' && v.text === '?')) && (!after || this.isOp(after, ','))) {
        items.push({ kind: 'uninit', tok: v });
        this.i++;
      } else if (v.kind === 'float' || (this.isOp(v, '-') && after?.kind === 'float')) {
        const neg = v.kind !== 'float';
        const f = neg ? after! : v;
        items.push({ kind: 'float', text: (neg ? '-' : '') + f.text, tok: v });
        this.i += neg ? 2 : 1;
      } else {
        const e = this.expr(`${t.text.toUpperCase()} value`);
        if (!e) return null;
        items.push({ kind: 'expr', expr: e, tok: v });
      }
      if (this.isOp(this.peek(), ',')) {
        this.i++;
        if (!this.peek()) {
          this.err(this.toks[this.i - 1], 'expected a value after the comma');
          return null;
        }
      } else if (this.peek()) {
        this.err(this.peek(), `expected ',' between values, found '${this.peek()!.text}'`);
        return null;
      }
    }
    return { k: 'data', unit, items, tok: t };
  }

  private parseOperand(): OperandAst | null {
    const first = this.peek()!;
    let size: number | undefined;
    let strict = false;
    let jump: 'short' | 'near' | 'far' | undefined;
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'id') break;
      const w = t.text.toLowerCase();
      const sizeWord = SIZE_WORDS.get(w);
      if (sizeWord !== undefined) size = sizeWord;
      else if (w === 'strict') strict = true;
      else if (w === 'short' || w === 'near' || w === 'far') jump = w;
      else break;
      this.i++;
    }
    const t = this.peek();
    if (!t) {
      this.err(first, 'expected an operand after the size or jump keyword');
      return null;
    }
    // segment override written before the brackets: es:[di] is accepted like [es:di]
    let outerSeg: string | undefined;
    if (t.kind === 'id' && SEGMENT_REGS.has(t.text.toLowerCase()) && this.isOp(this.peek(1), ':') && this.isOp(this.peek(2), '[')) {
      outerSeg = t.text.toLowerCase();
      this.i += 2;
    }
    if (this.isOp(this.peek(), '[')) return this.parseMemory(first, size, jump, outerSeg);
    if (t.kind === 'id' && this.isa.isRegister(t.text.toLowerCase())) {
      const next = this.peek(1);
      if (!next || this.isOp(next, ',')) {
        this.i++;
        return { kind: 'reg', reg: t.text.toLowerCase(), tok: t, size };
      }
    }
    const e = this.expr('operand');
    if (!e) return null;
    if (this.isOp(this.peek(), ':')) {
      this.i++;
      const off = this.expr('far pointer offset');
      if (!off) return null;
      return { kind: 'far', seg: e, off, size, tok: first };
    }
    return { kind: 'imm', expr: e, size, strict, jump, tok: first };
  }

  private parseMemory(first: Token, size: number | undefined, jump: 'short' | 'near' | 'far' | undefined, outerSeg: string | undefined): OperandAst | null {
    const open = this.peek()!;
    this.i++;
    // find the matching ']'
    let depth = 1;
    let j = this.i;
    for (; j < this.toks.length; j++) {
      if (this.isOp(this.toks[j], '[')) depth++;
      else if (this.isOp(this.toks[j], ']') && --depth === 0) break;
    }
    if (j >= this.toks.length) {
      this.err(open, "missing ']' to close the memory operand");
      return null;
    }
    const saved = this.toks;
    const inner = saved.slice(this.i, j);
    const after = j + 1;
    this.toks = inner;
    this.i = 0;
    let segment = outerSeg;
    let rel: boolean | undefined;
    let dispSize: number | undefined;
    let nosplit = false;
    for (;;) {
      const t = this.peek();
      if (!t || t.kind !== 'id') break;
      const w = t.text.toLowerCase();
      if (w === 'rel') rel = true;
      else if (w === 'abs') rel = false;
      else if (w === 'nosplit') nosplit = true;
      else if ((SIZE_WORDS.get(w) ?? 99) <= 8) dispSize = SIZE_WORDS.get(w);
      else if (SEGMENT_REGS.has(w) && this.isOp(this.peek(1), ':')) {
        if (segment) this.err(t, 'more than one segment override in a memory operand');
        segment = w;
        this.i++;
      } else break;
      this.i++;
    }
    let addr: Expr | null = null;
    if (this.peek()) {
      addr = this.expr('memory operand');
      if (!addr) {
        this.toks = saved;
        this.i = saved.length;
        return null;
      }
      if (this.peek()) {
        this.err(this.peek(), `unexpected '${this.peek()!.text}' in the memory operand`);
        this.toks = saved;
        this.i = saved.length;
        return null;
      }
    } else if (!segment) {
      this.err(open, 'empty memory operand []');
      this.toks = saved;
      this.i = saved.length;
      return null;
    }
    this.toks = saved;
    this.i = after;
    return { kind: 'mem', addr, size, segment, rel, dispSize, nosplit, jump, tok: first };
  }
}
