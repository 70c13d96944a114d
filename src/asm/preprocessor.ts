// The NASM preprocessor's driver: source text → logical lines of tokens, each with the file:line it
// stands for (the invocation line for macro expansions, the included file's own line for %include).
// Runs the frames (files, macro expansions, %rep bodies), the %if family and the directives
// (%define family, %assign, %strlen/%substr, %macro/%unmacro, %rep/%exitrep, %include, contexts,
// %stacksize/%arg/%local, %error/%warning/%fatal); the rest lives in the files it imports (src/asm
// only). Bounded: depth, %rep counts and output are capped.
import * as lexerModule from './lexer';
import type { Token } from './lexer';
import { numToken, resolveInclude, topLevelComma } from './preprocessorTokens';
import { readSource, SourceLines } from './sourceLines';
import { PlainLineCache } from './plainLineCache';
import { MacroExpansions, type MacroExpansion } from './macroExpansions';
import { ConditionalStack, isConditionalDirective } from './conditionalStack';
import { SingleLineMacros } from './singleLineMacros';
import * as multiLineMacrosModule from './multiLineMacros';
import type { BodyLine, MMacro } from './multiLineMacros';
import { ContextStack } from './contextStack';
import { MacroTable } from './macroTable';
import { StackFrameMacros } from './stackFrameMacros';
import { evaluatePreprocessorExpression } from './preprocessorExpressions';
import { testCondition } from './preprocessorConditions';

export { resolveInclude } from './preprocessorTokens';
import type { DiagnosticSink, SourceSpan } from './diagnostics';

// hot code binds imported functions once (under tsx an imported binding is a getter call per use)
const { lexLine, joinTokens } = lexerModule;
const { bindArguments, parseMacroHeader, substituteParams } = multiLineMacrosModule;

/** A logical line after preprocessing. */
export interface PLine {
  tokens: Token[];
  file: string;
  line: number;
  /** true when the line came out of a multi-line macro expansion. */
  fromMacro: boolean;
  /** true when this very token array may be handed out again for another line (a source text seen
   *  before, a macro or %rep body line passed through unchanged): its tokens are never changed, so
   *  whatever a consumer derives from the array alone can be kept for the next time. */
  stable: boolean;
}

export interface PreprocessOptions {
  fileName: string;
  /** The format's default BITS (what __?BITS?__ says before a BITS line); 16 when absent. */
  bits?: 16 | 32 | 64;
  readFile?: (path: string) => Uint8Array | undefined;
  defines?: Record<string, string>;
}

interface Frame {
  kind: 'file' | 'macro' | 'rep';
  /** 'file' frames: the source's lines. */
  text?: SourceLines;
  /** 'macro'/'rep' frames: captured lines. */
  body?: BodyLine[];
  index: number;
  file: string;
  /** Location all lines of a macro expansion report (the invocation). */
  at?: { file: string; line: number };
  args?: Token[][];
  uniq?: number;
  /** 'macro' frames of a remembered invocation: the binding and its substituted lines. */
  expansion?: MacroExpansion;
  macroName?: string;
  repLeft?: number;
  condDepth: number;
}


const MAX_DEPTH = 200;
const MAX_LINES = 1_000_000;
const MAX_REP = 1_000_000;


/** Runs the preprocessor over `source`; never throws. `aborted` after %fatal or when the output
 *  exceeds its bound (the lines are then incomplete and must not be assembled). */
export function preprocess(source: string, options: PreprocessOptions, sink: DiagnosticSink): { lines: PLine[]; aborted: boolean } {
  const lines: PLine[] = [];
  const p = new Preprocessor(options, sink, (l) => lines.push({ tokens: l.tokens, file: l.file, line: l.line, fromMacro: l.fromMacro, stable: l.stable }));
  p.run(source);
  return { lines, aborted: p.aborted };
}

