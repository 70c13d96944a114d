// NASM expressions: tokens → an expression tree (NASM §3.5 precedence), and evaluation of a tree
// against the symbols of the current pass. Values carry the section they are relative to, so the
// ELF-style layouts can tell absolute numbers from relocatable addresses as nasm does.
// Imports only ./lexer (types).
import type { Token } from './lexer';

/** An expression tree node. */
export type Expr =
  | { k: 'num'; v: bigint }
  | { k: 'sym'; name: string; tok: Token }
  | { k: 'reg'; name: string; tok: Token }
  | { k: 'here' }
  | { k: 'base' }
  | { k: 'un'; op: string; a: Expr }
  | { k: 'bin'; op: string; a: Expr; b: Expr; tok?: Token }
  | { k: 'cond'; c: Expr; a: Expr; b: Expr };

/** A value: a 64-bit number relative to section `sect` (-1 = absolute); `unknown` while a
 *  symbol it uses is not yet defined (a forward reference in an early pass). */
export interface Value {
  v: bigint;
  sect: number;
  unknown: boolean;
}

/** What the evaluator asks the assembler. */
export interface EvalContext {
  /** A symbol's value, or undefined when not (yet) defined. */
  lookup(name: string, tok: Token): Value | undefined;
  /** `$` and `$$`. */
  here(): Value;
  base(): Value;
  /** Report an evaluation error (division by zero, register in a numeric expression). */
  error(message: string, tok?: Token): void;
}

export type ParseExprResult = { ok: true; expr: Expr; next: number } | { ok: false; message: string; tok?: Token };

const MASK64 = (1n << 64n) - 1n;

/** Wraps to a signed 64-bit value, as NASM's arithmetic does. */
export function wrap64(v: bigint): bigint {
  return BigInt.asIntN(64, v);
}

/** The number a string constant denotes: its bytes little-endian (NASM §3.4.4). */
export function stringToNumber(bytes: string): bigint {
  let v = 0n;
  const n = Math.min(bytes.length, 8);
  for (let i = n - 1; i >= 0; i--) v = (v << 8n) | BigInt(bytes.charCodeAt(i) & 0xff);
  return wrap64(v);
}

/** Parses an expression from tokens[start]; stops before ',' ']' ':' or any token it cannot use. */
export class ExprParser {
  private i = 0;
  constructor(
    private toks: readonly Token[],
    private readonly isRegister: (lowerName: string) => boolean,
    private readonly qualify: (name: string) => string,
  ) {}

  /** Parses from `tokens[start]` with this parser's register test and qualifier (one parser can
   *  serve every line). */
  parseTokens(tokens: readonly Token[], start: number): ParseExprResult {
    this.toks = tokens;
    return this.parse(start);
  }

  parse(start: number): ParseExprResult {
    this.i = start;
    try {
      const expr = this.cond();
      return { ok: true, expr, next: this.i };
    } catch (e) {
      if (e instanceof ExprError) return { ok: false, message: e.message, tok: e.tok };
      throw e;
    }
  }

  private peek(): Token | undefined {
    return this.toks[this.i];
  }

  private isOp(op: string): boolean {
    const t = this.toks[this.i];
    return t !== undefined && t.kind === 'op' && t.text === op;
  }

  private cond(): Expr {
    const c = this.binary(1);
    if (this.isOp('?')) {
      this.i++;
      const a = this.cond();
      if (!this.isOp(':')) throw new ExprError("expected ':' in a ?: conditional expression", this.peek());
      this.i++;
      const b = this.cond();
      return { k: 'cond', c, a, b };
    }
    return c;
  }

  /** Binding strength of the binary operators (NASM §3.5: || lowest … * / // % %% highest). */
  private static readonly PRECEDENCE = new Map<string, number>(
    Object.entries({
      '||': 1, '^^': 2, '&&': 3,
      '=': 4, '==': 4, '<>': 4, '!=': 4, '<': 4, '<=': 4, '>': 4, '>=': 4, '<=>': 4,
      '|': 5, '^': 6, '&': 7, '<<': 8, '>>': 8, '<<<': 8, '>>>': 8, '+': 9, '-': 9,
      '*': 10, '/': 10, '//': 10, '%': 10, '%%': 10,
    }),
  );

