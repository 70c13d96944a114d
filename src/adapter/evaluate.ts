// Expression evaluation for watch, hover and the debug console: registers, labels, numbers in NASM
// notations, arithmetic, and `byte|word|dword|qword [expr]` memory reads. Values are bigint (the adapter
// is not the hot path). Knows nothing of DAP or the machine: it reads through an EvalContext.
// Imports nothing of ours.

/** A segment register an operand can name. */
export type SegmentName = 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss';

/**
 * What an expression can read. Memory addresses are linear. Without `addressing`, `[expr]` is a
 * linear address; with it, `[expr]` is an offset in a segment as the CPU forms it.
 */
export interface EvalContext {
  /** A register by any name of any width (rax, eax, ax, al, ah, r8d, rip, rflags, cs, cr0, dr7, ...). */
  register(name: string): bigint | undefined;
  /**
   * A symbol's linear address (or an EQU constant's value), the element size of its directive (0 when
   * unknown), and `offset`: its value in the program (the offset in its segment; equal to the
   * address in flat programs).
   */
  symbol(name: string): { address: number; elementSize: number; size: number; kind: string; offset?: number } | undefined;
  /** Little-endian read of `size` bytes; undefined when the memory is not mapped. */
  readMemory(address: number, size: number): bigint | undefined;
  /** Segmented addressing: the code size now and each segment register's base. */
  addressing?: { mode: 16 | 32 | 64; segmentBase(segment: SegmentName): number };
}

/** An evaluated expression. */
export type EvalResult =
  | {
      ok: true;
      value: bigint;
      /** Width in bytes when known (register width, memory operand size). */
      size?: number;
      /** Linear address for memory-backed values (`dword [x]`, a bare data label). */
      address?: number;
      /** What it was: a register name, a label, or an expression. */
      kind: 'register' | 'memory' | 'label' | 'number' | 'expression';
    }
  | { ok: false; message: string };

type Token =
  | { t: 'num'; v: bigint }
  | { t: 'id'; v: string }
  | { t: 'op'; v: string };

const SIZE_WORDS: Record<string, number> = { byte: 1, word: 2, dword: 4, qword: 8 };
const SEGMENT_NAMES: ReadonlySet<string> = new Set(['cs', 'ds', 'es', 'fs', 'gs', 'ss']);
/** Base registers whose default segment is SS (SDM Vol. 1 §3.7.4.1). */
const STACK_BASES: ReadonlySet<string> = new Set(['bp', 'ebp', 'sp', 'esp', 'rbp', 'rsp']);
const REGS16: ReadonlySet<string> = new Set(['bx', 'si', 'di', 'bp', 'sp']);

function tokenize(text: string): Token[] | string {
  const out: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (['<<', '>>', '==', '!=', '<=', '>=', '&&', '||'].includes(two)) {
      out.push({ t: 'op', v: two });
      i += 2;
      continue;
    }
    if ('+-*/%&|^~!<>()[]:'.includes(c)) {
      out.push({ t: 'op', v: c });
      i++;
      continue;
    }
    if (/[0-9$]/.test(c) && !(c === '$' && /[A-Za-z_.]/.test(text[i + 1] ?? ''))) {
      const m = /^(0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oOqQ][0-7_]+|\$[0-9a-fA-F_]+|[0-9][0-9a-fA-F_]*[hH]|[01_]+[bByY]|[0-7_]+[qQoO]|[0-9][0-9_]*[dDtT]?)(?![A-Za-z0-9_])/.exec(text.slice(i));
      if (!m) return `bad number at column ${i + 1}`;
      const parsed = parseNumber(m[1]);
      if (parsed === undefined) return `bad number '${m[1]}'`;
      out.push({ t: 'num', v: parsed });
      i += m[1].length;
      continue;
    }
    if (c === "'" || c === '"' || c === '`') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) return 'unterminated character constant';
      const bytes = new TextEncoder().encode(text.slice(i + 1, end));
      if (bytes.length > 8) return 'character constant longer than 8 bytes';
      let v = 0n;
      for (let k = bytes.length - 1; k >= 0; k--) v = (v << 8n) | BigInt(bytes[k]);
      out.push({ t: 'num', v });
      i = end + 1;
      continue;
    }
    const id = /^[A-Za-z_.?@$][A-Za-z0-9_.?@$#~]*/.exec(text.slice(i));
    if (id) {
      out.push({ t: 'id', v: id[0] });
      i += id[0].length;
      continue;
    }
    return `unexpected '${c}' at column ${i + 1}`;
  }
  return out;
}