/** Like preprocess, but hands each line to `onLine` as soon as it is ready (nothing is kept). The
 *  PLine object is reused for the next line: `onLine` must not keep it (its tokens it may keep). */
export function preprocessStreaming(source: string, options: PreprocessOptions, sink: DiagnosticSink, onLine: (line: PLine) => void): { aborted: boolean } {
  const p = new Preprocessor(options, sink, onLine);
  p.run(source);
  return { aborted: p.aborted };
}

class Preprocessor {
  private emitted = 0;
  private readonly smacros = new SingleLineMacros(
    (tok, message) => this.sink.error(this.span(tok), message),
    () => ({ file: this.physFile, line: this.physLine }),
  );
  private readonly macros = new MacroTable();
  private readonly contexts = new ContextStack();
  /** Reports at the current line (made once: callbacks built per line cost time). */
  private readonly report = (tok: Token, message: string): void => this.sink.error(this.span(tok), message);
  private readonly frameMacros = new StackFrameMacros();
  private readonly frames: Frame[] = [];
  private readonly conds = new ConditionalStack();
  private uniqCounter = 0;
  private collecting: { kind: 'macro' | 'rep'; depth: number; macro?: MMacro; repCount?: number; body: BodyLine[]; start: SourceSpan } | null = null;
  private stopped = false;
  /** Source lines the preprocessor passes through unchanged, by text (see PlainLineCache). */
  private readonly plainLines = new PlainLineCache();
  /** Invocations by their line's token array (see MacroExpansions). */
  private readonly expansions = new MacroExpansions();
  /** The line nextLine returned: its tokens, text (file lines lexed without problems, else
   *  undefined), and whether it is a known plain line or a body line passed through unchanged. */
  private lineTokens: Token[] = [];
  private lineText: string | undefined = undefined;
  private linePlain = false;
  private lineStable = false;
  /** The one PLine handed to onLine (filled per line: one object less per line). */
  private readonly out: PLine = { tokens: [], file: '', line: 0, fromMacro: false, stable: false };

  /** true when preprocessing stopped early (%fatal, or too much output). */
  get aborted(): boolean {
    return this.stopped;
  }
  private curFile = '';
  private curLine = 0;
  /** The line as written (a macro body line, not its invocation): what __?LINE?__ says, as in nasm. */
  private physFile = '';
  private physLine = 0;

  constructor(
    private readonly options: PreprocessOptions,
    private readonly sink: DiagnosticSink,
    private readonly onLine: (line: PLine) => void,
  ) {
    this.smacros.bits = options.bits ?? 16;
    for (const [name, value] of Object.entries(options.defines ?? {})) {
      this.smacros.defines.set(name, { params: null, body: lexLine(value).tokens });
    }
  }

  run(source: string): void {
    this.frames.push({ kind: 'file', text: new SourceLines(source), index: 0, file: this.options.fileName, condDepth: 0 });
    while (this.frames.length > 0 && !this.stopped) {
      const f = this.frames[this.frames.length - 1];
      if (!this.nextLine(f)) {
        this.popFrame(f);
        continue;
      }
      const tokens = this.lineTokens;
      // a source line known to pass through unchanged goes straight out (unless collecting or skipping)
      if (this.linePlain && !this.collecting && !this.skipping()) this.emit(tokens, this.curFile, this.curLine, f, true);
      else this.processLine(tokens, this.curFile, this.curLine, f);
    }
    if (this.collecting) {
      const c = this.collecting;
      this.sink.error(c.start, c.kind === 'macro' ? `%macro '${c.macro?.name ?? ''}' has no matching %endmacro` : '%rep has no matching %endrep');
    }
    if (this.conds.depth > 0) this.sink.error({ file: this.curFile, line: this.curLine, column: 1, endColumn: 2 }, '%if has no matching %endif before the end of the file');
  }

  private span(tok: Token | undefined, file = this.curFile, line = this.curLine): SourceSpan {
    return { file, line, column: tok?.col ?? 1, endColumn: tok?.end ?? 2 };
  }

