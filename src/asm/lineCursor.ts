// The token cursor the parser reads a line with: the line's tokens and position, peeking and
// operator tests, expressions (with `.local` names qualified by the last non-local label) and
// diagnostics at the line. The parser (./parser) builds on it. Imports ./lexer, ./expressions,
// ./diagnostics, ./preprocessor (types).
import type { Token } from './lexer';
import { ExprParser, type Expr } from './expressions';
import type { DiagnosticSink } from './diagnostics';
import type { PLine } from './preprocessor';

/** A line's tokens, a position in them, and the last non-local label. */
export abstract class LineCursor {
  protected lastGlobal = '';
  protected toks: Token[] = [];
  protected i = 0;
  protected line: PLine | null = null;
  /** One expression parser for every line (it holds no state between parses). */
  private readonly exprParser: ExprParser;

  constructor(
    isRegister: (lower: string) => boolean,
    protected readonly sink: DiagnosticSink,
  ) {
    this.exprParser = new ExprParser([], isRegister, this.qualify);
  }

  /** Qualifies a label name: `.x` → `<last global>.x`; `..@x` and `..start` stay as written. */
  qualify = (name: string): string => {
    if (name.startsWith('.') && !name.startsWith('..')) return this.lastGlobal + name;
    return name;
  };

  protected err(tok: Token | undefined, message: string): void {
    const l = this.line!;
    const t = tok ?? this.toks[this.toks.length - 1];
    this.sink.error({ file: l.file, line: l.line, column: t?.col ?? 1, endColumn: t?.end ?? 2 }, message);
  }

  protected warn(tok: Token, message: string): void {
    const l = this.line!;
    this.sink.warning({ file: l.file, line: l.line, column: tok.col, endColumn: tok.end }, message);
  }

  protected peek(off = 0): Token | undefined {
    return this.toks[this.i + off];
  }

  protected isOp(t: Token | undefined, text: string): boolean {
    return t !== undefined && t.kind === 'op' && t.text === text;
  }

  /** The expression at the cursor (the cursor moves past it); null after reporting `what` failed. */
  protected expr(what: string): Expr | null {
    const p = this.exprParser.parseTokens(this.toks, this.i);
    if (!p.ok) {
      const atEnd = p.tok !== undefined && p.tok === this.toks[this.toks.length - 1] && p.message === 'expected an expression';
      this.err(p.tok ?? this.peek(), atEnd ? `${what}: expected an expression after '${p.tok!.text}'` : p.message);
      this.i = this.toks.length;
      return null;
    }
    this.i = p.next;
    return p.expr;
  }

  /** Reports anything left on the line. */
  protected expectEnd(): void {
    const t = this.peek();
    if (t) {
      this.err(t, `unexpected '${t.text}' at the end of the line`);
      this.i = this.toks.length;
    }
  }
}
