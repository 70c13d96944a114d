// The parsed shape of one table row ("form"): what tableIndex.ts builds once from the SDM-notation
// text of src/isa/table.ts, and what decoder, encoder and formatter walk.
// Imports only src/isa types.
import type { ExecName } from './execNames';
import type { RegId } from './registers';

/** Where an operand of a form comes from. */
export type OperandSpecKind =
  /** ModRM.reg names a general register (`r8`..`r64`). */
  | 'reg'
  /** ModRM.rm: register or memory (`r/m32`, `r32/m16`: register size `size`, memory size `memSize`). */
  | 'rm'
  /** ModRM.rm, memory only (`m`, `m32`, `m16&32`, `m16:32`, `m128`). */
  | 'mem'
  /** ModRM.rm, register only (`r32` in `MOV r32, CR0-CR7`). */
  | 'rmReg'
  /** VEX.vvvv names a general register (the `V` of a VEX form's Op/En). */
  | 'vvvv'
  /** Low three opcode bits + REX.B (`+rb/+rw/+rd/+ro`). */
  | 'opReg'
  /** A register fixed by the opcode (`AL`, `EAX`, `CL`, `DX`, `FS`...). */
  | 'fixed'
  /** ModRM.reg names a segment register (`Sreg`). */
  | 'sreg'
  /** ModRM.reg names a control register. */
  | 'cr'
  /** ModRM.reg names a debug register. */
  | 'dr'
  /** An immediate (`imm8`..`imm64`): size is the encoded size. */
  | 'imm'
  /** ENTER's second immediate (nesting level, `imm8`). */
  | 'imm2'
  /** The constant 1 of the shift-by-one forms (`D1 /4`). */
  | 'one'
  /** A relative branch displacement (`rel8`, `rel16`, `rel32`). */
  | 'rel'
  /** A direct far pointer (`ptr16:16`, `ptr16:32`): size is the encoded size (4 or 6). */
  | 'ptr'
  /** A memory offset without ModRM (`moffs8`..`moffs64`): size is the data size. */
  | 'moffs';

/** `OperandSpec.code` per kind: the same information as a small integer (the decoder switches on it). */
export const OperandSpecCode: Readonly<Record<OperandSpecKind, number>> = {
  reg: 0, rm: 1, mem: 2, rmReg: 3, vvvv: 4, opReg: 5, fixed: 6, sreg: 7, cr: 8, dr: 9, imm: 10, imm2: 11, one: 12, rel: 13, ptr: 14, moffs: 15,
};

/** One operand of a form. */
export interface OperandSpec {
  kind: OperandSpecKind;
  /** `OperandSpecCode[kind]`. */
  code: number;
  /** Size in bytes: of the register, the memory data, the immediate or displacement as encoded. 0 = untyped (LEA's `m`). */
  size: number;
  /** For 'rm' operands with different register and memory sizes (`r32/m16`): the memory size. Else = size. */
  memSize: number;
  /** The register of a 'fixed' operand. */
  fixed: RegId;
  /** The operand text in the row (`r/m32`, `imm8`, `AL`). */
  text: string;
}

/** Bit set of modes a form is valid in. */
export const ModeBit = { M16: 1, M32: 2, M64: 4 } as const;

/** Flags (EFLAGS bits) as masks. */
export const FlagBit = {
  CF: 1 << 0, PF: 1 << 2, AF: 1 << 4, ZF: 1 << 6, SF: 1 << 7, TF: 1 << 8, IF: 1 << 9, DF: 1 << 10, OF: 1 << 11,
} as const;

/** Mandatory-prefix class of a form (SDM: `NP`, `66`, `F2`, `F3`; `NFx`: no F2/F3 allowed, 66 is the operand size). */
export type MandatoryPrefix = 'none' | '66' | 'F2' | 'F3' | 'NFx';

/** A parsed table row. */
export interface Form {
  /** Position in `forms` (tableIndex.ts). */
  index: number;
  /** Unique row code, e.g. `Add_rm32_r32`. */
  code: string;
  /** Lower-case NASM mnemonic, e.g. `add`, `cmovne`, `jecxz`. */
  mnemonic: string;
  /** Row text as written: opcode and instruction. */
  op: string;
  ins: string;
  exec: ExecName;
  /** 0 = legacy one-byte map, 1 = 0F, 2 = 0F 38, 3 = 0F 3A. */
  map: number;
  /** The opcode byte (for `+r` forms the base, low three bits zero). */
  opcode: number;
  /** true when the low three opcode bits select a register (`+r`). */
  opcodeReg: boolean;
  /** ModRM.reg value required by `/digit`, or -1. */
  digit: number;
  /** A whole ModRM byte fixed by the row (`0F 01 F8` SWAPGS), or -1. */
  fixedModrm: number;
  /** true when the form has a ModRM byte. */
  hasModrm: boolean;
  /** Mandatory prefix that selects this form. */
  mandatory: MandatoryPrefix;
  /** Operand size in bytes this form is for (2, 4, 8), or 0 when operand size does not select it. */
  osz: number;
  /** true when the operation is on bytes (8-bit forms: `ADD r/m8, r8`, MOVSB); Instruction.opSize is then 1. */
  byteOp: boolean;
  /** true when the ModRM operand must be memory (mod = 3 is #UD: LEA, LGDT, CMPXCHG8B...). */
  memOnly: boolean;
  /** Address size in bytes this form requires (JCXZ 2 / JECXZ 4 / JRCXZ 8), or 0. */
  asz: number;
  /** true when REX.W is part of the opcode (`REX.W +`). */
  rexW: boolean;
  /** ModeBit set. */
  modes: number;
  /** Operand size defaults to 64 bits in 64-bit mode (PUSH, POP, near branches...); 66 gives 16. */
  default64: boolean;
  /** Operand size is 64 bits in 64-bit mode whatever the prefixes (near JMP/CALL/Jcc/RET, LOOP). */
  force64: boolean;
  /** LOCK is legal (with a memory destination). */
  lockable: boolean;
  /** F3 means REP (`rep`) or REPE (`repe`) and F2 REPNE for this form, or neither. */
  rep: 'none' | 'rep' | 'repe';
  /** Only at CPL 0 (else #GP(0)). */
  cpl0: boolean;
  /** EFLAGS bits read, written (defined), and left undefined. */
  flagsRead: number;
  flagsWritten: number;
  flagsUndefined: number;
  /** The flags text as written in the row (`r:c w:oszapc`), for hover. */
  flagsText: string;
  operands: readonly OperandSpec[];
  /** Immediate bytes the form carries in total (ib/iw/id/io, cb/cw/cd, ptr). */
  immBytes: number;
  /** true when an immediate narrower than the operand is sign-extended (83 /0 ib, 6A ib, REX.W 81 /0 id). */
  immSigned: boolean;
  /** true for the recognised-but-unsupported families (x87, MMX, SSE, AVX...). */
  unsupported: boolean;
  /** true when ModRM.rm must name a register (an 'rmReg' operand: MOV r32, CR0; RDRAND r32): memory is #UD. */
  rmRegOnly: boolean;
  /** true when the low opcode nibble is a condition code (Jcc, SETcc, CMOVcc). */
  condInOpcode: boolean;
  /** true for a VEX-encoded form (C4 escape; `mandatory` is VEX.pp, `map` is VEX.mmmmm, VEX.L = 0). */
  vex: boolean;
  /** VEX.W the form requires: 0, 1 (64-bit operand size, 64-bit mode only), or -1 for WIG/legacy forms. */
  vexW: number;
}
