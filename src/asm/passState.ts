// The state of one assembly pass and its primitives: sections and their output, the records of
// what each statement emitted, symbols (labels are section + offset, so they follow the layout),
// `$`, expression evaluation against the previous pass's symbols, and diagnostics. The pass engine
// (./passEngine) walks the statements on top of it.
// Imports ./expressions, ./statements, ./diagnostics, ./layout, ./emitRecords, ./lexer (types).
import * as expressionsModule from './expressions';
import type { EvalContext, Expr, Value } from './expressions';
import type { Statement, StatementBody } from './statements';
import { DiagnosticSink, type SourceSpan } from './diagnostics';
import { layoutSections, sectionDefaults, type OutputFormat } from './layout';
import { EmitRecords } from './emitRecords';
import type { Token } from './lexer';

// hot code binds imported functions once (under tsx an imported binding is a getter call per use)
const { evaluate } = expressionsModule;

/** A section while assembling. */
export interface SectionState {
  index: number;
  name: string;
  nobits: boolean;
  exec: boolean;
  write: boolean;
  align: number;
  start?: number;
  buf: Uint8Array;
  len: number;
  base: number;
}

/** A symbol while assembling. */
export interface SymbolState {
  name: string;
  /** The value of a constant (EQU, STRUC names, labels in ABSOLUTE space); a label in a section
   *  has LABEL_VALUE here and is worth its section's base + offset (see symbolAddress). */
  value: Value;
  pass: number;
  isEqu: boolean;
  kind: 'code' | 'data' | 'constant' | 'unknown';
  size: number;
  elementSize: number;
  section: number;
  /** Offset in its section (labels): the value follows the section when the layout moves it. */
  offset: number;
  global: boolean;
  file: string;
  line: number;
  col: number;
  /** The Value last handed out for a label and the address it was made for (one Value per label
   *  and layout, not one per use). */
  lookupValue: Value | undefined;
  lookupAddress: number;
}

/** The value field of labels in a section (their value is their section's base + offset). */
export const LABEL_VALUE: Value = Object.freeze({ v: 0n, sect: -1, unknown: false });

/** A symbol's value as a number: a label's address, or a constant's 64-bit value (unsigned). */
export function symbolAddress(s: SymbolState, sections: readonly SectionState[]): number {
  return s.section >= 0 ? sections[s.section].base + s.offset : Number(BigInt.asUintN(64, s.value.v));
}

/** Largest total output, to keep huge TIMES/RESB counts bounded in memory. */
export const MAX_OUTPUT = 64 * 1024 * 1024;

export interface EngineOptions {
  format: OutputFormat;
  bits: 16 | 32 | 64;
  readFile?: (path: string) => Uint8Array | undefined;
}

/** Sections, output, symbols and values of the pass being run. */
export class PassState {
  readonly sections: SectionState[] = [];
  protected readonly sectionByName = new Map<string, SectionState>();
  readonly symbols = new Map<string, SymbolState>();
  /** What each statement emitted in the last pass (the stable one after run()). */
  readonly records = new EmitRecords();
  org = 0;
  orgSet = false;
  globals = new Map<string, Token>();
  /** BITS in effect at each statement of the stable pass (for the program's entry). */
  bitsAt: Uint8Array;
  /** Per statement: the symbol its label defines, once a pass has defined it. */
  protected readonly labelSymbols: (SymbolState | undefined)[];
  sink = new DiagnosticSink();

  protected pass = 0;
  /** Passes the last run took. */
  passes = 0;
  protected cur: SectionState | null = null;
  protected absCursor = 0n;
  protected bits: 16 | 32 | 64;
  protected defaultRel = false;
  protected changed = false;
  protected unknownRefs: { name: string; tok: Token; file: string; line: number }[] = [];
  /** Uses of symbols whose value is itself unknown (EQU chains through undefined or circular symbols). */
  protected unresolvedRefs: { name: string; tok: Token; file: string; line: number }[] = [];
  protected stmtIndex = 0;
  protected stmt!: Statement;
  protected total = 0;
  /** The labels naming what the next statements emit: labelGroup[0 … labelCount - 1] (one array
   *  for the whole assembly, not one per label). */
  protected readonly labelGroup: SymbolState[] = [];
  protected labelCount = 0;
  protected groupMode: 'none' | 'fresh' | 'data' = 'none';
  protected groupUnit = 0;
  protected prevLabelOnly = false;

