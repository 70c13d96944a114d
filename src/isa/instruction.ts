// The decoded instruction: one plain mutable object the decoder fills in place (no allocation per
// decode), read by the emulator, the formatter and the tests. Also the decode result union.
// Imports only src/isa.
import type { ExecName } from './execNames';
import type { Form } from './form';
import type { RegId } from './registers';

/** Prefix bits in `Instruction.prefixes`. */
export const Prefix = {
  /** F0 */
  Lock: 1,
  /** F3 (REP / REPE, or a mandatory prefix the form consumed) */
  Rep: 2,
  /** F2 (REPNE, or a mandatory prefix the form consumed) */
  Repne: 4,
  /** 66 operand-size override */
  OpSize: 8,
  /** 67 address-size override */
  AddrSize: 16,
  /** a segment override (see Instruction.segment) */
  Segment: 32,
} as const;

/** What kind of operand an Operand slot holds. */
export type OperandKind = 'none' | 'reg' | 'mem' | 'imm' | 'rel' | 'far';

/** One operand of the decoded instruction, in Intel (destination first) order. */
export interface Operand {
  kind: OperandKind;
  /** Bytes: register or memory data size; for 'imm' the operand size the value applies at. */
  size: number;
  /** For 'reg': the register id (full id incl. width, e.g. Reg.R9D). */
  reg: RegId;
}

/** The memory operand (at most one explicit memory operand per instruction). */
export interface MemOperand {
  /** Base register (width = address size), RIP/EIP for RIP-relative, or null. */
  base: RegId | null;
  /** Index register (width = address size), or null. */
  index: RegId | null;
  /** 1, 2, 4 or 8. */
  scale: number;
  /** Signed displacement (exact for 8/16/32-bit displacements; a 64-bit moffs is unsigned and exact below 2^53). */
  disp: number;
  /** The displacement as a 64-bit value in two exact halves: low dword (unsigned) ... */
  dispLo: number;
  /** ... and high dword (the sign extension of `disp`, or a moffs64's real high dword). */
  dispHi: number;
  /** Bytes the displacement occupies in the encoding: 0, 1, 2, 4 or 8 (moffs64). */
  dispSize: number;
  /** Effective segment: the override if any (in 64-bit mode only FS/GS count), else the default (SS for BP/SP/EBP/ESP-based, DS otherwise). */
  segment: RegId;
  /** true for [rip+disp32] (64-bit mode, mod=00 rm=101 without SIB). */
  ripRelative: boolean;
}