  /** Reads the frame's next line into lineTokens/lineText/linePlain/lineStable and the current
   *  place; false at the frame's end. */
  private nextLine(f: Frame): boolean {
    if (f.kind === 'file') {
      const text = f.text!.next();
      if (text === undefined) return false;
      const lineNo = ++f.index;
      this.curFile = this.physFile = f.file;
      this.curLine = this.physLine = lineNo;
      const plain = this.plainLines.lookup(text);
      if (plain !== undefined) return this.setLine(plain, undefined, true, true);
      const invocation = this.plainLines.invocation(text);
      if (invocation !== undefined) return this.setLine(invocation, undefined, false, true);
      const lex = lexLine(text);
      if (lex.problems.length > 0 && !this.skipping() && !this.collecting) {
        for (const p of lex.problems) this.sink.error({ file: f.file, line: lineNo, column: p.col, endColumn: p.end }, p.message);
      }
      return this.setLine(lex.tokens, lex.problems.length === 0 ? text : undefined, false, false);
    }
    const body = f.body!;
    if (f.index >= body.length) {
      if (f.kind === 'rep' && f.repLeft! > 1) {
        f.repLeft!--;
        f.index = 0;
        if (body.length === 0) return false;
      } else return false;
    }
    const bl = body[f.index++];
    this.curFile = f.at?.file ?? bl.file;
    this.curLine = f.at?.line ?? bl.line;
    this.physFile = bl.file;
    this.physLine = bl.line;
    const e = f.expansion;
    let tokens = bl.tokens;
    if (f.kind === 'macro') {
      const known = e !== undefined ? e.lines[f.index - 1] : undefined;
      if (known !== undefined) tokens = known;
      else {
        tokens = this.substitute(bl.tokens, f);
        if (e !== undefined) this.expansions.keep(e, f.index - 1, bl, tokens);
      }
    }
    // the body keeps its lines: a line no parameter changed is the same array every time, and so
    // is a remembered invocation's substituted line
    return this.setLine(tokens, undefined, false, tokens === bl.tokens || (e !== undefined && e.lines[f.index - 1] === tokens));
  }

  private setLine(tokens: Token[], text: string | undefined, plain: boolean, stable: boolean): true {
    this.lineTokens = tokens;
    this.lineText = text;
    this.linePlain = plain;
    this.lineStable = stable;
    return true;
  }

  private popFrame(f: Frame): void {
    this.frames.pop();
    // conditionals opened inside a frame and not closed: report and drop them
    if (this.conds.depth > f.condDepth) {
      this.sink.error({ file: this.curFile, line: this.curLine, column: 1, endColumn: 2 }, f.kind === 'file' ? `%if has no matching %endif before the end of '${f.file}'` : '%if has no matching %endif inside the macro or %rep body');
      this.conds.truncate(f.condDepth);
    }
  }

  private skipping(): boolean {
    return this.conds.skipping;
  }

  /** The innermost macro frame (for %1, %0, %%x in directive lines). */
  private macroFrame(): Frame | undefined {
    for (let i = this.frames.length - 1; i >= 0; i--) if (this.frames[i].kind === 'macro') return this.frames[i];
    return undefined;
  }