  /** Precedence climbing: parses operators binding at least as tightly as `min`. */
  private binary(min: number): Expr {
    let a = this.unary();
    for (;;) {
      const t = this.toks[this.i];
      if (t && t.kind === 'id' && t.text.toLowerCase() === 'wrt') {
        throw new ExprError(
          "WRT is not available here: it asks an object-file format (nasm -f obj, or ELF's ..got/..plt) for a relocation relative to another segment or section, and this assembler writes complete flat or static programs; write the address without WRT",
          t,
        );
      }
      if (!t || (t.kind !== 'op' && !(t.kind === 'pp' && t.text === '%%'))) break;
      const prec = ExprParser.PRECEDENCE.get(t.text);
      if (prec === undefined || prec < min) break;
      this.i++;
      const b = this.binary(prec + 1);
      a = { k: 'bin', op: t.text, a, b, tok: t };
    }
    return a;
  }

  private unary(): Expr {
    const t = this.peek();
    if (!t) throw new ExprError('expected an expression', this.toks[this.toks.length - 1]);
    if (t.kind === 'op' && (t.text === '-' || t.text === '+' || t.text === '~' || t.text === '!')) {
      this.i++;
      return { k: 'un', op: t.text, a: this.unary() };
    }
    if (t.kind === 'id' && t.text.toLowerCase() === 'seg') {
      const n = this.toks[this.i + 1];
      if (n && (n.kind === 'id' || n.kind === 'num' || (n.kind === 'op' && (n.text === '(' || n.text === '$')))) {
        throw new ExprError(
          "SEG is not available here: a flat binary or an ELF program has no segment base to refer to (nasm says the same for -f bin and -f elf; only segmented formats such as -f obj have one); write the segment value as a number",
          t,
        );
      }
    }
    return this.primary();
  }

  private primary(): Expr {
    const t = this.peek();
    if (!t) throw new ExprError('expected an expression', this.toks[this.toks.length - 1]);
    this.i++;
    switch (t.kind) {
      case 'num':
        return { k: 'num', v: wrap64(t.value ?? 0n) };
      case 'str':
        return { k: 'num', v: stringToNumber(t.bytes ?? '') };
      case 'float':
        throw new ExprError(`floating-point constant '${t.text}' is only allowed in DD, DQ and DT`, t);
      case 'id': {
        const lower = t.text.toLowerCase();
        if (this.isRegister(lower)) return { k: 'reg', name: lower, tok: t };
        const name = t.text.startsWith('$') ? t.text.slice(1) : t.text;
        return { k: 'sym', name: this.qualify(name), tok: t };
      }
      case 'op':
        if (t.text === '(') {
          const e = this.cond();
          if (!this.isOp(')')) throw new ExprError("expected ')'", this.peek() ?? t);
          this.i++;
          return e;
        }
        if (t.text === '$') return { k: 'here' };
        if (t.text === '$$') return { k: 'base' };
        throw new ExprError(`expected an expression, found '${t.text}'`, t);
      default:
        throw new ExprError(`expected an expression, found '${t.text}'`, t);
    }
  }
}

class ExprError extends Error {
  constructor(
    message: string,
    readonly tok: Token | undefined,
  ) {
    super(message);
  }
}

const ABS_ZERO: Value = { v: 0n, sect: -1, unknown: false };

