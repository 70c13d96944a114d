// Single-line macros of the preprocessor: the %define / %idefine table, their expansion (with
// parameters, recursion guard and pasting), and the built-in ones nasm 2.16 predefines that this
// assembler supports: __?FILE?__ / __?LINE?__ (and the legacy __FILE__ / __LINE__), __?BITS?__,
// the float functions __?float8?__ … __?float128h?__ and the special values __?Infinity?__,
// __?NaN?__, __?QNaN?__, __?SNaN?__ (NASM manual §3.4.6, §5.1). Imports ./lexer,
// ./preprocessorTokens, ./floatConstants.
import type { Token } from './lexer';
import { numToken, pasteTokens, splitArgs } from './preprocessorTokens';
import { encodeFloat, FLOAT_FORMATS, parseFloatConstant, specialName, type FloatFormat } from './floatConstants';

/** A %define: parameter names (null: none) and the replacement tokens. */
export interface SMacro {
  params: string[] | null;
  body: Token[];
}

/** Where the line being expanded comes from (for __?FILE?__ and __?LINE?__). */
export interface LinePlace {
  file: string;
  line: number;
}

const MAX_TOKENS_PER_LINE = 100_000;

/** Float functions: the format and which bytes of it form the value (NASM §3.4.6). */
const FLOAT_FUNCTIONS: Record<string, { format: FloatFormat; from: number; to: number }> = {
  float8: { format: FLOAT_FORMATS.float8, from: 0, to: 1 },
  float16: { format: FLOAT_FORMATS.float16, from: 0, to: 2 },
  bfloat16: { format: FLOAT_FORMATS.bfloat16, from: 0, to: 2 },
  float32: { format: FLOAT_FORMATS.float32, from: 0, to: 4 },
  float64: { format: FLOAT_FORMATS.float64, from: 0, to: 8 },
  float80m: { format: FLOAT_FORMATS.float80, from: 0, to: 8 },
  float80e: { format: FLOAT_FORMATS.float80, from: 8, to: 10 },
  float128l: { format: FLOAT_FORMATS.float128, from: 0, to: 8 },
  float128h: { format: FLOAT_FORMATS.float128, from: 8, to: 16 },
};

/** The built-in name without nasm's `__?…?__` / legacy `__…__` dressing, or undefined. */
function builtinName(text: string): string | undefined {
  if (text.length < 5 || text.charCodeAt(0) !== 95 || text.charCodeAt(1) !== 95) return undefined;
  const lower = text.toLowerCase();
  if (lower.startsWith('__?') && lower.endsWith('?__')) return lower.slice(3, -3);
  if (lower.endsWith('__')) return lower.slice(2, -2);
  return undefined;
}

/** The %define tables and the expander. */
export class SingleLineMacros {
  readonly defines = new Map<string, SMacro>();
  /** Case-insensitive ones, keyed by the lower-case name. */
  readonly idefines = new Map<string, SMacro>();
  /** __?BITS?__: the output format's default until a BITS/USE line changes it (noteBits). */
  bits = 16;

  constructor(
    private readonly onError: (tok: Token, message: string) => void,
    private readonly place: () => LinePlace,
  ) {}

  /** true when `name` is a defined single-line macro (either case rule). */
  has(name: string): boolean {
    return this.defines.has(name) || this.idefines.has(name.toLowerCase());
  }

  /** %define / %xdefine / %idefine / %xidefine NAME[(params)] body (the x forms expand the body now). */
  defineFrom(dir: string, head: Token, rest: Token[]): void {
    const name = rest[0];
    if (!name || name.kind !== 'id') {
      this.onError(name ?? head, `${head.text} expects a macro name`);
      return;
    }
    let params: string[] | null = null;
    let i = 1;
    if (rest[1] && rest[1].kind === 'op' && rest[1].text === '(' && !rest[1].space) {
      params = [];
      i = 2;
      while (i < rest.length && !(rest[i].kind === 'op' && rest[i].text === ')')) {
        if (rest[i].kind === 'id') params.push(rest[i].text);
        i++;
      }
      i++;
    }
    let body = rest.slice(i);
    if (dir.startsWith('%x')) body = this.expand(body, 0);
    const insensitive = dir.includes('i') && dir !== '%xdefine' && dir !== '%define';
    if (insensitive) this.idefines.set(name.text.toLowerCase(), { params, body });
    else this.defines.set(name.text, { params, body });
  }

  /** Removes `name` from both tables. */
  undef(name: string): void {
    this.defines.delete(name);
    this.idefines.delete(name.toLowerCase());
  }