  private processLine(tokens: Token[], file: string, line: number, frame: Frame): void {
    const first = tokens[0];
    // a line may start with a context-local label (%$x:), which is not a directive
    const dir = first && first.kind === 'pp' && first.text.charCodeAt(1) !== 36 ? first.text.toLowerCase() : '';
    // collecting a %macro or %rep body
    if (this.collecting) {
      const c = this.collecting;
      if (dir === '%macro' || dir === '%imacro' || dir === '%rep') c.depth++;
      else if (dir === '%endmacro' || dir === '%endm' || dir === '%endrep') {
        if (c.depth > 0) c.depth--;
        else {
          const wantMacro = c.kind === 'macro';
          if (wantMacro !== (dir !== '%endrep')) {
            this.sink.error(this.span(first), wantMacro ? `${dir} inside a %macro: expected %endmacro` : `${dir} inside a %rep: expected %endrep`);
          }
          this.collecting = null;
          this.finishCollect(c);
          return;
        }
      }
      c.body.push({ tokens, file, line });
      return;
    }
    // conditionals are tracked even while skipping
    if (dir !== '' && isConditionalDirective(dir)) {
      this.conditional(dir, tokens, frame);
      return;
    }
    if (this.skipping()) return;
    if (dir !== '') {
      // a directive may change what any word means: forget the plain lines
      this.plainLines.forget();
      this.directive(dir, tokens, file, line);
      return;
    }
    if (tokens.length === 0) return;
    const expanded = this.smacros.expand(this.localize(tokens), 0);
    if (expanded.length === 0) return;
    // multi-line macro invocation: first token, or the one after a label
    let at = 0;
    if (expanded[0].kind === 'id' && expanded.length > 1 && expanded[1].kind === 'op' && expanded[1].text === ':' && expanded.length > 2) at = 2;
    const nameTok = expanded[at];
    if (nameTok && nameTok.kind === 'id') {
      const cands = this.macros.candidates(nameTok.text);
      if (cands) {
        if (at === 2) this.emit(expanded.slice(0, 2), file, line, frame, false);
        // an invocation line handed out again binds the same way: remember it by its tokens
        const unchanged = expanded === tokens;
        const remembered = unchanged && this.lineText !== undefined && frame.kind === 'file' && this.plainLines.offerInvocation(this.lineText, tokens);
        this.invoke(cands, nameTok, expanded, at + 1, file, line, remembered || (unchanged && this.lineStable) ? tokens : undefined);
        return;
      }
    }
    const unchanged = expanded === tokens;
    const remembered = unchanged && this.lineText !== undefined && frame.kind === 'file' && this.plainLines.offer(this.lineText, tokens);
    this.emit(expanded, file, line, frame, remembered || (unchanged && this.lineStable));
  }

  private emit(tokens: Token[], file: string, line: number, frame: Frame, stable: boolean): void {
    if (this.emitted >= MAX_LINES) {
      if (!this.stopped) this.sink.error(this.span(tokens[0], file, line), `the program is too large: more than ${MAX_LINES} lines after preprocessing`);
      this.stopped = true;
      return;
    }
    this.emitted++;
    const out = this.out;
    out.tokens = tokens;
    out.file = file;
    out.line = line;
    out.fromMacro = frame.kind === 'macro' || this.macroFrame() !== undefined;
    out.stable = stable;
    this.smacros.noteBits(tokens);
    this.onLine(out);
  }

  private conditional(dir: string, tokens: Token[], frame: Frame): void {
    this.conds.apply(
      dir,
      frame.condDepth,
      (m) => this.testCondition(m, tokens),
      (message) => this.sink.error(this.span(tokens[0]), message),
    );
  }

  private testCondition(m: RegExpExecArray, tokens: Token[]): boolean {
    const mf = this.macroFrame();
    const args = this.localize(mf ? this.substitute(tokens.slice(1), mf) : tokens.slice(1));
    return testCondition((m[3] ?? '').toLowerCase(), m[2] !== '', tokens[0], args, {
      smacros: this.smacros,
      hasMacro: (name, min, max) => this.macros.covers(name, min, max),
      contextName: this.contexts.topName,
      evaluate: (toks, at) => this.evalCritical(toks, at),
      report: (tok, message) => this.sink.error(this.span(tok), message),
    });
  }

  private evalCritical(tokens: Token[], at: Token): bigint {
    return evaluatePreprocessorExpression(tokens, at, (tok, message) => this.sink.error(this.span(tok), message));
  }

  // ---- directives --------------------------------------------------------------------------