/** Evaluates a tree to a scalar value. Registers are an error here (use evalAddress for []). */
export function evaluate(e: Expr, ctx: EvalContext): Value {
  switch (e.k) {
    case 'num':
      return { v: e.v, sect: -1, unknown: false };
    case 'sym': {
      const v = ctx.lookup(e.name, e.tok);
      return v ?? { v: 0n, sect: -1, unknown: true };
    }
    case 'reg':
      ctx.error(`register '${e.name}' cannot be used in a numeric expression here`, e.tok);
      return ABS_ZERO;
    case 'here':
      return ctx.here();
    case 'base':
      return ctx.base();
    case 'un': {
      const a = evaluate(e.a, ctx);
      const r = applyUnary(e.op, a.v);
      return { v: r, sect: e.op === '+' ? a.sect : -1, unknown: a.unknown };
    }
    case 'bin': {
      if (e.op === '&&' || e.op === '||') {
        const a = evaluate(e.a, ctx);
        const b = evaluate(e.b, ctx);
        const r = e.op === '&&' ? a.v !== 0n && b.v !== 0n : a.v !== 0n || b.v !== 0n;
        return { v: r ? 1n : 0n, sect: -1, unknown: a.unknown || b.unknown };
      }
      const a = evaluate(e.a, ctx);
      const b = evaluate(e.b, ctx);
      return combine(e.op, a, b, ctx, e.tok);
    }
    case 'cond': {
      const c = evaluate(e.c, ctx);
      const r = c.v !== 0n ? evaluate(e.a, ctx) : evaluate(e.b, ctx);
      return { v: r.v, sect: r.sect, unknown: r.unknown || c.unknown };
    }
  }
}

function applyUnary(op: string, v: bigint): bigint {
  switch (op) {
    case '-':
      return wrap64(-v);
    case '~':
      return wrap64(~v);
    case '!':
      return v === 0n ? 1n : 0n;
    default:
      return v;
  }
}

function combine(op: string, a: Value, b: Value, ctx: EvalContext, tok?: Token): Value {
  const unknown = a.unknown || b.unknown;
  let sect = -1;
  if (op === '+') sect = a.sect >= 0 ? a.sect : b.sect;
  else if (op === '-') sect = a.sect >= 0 && a.sect !== b.sect ? a.sect : -1;
  const x = a.v;
  const y = b.v;
  let r: bigint;
  switch (op) {
    case '+':
      r = x + y;
      break;
    case '-':
      r = x - y;
      break;
    case '*':
      r = x * y;
      break;
    case '/':
    case '%':
      if (y === 0n) {
        if (!unknown) ctx.error('division by zero', tok);
        return { v: 0n, sect: -1, unknown };
      }
      r = op === '/' ? (x & MASK64) / (y & MASK64) : (x & MASK64) % (y & MASK64);
      break;
    case '//':
    case '%%':
      if (y === 0n) {
        if (!unknown) ctx.error('division by zero', tok);
        return { v: 0n, sect: -1, unknown };
      }
      r = op === '//' ? x / y : x % y;
      break;
    case '<<':
    case '<<<':
      r = y >= 64n || y < 0n ? 0n : x << y;
      break;
    case '>>':
      r = y >= 64n || y < 0n ? 0n : (x & MASK64) >> y;
      break;
    case '>>>':
      r = y >= 64n || y < 0n ? (x < 0n ? -1n : 0n) : x >> y;
      break;
    case '&':
      r = x & y;
      break;
    case '|':
      r = x | y;
      break;
    case '^':
      r = x ^ y;
      break;
    case '^^':
      r = (x !== 0n) !== (y !== 0n) ? 1n : 0n;
      break;
    case '=':
    case '==':
      r = x === y ? 1n : 0n;
      break;
    case '!=':
    case '<>':
      r = x !== y ? 1n : 0n;
      break;
    case '<':
      r = x < y ? 1n : 0n;
      break;
    case '<=':
      r = x <= y ? 1n : 0n;
      break;
    case '>':
      r = x > y ? 1n : 0n;
      break;
    case '>=':
      r = x >= y ? 1n : 0n;
      break;
    case '<=>':
      // nasm 2.16 yields 1 for greater and 0 otherwise (its "less" result is lost); we match its bytes
      r = x > y ? 1n : 0n;
      break;
    default:
      r = 0n;
  }
  return { v: wrap64(r), sect, unknown };
}