/** NASM number notations: 0x1f, 1fh, $1f, 0b101, 101b, 0o17, 17q, 17o, 42, 42d. */
export function parseNumber(text: string): bigint | undefined {
  const s = text.replace(/_/g, '');
  try {
    if (/^0[xX][0-9a-fA-F]+$/.test(s)) return BigInt(s);
    if (/^\$[0-9a-fA-F]+$/.test(s)) return BigInt('0x' + s.slice(1));
    if (/^[0-9][0-9a-fA-F]*[hH]$/.test(s)) return BigInt('0x' + s.slice(0, -1));
    if (/^0[bB][01]+$/.test(s)) return BigInt(s);
    if (/^[01]+[bByY]$/.test(s)) return BigInt('0b' + s.slice(0, -1));
    if (/^0[oOqQ][0-7]+$/.test(s)) return BigInt('0o' + s.slice(2));
    if (/^[0-7]+[qQoO]$/.test(s)) return BigInt('0o' + s.slice(0, -1));
    if (/^[0-9]+[dDtT]?$/.test(s)) return BigInt(s.replace(/[dDtT]$/, ''));
  } catch {
    return undefined;
  }
  return undefined;
}

const MASK64 = (1n << 64n) - 1n;

class Parser {
  private pos = 0;
  /** Set when the whole expression is one register / label / memory operand. */
  single: EvalResult | null = null;
  /** Registers named inside the `[...]` being parsed (null outside brackets). */
  private bracketRegs: string[] | null = null;

  constructor(
    private readonly tokens: Token[],
    private readonly ctx: EvalContext,
  ) {}

  parse(): EvalResult {
    const r = this.binary(0);
    if (!r.ok) return r;
    if (this.pos < this.tokens.length) return { ok: false, message: `unexpected '${this.describe(this.tokens[this.pos])}'` };
    return r;
  }

  private describe(t: Token): string {
    return t.t === 'num' ? t.v.toString() : t.v;
  }

  private peekOp(): string | undefined {
    const t = this.tokens[this.pos];
    return t && t.t === 'op' ? t.v : undefined;
  }

  // C precedence, as in NASM's expressions plus the comparisons a condition needs.
  private static readonly PRECEDENCE: Record<string, number> = {
    '||': 1, '&&': 2, '|': 3, '^': 4, '&': 5, '==': 6, '!=': 6, '<': 7, '>': 7, '<=': 7, '>=': 7, '<<': 8, '>>': 8, '+': 9, '-': 9, '*': 10, '/': 10, '%': 10,
  };

  private binary(minPrec: number): EvalResult {
    let left = this.unary();
    if (!left.ok) return left;
    for (;;) {
      const op = this.peekOp();
      const prec = op !== undefined ? Parser.PRECEDENCE[op] : undefined;
      if (op === undefined || prec === undefined || prec < minPrec) return left;
      this.pos++;
      const right = this.binary(prec + 1);
      if (!right.ok) return right;
      const v = applyBinary(op, left.value, right.value);
      if (typeof v === 'string') return { ok: false, message: v };
      left = { ok: true, value: v, kind: 'expression' };
    }
  }

  private unary(): EvalResult {
    const op = this.peekOp();
    if (op === '-' || op === '+' || op === '~' || op === '!') {
      this.pos++;
      const r = this.unary();
      if (!r.ok) return r;
      const v = op === '-' ? -r.value & MASK64 : op === '~' ? ~r.value & MASK64 : op === '!' ? (r.value === 0n ? 1n : 0n) : r.value;
      return { ok: true, value: v, kind: 'expression' };
    }
    return this.primary();
  }