  constructor(
    protected readonly stmts: readonly Statement[],
    protected readonly options: EngineOptions,
  ) {
    this.bits = options.bits;
    this.bitsAt = new Uint8Array(stmts.length);
    this.labelSymbols = new Array<SymbolState | undefined>(stmts.length);
    this.getSection('.text', {});
  }

  /** Recomputes section bases from this pass's sizes; true when any base moved. */
  protected relayout(): boolean {
    const bases = layoutSections(
      this.sections.map((s) => ({ name: s.name, nobits: s.nobits, exec: s.exec, write: s.write, align: s.align, size: s.len, start: s.start })),
      this.options.format,
      this.org,
    );
    let moved = false;
    this.sections.forEach((s, i) => {
      if (s.base !== bases[i]) moved = true;
      s.base = bases[i];
    });
    return moved;
  }

  // ---- diagnostics --------------------------------------------------------------------------

  protected spanOf(tok: Token | undefined): SourceSpan {
    const o = this.stmt.origin;
    const t = tok ?? this.stmt.firstTok;
    return { file: o.file, line: o.line, column: t.col, endColumn: t.end };
  }

  protected error(tok: Token | undefined, message: string): void {
    this.sink.error(this.spanOf(tok), message);
  }

  protected warn(tok: Token | undefined, message: string): void {
    this.sink.warning(this.spanOf(tok), message);
  }

  // ---- values -------------------------------------------------------------------------------

  protected here(): Value {
    if (!this.cur) return { v: this.absCursor, sect: -1, unknown: false };
    return { v: BigInt(this.cur.base + this.cur.len), sect: this.cur.index, unknown: false };
  }

  /** Where the statement starts, for `$` (the same for every TIMES repetition); the Value is only
   *  made when `$` is used. */
  protected lineSection: SectionState | null = null;
  protected lineOffset = 0;
  protected lineAbs = 0n;

  protected lineHere(): Value {
    const s = this.lineSection;
    if (!s) return { v: this.lineAbs, sect: -1, unknown: false };
    return { v: BigInt(s.base + this.lineOffset), sect: s.index, unknown: false };
  }

  protected readonly ctx: EvalContext = {
    lookup: (name, tok) => {
      const s = this.symbols.get(name);
      if (s && (s.pass === this.pass || s.pass === this.pass - 1)) {
        if (s.section >= 0) {
          const address = this.sections[s.section].base + s.offset;
          let v = s.lookupValue;
          if (v === undefined || s.lookupAddress !== address || v.sect !== s.section) {
            v = { v: BigInt(address), sect: s.section, unknown: false };
            s.lookupValue = v;
            s.lookupAddress = address;
          }
          return v;
        }
        if (s.value.unknown) this.unresolvedRefs.push({ name, tok, file: this.stmt.origin.file, line: this.stmt.origin.line });
        return s.value;
      }
      this.unknownRefs.push({ name, tok, file: this.stmt.origin.file, line: this.stmt.origin.line });
      return undefined;
    },
    here: () => this.lineHere(),
    base: () => (this.cur ? { v: BigInt(this.cur.base), sect: this.cur.index, unknown: false } : { v: 0n, sect: -1, unknown: false }),
    error: (msg, tok) => this.error(tok, msg),
  };

  protected eval(e: Expr): Value {
    return evaluate(e, this.ctx);
  }

  /** Evaluates a value the assembler needs now (ORG, BITS, ALIGN, RESB, TIMES): unknown → error. */
  protected critical(e: Expr, tok: Token, what: string): bigint | undefined {
    const v = this.eval(e);
    if (v.unknown) {
      if (this.pass > 1) this.error(tok, `${what} must be known when the line is assembled (no forward references)`);
      return undefined;
    }
    return v.v;
  }

  // ---- sections and output ------------------------------------------------------------------

  protected getSection(name: string, attrs: Extract<StatementBody, { k: 'section' }>['attrs']): SectionState {
    let s = this.sectionByName.get(name);
    if (!s) {
      const d = sectionDefaults(name, this.options.format);
      s = { index: this.sections.length, name, nobits: d.nobits, exec: d.exec, write: d.write, align: d.align, buf: new Uint8Array(256), len: 0, base: 0 };
      this.sections.push(s);
      this.sectionByName.set(name, s);
    }
    if (attrs.kind) s.nobits = attrs.kind === 'nobits';
    if (attrs.exec !== undefined) s.exec = attrs.exec;
    if (attrs.write !== undefined) s.write = attrs.write;
    if (attrs.align) {
      const a = this.critical(attrs.align, this.stmt.body.k === 'section' ? this.stmt.body.tok : this.stmt.firstTok, 'ALIGN=');
      if (a !== undefined) {
        if (a <= 0n || (a & (a - 1n)) !== 0n) this.error(this.stmt.firstTok, `section alignment ${a} is not a power of two`);
        else s.align = Number(a);
      }
    }
    if (attrs.start) {
      const a = this.critical(attrs.start, this.stmt.firstTok, 'START=');
      if (a !== undefined) s.start = Number(a);
    }
    return s;
  }

