// Parse-time encoding: an instruction whose bytes cannot change between passes (constant operands,
// no branch target, no label, BITS known from the format or a constant BITS directive) is encoded
// as soon as it is parsed and its syntax tree is replaced by the bytes. The passes then only copy
// the bytes, and the tree dies young instead of living through every pass (most of the GC cost).
// Identical instruction texts are encoded once. Imports ./statements, ./operandRules, ./isaBridge,
// ./expressions, ./seenFilter, ./lexer (types).
import * as expressionsModule from './expressions';
import type { EvalContext, Value } from './expressions';
import * as operandRulesModule from './operandRules';
import * as isaBridgeModule from './isaBridge';
import type { ResolvedOperand } from './isaBridge';
import type { Statement, StatementBody } from './statements';
import type { Token } from './lexer';
import * as seenFilterModule from './seenFilter';

// hot code binds imported functions once (under tsx an imported binding is a getter call per use)
const { evaluate } = expressionsModule;
const { fixedEncoding, resolveMemoryOperand } = operandRulesModule;
const { encodeInstructionOnce } = isaBridgeModule;
const { FNV_BASIS, fnv1a, fnv1aUnit, SeenFilter } = seenFilterModule;

type Insn = Extract<StatementBody, { k: 'insn' }>;

/** Bytes of early-encoded instructions live in shared chunks (one typed array per instruction
 *  would cost more than the instruction's syntax tree). */
const CHUNK = 64 * 1024;
/** Distinct instruction texts remembered per assembly (a full memo keeps what it has). */
const MEMO_LIMIT = 8192;

/** Tracks BITS in source order and replaces fixed instructions by their bytes. */
export class EarlyEncoder {
  private chunk = new Uint8Array(CHUNK);
  private used = 0;
  /** BITS in effect at the next statement; undefined while it cannot be known before the passes. */
  private bits: 16 | 32 | 64 | undefined;
  /** Set once a BITS directive is not a plain constant: its value is only known in the passes. */
  private stopped = false;
  private failed = false;
  /** Encoded fixed instructions by BITS + text (see textKey). */
  private readonly memo = new Map<string, Extract<StatementBody, { k: 'code' }>>();
  /** A text is looked up in the memo only from its second sighting on: texts met once cost no key string. */
  private readonly seen = new SeenFilter();
  private readonly ctx: EvalContext = {
    // fixed statements use no symbol, `$` or `$$`; answering at all means the tree was not fixed
    lookup: () => {
      this.failed = true;
      return undefined;
    },
    here: () => this.zero(),
    base: () => this.zero(),
    error: () => {
      this.failed = true;
    },
  };

  /** What take() would do with a fixed instruction now: 0 when it leaves it to the passes (BITS not
   *  known before them), else the BITS it encodes for. Two statements parsed alike come out alike
   *  when this is the same. */
  get mode(): 0 | 16 | 32 | 64 {
    return this.stopped || this.bits === undefined ? 0 : this.bits;
  }

  /** `bits`: the format's default BITS when the format is known before parsing, else undefined. */
  constructor(bits: 16 | 32 | 64 | undefined) {
    this.bits = bits;
  }

  private zero(): Value {
    this.failed = true;
    return { v: 0n, sect: -1, unknown: false };
  }

  /** Looks at a statement as it is parsed (in source order), with the line's tokens; may replace
   *  its body by the bytes. */
  take(st: Statement, tokens: readonly Token[]): void {
    const b = st.body;
    if (b.k === 'bits') {
      const v = b.bits.k === 'num' ? b.bits.v : undefined;
      if (v === 16n || v === 32n || v === 64n) this.bits = Number(v) as 16 | 32 | 64;
      else this.stopped = true;
      return;
    }
    if (b.k !== 'insn' || this.stopped || this.bits === undefined || !fixedEncoding(b)) return;
    // the same instruction text in the same mode has the same bytes (a fixed instruction uses no
    // symbol, `$` or state other than BITS): point at the bytes already encoded
    const key = this.textKey(b, tokens, this.bits);
    const seen = key === undefined ? undefined : this.memo.get(key);
    if (seen !== undefined) {
      // the key holds the mnemonic's column, so the remembered body (its token included) says
      // exactly what this one would: share it, and the first token when that is the mnemonic
      if (st.firstTok === b.tok) st.firstTok = seen.tok;
      st.body = seen;
      return;
    }
    const bytes = this.encode(b, this.bits);
    if (!bytes) return;
    const n = bytes.length;
    if (this.used + n > CHUNK) {
      this.chunk = new Uint8Array(CHUNK);
      this.used = 0;
    }
    const chunk = this.chunk;
    const at = this.used;
    for (let i = 0; i < n; i++) chunk[at + i] = bytes[i];
    this.used += n;
    const code = { k: 'code' as const, chunk, at, len: n, tok: b.tok };
    st.body = code;
    if (key !== undefined && this.memo.size < MEMO_LIMIT) this.memo.set(key, code);
  }

  /** BITS, the prefix words, the mnemonic's column and the instruction's tokens from the mnemonic
   *  on, as one string (token texts separated by U+0001, so `1 0` and `10` differ); undefined when
   *  the mnemonic token is not among `tokens`, or when these tokens were (by their hash) not seen
   *  before. */
  private textKey(b: Insn, tokens: readonly Token[], bits: 16 | 32 | 64): string | undefined {
    let from = -1;
    for (let i = 0; i < tokens.length; i++) {
      if (tokens[i] === b.tok) {
        from = i;
        break;
      }
    }
    if (from < 0) return undefined;
    // BITS and the texts (a collision only means one key string built for nothing)
    let h = fnv1aUnit(FNV_BASIS, bits);
    for (let i = from; i < tokens.length; i++) h = fnv1aUnit(fnv1a(h, tokens[i].text), 1);
    if (!this.seen.testAndSet(h)) return undefined;
    let key = bits === 64 ? '64' : bits === 32 ? '32' : '16';
    for (let i = 0; i < b.prefixes.length; i++) key += ' ' + b.prefixes[i];
    key += ':' + b.tok.col;
    for (let i = from; i < tokens.length; i++) key += '\u0001' + tokens[i].text;
    return key;
  }

  private encode(b: Insn, bits: 16 | 32 | 64): Uint8Array | undefined {
    this.failed = false;
    const ops: ResolvedOperand[] = [];
    for (const o of b.operands) {
      switch (o.kind) {
        case 'reg':
          ops.push({ kind: 'reg', reg: o.reg, size: o.size });
          break;
        case 'imm': {
          const v = evaluate(o.expr, this.ctx);
          ops.push({ kind: 'imm', value: v.v, relocatable: false, size: o.size, strict: o.strict, jump: o.jump, otherSection: false });
          break;
        }
        case 'far':
          ops.push({ kind: 'far', seg: evaluate(o.seg, this.ctx).v, off: evaluate(o.off, this.ctx).v, size: o.size });
          break;
        case 'mem': {
          const m = resolveMemoryOperand(o, this.ctx, bits, false);
          if ('error' in m) return undefined;
          ops.push(m);
          break;
        }
      }
      if (this.failed) return undefined;
    }
    const r = encodeInstructionOnce({ mnemonic: b.mnemonic, prefixes: b.prefixes, operands: ops, bits, address: 0 });
    // a warning must be reported by the passes, at the line: leave such instructions to them
    return r.ok && !r.warning ? r.bytes : undefined;
  }
}