  private directive(dir: string, tokens: Token[], file: string, line: number): void {
    const mf = this.macroFrame();
    const rest = this.localize(mf && dir !== '%macro' && dir !== '%imacro' ? this.substitute(tokens.slice(1), mf) : tokens.slice(1));
    const head = tokens[0];
    switch (dir) {
      case '%define':
      case '%xdefine':
      case '%idefine':
      case '%xidefine':
        this.smacros.defineFrom(dir, head, rest);
        return;
      case '%undef': {
        const name = rest[0];
        if (!name) this.sink.error(this.span(head), '%undef expects a macro name');
        else {
          this.smacros.undef(name.text);
        }
        return;
      }
      case '%assign':
      case '%iassign': {
        const name = rest[0];
        if (!name || name.kind !== 'id') {
          this.sink.error(this.span(name ?? head), `${head.text} expects a macro name`);
          return;
        }
        const v = this.evalCritical(this.smacros.expand(rest.slice(1), 0), head);
        this.smacros.defines.set(name.text, { params: null, body: [numToken(v, name)] });
        return;
      }
      case '%strlen': {
        const name = rest[0];
        const ex = this.smacros.expand(rest.slice(1), 0);
        if (!name || name.kind !== 'id' || ex.length !== 1 || ex[0].kind !== 'str') {
          this.sink.error(this.span(name ?? head), '%strlen expects a macro name and a string');
          return;
        }
        this.smacros.defines.set(name.text, { params: null, body: [numToken(BigInt(ex[0].bytes!.length), name)] });
        return;
      }
      case '%substr': {
        const name = rest[0];
        const ex = this.smacros.expand(rest.slice(1), 0);
        if (!name || name.kind !== 'id' || ex.length < 2 || ex[0].kind !== 'str') {
          this.sink.error(this.span(name ?? head), '%substr expects a macro name, a string and a start position');
          return;
        }
        const after = ex.slice(1);
        const comma = topLevelComma(after);
        const start = Number(this.evalCritical(comma < 0 ? after : after.slice(0, comma), head));
        const bytes = ex[0].bytes!;
        let len = comma < 0 ? 1 : Number(this.evalCritical(after.slice(comma + 1), head));
        if (len < 0) len = bytes.length - start + 2 + len;
        const sub = bytes.substr(Math.max(0, start - 1), Math.max(0, len));
        this.smacros.defines.set(name.text, { params: null, body: [{ kind: 'str', text: `'${sub}'`, col: name.col, end: name.end, bytes: sub, space: true }] });
        return;
      }
      case '%macro':
      case '%imacro':
        this.startMacro(head, rest);
        return;
      case '%unmacro':
      case '%unimacro':
        this.removeMacro(head, rest);
        return;
      case '%push':
      case '%repl': {
        const name = rest[0];
        if (name && (name.kind !== 'id' || rest.length > 1)) {
          this.sink.error(this.span(name), `${head.text} takes one context name`);
          return;
        }
        const problem = dir === '%push' ? this.contexts.push(name?.text ?? '', ++this.uniqCounter) : this.contexts.repl(name?.text ?? '');
        if (problem) this.sink.error(this.span(head), problem);
        return;
      }
      case '%pop': {
        const problem = this.contexts.pop(rest[0]?.text);
        if (problem) this.sink.error(this.span(rest[0] ?? head), problem);
        return;
      }
      case '%endmacro':
      case '%endm':
        this.sink.error(this.span(head), `${head.text} without a matching %macro`);
        return;
      case '%rep': {
        const count = this.evalCritical(this.smacros.expand(rest, 0), head);
        if (count > BigInt(MAX_REP)) this.sink.error(this.span(head), `%rep count ${count} is too large (the limit is ${MAX_REP})`);
        this.collecting = { kind: 'rep', depth: 0, repCount: count > BigInt(MAX_REP) ? 0 : Math.max(0, Number(count)), body: [], start: this.span(head) };
        return;
      }
      case '%endrep':
        this.sink.error(this.span(head), '%endrep without a matching %rep');
        return;
      case '%exitrep': {
        for (let i = this.frames.length - 1; i >= 0; i--) {
          if (this.frames[i].kind === 'rep') {
            const fr = this.frames[i];
            fr.repLeft = 0;
            fr.index = fr.body!.length;
            this.frames.length = i + 1;
            this.conds.truncate(fr.condDepth);
            return;
          }
        }
        this.sink.error(this.span(head), '%exitrep outside a %rep block');
        return;
      }
      case '%exitmacro': {
        for (let i = this.frames.length - 1; i >= 0; i--) {
          if (this.frames[i].kind === 'macro') {
            this.frames[i].index = this.frames[i].body!.length;
            this.frames.length = i + 1;
            this.conds.truncate(this.frames[i].condDepth);
            return;
          }
        }
        this.sink.error(this.span(head), '%exitmacro outside a macro');
        return;
      }
      case '%include': {
        const ex = this.smacros.expand(rest, 0);
        const t = ex[0];
        if (!t || t.kind !== 'str') {
          this.sink.error(this.span(t ?? head), '%include expects a file name in quotes');
          return;
        }
        this.include(t, file);
        return;
      }
      case '%error':
      case '%fatal':
      case '%warning': {
        const ex = this.smacros.expand(rest, 0);
        const msg = ex.length === 1 && ex[0].kind === 'str' ? ex[0].bytes! : joinTokens(ex);
        if (dir === '%warning') this.sink.warning(this.span(head, file, line), msg);
        else this.sink.error(this.span(head, file, line), msg);
        if (dir === '%fatal') this.stopped = true;
        return;
      }
      case '%stacksize':
        this.frameMacros.stacksize(head, rest, (tok, message) => this.sink.error(this.span(tok), message));
        return;
      case '%arg':
        this.frameMacros.arg(head, rest, (name, body) => this.smacros.defines.set(name.text, { params: null, body }), this.report, (tok, message) => this.sink.warning(this.span(tok), message));
        return;
      case '%local':
        this.local(head, rest);
        return;
      case '%line':
      case '%pragma':
      case '%use':
        return;
      default:
        this.sink.error(this.span(head), `unknown preprocessor directive '${head.text}'`);
    }
  }