  private primary(): EvalResult {
    const t = this.tokens[this.pos];
    if (!t) return { ok: false, message: 'expression ends too early' };
    if (t.t === 'num') {
      this.pos++;
      return { ok: true, value: t.v, kind: 'number' };
    }
    if (t.t === 'op' && t.v === '(') {
      this.pos++;
      const r = this.binary(0);
      if (!r.ok) return r;
      if (this.peekOp() !== ')') return { ok: false, message: "missing ')'" };
      this.pos++;
      return r;
    }
    if (t.t === 'op' && t.v === '[') return this.memory(0, undefined);
    if (t.t === 'id') {
      const lower = t.v.toLowerCase();
      const size = SIZE_WORDS[lower];
      if (size !== undefined) {
        this.pos++;
        const override = this.segmentPrefix();
        if (this.peekOp() !== '[') return { ok: false, message: `'${t.v}' must be followed by [address]` };
        return this.memory(size, override);
      }
      const override = this.segmentPrefix();
      if (override !== undefined) {
        if (this.peekOp() !== '[') return { ok: false, message: `'${override}:' must be followed by [address]` };
        return this.memory(0, override);
      }
      this.pos++;
      const reg = this.ctx.register(lower);
      if (reg !== undefined) {
        this.bracketRegs?.push(lower);
        return { ok: true, value: reg, kind: 'register' };
      }
      const sym = this.ctx.symbol(t.v);
      if (sym) {
        // Inside brackets with segmented addressing a label is its offset, as in the instruction.
        if (this.bracketRegs !== null && this.ctx.addressing && sym.offset !== undefined) return { ok: true, value: BigInt(sym.offset), kind: 'label' };
        return { ok: true, value: BigInt(sym.address), kind: 'label', address: sym.address };
      }
      return { ok: false, message: `'${t.v}' is not a register or a label` };
    }
    return { ok: false, message: `unexpected '${t.v}'` };
  }

  /** `es:` before `[`: consumes it and returns the segment register, else undefined. */
  private segmentPrefix(): SegmentName | undefined {
    const t = this.tokens[this.pos];
    const colon = this.tokens[this.pos + 1];
    if (!t || t.t !== 'id' || !SEGMENT_NAMES.has(t.v.toLowerCase()) || !colon || colon.t !== 'op' || colon.v !== ':') return undefined;
    this.pos += 2;
    return t.v.toLowerCase() as SegmentName;
  }

  /** `[expr]` or `[seg:expr]` with an explicit size (0: take the size from a label's directive, else dword). */
  private memory(size: number, prefixOverride: SegmentName | undefined): EvalResult {
    this.pos++; // '['
    const outer = this.bracketRegs;
    const regs: string[] = [];
    this.bracketRegs = regs;
    try {
      const override = this.segmentPrefix() ?? prefixOverride;
      const start = this.pos;
      const inner = this.binary(0);
      if (!inner.ok) return inner;
      return this.finishMemory(inner.value, size, start, override, regs);
    } finally {
      this.bracketRegs = outer;
    }
  }

  /**
   * The linear address of an offset as the CPU forms it: the offset wraps at the address size
   * (16-bit registers in 16/32-bit code: 64 KiB), and the segment base is added — DS by default, SS
   * with a BP/SP base — except in 64-bit mode, where only FS and GS have one (SDM Vol. 3 §3.4.4).
   */
  private linear(offset: bigint, override: SegmentName | undefined, regs: string[]): bigint {
    const a = this.ctx.addressing;
    if (!a) return offset;
    if (a.mode === 64) {
      const off = offset & MASK64;
      return override === 'fs' || override === 'gs' ? (off + BigInt(a.segmentBase(override))) & MASK64 : off;
    }
    const wide = regs.some((r) => r.startsWith('e'));
    const narrow = regs.some((r) => REGS16.has(r));
    const sixteen = a.mode === 16 ? !wide : narrow && !wide;
    const off = offset & (sixteen ? 0xffffn : 0xffffffffn);
    const segment = override ?? (regs.length > 0 && STACK_BASES.has(regs[0]) ? 'ss' : 'ds');
    return (off + BigInt(a.segmentBase(segment))) & 0xffffffffn;
  }