  protected emit(bytes: Uint8Array, isInstruction: boolean): void {
    const n = bytes.length;
    if (n === 0) return;
    this.total += n;
    if (!this.cur) {
      this.error(this.stmt.firstTok, 'code or data cannot be placed in ABSOLUTE or STRUC space (use RESB/RESW/... there)');
      this.absCursor += BigInt(n);
      return;
    }
    const s = this.cur;
    if (s.nobits) {
      if (bytes.some((b) => b !== 0)) this.warn(this.stmt.firstTok, `data in the uninitialised section '${s.name}' is ignored (only RESB/RESW/... belong there)`);
      this.record(n, isInstruction, false);
      s.len += n;
      return;
    }
    this.ensure(s, n);
    s.buf.set(bytes, s.len);
    this.record(n, isInstruction, true);
    s.len += n;
  }

  protected ensure(s: SectionState, n: number): void {
    if (s.len + n > s.buf.length) {
      let cap = s.buf.length * 2;
      while (cap < s.len + n) cap *= 2;
      const nb = new Uint8Array(cap);
      nb.set(s.buf.subarray(0, s.len));
      s.buf = nb;
    }
  }

  protected reserve(n: number, tok: Token): void {
    this.total += n;
    if (this.total > MAX_OUTPUT) return;
    if (!this.cur) {
      this.absCursor += BigInt(n);
      return;
    }
    const s = this.cur;
    if (!s.nobits) {
      this.ensure(s, n);
      s.buf.fill(0, s.len, s.len + n);
      this.record(n, false, true);
    } else if (n > 0) this.record(n, false, false);
    s.len += n;
    void tok;
  }

  protected record(length: number, isInstruction: boolean, initialised: boolean): void {
    if (!this.cur || !initialised) return;
    this.records.add(this.stmtIndex, this.cur.index, this.cur.len, length, isInstruction);
  }

  // ---- labels -------------------------------------------------------------------------------

  /** Defines the label of the current statement at `$` (in a section: by section and offset). */
  protected defineLabel(name: string, tok: Token): SymbolState {
    // a statement's label is the same symbol in every pass: found by name once
    const s = this.defineSymbol(name, tok, this.cur ? LABEL_VALUE : this.here(), false, this.labelSymbols[this.stmtIndex]);
    this.labelSymbols[this.stmtIndex] = s;
    return s;
  }

  /** Defines `name` (`known`: its symbol, when the caller has it). */
  protected defineSymbol(name: string, tok: Token, value: Value, isEqu: boolean, known?: SymbolState): SymbolState {
    if (value.unknown) value = { v: 0n, sect: -1, unknown: true };
    let s = known ?? this.symbols.get(name);
    if (s && s.pass === this.pass) {
      this.error(tok, `symbol '${name}' is already defined (at line ${s.line})`);
      return s;
    }
    const section = this.cur && !isEqu ? this.cur.index : -1;
    const offset = this.cur && !isEqu ? this.cur.len : 0;
    if (s) {
      // a label is (section, offset): the section's base may move, lookups add the current base
      const moved = section >= 0 ? s.section !== section || s.offset !== offset : s.value.v !== value.v || s.value.sect !== value.sect || s.value.unknown !== value.unknown;
      if (moved) this.changed = true;
    } else {
      s = { name, value, pass: this.pass, isEqu, kind: 'unknown', size: 0, elementSize: 0, section: -1, offset: 0, global: false, file: this.stmt.origin.file, line: this.stmt.origin.line, col: tok.col, lookupValue: undefined, lookupAddress: 0 };
      this.symbols.set(name, s);
      if (this.pass > 1) this.changed = true;
    }
    s.value = value;
    s.pass = this.pass;
    s.isEqu = isEqu;
    s.file = this.stmt.origin.file;
    s.line = this.stmt.origin.line;
    s.col = tok.col;
    s.size = 0;
    s.elementSize = 0;
    s.section = section;
    s.offset = offset;
    s.kind = isEqu ? 'constant' : this.cur ? (this.cur.exec ? 'code' : 'data') : 'constant';
    return s;
  }
}
