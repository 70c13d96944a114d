// Token-level helpers of the preprocessor: splitting a source into lines (with backslash
// continuation), include-path joining, macro argument splitting, %+ / adjacency token pasting.
// Pure functions. Imports only ./lexer.
import { lexLine, type Token } from './lexer';

/** Joins a directory-relative include path the way the host OS would (no Node in src/asm). */
export function resolveInclude(fromFile: string, name: string): string {
  if (name.startsWith('/') || /^[A-Za-z]:[\\/]/.test(name)) return name;
  const slash = Math.max(fromFile.lastIndexOf('/'), fromFile.lastIndexOf('\\'));
  const dir = slash >= 0 ? fromFile.slice(0, slash + 1) : '';
  const parts = (dir + name).split(/[\\/]/);
  const out: string[] = [];
  for (const p of parts) {
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') out.pop();
    else if (p !== '.') out.push(p);
  }
  return out.join('/');
}

/** Source text → lines; a line ending in '\\' continues on the next (empty lines keep the numbering). */
export function splitLines(text: string): string[] {
  const raw = text.indexOf('\r') < 0 ? text.split('\n') : text.split(/\r\n|\n|\r/);
  if (text.indexOf('\\') < 0) return raw;
  const out: string[] = [];
  for (let i = 0; i < raw.length; i++) {
    let l = raw[i];
    // backslash line continuation: keep line numbering by pushing empty lines after the joined one
    let extra = 0;
    while (l.endsWith('\\') && i + 1 < raw.length) {
      l = l.slice(0, -1) + raw[++i];
      extra++;
    }
    out.push(l);
    for (let k = 0; k < extra; k++) out.push('');
  }
  return out;
}

/** A number token standing where `at` stood. */
export function numToken(v: bigint, at: Token): Token {
  return { kind: 'num', text: v.toString(), col: at.col, end: at.end, value: v, space: true };
}

/** Index of the first comma not inside parentheses/brackets/braces, or -1. */
export function topLevelComma(tokens: readonly Token[]): number {
  let level = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind !== 'op') continue;
    if (t.text === '(' || t.text === '[' || t.text === '{') level++;
    else if (t.text === ')' || t.text === ']' || t.text === '}') level--;
    else if (t.text === ',' && level === 0) return i;
  }
  return -1;
}

/** Splits macro arguments at top-level commas; `{a, b}` groups one argument (braces removed). */
export function splitArgs(tokens: readonly Token[], stripBraces: boolean): Token[][] {
  const out: Token[][] = [];
  let cur: Token[] = [];
  let level = 0;
  for (const t of tokens) {
    if (t.kind === 'op' && (t.text === '(' || t.text === '[' || t.text === '{')) {
      level++;
      if (t.text === '{' && level === 1 && stripBraces) continue;
    } else if (t.kind === 'op' && (t.text === ')' || t.text === ']' || t.text === '}')) {
      level--;
      if (t.text === '}' && level === 0 && stripBraces) continue;
    } else if (t.kind === 'op' && t.text === ',' && level === 0) {
      out.push(cur);
      cur = [];
      continue;
    }
    cur.push(t);
  }
  out.push(cur);
  return out;
}

/** Applies %+ and joins identifier/number pieces written without space (label%1 → label3). */
export function pasteTokens(tokens: Token[]): Token[] {
  let needs = false;
  for (let i = 1; i < tokens.length; i++) {
    const a = tokens[i - 1];
    const b = tokens[i];
    if ((b.kind === 'pp' && b.text === '%+') || (!b.space && (a.kind === 'id' || a.kind === 'num') && (b.kind === 'id' || b.kind === 'num'))) {
      needs = true;
      break;
    }
  }
  if (!needs) return tokens;
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'pp' && t.text === '%+') {
      const prev = out.pop();
      const next = tokens[++i];
      if (!prev || !next) {
        if (prev) out.push(prev);
        continue;
      }
      out.push(relex(prev, next));
      continue;
    }
    const prev = out[out.length - 1];
    if (prev && !t.space && (prev.kind === 'id' || prev.kind === 'num') && (t.kind === 'id' || t.kind === 'num')) {
      out[out.length - 1] = relex(prev, t);
      continue;
    }
    out.push(t);
  }
  return out;
}

function relex(a: Token, b: Token): Token {
  const text = a.text + b.text;
  const lexed = lexLine(text).tokens;
  if (lexed.length === 1) return { ...lexed[0], col: a.col, end: Math.max(a.end, b.end), space: a.space };
  return { kind: 'id', text, col: a.col, end: Math.max(a.end, b.end), space: a.space };
}
