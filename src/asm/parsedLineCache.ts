// Parsed lines remembered by their token array: when the preprocessor hands out the same array again
// (a source line seen before, an unchanged macro or %rep body line), a line whose parse depends on
// nothing but its tokens and the BITS the parse-time encoder used gets the same statement body
// again, without lexing, parsing or encoding it. A `label:` before the body is kept as its token:
// the label is qualified again for each line (`.x` names the last non-local label before it).
// Imports ./statements and ./lexer (types).
import type { Token } from './lexer';
import type { Expr } from './expressions';
import type { Statement, StatementBody } from './statements';

/** What a repeated line shares with its first occurrence (the body trees are never changed). */
export interface ParsedLine {
  times: Expr | undefined;
  timesTok: Token | undefined;
  body: StatementBody;
  firstTok: Token;
  /** The `label:` token before the body, when the line has one. */
  labelTok: Token | undefined;
  /** EarlyEncoder.mode when the body was made. */
  mode: number;
}

/** Distinct token arrays remembered (the table starts again when full). */
const LIMIT = 8192;

/** The cache; one per assembly. */
export class ParsedLineCache {
  private readonly lines = new Map<readonly Token[], ParsedLine>();

  /** The remembered parse of `tokens` when it was made in the same encoder mode. */
  get(tokens: readonly Token[], mode: number): ParsedLine | undefined {
    const p = this.lines.get(tokens);
    return p !== undefined && p.mode === mode ? p : undefined;
  }

  /** Remembers `st` as the parse of `tokens` when it can be shared: a body the passes only read,
   *  no label or a `label:` in front (the caller qualifies it again), and no name after the label
   *  that the parser qualified with the last label (`.x`). The caller has checked that parsing
   *  reported nothing. */
  offer(tokens: readonly Token[], st: Statement, mode: number): void {
    const label = st.label;
    const labelled = label !== undefined;
    if (labelled && !(label.tok === tokens[0] && tokens[1] !== undefined && tokens[1].kind === 'op' && tokens[1].text === ':')) return;
    const k = st.body.k;
    if (k !== 'code' && k !== 'insn' && k !== 'branch' && k !== 'data' && k !== 'res' && k !== 'align') return;
    for (let i = labelled ? 2 : 0; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind !== 'id') continue;
      const c = t.text.charCodeAt(0);
      if (c === 46 || (c === 36 && t.text.charCodeAt(1) === 46)) return;
    }
    if (this.lines.size >= LIMIT) this.lines.clear();
    this.lines.set(tokens, { times: st.times, timesTok: st.timesTok, body: st.body, firstTok: st.firstTok, labelTok: label?.tok, mode });
  }
}