  private include(t: Token, fromFile: string): void {
    const path = resolveInclude(fromFile, t.bytes!);
    if (!this.options.readFile) {
      this.sink.error(this.span(t), `cannot include '${t.bytes}': no file access in this context`);
      return;
    }
    if (this.frames.length > MAX_DEPTH || this.frames.filter((f) => f.kind === 'file').length > 32) {
      this.sink.error(this.span(t), `%include nested too deeply (is '${t.bytes}' including itself?)`);
      return;
    }
    const lines = readSource(this.options.readFile, path);
    if (!lines) {
      this.sink.error(this.span(t), `cannot open include file '${t.bytes}' (looked for ${path})`);
      return;
    }
    this.frames.push({ kind: 'file', text: lines, index: 0, file: path, condDepth: this.conds.depth });
  }

  // ---- multi-line macros --------------------------------------------------------------------

  /** %local defines its names and adds their bytes to the context's %$localsize, as nasm. */
  private local(head: Token, rest: Token[]): void {
    const report = (tok: Token, message: string): void => this.sink.error(this.span(tok), message);
    const sizeName = this.contexts.depth > 0 ? this.localize([{ ...head, kind: 'pp', text: '%$localsize' }])[0].text : undefined;
    const current = sizeName !== undefined ? this.smacros.defines.get(sizeName) : undefined;
    const value = current && !current.params && current.body.length === 1 && current.body[0].kind === 'num' ? current.body[0].value! : undefined;
    if (value === undefined) {
      report(head, '%local adds to %$localsize of the current context: write %push and %assign %$localsize 0 before it');
      return;
    }
    const added = this.frameMacros.local(head, rest, (name, body) => this.smacros.defines.set(name.text, { params: null, body }), report, (tok, message) => this.sink.warning(this.span(tok), message));
    this.smacros.defines.set(sizeName!, { params: null, body: [numToken(value + BigInt(added), head)] });
  }