/** A memory address decomposed: registers with their multipliers and the displacement. */
export interface AddressForm {
  regs: { name: string; scale: number; tok: Token }[];
  disp: Value;
  /** true when the expression had any non-register part (a displacement was written). */
  hasDisp: boolean;
}

/** Decomposes `[...]` contents into registers × scale + displacement (NASM §3.3). */
export function evalAddress(e: Expr, ctx: EvalContext): AddressForm | string {
  const form: AddressForm = { regs: [], disp: ABS_ZERO, hasDisp: false };
  const disp = walkAddress(e, 1n, ctx, form);
  if (typeof disp === 'string') return disp;
  form.disp = disp;
  let zero = false;
  for (const r of form.regs) if (r.scale === 0) zero = true;
  if (zero) form.regs = form.regs.filter((r) => r.scale !== 0);
  return form;
}

function walkAddress(n: Expr, mult: bigint, ctx: EvalContext, form: AddressForm): Value | string {
  if (n.k === 'reg') {
    let existing: AddressForm['regs'][number] | undefined;
    for (const r of form.regs) if (r.name === n.name) existing = r;
    if (existing) existing.scale += Number(mult);
    else form.regs.push({ name: n.name, scale: Number(mult), tok: n.tok });
    return ABS_ZERO;
  }
  if (n.k === 'bin' && (n.op === '+' || n.op === '-')) {
    const a = walkAddress(n.a, mult, ctx, form);
    if (typeof a === 'string') return a;
    const b = walkAddress(n.b, n.op === '-' ? -mult : mult, ctx, form);
    if (typeof b === 'string') return b;
    return combine('+', a, b, ctx);
  }
  if (n.k === 'bin' && n.op === '*' && (containsReg(n.a) || containsReg(n.b))) {
    const regSide = containsReg(n.a) ? n.a : n.b;
    const numSide = regSide === n.a ? n.b : n.a;
    if (containsReg(numSide)) return 'a register can only be multiplied by a constant';
    const k = evaluate(numSide, ctx);
    const inner = walkAddress(regSide, mult * k.v, ctx, form);
    if (typeof inner === 'string') return inner;
    return { v: inner.v, sect: -1, unknown: inner.unknown || k.unknown };
  }
  if (n.k === 'un' && n.op === '-' && containsReg(n.a)) return walkAddress(n.a, -mult, ctx, form);
  if (n.k === 'un' && n.op === '+') return walkAddress(n.a, mult, ctx, form);
  if (containsReg(n)) return 'registers in an address can only be added, subtracted or multiplied by a constant';
  form.hasDisp = true;
  const v = evaluate(n, ctx);
  return mult === 1n ? v : { v: wrap64(v.v * mult), sect: -1, unknown: v.unknown };
}

/** true when the tree names a register anywhere. */
export function containsReg(e: Expr): boolean {
  switch (e.k) {
    case 'reg':
      return true;
    case 'un':
      return containsReg(e.a);
    case 'bin':
      return containsReg(e.a) || containsReg(e.b);
    case 'cond':
      return containsReg(e.c) || containsReg(e.a) || containsReg(e.b);
    default:
      return false;
  }
}

/** true when the tree uses `$` (its value differs for each TIMES repetition). */
export function usesHere(e: Expr): boolean {
  switch (e.k) {
    case 'here':
      return true;
    case 'un':
      return usesHere(e.a);
    case 'bin':
      return usesHere(e.a) || usesHere(e.b);
    case 'cond':
      return usesHere(e.c) || usesHere(e.a) || usesHere(e.b);
    default:
      return false;
  }
}

/** true when the tree uses `$`, `$$` or a symbol (its value may change between passes). */
export function isConstantTree(e: Expr): boolean {
  switch (e.k) {
    case 'num':
      return true;
    case 'un':
      return isConstantTree(e.a);
    case 'bin':
      return isConstantTree(e.a) && isConstantTree(e.b);
    case 'cond':
      return isConstantTree(e.c) && isConstantTree(e.a) && isConstantTree(e.b);
    default:
      return false;
  }
}