  /** Expands every macro in `tokens` (then applies %+ and adjacency pasting). */
  expand(tokens: Token[], depth = 0, active?: Set<string>): Token[] {
    if (this.defines.size === 0 && this.idefines.size === 0 && !hasBuiltinCandidate(tokens)) return pasteTokens(tokens);
    let out: Token[] | null = null;
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i];
      let mac: SMacro | undefined;
      if (t.kind === 'id') mac = this.defines.get(t.text) ?? this.idefines.get(t.text.toLowerCase());
      if (!mac && t.kind === 'id') {
        const b = this.builtin(tokens, i);
        if (b) {
          out ??= tokens.slice(0, i);
          out.push(...b.tokens);
          i = b.last;
          continue;
        }
      }
      if (!mac || active?.has(t.text)) {
        if (out) out.push(t);
        continue;
      }
      out ??= tokens.slice(0, i);
      let body = mac.body;
      if (mac.params) {
        const open = tokens[i + 1];
        if (!open || open.kind !== 'op' || open.text !== '(') {
          out.push(t);
          continue;
        }
        const close = closingParen(tokens, i + 1);
        const args = splitArgs(tokens.slice(i + 2, close), true);
        i = close;
        const params = mac.params;
        body = [];
        for (const b of mac.body) {
          const pi = b.kind === 'id' ? params.indexOf(b.text) : -1;
          if (pi >= 0) body.push(...(args[pi] ?? []));
          else body.push(b);
        }
      }
      if (depth > 64 || out.length > MAX_TOKENS_PER_LINE) {
        this.onError(t, `macro '${t.text}' expands without end (recursive %define?)`);
        return out;
      }
      const nextActive = new Set(active);
      nextActive.add(t.text);
      const relocated = body.map((b, k) => ({ ...b, col: t.col, end: t.end, space: k === 0 ? t.space : b.space }));
      for (const e of this.expand(relocated, depth + 1, nextActive)) out.push(e);
    }
    return pasteTokens(out ?? tokens);
  }

  /**
   * Follows a line the preprocessor passes on (macros expanded): `bits N`, `[bits N]` and
   * USE16/USE32/USE64 set __?BITS?__ from that line on, as nasm's BITS macro does.
   */
  noteBits(line: readonly Token[]): void {
    const first = line[0];
    if (!first) return;
    const at = first.kind === 'op' && first.text === '[' ? 1 : 0;
    const word = line[at];
    if (!word || word.kind !== 'id') return;
    const c = word.text.charCodeAt(0) | 0x20;
    if (c !== 98 && c !== 117) return; // not b… or u…: most lines stop here
    const lower = word.text.toLowerCase();
    let bits: number | undefined;
    if (lower === 'bits') {
      const n = line[at + 1];
      if (n && n.kind === 'num' && n.value !== undefined) bits = Number(n.value);
    } else if (lower === 'use16' || lower === 'use32' || lower === 'use64') bits = Number(lower.slice(3));
    if (bits === 16 || bits === 32 || bits === 64) this.bits = bits;
  }

  /** A built-in macro at tokens[i]: its replacement and the index of its last token. */
  private builtin(tokens: Token[], i: number): { tokens: Token[]; last: number } | undefined {
    const t = tokens[i];
    const name = builtinName(t.text);
    if (name === undefined) return undefined;
    if (name === 'file') {
      const file = this.place().file;
      return { tokens: [{ kind: 'str', text: `'${file}'`, col: t.col, end: t.end, value: undefined, bytes: utf8Bytes(file), space: t.space }], last: i };
    }
    if (name === 'bits') return { tokens: [{ ...numToken(BigInt(this.bits), t), space: t.space }], last: i };
    if (name === 'line') return { tokens: [{ ...numToken(BigInt(this.place().line), t), space: t.space }], last: i };
    if (specialName(t.text)) return { tokens: [{ kind: 'float', text: t.text, col: t.col, end: t.end, value: undefined, bytes: undefined, space: t.space }], last: i };
    const fn = FLOAT_FUNCTIONS[name];
    if (!fn) return undefined;
    const open = tokens[i + 1];
    if (!open || open.kind !== 'op' || open.text !== '(') {
      this.onError(t, `${t.text} is a function: write ${t.text}(a floating-point constant)`);
      return { tokens: [numToken(0n, t)], last: i };
    }
    const close = closingParen(tokens, i + 1);
    const arg = this.expand(tokens.slice(i + 2, close), 1);
    const text = arg.map((a) => a.text).join('');
    const parsed = parseFloatConstant(text);
    const encoded = parsed.ok ? encodeFloat(parsed.value, fn.format) : parsed;
    if (!encoded.ok) {
      this.onError(arg[0] ?? t, parsed.ok ? `${t.text}(${text}): ${encoded.message}` : `${t.text} needs a floating-point constant such as 1.5, -2.0e3 or 0x1.8p3, not '${text}'`);
      return { tokens: [numToken(0n, t)], last: close };
    }
    let v = 0n;
    for (let k = fn.to - 1; k >= fn.from; k--) v = (v << 8n) | BigInt(encoded.bytes[k]);
    return { tokens: [{ ...numToken(v, t), space: t.space }], last: close };
  }
}

/** Index of the ')' closing the '(' at `open` (or the last token when it is missing). */
function closingParen(tokens: readonly Token[], open: number): number {
  let level = 0;
  let j = open + 1;
  while (j < tokens.length && !(level === 0 && tokens[j].kind === 'op' && tokens[j].text === ')')) {
    if (tokens[j].kind === 'op' && tokens[j].text === '(') level++;
    if (tokens[j].kind === 'op' && tokens[j].text === ')') level--;
    j++;
  }
  return Math.min(j, tokens.length - 1);
}

function hasBuiltinCandidate(tokens: readonly Token[]): boolean {
  for (const t of tokens) if (t.kind === 'id' && t.text.charCodeAt(0) === 95 && t.text.charCodeAt(1) === 95) return true;
  return false;
}

/** A string as the byte-per-char form str tokens carry (UTF-8). */
function utf8Bytes(s: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(s)) out += String.fromCharCode(b);
  return out;
}
