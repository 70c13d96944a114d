// The multi-pass engine: walks the parsed statements once per pass, placing labels, evaluating
// expressions with the previous pass's values for forward references, encoding instructions and
// data, until no label moves (nasm's optimistic branch sizing: unknown forward targets start
// short and grow). The last, stable pass leaves the section bytes, symbols and line records.
// Sections, output, symbols and values are in ./passState, the data directives in ./passData.
// Imports ./passState, ./passData, ./expressions, ./statements, ./isaBridge, ./branchEncoding,
// ./ripPatch, ./operandRules, ./floatConstants, ./diagnostics.
import * as operandRulesModule from './operandRules';
import type { OperandAst, Statement, StatementBody } from './statements';
import { applyFloatOption, DEFAULT_FLOAT_CONTROL } from './floatConstants';
import { BranchEncoder } from './branchEncoding';
import * as ripPatchModule from './ripPatch';
import type { RipBytes } from './ripPatch';
import * as isaBridgeModule from './isaBridge';
import type { ResolvedMem, ResolvedOperand } from './isaBridge';
import { MAX_OUTPUT, type EngineOptions, type SectionState } from './passState';
import { PassData } from './passData';
import { DiagnosticSink } from './diagnostics';
import type { Value } from './expressions';

// hot code binds imported functions once (under tsx an imported binding is a getter call per use)
const { fixedEncoding, isBranch, resolveMemoryOperand } = operandRulesModule;
const { fitsDisp32, ripBytes, ripCandidate, writeDisp32 } = ripPatchModule;
const { encodeInstruction } = isaBridgeModule;

export { MAX_OUTPUT, symbolAddress, type EngineOptions, type SectionState, type SymbolState } from './passState';

const MAX_PASSES = 40;
/** The prefix list of a branch encoded as an instruction (never changed). */
const NO_PREFIXES: string[] = [];

export class PassEngine extends PassData {
  private readonly near: Uint8Array;
  private readonly branches = new BranchEncoder();
  /** Bytes of statements whose encoding cannot change between passes (constant operands, no
   *  branch, no RIP-relative): encoded once, reused by later passes. */
  private readonly fixed: (Uint8Array | undefined)[];
  /** Per statement, worked out when an instruction first needs the encoder: 0 not yet, 1 its bytes
   *  may change between passes, 2 they cannot (fixedEncoding). */
  private readonly fixedEligible: Uint8Array;
  /** Per statement, worked out with fixedEligible: the operand that may be RIP-relative
   *  (ripCandidate), -1 none. */
  private readonly ripOperand: Int8Array;
  /** Per statement: its RIP-relative bytes from an earlier pass, re-aimed by writing the disp32. */
  private readonly ripBytes: (RipBytes | undefined)[];
  /** The same by instruction body: statements that share a body (a repeated line) share the bytes. */
  private readonly ripByBody = new Map<StatementBody, RipBytes>();
  private strucStack: { name: string; saved: SectionState | null; savedAbs: bigint; start: bigint; at: Statement }[] = [];
  private istrucStack: { name: string; start: number }[] = [];
  private savedBeforeAbs: SectionState | null = null;

  constructor(stmts: readonly Statement[], options: EngineOptions) {
    super(stmts, options);
    this.near = new Uint8Array(stmts.length);
    this.fixed = new Array<Uint8Array | undefined>(stmts.length);
    this.fixedEligible = new Uint8Array(stmts.length);
    this.ripOperand = new Int8Array(stmts.length);
    this.ripBytes = new Array<RipBytes | undefined>(stmts.length);
  }

