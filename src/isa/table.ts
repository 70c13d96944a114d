// THE instruction table: one row per instruction form in Intel SDM notation (Vol. 2 opcode and
// instruction columns). Data only; tableIndex.ts parses it once into the decode and encode indexes.
// Rows live in tableOneByte.ts, tableTwoByte.ts, tableHintNop.ts and tableVex.ts (BMI1/BMI2); x87/MMX/SSE/AVX are not rows: decode.ts
// measures their lengths from the opcode maps (opcodeMaps.ts).
// Imports only src/isa types.
import type { ExecName } from './execNames';
import { oneByteMapRows } from './tableOneByte';
import { twoByteMapRows } from './tableTwoByte';
import { hintNopRows } from './tableHintNop';
import { vexRows } from './tableVex';

/** One instruction form. */
export interface TableRow {
  /** Unique id: mnemonic and operand kinds, e.g. `Add_rm32_r32`. */
  code: string;
  /**
   * Opcode column in SDM notation: optional `NP`/`NFx`/`66`/`F2`/`F3` mandatory prefix, optional
   * `REX.W +`, hex opcode bytes, then `/r` or `/digit`, `+rb/+rw/+rd`, `ib/iw/id/io`, `cb/cw/cd/cp`.
   * A third hex byte after `0F 01`-style groups fixes the whole ModRM byte (`0F 01 F8`).
   * VEX forms start with `VEX.LZ.[66|F2|F3.]0F38|0F3A.W0|W1|WIG` (SDM Vol. 2 §3.1.1.2) instead.
   */
  op: string;
  /** VEX forms: the SDM's Op/En column, one letter per operand: R = ModRM.reg, V = VEX.vvvv,
   *  M = ModRM.rm, I = imm8 (`ANDN r32a, r32b, r/m32` is RVM). */
  en?: 'RVM' | 'RMV' | 'VM' | 'RMI';
  /** Instruction column: mnemonic and operands (`r/m32`, `r32/m16`, `imm8`, `rel32`, `moffs32`, `Sreg`, `CR0-CR7`, `m16:32`, `m16&32`, fixed registers). */
  ins: string;
  /** The semantic operation the emulator binds the form to. */
  exec: ExecName;
  /** EFLAGS read (`r:`), written (`w:`), left undefined (`u:`): letters o s z a p c d i t. */
  flags?: string;
  /** Valid modes when not all: `16/32` (invalid in 64-bit mode) or `64` (64-bit mode only). */
  modes?: '16/32' | '64';
  /** Operand size the form is selected by when the operands do not say it (CWDE: 32), `any`, or 8 for
   *  a byte operation without byte operands (MOVSB, XLATB). */
  osz?: 8 | 16 | 32 | 64 | 'any';
  /** Address size the form is selected by (JCXZ/JECXZ/JRCXZ). */
  asz?: 16 | 32 | 64;
  /** Operand size defaults to 64 bits in 64-bit mode (SDM "d64"). */
  d64?: true;
  /** Operand size is 64 bits in 64-bit mode, 66 ignored (SDM "f64": near branches). */
  f64?: true;
  /** LOCK is legal with a memory destination. */
  lock?: true;
  /** F3 repeats the form as REP, or as REPE (with F2 as REPNE). */
  rep?: 'rep' | 'repe';
  /** Privileged: CPL 0 only. */
  cpl0?: true;
  /** `decode`: a decode-only row the encoder never picks (82 /0 ib, SAL's /6, MOVSXD r32).
   *  `encode`: an encode-only operand order (XCHG r32, r/m32); never a decode result. */
  alias?: 'decode' | 'encode';
}

/** Every general-purpose and system instruction form, in the encoder's order of preference. */
export const table: readonly TableRow[] = [...oneByteMapRows, ...twoByteMapRows, ...hintNopRows, ...vexRows];