  private startMacro(head: Token, rest: Token[]): void {
    const macro = parseMacroHeader(head, rest, (tok, message) => this.sink.error(this.span(tok), message));
    if (!macro) {
      this.collecting = { kind: 'macro', depth: 0, body: [], start: this.span(head) };
      return;
    }
    this.collecting = { kind: 'macro', depth: 0, macro, body: macro.body, start: this.span(head) };
    this.expansions.forget();
    this.macros.define(macro, head.text.toLowerCase() === '%imacro');
  }

  /** %unmacro / %unimacro NAME SPEC: removes the macro of that name with exactly that parameter range (none: nothing, as nasm). */
  private removeMacro(head: Token, rest: Token[]): void {
    const macro = parseMacroHeader(head, rest, (tok, message) => this.sink.error(this.span(tok), message));
    if (macro && this.macros.remove(macro, head.text.toLowerCase() === '%unimacro')) this.expansions.forget();
  }

  /** Invokes the macro named at `tokens[argsFrom - 1]` with the tokens after it; `key`: the line's
   *  token array when it will be handed out again (its binding is then remembered). */
  private invoke(cands: MMacro[], nameTok: Token, tokens: Token[], argsFrom: number, file: string, line: number, key: Token[] | undefined): void {
    let expansion = key !== undefined ? this.expansions.get(key) : undefined;
    let bound: { macro: MMacro; args: Token[][]; given: number };
    if (expansion !== undefined) bound = expansion;
    else {
      const b = bindArguments(cands, tokens.slice(argsFrom));
      if ('error' in b) {
        this.sink.error(this.span(nameTok, file, line), b.error);
        return;
      }
      bound = b;
      if (key !== undefined) expansion = this.expansions.remember(key, b.macro, b.args, b.given);
    }
    let depth = 0;
    for (const f of this.frames) if (f.kind === 'macro') depth++;
    if (depth >= MAX_DEPTH) {
      this.sink.error(this.span(nameTok, file, line), `macro '${bound.macro.name}' expands too deeply (more than ${MAX_DEPTH} levels: is it calling itself without end?)`);
      return;
    }
    // every line of the expansion reports the invocation; %0 counts the parameters actually given
    const frame: Frame = { kind: 'macro', body: bound.macro.body, index: 0, file, at: { file, line }, args: bound.args, uniq: ++this.uniqCounter, expansion, macroName: bound.macro.name, condDepth: this.conds.depth };
    frame.repLeft = bound.given;
    this.frames.push(frame);
  }

  private substitute(tokens: Token[], f: Frame): Token[] {
    return substituteParams(tokens, { args: f.args, uniq: f.uniq, count: f.repLeft ?? 0 });
  }

  /** `%$name` → the identifier local to its context. */
  private localize(tokens: Token[]): Token[] {
    return this.contexts.localize(tokens, this.report);
  }

  private finishCollect(c: NonNullable<Preprocessor['collecting']>): void {
    if (c.kind === 'rep') {
      const count = c.repCount ?? 0;
      if (count <= 0) return;
      if (this.frames.length > MAX_DEPTH) {
        this.sink.error(c.start, '%rep nested too deeply');
        return;
      }
      const mf = this.macroFrame();
      // lines inside a macro's %rep keep the macro's parameters and invocation location
      const body = mf ? c.body.map((b) => ({ ...b, tokens: this.substitute(b.tokens, mf) })) : c.body;
      this.frames.push({ kind: 'rep', body, index: 0, file: c.start.file, repLeft: count, at: mf?.at, condDepth: this.conds.depth });
    }
  }
}