  /** Runs passes until stable; returns false when it never settles. */
  run(): boolean {
    // start from the layout an empty program would have (ORG / the ELF text address are right already)
    this.relayout();
    for (this.pass = 1; this.pass <= MAX_PASSES; this.pass++) {
      this.sink = new DiagnosticSink();
      this.beginPass();
      for (this.stmtIndex = 0; this.stmtIndex < this.stmts.length; this.stmtIndex++) {
        this.stmt = this.stmts[this.stmtIndex];
        this.bitsAt[this.stmtIndex] = this.bits;
        this.lineSection = this.cur;
        this.lineOffset = this.cur ? this.cur.len : 0;
        this.lineAbs = this.absCursor;
        this.execStatement(this.stmt);
        if (this.total > MAX_OUTPUT) {
          if (this.sink.errors === 0) this.error(this.stmt.firstTok, `the program is too large (more than ${MAX_OUTPUT / (1024 * 1024)} MiB of output)`);
          return true;
        }
      }
      if (this.strucStack.length > 0) {
        const open = this.strucStack[0];
        this.stmt = open.at;
        this.error(open.at.firstTok, `STRUC '${open.name}' has no matching ENDSTRUC`);
      }
      const moved = this.relayout();
      let forward = false;
      for (const u of this.unknownRefs) {
        const s = this.symbols.get(u.name);
        if (s && s.pass === this.pass) forward = true;
        else this.sink.error({ file: u.file, line: u.line, column: u.tok.col, endColumn: u.tok.end }, `symbol '${u.name}' is not defined`);
      }
      for (const u of this.unresolvedRefs) {
        const s = this.symbols.get(u.name);
        if (s && s.value.unknown) this.sink.error({ file: u.file, line: u.line, column: u.tok.col, endColumn: u.tok.end }, `symbol '${u.name}' is not defined: its value depends on itself or on undefined symbols`);
      }
      if (!moved && !this.changed && !forward) { this.passes = this.pass; return true; }
    }
    return false;
  }

  private orgSeenThisPass = false;

  private beginPass(): void {
    this.orgSeenThisPass = false;
    this.floatControl = { ...DEFAULT_FLOAT_CONTROL };
    this.cur = this.sections[0];
    for (const s of this.sections) s.len = 0;
    this.bits = this.options.bits;
    this.defaultRel = false;
    this.changed = false;
    this.unknownRefs = [];
    this.unresolvedRefs = [];
    this.records.clear();
    this.total = 0;
    this.labelCount = 0;
    this.groupMode = 'none';
    this.strucStack = [];
    this.istrucStack = [];
    this.absCursor = 0n;
  }

  // ---- statements ---------------------------------------------------------------------------