  private finishMemory(offsetValue: bigint, size: number, start: number, override: SegmentName | undefined, regs: string[]): EvalResult {
    if (this.peekOp() !== ']') return { ok: false, message: "missing ']'" };
    this.pos++;
    let width = size;
    if (width === 0) {
      const first = this.tokens[start];
      const sym = first && first.t === 'id' ? this.ctx.symbol(first.v) : undefined;
      width = sym && [1, 2, 4, 8].includes(sym.elementSize) ? sym.elementSize : 4;
    }
    const addressValue = this.linear(offsetValue, override, regs);
    if (addressValue > BigInt(Number.MAX_SAFE_INTEGER)) return { ok: false, message: `address 0x${addressValue.toString(16)} is out of range` };
    const address = Number(addressValue);
    const v = this.ctx.readMemory(address, width);
    if (v === undefined) return { ok: false, message: `cannot read ${width} bytes at 0x${address.toString(16)}` };
    return { ok: true, value: v, size: width, address, kind: 'memory' };
  }
}

function applyBinary(op: string, a: bigint, b: bigint): bigint | string {
  switch (op) {
    case '+':
      return (a + b) & MASK64;
    case '-':
      return (a - b) & MASK64;
    case '*':
      return (a * b) & MASK64;
    case '/':
      return b === 0n ? 'division by zero' : a / b;
    case '%':
      return b === 0n ? 'division by zero' : a % b;
    case '&':
      return a & b;
    case '|':
      return a | b;
    case '^':
      return a ^ b;
    case '<<':
      return (a << (b & 63n)) & MASK64;
    case '>>':
      return a >> (b & 63n);
    case '==':
      return a === b ? 1n : 0n;
    case '!=':
      return a !== b ? 1n : 0n;
    case '<':
      return a < b ? 1n : 0n;
    case '>':
      return a > b ? 1n : 0n;
    case '<=':
      return a <= b ? 1n : 0n;
    case '>=':
      return a >= b ? 1n : 0n;
    case '&&':
      return a !== 0n && b !== 0n ? 1n : 0n;
    case '||':
      return a !== 0n || b !== 0n ? 1n : 0n;
  }
  return `unknown operator '${op}'`;
}

/**
 * Evaluate an expression. A bare data label evaluates to the value stored there (typed by its
 * directive), like a variable; inside arithmetic or brackets a label is its address (NASM).
 */
export function evaluateExpression(text: string, ctx: EvalContext): EvalResult {
  if (typeof text !== 'string' || text.trim() === '') return { ok: false, message: 'empty expression' };
  if (text.length > 1000) return { ok: false, message: 'expression too long' };
  const tokens = tokenize(text);
  if (typeof tokens === 'string') return { ok: false, message: tokens };
  if (tokens.length === 1 && tokens[0].t === 'id') {
    const sym = ctx.symbol(tokens[0].v);
    if (sym && ctx.register(tokens[0].v.toLowerCase()) === undefined && sym.kind === 'data') {
      const width = [1, 2, 4, 8].includes(sym.elementSize) ? sym.elementSize : sym.size >= 1 && sym.size <= 8 ? sym.size : 4;
      const v = ctx.readMemory(sym.address, width);
      if (v === undefined) return { ok: false, message: `cannot read ${tokens[0].v} at 0x${sym.address.toString(16)}` };
      return { ok: true, value: v, size: width, address: sym.address, kind: 'memory' };
    }
  }
  return new Parser(tokens, ctx).parse();
}

/** Format a value in hex (0x…, zero-padded to its size when known) or decimal. */
export function formatValue(value: bigint, size: number | undefined, hex: boolean): string {
  if (!hex) return value.toString(10);
  const digits = size ? size * 2 : 0;
  return '0x' + value.toString(16).padStart(digits, '0');
}
