// The lexer: one NASM source line → tokens with 1-based columns. Comments (`;`) are dropped;
// numbers in every NASM form, character/string constants with backquote escapes, preprocessor
// tokens (%1, %%x, %define, %+) and operators. Never throws: problems are returned as messages.
// Imports ./floatConstants (the number scanner).
import * as floatConstantsModule from './floatConstants';
import type { NumberScan } from './floatConstants';

// hot code binds imported functions once (under tsx an imported binding is a getter call per use)
const { scanNumber } = floatConstantsModule;

/** What a token is. */
export type TokenKind = 'id' | 'num' | 'str' | 'op' | 'pp' | 'float';

/** One token of a line. `col`/`end` are 1-based columns, end exclusive. */
export interface Token {
  kind: TokenKind;
  /** The text as written (for 'str', with the quotes). */
  text: string;
  col: number;
  end: number;
  /** Numeric value of a 'num' token. */
  value?: bigint;
  /** Decoded bytes of a 'str' token, one char code (0–255) per byte. */
  bytes?: string;
  /** true when whitespace precedes the token (used to re-join tokens into text). */
  space: boolean;
}

/** A problem found while lexing: message and column range. */
export interface LexProblem {
  message: string;
  col: number;
  end: number;
}

export interface LexResult {
  tokens: Token[];
  problems: LexProblem[];
}

/** Tokens and problems of the line being lexed (copied or emptied into the result), and the
 *  shared empty problem list. */
const scratchTokens: Token[] = [];
const scratchProblems: LexProblem[] = [];
const NO_PROBLEMS: LexProblem[] = Object.freeze([]) as unknown as LexProblem[];

/** scanNumber's answer, reused for every number token (no allocation). */
const numberScan: NumberScan = { end: 0, float: false };

// Character classes over char codes, built once.
const ID_START = new Uint8Array(128);
const ID_PART = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  const letter = /[A-Za-z_.?@]/.test(ch);
  ID_START[c] = letter ? 1 : 0;
  ID_PART[c] = letter || /[0-9$#~]/.test(ch) ? 1 : 0;
}

/** true when `c` (a char code) may continue an identifier. */
export function isIdentPart(c: number): boolean {
  return c < 128 ? ID_PART[c] === 1 : c > 0xff;
}

function isIdentStart(c: number): boolean {
  return c < 128 ? ID_START[c] === 1 : c > 0xff;
}

const THREE_CHAR_OPS = ['<<<', '>>>', '<=>'];
const TWO_START = new Set([60, 62, 47, 37, 38, 124, 94, 61, 33, 36]);
const TWO_CHAR_OPS = ['<<', '>>', '//', '%%', '&&', '||', '^^', '==', '!=', '<>', '<=', '>=', '$$'];

const DECIMAL = /^[0-9]+$/;

/** Parses the digits of a number token per NASM §3.4.1; undefined when malformed. */
export function parseNumber(text: string): bigint | undefined {
  if (text.length < 16 && DECIMAL.test(text)) return BigInt(text);
  let t = text.replace(/_/g, '').toLowerCase();
  let radix = 10;
  if (t.startsWith('$')) {
    radix = 16;
    t = t.slice(1);
    if (t.length === 0 || !/^[0-9]/.test(t)) return undefined;
  } else if (/^0[xh]/.test(t)) {
    radix = 16;
    t = t.slice(2);
  } else if (/^0[by]/.test(t)) {
    radix = 2;
    t = t.slice(2);
  } else if (/^0[oq]/.test(t)) {
    radix = 8;
    t = t.slice(2);
  } else if (/^0[dt]/.test(t)) {
    radix = 10;
    t = t.slice(2);
  } else if (t.endsWith('h')) {
    radix = 16;
    t = t.slice(0, -1);
  } else if (/[qo]$/.test(t)) {
    radix = 8;
    t = t.slice(0, -1);
  } else if (/[by]$/.test(t)) {
    radix = 2;
    t = t.slice(0, -1);
  } else if (/[dt]$/.test(t)) {
    radix = 10;
    t = t.slice(0, -1);
  }
  if (t.length === 0) return undefined;
  const valid = radix === 16 ? /^[0-9a-f]+$/ : radix === 8 ? /^[0-7]+$/ : radix === 2 ? /^[01]+$/ : /^[0-9]+$/;
  if (!valid.test(t)) return undefined;
  if (radix === 10) return BigInt(t);
  const prefix = radix === 16 ? '0x' : radix === 8 ? '0o' : '0b';
  return BigInt(prefix + t);
}

function decodeBackquote(body: string, problems: LexProblem[], col: number): string {
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const ch = body[i];
    if (ch !== '\\') {
      out += utf8(ch.charCodeAt(0));
      continue;
    }
    const n = body[++i];
    if (n === undefined) break;
    const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', e: '\x1b', '0': '\0', '\\': '\\', '`': '`', "'": "'", '"': '"', '?': '?' };
    if (n === 'x') {
      const m = /^[0-9a-fA-F]{1,2}/.exec(body.slice(i + 1));
      if (!m) {
        problems.push({ message: 'bad \\x escape: expected hexadecimal digits', col, end: col + 1 });
        continue;
      }
      out += String.fromCharCode(parseInt(m[0], 16));
      i += m[0].length;
    } else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))!;
      out += String.fromCharCode(parseInt(m[0], 8) & 0xff);
      i += m[0].length - 1;
    } else if (n === 'u' || n === 'U') {
      const len = n === 'u' ? 4 : 8;
      const m = new RegExp(`^[0-9a-fA-F]{1,${len}}`).exec(body.slice(i + 1));
      if (!m) continue;
      const cp = parseInt(m[0], 16);
      out += utf8(cp);
      i += m[0].length;
    } else if (simple[n] !== undefined) {
      out += simple[n];
    } else {
      out += n;
    }
  }
  return out;
}