  private execStatement(st: Statement): void {
    const b = st.body;
    if (st.label && b.k !== 'equ') {
      const sym = this.defineLabel(st.label.name, st.label.tok);
      if (!this.prevLabelOnly) this.labelCount = 0;
      this.labelGroup[this.labelCount++] = sym;
      this.groupMode = 'fresh';
    }
    this.prevLabelOnly = b.k === 'none';
    switch (b.k) {
      case 'none':
        return;
      case 'equ': {
        const v = this.eval(b.expr);
        this.defineSymbol(st.label!.name, st.label!.tok, v, true);
        return;
      }
      case 'insn':
        this.repeat(st);
        this.endLabelGroup();
        return;
      case 'code':
      case 'branch':
        this.repeat(st);
        this.endLabelGroup();
        return;
      case 'data':
        this.repeat(st, b.unit);
        return;
      case 'res': {
        const n = this.critical(b.count, b.tok, `${b.tok.text.toUpperCase()} count`);
        if (n === undefined) return;
        if (n < 0n) {
          this.error(b.tok, `${b.tok.text.toUpperCase()} count ${n} is negative`);
          return;
        }
        let times = 1n;
        if (st.times) {
          const t = this.critical(st.times, st.timesTok!, 'TIMES count');
          if (t === undefined) return;
          times = t < 0n ? 0n : t;
        }
        const total = n * BigInt(b.unit) * times;
        if (total > BigInt(MAX_OUTPUT)) {
          this.error(b.tok, `reserving ${total} bytes is more than this assembler allows (${MAX_OUTPUT})`);
          this.total = MAX_OUTPUT + 1;
          return;
        }
        if (this.cur && !this.cur.nobits && total > 0n && this.pass >= 1) this.warn(b.tok, `uninitialised space declared in non-BSS section '${this.cur.name}': zeroing`);
        this.reserve(Number(total), b.tok);
        this.attributeData(Number(total), b.unit);
        return;
      }
      case 'incbin':
        this.repeat(st);
        return;
      case 'bits': {
        const v = this.critical(b.bits, b.tok, 'BITS');
        if (v === undefined) return;
        if (v !== 16n && v !== 32n && v !== 64n) this.error(b.tok, `BITS ${v} is not valid: use 16, 32 or 64`);
        else this.bits = Number(v) as 16 | 32 | 64;
        return;
      }
      case 'org': {
        if (this.options.format !== 'bin' && this.options.format !== 'com') {
          this.error(b.tok, 'ORG only applies to flat binaries (--format bin/com); a Linux program is placed by the linker layout');
          return;
        }
        const v = this.critical(b.addr, b.tok, 'ORG');
        if (v === undefined) return;
        if (this.orgSeenThisPass && BigInt(this.org) !== v) {
          this.error(b.tok, `ORG given twice with different addresses (0x${this.org.toString(16)} and 0x${BigInt.asUintN(64, v).toString(16)}): a flat binary has one origin`);
          return;
        }
        this.org = Number(BigInt.asUintN(64, v));
        this.orgSet = true;
        this.orgSeenThisPass = true;
        return;
      }
      case 'section':
        this.cur = this.getSection(b.name, b.attrs);
        this.labelCount = 0;
        return;
      case 'align':
        this.align(b);
        return;
      case 'global':
        for (const n of b.names) if (!this.globals.has(n.text)) this.globals.set(n.text, n);
        return;
      case 'extern':
        this.error(b.names[0], `EXTERN '${b.names[0].text}': this assembler builds a complete program without a linker, so '${b.names[0].text}' must be defined in this source (or an %include'd file)`);
        return;
      case 'absolute': {
        const v = this.critical(b.addr, b.tok, 'ABSOLUTE');
        if (this.cur) this.savedBeforeAbs = this.cur;
        this.cur = null;
        this.absCursor = v ?? 0n;
        return;
      }
      case 'struc': {
        const off = b.offset ? (this.critical(b.offset, b.tok, 'STRUC offset') ?? 0n) : 0n;
        this.strucStack.push({ name: b.name.text, saved: this.cur, savedAbs: this.absCursor, start: off, at: st });
        this.cur = null;
        this.absCursor = off;
        this.defineSymbol(b.name.text, b.name, { v: off, sect: -1, unknown: false }, true);
        return;
      }
      case 'endstruc': {
        const s = this.strucStack.pop();
        if (!s) {
          this.error(b.tok, 'ENDSTRUC without a matching STRUC');
          return;
        }
        this.defineSymbol(`${s.name}_size`, b.tok, { v: this.absCursor - s.start, sect: -1, unknown: false }, true);
        this.cur = s.saved;
        this.absCursor = s.savedAbs;
        return;
      }
      case 'istruc':
        this.istrucStack.push({ name: b.name.text, start: this.cur ? this.cur.len : Number(this.absCursor) });
        return;
      case 'at': {
        const top = this.istrucStack[this.istrucStack.length - 1];
        if (!top) {
          this.error(b.tok, 'AT outside ISTRUC ... IEND');
          return;
        }
        const off = this.critical(b.field, b.fieldTok, 'AT field');
        if (off === undefined) return;
        this.padTo(top.start + Number(off), b.fieldTok, 'AT field');
        if (b.body.k === 'data') this.data(b.body.unit, b.body.items);
        else if (b.body.k !== 'none') this.error(b.tok, 'AT can only be followed by a data directive (DB, DW, DD, ...)');
        return;
      }
      case 'iend': {
        const top = this.istrucStack.pop();
        if (!top) {
          this.error(b.tok, 'IEND without a matching ISTRUC');
          return;
        }
        const size = this.symbols.get(`${top.name}_size`);
        if (!size || (size.pass !== this.pass && size.pass !== this.pass - 1)) {
          this.error(b.tok, `'${top.name}' is not a structure defined with STRUC ... ENDSTRUC`);
          return;
        }
        this.padTo(top.start + Number(size.value.v), b.tok, 'IEND');
        return;
      }
      case 'default':
        this.defaultRel = b.rel;
        return;
      case 'float':
        for (const w of b.words) if (!applyFloatOption(this.floatControl, w.text)) this.error(w, 'FLOAT takes daz, nodaz, near, up, down, zero or default');
        return;
      case 'cpu':
      case 'ignored':
        return;
    }
  }

  /** Emits a statement's body once (no closure per statement: this runs for every line, every pass). */
  private emitBody(b: StatementBody): void {
    switch (b.k) {
      case 'insn':
        this.instruction(b);
        return;
      case 'code':
        this.code(b);
        return;
      case 'branch':
        this.branch(b);
        return;
      case 'data':
        this.data(b.unit, b.items);
        return;
      case 'incbin':
        this.incbin(b);
        return;
      default:
        return;
    }
  }

