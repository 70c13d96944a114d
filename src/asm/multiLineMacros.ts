// Multi-line macros of the preprocessor (%macro … %endmacro, NASM manual §4.3): the header
// `name min[-max][+] [.nolist] defaults`, choosing the overload that takes the arguments given
// and binding them (greedy last parameter, defaults), and substituting %1…%n, %0 and %%local
// labels into a body line. Pure functions; the preprocessor keeps the frames.
// Imports ./lexer, ./preprocessorTokens.
import type { Token } from './lexer';
import { numToken, pasteTokens, splitArgs } from './preprocessorTokens';

/** One captured line of a %macro or %rep body. */
export interface BodyLine {
  tokens: Token[];
  file: string;
  line: number;
}

/** A %macro definition. */
export interface MMacro {
  name: string;
  min: number;
  max: number;
  greedy: boolean;
  defaults: Token[][];
  body: BodyLine[];
}

/** What a macro expansion substitutes: its arguments, its %% label number and %0. */
export interface MacroBinding {
  args?: Token[][];
  uniq?: number;
  count: number;
}

/** Parses the `%macro` line after the directive; undefined (and an error) without a name. */
export function parseMacroHeader(head: Token, rest: Token[], report: (tok: Token, message: string) => void): MMacro | undefined {
  const name = rest[0];
  if (!name || name.kind !== 'id') {
    report(name ?? head, `${head.text} expects a macro name`);
    return undefined;
  }
  const spec = rest[1];
  const range = parseParamRange(rest, 1, report) ?? { min: 0, max: 0, greedy: false, next: 1 };
  if (range.next === 1 && spec && !(spec.kind === 'id' && spec.text.toLowerCase() === '.nolist')) {
    report(spec, `expected the number of parameters of macro '${name.text}'`);
  }
  let i = range.next;
  if (rest[i]?.kind === 'id' && rest[i].text.toLowerCase() === '.nolist') i++;
  const defaults = splitArgs(rest.slice(i), false);
  return { name: name.text, min: range.min, max: range.max, greedy: range.greedy, defaults: rest.length > i ? defaults : [], body: [] };
}

/**
 * A parameter range `N`, `N-M`, `N-*`, each optionally followed by `+` (greedy), at tokens[i]
 * (%macro, %unmacro, %ifmacro); `next` is the index after it. Undefined when tokens[i] is not a number.
 */
export function parseParamRange(tokens: readonly Token[], i: number, report: (tok: Token, message: string) => void): { min: number; max: number; greedy: boolean; next: number } | undefined {
  const spec = tokens[i];
  if (!spec || spec.kind !== 'num') return undefined;
  const min = Number(spec.value);
  let max = min;
  let greedy = false;
  i++;
  if (tokens[i]?.kind === 'op' && tokens[i].text === '-') {
    i++;
    const t = tokens[i];
    if (t?.kind === 'op' && t.text === '*') max = Infinity;
    else if (t?.kind === 'num') max = Number(t.value);
    else report(t ?? spec, 'expected a maximum parameter count or * after -');
    i++;
  }
  if (tokens[i]?.kind === 'op' && tokens[i].text === '+') {
    greedy = true;
    i++;
  }
  return { min, max, greedy, next: i };
}

/** Picks the overload for the arguments written and binds them; a message when none fits. */
export function bindArguments(cands: readonly MMacro[], argToks: Token[]): { macro: MMacro; args: Token[][]; given: number } | { error: string } {
  const rawArgs = argToks.length === 0 ? [] : splitArgs(argToks, true);
  const macro = cands.find((m) => rawArgs.length >= m.min && (rawArgs.length <= m.max || m.greedy)) ?? cands.find((m) => rawArgs.length >= m.min && m.greedy);
  if (!macro) {
    const m0 = cands[0];
    const want = m0.max === Infinity ? `at least ${m0.min}` : m0.min === m0.max ? `${m0.min}` : `${m0.min} to ${m0.max}`;
    return { error: `macro '${m0.name}' expects ${want} parameter${want === '1' ? '' : 's'}, got ${rawArgs.length}` };
  }
  let args = rawArgs;
  if (macro.greedy && rawArgs.length > macro.max && macro.max !== Infinity) {
    // the last parameter takes the rest of the line, commas included
    const keep = rawArgs.slice(0, macro.max - 1);
    const consumed = keep.reduce((n, a) => n + a.length + 1, 0);
    args = [...keep, argToks.slice(consumed)];
  }
  const given = args.length;
  const full = args.slice();
  const limit = macro.max === Infinity ? given : macro.max;
  for (let k = given; k < limit; k++) full.push(macro.defaults[k - macro.min] ?? []);
  return { macro, args: full, given };
}

/** Replaces %1…%n, %0 and %%name in a body line (then pastes adjacent pieces). */
export function substituteParams(tokens: Token[], b: MacroBinding): Token[] {
  let changed = false;
  for (const t of tokens) if (t.kind === 'pp') changed = true;
  if (!changed) return tokens;
  const out: Token[] = [];
  for (const t of tokens) {
    if (t.kind !== 'pp') {
      out.push(t);
      continue;
    }
    const m = /^%([0-9]+)$/.exec(t.text);
    if (m) {
      const k = Number(m[1]);
      if (k === 0) out.push(numToken(BigInt(b.count), t));
      else {
        const arg = b.args?.[k - 1] ?? [];
        arg.forEach((a, j) => out.push({ ...a, space: j === 0 ? t.space : a.space }));
      }
      continue;
    }
    if (t.text.startsWith('%%') && t.text.length > 2) {
      out.push({ kind: 'id', text: `..@${b.uniq}.${t.text.slice(2)}`, col: t.col, end: t.end, value: undefined, bytes: undefined, space: t.space });
      continue;
    }
    out.push(t);
  }
  return pasteTokens(out);
}