/** The UTF-8 bytes of a code point as a byte string. */
function utf8(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

function encodePlain(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) out += s[i];
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
      const lo = s.charCodeAt(++i);
      out += utf8(0x10000 + ((c - 0xd800) << 10) + (lo - 0xdc00));
    } else out += utf8(c);
  }
  return out;
}

/** A token with every field present in one order, so all tokens share one shape (faster property access). */
function mk(kind: TokenKind, text: string, col: number, end: number, space: boolean, value: bigint | undefined, bytes: string | undefined): Token {
  return { kind, text, col, end, value, bytes, space };
}

/** Splits one source line (no newline) into tokens. */
export function lexLine(line: string): LexResult {
  // tokens are collected in one reused array and copied out at their exact count
  const tokens = scratchTokens;
  let count = 0;
  const problems = scratchProblems;
  const n = line.length;
  let i = 0;
  let space = true;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === 32 || c === 9 || c === 13 || c === 12 || c === 11) {
      i++;
      space = true;
      continue;
    }
    if (c === 59) break; // ';' comment
    const start = i;
    const col = i + 1;
    if ((c >= 48 && c <= 57) || (c === 36 && i + 1 < n && line.charCodeAt(i + 1) >= 48 && line.charCodeAt(i + 1) <= 57)) {
      // a number (or $0FF style hexadecimal) by nasm's scanner rules; '.', 'p' or a decimal
      // exponent make it a float constant
      scanNumber(line, i, numberScan);
      i = numberScan.end;
      const text = line.slice(start, i);
      if (numberScan.float) {
        tokens[count++] = mk('float', text, col, i + 1, space, undefined, undefined);
      } else {
        const value = parseNumber(text);
        if (value === undefined) problems.push({ message: `invalid number '${text}'`, col, end: i + 1 });
        tokens[count++] = mk('num', text, col, i + 1, space, value ?? 0n, undefined);
      }
      space = false;
      continue;
    }
    if (c === 63 && (i + 1 >= n || !isIdentPart(line.charCodeAt(i + 1)))) {
      // a lone '?' is the conditional operator or DB's "uninitialised", not an identifier
      i++;
      tokens[count++] = mk('op', '?', col, i + 1, space, undefined, undefined);
      space = false;
      continue;
    }
    if (isIdentStart(c) || (c === 36 && i + 1 < n && isIdentStart(line.charCodeAt(i + 1)))) {
      i++;
      while (i < n && isIdentPart(line.charCodeAt(i))) i++;
      tokens[count++] = mk('id', line.slice(start, i), col, i + 1, space, undefined, undefined);
      space = false;
      continue;
    }
    if (c === 39 || c === 34 || c === 96) {
      const q = line[i];
      let j = i + 1;
      while (j < n && line[j] !== q) {
        if (q === '`' && line[j] === '\\') j++;
        j++;
      }
      if (j >= n) {
        problems.push({ message: `unterminated string: missing closing ${q}`, col, end: n + 1 });
        const body = line.slice(i + 1);
        tokens[count++] = mk('str', line.slice(start), col, n + 1, space, undefined, q === '`' ? decodeBackquote(body, problems, col) : encodePlain(body));
        i = n;
        break;
      }
      const body = line.slice(i + 1, j);
      i = j + 1;
      tokens[count++] = mk('str', line.slice(start, i), col, i + 1, space, undefined, q === '`' ? decodeBackquote(body, problems, col) : encodePlain(body));
      space = false;
      continue;
    }
    if (c === 37) {
      // '%': preprocessor token or the modulo operator(s)
      const rest = line.slice(i + 1);
      const m = /^(%[A-Za-z_.?@$][A-Za-z0-9_.?@$#~]*|[A-Za-z_][A-Za-z0-9_]*|[0-9]+|\+|-[0-9]+|\$+[A-Za-z_.?@][A-Za-z0-9_.?@$#~]*|\?\??)/.exec(rest);
      if (m) {
        i += 1 + m[0].length;
        tokens[count++] = mk('pp', line.slice(start, i), col, i + 1, space, undefined, undefined);
        space = false;
        continue;
      }
    }
    let op = line[i];
    if (i + 1 < n && TWO_START.has(c)) {
      const three = line.substr(i, 3);
      if (THREE_CHAR_OPS.includes(three)) op = three;
      else {
        const two = line.substr(i, 2);
        if (TWO_CHAR_OPS.includes(two)) op = two;
      }
    }
    if (op.length === 1 && !'+-*/%&|^~!=<>()[],:?${}#'.includes(op)) {
      const cp = line.codePointAt(i) ?? 0;
      const chLen = cp > 0xffff ? 2 : 1;
      problems.push({ message: `unexpected character '${line.substr(i, chLen)}'`, col, end: col + chLen });
      i += chLen;
      space = true;
      continue;
    }
    i += op.length;
    tokens[count++] = mk('op', op, col, i + 1, space, undefined, undefined);
    space = false;
  }
  // most lines have no problem: they share one empty list (never changed)
  const out = tokens.slice(0, count);
  // a huge line does not keep its tokens in the scratch array
  if (count > 1024) tokens.length = 0;
  return { tokens: out, problems: problems.length === 0 ? NO_PROBLEMS : problems.splice(0) };
}

/** Joins tokens back into source text (one space where the source had whitespace). */
export function joinTokens(tokens: readonly Token[]): string {
  let s = '';
  for (let i = 0; i < tokens.length; i++) {
    if (i > 0 && tokens[i].space) s += ' ';
    s += tokens[i].text;
  }
  return s;
}
