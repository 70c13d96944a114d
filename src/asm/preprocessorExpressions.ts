// Expressions the preprocessor must compute on the spot (%if, %elif, %assign, %rep counts,
// %substr positions): parsed and evaluated with no symbols and no `$` — a label or `$` there is an
// error that says why, as in nasm. Imports ./lexer (types), ./expressions.
import type { Token } from './lexer';
import { ExprParser, evaluate, type EvalContext } from './expressions';

/** The value of `tokens` (the arguments of the directive token `at`); 0 after reporting a problem. */
export function evaluatePreprocessorExpression(tokens: Token[], at: Token, report: (tok: Token, message: string) => void): bigint {
  if (tokens.length === 0) {
    report(at, `${at.text} expects an expression`);
    return 0n;
  }
  const p = new ExprParser(tokens, () => false, (n) => n).parse(0);
  if (!p.ok) {
    report(p.tok ?? at, p.message);
    return 0n;
  }
  if (p.next < tokens.length) {
    report(tokens[p.next], `unexpected '${tokens[p.next].text}' after the expression`);
    return 0n;
  }
  let bad: string | undefined;
  const ctx: EvalContext = {
    lookup: (name) => {
      bad ??= name;
      return undefined;
    },
    here: () => ({ v: 0n, sect: -1, unknown: true }),
    base: () => ({ v: 0n, sect: -1, unknown: true }),
    error: (msg, tok) => report(tok ?? at, msg),
  };
  const v = evaluate(p.expr, ctx);
  if (v.unknown) {
    report(at, bad !== undefined ? `'${bad}' is not defined when the preprocessor evaluates ${at.text}` : `${at.text} needs an expression the preprocessor can compute ($ is not known yet)`);
    return 0n;
  }
  return v.v;
}