  private repeat(st: Statement, unit = 0): void {
    if (!st.times) {
      this.emitBody(st.body);
      return;
    }
    const t = this.critical(st.times, st.timesTok!, 'TIMES count');
    if (t === undefined) return;
    if (t < 0n) {
      this.error(st.timesTok, `TIMES count ${t} is negative`);
      return;
    }
    if (t > BigInt(MAX_OUTPUT)) {
      this.error(st.timesTok, `TIMES count ${t} is too large (the limit is ${MAX_OUTPUT})`);
      this.total = MAX_OUTPUT + 1;
      return;
    }
    const n = Number(t);
    const b = st.body;
    // data is the same every time ($ is the start of the line for all repetitions): build once, copy
    if (b.k === 'data' && n > 1) {
      const bytes = this.dataBytes(b.unit, b.items);
      if (bytes.length * n > MAX_OUTPUT) {
        this.error(st.timesTok, `TIMES ${n} of ${bytes.length} bytes is more than this assembler allows`);
        this.total = MAX_OUTPUT + 1;
        return;
      }
      const all = new Uint8Array(bytes.length * n);
      for (let i = 0; i < n; i++) all.set(bytes, i * bytes.length);
      this.emit(all, false);
      this.attributeData(all.length, unit);
      return;
    }
    for (let i = 0; i < n; i++) {
      this.emitBody(b);
      if (this.total > MAX_OUTPUT) return;
    }
  }

  // ---- instructions -------------------------------------------------------------------------

  private code(b: Extract<StatementBody, { k: 'code' }>): void {
    const s = this.cur;
    if (!s) {
      this.error(b.tok, 'instructions cannot be placed in ABSOLUTE or STRUC space');
      return;
    }
    this.emitCode(s, b.chunk, b.at, b.len);
  }

  /** Emits `n` instruction bytes from `src` at `at` into the current section `s`. */
  private emitCode(s: SectionState, src: Uint8Array, at: number, n: number): void {
    if (s.nobits) {
      this.emit(src.subarray(at, at + n), true);
      return;
    }
    // the common case without a subarray: copy the few bytes straight from the source buffer
    this.total += n;
    this.ensure(s, n);
    const buf = s.buf;
    const to = s.len;
    for (let i = 0; i < n; i++) buf[to + i] = src[at + i];
    this.record(n, true, true);
    s.len += n;
  }

  /** A branch to one target: written directly when the branch encoder takes it (JMP/Jcc/CALL in
   *  32/64-bit code), else encoded as the instruction it is. */
  private branch(b: Extract<StatementBody, { k: 'branch' }>): void {
    const s = this.cur;
    if (!s) {
      this.error(b.tok, 'instructions cannot be placed in ABSOLUTE or STRUC space');
      return;
    }
    const address = s.base + s.len;
    const v = this.eval(b.target);
    // a forward reference in an early pass: optimistic (short), aimed at the branch itself
    const target = v.unknown ? BigInt(address) : v.v;
    const otherSection = !v.unknown && v.sect >= 0 && v.sect !== s.index;
    const near = otherSection || this.near[this.stmtIndex] === 1;
    const branches = this.branches;
    if (branches.encode(b.mnemonic, target, near, address, this.bits)) {
      if (this.pass >= 2 && branches.length > 2) this.near[this.stmtIndex] = 1;
      this.emitCode(s, branches.bytes, 0, branches.length);
      return;
    }
    this.instruction({ k: 'insn', mnemonic: b.mnemonic, prefixes: NO_PREFIXES, operands: [{ kind: 'imm', expr: b.target, tok: b.opTok }], tok: b.tok }, v);
  }

