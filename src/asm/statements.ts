// The parsed form of one source line: what the parser produces and the assembler passes walk.
// Statements keep expression trees (re-evaluated each pass) and the tokens needed for diagnostics.
// Imports only ./lexer and ./expressions (types).
import type { Token } from './lexer';
import type { Expr } from './expressions';

/** Where a statement came from (after preprocessing: macro lines carry the invocation line). */
export interface StatementOrigin {
  file: string;
  line: number;
  fromMacro: boolean;
}

/** An instruction operand as written. Sizes are in bytes (byte 1 … tword 10, oword 16). */
export type OperandAst =
  | { kind: 'reg'; reg: string; tok: Token; size?: number }
  | {
      kind: 'mem';
      addr: Expr | null;
      size?: number;
      /** Segment override written inside or before the brackets. */
      segment?: string;
      /** Explicit REL/ABS inside the brackets. */
      rel?: boolean;
      /** Displacement size from BYTE/WORD/DWORD/QWORD inside the brackets. */
      dispSize?: number;
      /** NOSPLIT keyword. */
      nosplit?: boolean;
      /** FAR/NEAR written before the brackets of an indirect jump or call. */
      jump?: 'short' | 'near' | 'far';
      tok: Token;
    }
  | { kind: 'imm'; expr: Expr; size?: number; strict?: boolean; jump?: 'short' | 'near' | 'far'; tok: Token }
  | { kind: 'far'; seg: Expr; off: Expr; size?: number; tok: Token };

/** One data item of DB/DW/DD/DQ/DT. */
export type DataItem =
  | { kind: 'expr'; expr: Expr; tok: Token }
  | { kind: 'string'; bytes: string; tok: Token }
  | { kind: 'float'; text: string; tok: Token }
  | { kind: 'uninit'; tok: Token };

/** A statement body (the label, if any, is kept beside it). */
export type StatementBody =
  | { k: 'none' }
  | { k: 'insn'; mnemonic: string; prefixes: string[]; operands: OperandAst[]; tok: Token }
  /** JMP/Jcc/CALL/LOOP… with one plain target expression (no prefix, size, STRICT or SHORT/NEAR/FAR
   *  keyword): the commonest address-dependent instruction, kept without an operand list.
   *  `opTok` is the operand's first token. */
  | { k: 'branch'; mnemonic: string; target: Expr; opTok: Token; tok: Token }
  /** An instruction already encoded at parse time (its bytes cannot change between passes). */
  | { k: 'code'; chunk: Uint8Array; at: number; len: number; tok: Token }
  | { k: 'data'; unit: number; items: DataItem[]; tok: Token }
  | { k: 'res'; unit: number; count: Expr; tok: Token }
  | { k: 'equ'; expr: Expr; tok: Token }
  | { k: 'incbin'; file: string; skip: Expr | null; len: Expr | null; tok: Token }
  | { k: 'bits'; bits: Expr; tok: Token }
  | { k: 'org'; addr: Expr; tok: Token }
  | { k: 'section'; name: string; attrs: { align?: Expr; kind?: 'progbits' | 'nobits'; exec?: boolean; write?: boolean; start?: Expr; vstart?: Expr; follows?: string }; tok: Token }
  | { k: 'align'; align: Expr; fill: 'nop' | 'zero' | 'res'; pad: DataItem | null; tok: Token }
  | { k: 'global'; names: Token[]; tok: Token }
  | { k: 'extern'; names: Token[]; tok: Token }
  | { k: 'absolute'; addr: Expr; tok: Token }
  | { k: 'struc'; name: Token; offset: Expr | null; tok: Token }
  | { k: 'endstruc'; tok: Token }
  | { k: 'istruc'; name: Token; tok: Token }
  | { k: 'at'; field: Expr; fieldTok: Token; body: StatementBody; tok: Token }
  | { k: 'iend'; tok: Token }
  | { k: 'default'; rel: boolean; tok: Token }
  | { k: 'cpu'; tok: Token }
  /** FLOAT DAZ/NODAZ/NEAR/UP/DOWN/ZERO/DEFAULT: how later float constants are rounded (NASM §7.11). */
  | { k: 'float'; words: Token[]; tok: Token }
  | { k: 'ignored'; tok: Token };

/** The rarer parts of a line: its label and TIMES prefix. */
interface StatementExtra {
  label: { name: string; tok: Token } | undefined;
  times: Expr | undefined;
  timesTok: Token | undefined;
}

/** A parsed line. It is its own origin (file, line, fromMacro kept inline: one object less per
 *  line). Statements live through every pass, so they are small: five fields, the label and TIMES
 *  (which most lines lack) in one optional object, the line number and fromMacro in one number. */
export class Statement implements StatementOrigin {
  /** line * 2 + (fromMacro ? 1 : 0). */
  private readonly place: number;
  private readonly extra: StatementExtra | undefined;

  constructor(
    public file: string,
    line: number,
    fromMacro: boolean,
    label: { name: string; tok: Token } | undefined,
    times: Expr | undefined,
    timesTok: Token | undefined,
    public body: StatementBody,
    /** The line's first token, for diagnostics about the whole line (may be another line's token
     *  with the same text and columns). */
    public firstTok: Token,
  ) {
    this.place = line * 2 + (fromMacro ? 1 : 0);
    this.extra = label !== undefined || times !== undefined ? { label, times, timesTok } : undefined;
  }

  /** The source line (for macro lines, the invocation's). */
  get line(): number {
    return Math.floor(this.place / 2);
  }

  /** true when the line came out of a multi-line macro expansion. */
  get fromMacro(): boolean {
    return this.place % 2 === 1;
  }

  /** The label defined on this line (fully qualified: `.x` becomes `parent.x`). */
  get label(): { name: string; tok: Token } | undefined {
    return this.extra?.label;
  }

  /** The TIMES count, when the line has one. */
  get times(): Expr | undefined {
    return this.extra?.times;
  }

  /** The TIMES word, for diagnostics about the count. */
  get timesTok(): Token | undefined {
    return this.extra?.timesTok;
  }

  /** Where the statement came from. */
  get origin(): StatementOrigin {
    return this;
  }
}