/** The decoded instruction. Construct once with `new Instruction()` and let `decode` refill it. */
export class Instruction {
  /** Length in bytes (also set for 'unsupported' results). */
  length = 0;
  /** Mode decoded in: 16, 32 or 64. */
  mode: 16 | 32 | 64 = 64;
  /** The table form (row) matched; null after an 'invalid' or 'truncated' result. */
  form: Form | null = null;
  /** Lower-case NASM mnemonic (`add`, `movsd`, `rep movsb` is mnemonic `movsb` + Prefix.Rep). */
  mnemonic = '';
  /** The semantic operation. */
  exec: ExecName = 'nop';
  /** Effective operand size in bytes (1 for byte forms). */
  opSize = 4;
  /** Effective address size in bytes: 2, 4 or 8. */
  addrSize = 4;
  /** Prefix bits (see Prefix). */
  prefixes = 0;
  /** Segment override register, or null. */
  segment: RegId | null = null;
  /** The REX byte (0x40..0x4F), or 0 when none. For a VEX form: 0x40 | its W, R, X, B bits (un-inverted,
   *  as far as the mode honours them), as if it were a REX byte. */
  rex = 0;
  /** VEX.vvvv (un-inverted, 0..15; 0..7 outside 64-bit mode) for a VEX form, else 0. */
  vvvv = 0;
  /** true when a ModRM byte is present. */
  hasModrm = false;
  /** The raw ModRM byte (0 when none). */
  modrm = 0;
  /** ModRM.mod (0..3). */
  mod = 0;
  /** ModRM.reg extended by REX.R (0..15). */
  regField = 0;
  /** ModRM.rm extended by REX.B (0..15); for `+r` forms, the register number from the opcode. */
  rmField = 0;
  /** The memory operand, valid when some operand has kind 'mem' (or implicitly for moffs forms). */
  readonly mem: MemOperand = { base: null, index: null, scale: 1, disp: 0, dispLo: 0, dispHi: 0, dispSize: 0, segment: 0x53, ripRelative: false };
  /** Operand slots; the first `operandCount` are meaningful. */
  readonly operands: Operand[] = [
    { kind: 'none', size: 0, reg: 0 },
    { kind: 'none', size: 0, reg: 0 },
    { kind: 'none', size: 0, reg: 0 },
    { kind: 'none', size: 0, reg: 0 },
  ];
  operandCount = 0;
  /**
   * The immediate as a signed 32-bit number after the form's extension (sign-extended for 83 /0 ib,
   * 6A ib, 6B ib...; zero-extended for IN/OUT/INT/ENTER/RET/shift counts). For a 64-bit immediate
   * (REX.W B8+r io): the low 32 bits. For far pointers: the offset. For D0/D1 shifts: 1.
   */
  imm = 0;
  /** Upper 32 bits of the immediate extended to 64 bits (io: the real high dword). */
  immHi = 0;
  /** Second immediate: ENTER's nesting level; the selector of a direct far pointer. */
  imm2 = 0;
  /** Bytes of immediate data in the encoding. */
  immSize = 0;
  /** Relative branch displacement (signed); target = address of next instruction + rel. */
  rel = 0;
  /** Condition code 0..15 (low nibble of the opcode) for Jcc/SETcc/CMOVcc; 0 otherwise. */
  cond = 0;
}

/** Why a decode did not produce an executable instruction. */
export type InvalidReason =
  /** No instruction has this encoding (or it is reserved): #UD. */
  | 'opcode'
  /** The form does not exist in this mode (e.g. PUSH CS in 64-bit, SYSCALL in 16-bit? no: AAA in 64): #UD. */
  | 'mode'
  /** LOCK prefix on a form that is not lockable or without a memory destination: #UD. */
  | 'lock'
  /** Register operand where only memory is allowed (LEA eax, ebx; LGDT with mod=3): #UD. */
  | 'registerForm'
  /** Longer than 15 bytes: #GP(0) per SDM Vol. 3 §2.3.11/Vol. 2 §2.3.11 (the only non-#UD reason). */
  | 'tooLong'
  /** An operand register that does not exist (MOV to CS, CR1, DR8, segment 6/7): #UD. */
  | 'register';

/** The outcome of `decode`. Shared constant objects: compare `kind` (and `reason`), never identity of fresh objects. */
export type DecodeResult =
  | { readonly kind: 'ok' }
  | { readonly kind: 'invalid'; readonly reason: InvalidReason }
  /** The bytes ended (`limit`) before the instruction did; fetch more and decode again. */
  | { readonly kind: 'truncated' }
  /** A recognised x87/MMX/SSE/AVX/... form: `length` and `mnemonic` (when known) are set, nothing to execute. */
  | { readonly kind: 'unsupported'; readonly family: UnsupportedFamily };

/** Families the decoder measures but does not execute. */
export type UnsupportedFamily = 'x87' | 'mmx' | 'sse' | 'avx' | 'avx512' | '3dnow' | 'xop' | 'other';

/** Absolute target of a relative branch at `address` (its own address), wrapped to the address width. */
export function branchTarget(insn: Instruction, address: number): number {
  const t = address + insn.length + insn.rel;
  if (insn.opSize === 2) return t & 0xffff;
  if (insn.mode !== 64) return t >>> 0;
  return t;
}