  private instruction(b: Extract<StatementBody, { k: 'insn' }>, known?: Value): void {
    if (!this.cur) {
      this.error(b.tok, 'instructions cannot be placed in ABSOLUTE or STRUC space');
      return;
    }
    const cached = this.fixed[this.stmtIndex];
    if (cached !== undefined && this.bitsAt[this.stmtIndex] === this.bits) {
      this.emit(cached, true);
      return;
    }
    const address = this.cur.base + this.cur.len;
    let ops: ResolvedOperand[];
    if (b.operands.length === 1 && b.prefixes.length === 0 && isBranch(b.mnemonic)) {
      // JMP / Jcc / CALL to a label: written directly (they are re-encoded every pass)
      const t = this.resolveOperand(b.operands[0], b.mnemonic, known);
      if (!t) return;
      if (t.kind !== 'imm') ops = [t];
      else {
        const jump = this.near[this.stmtIndex] && t.jump === undefined ? 'near' : t.jump;
        const branches = this.branches;
        if (t.size === undefined && !t.strict && (jump === undefined || jump === 'near') && branches.encode(b.mnemonic, t.value, jump === 'near', address, this.bits)) {
          if (this.pass >= 2 && branches.length > 2) this.near[this.stmtIndex] = 1;
          this.emitCode(this.cur, branches.bytes, 0, branches.length);
          return;
        }
        ops = [jump === t.jump ? t : { ...t, jump }];
      }
    } else {
      ops = [];
      for (let i = 0; i < b.operands.length; i++) {
        const r = this.resolveOperand(b.operands[i], b.mnemonic);
        if (!r) return;
        ops.push(r);
      }
      if (this.near[this.stmtIndex]) {
        for (let i = 0; i < ops.length; i++) {
          const o = ops[i];
          if (o.kind === 'imm' && o.jump === undefined) ops[i] = { ...o, jump: 'near' };
        }
      }
    }
    // a RIP-relative operand: the bytes of an earlier pass with the new distance written in
    if (this.fixedEligible[this.stmtIndex] === 0) {
      this.fixedEligible[this.stmtIndex] = fixedEncoding(b) ? 2 : 1;
      this.ripOperand[this.stmtIndex] = ripCandidate(b, isBranch);
    }
    const ripAt = this.ripOperand[this.stmtIndex];
    const rip = ripAt >= 0 && !this.stmt.times ? ops[ripAt] : undefined;
    const ripNumber = rip !== undefined && rip.kind === 'mem' && rip.rip ? Number(rip.disp) : NaN;
    const ripTarget = Number.isSafeInteger(ripNumber) ? ripNumber : undefined;
    if (ripTarget !== undefined) {
      const seen = this.ripBytes[this.stmtIndex] ?? this.ripByBody.get(b);
      const disp = seen !== undefined ? ripTarget - (address + seen.bytes.length) : 0;
      if (seen !== undefined && seen.bits === this.bits && fitsDisp32(disp)) {
        const s = this.cur;
        const to = s.len;
        this.emitCode(s, seen.bytes, 0, seen.bytes.length);
        if (!s.nobits) writeDisp32(s.buf, to + seen.at, disp);
        return;
      }
    }
    const r = encodeInstruction({ mnemonic: b.mnemonic, prefixes: b.prefixes, operands: ops, bits: this.bits, address });
    if (!r.ok) {
      const opTok = r.operand !== undefined ? b.operands[r.operand]?.tok : undefined;
      this.error(opTok ?? b.tok, r.message);
      return;
    }
    if (r.warning) this.warn(b.operands[r.warning.operand]?.tok ?? b.tok, r.warning.message);
    else if (this.fixedEligible[this.stmtIndex] === 2 && !this.stmt.times) this.fixed[this.stmtIndex] = r.bytes;
    else if (ripTarget !== undefined) {
      const rb = ripBytes(r.bytes, ripTarget - (address + r.bytes.length), this.bits);
      this.ripBytes[this.stmtIndex] = rb;
      if (rb !== undefined && !this.ripByBody.has(b)) this.ripByBody.set(b, rb);
    }
    // a branch that had to grow stays grown (termination of the sizing passes)
    if (this.pass >= 2 && r.bytes.length > 2 && ops.length === 1 && ops[0].kind === 'imm' && isBranch(b.mnemonic)) this.near[this.stmtIndex] = 1;
    this.emit(r.bytes, true);
  }

  /** The operand's value for this pass (`known`: an imm operand's value, already evaluated). */
  private resolveOperand(o: OperandAst, mnemonic: string, known?: Value): ResolvedOperand | null {
    switch (o.kind) {
      case 'reg':
        return { kind: 'reg', reg: o.reg, size: o.size };
      case 'imm': {
        const v = known ?? this.eval(o.expr);
        if (v.unknown) {
          // forward reference in an early pass: branches are optimistic (short), others full size
          const here = this.cur ? this.cur.base + this.cur.len : 0;
          return { kind: 'imm', value: isBranch(mnemonic) ? BigInt(here) : 0n, relocatable: !isBranch(mnemonic), size: o.size, strict: o.strict, jump: o.jump };
        }
        const otherSection = v.sect >= 0 && this.cur !== null && v.sect !== this.cur.index;
        return { kind: 'imm', value: v.v, relocatable: v.sect >= 0, size: o.size, strict: o.strict, jump: otherSection && !o.jump && isBranch(mnemonic) ? 'near' : o.jump, otherSection };
      }
      case 'far': {
        const s = this.eval(o.seg);
        const off = this.eval(o.off);
        return { kind: 'far', seg: s.v, off: off.v, size: o.size };
      }
      case 'mem':
        return this.resolveMemory(o);
    }
  }

  private resolveMemory(o: Extract<OperandAst, { kind: 'mem' }>): ResolvedMem | null {
    const r = resolveMemoryOperand(o, this.ctx, this.bits, this.defaultRel);
    if ('error' in r) {
      this.error(r.tok, r.error);
      return null;
    }
    return r;
  }

}
