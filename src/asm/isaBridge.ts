// The assembler's one doorway to src/isa: which words are mnemonics and registers, and the
// encoder call that turns a resolved instruction into bytes. Operands arrive here with their
// values for the current pass; this file translates them to the encoder's operand model.
// Imports only src/isa.
import { parseReg } from '../isa/registers';
import { table } from '../isa/table';

/** A memory operand with its address decomposed and the displacement's value for this pass. */
export interface ResolvedMem {
  kind: 'mem';
  size?: number;
  base?: string;
  index?: string;
  scale: number;
  disp: bigint;
  /** The displacement depends on a label (nasm never shortens it then). */
  dispRelocatable: boolean;
  /** A displacement was written (even `+0`). */
  dispWritten: boolean;
  segment?: string;
  /** RIP-relative (REL, or DEFAULT REL without base/index). `disp` is then the target address. */
  rip: boolean;
  dispSize?: number;
  nosplit?: boolean;
  jump?: 'short' | 'near' | 'far';
}

/** An operand whose value is known for this pass. */
export type ResolvedOperand =
  | { kind: 'reg'; reg: string; size?: number }
  | ResolvedMem
  | {
      kind: 'imm';
      value: bigint;
      /** Derived from a label: nasm keeps the full-size immediate form. */
      relocatable: boolean;
      size?: number;
      strict?: boolean;
      jump?: 'short' | 'near' | 'far';
      /** For branch targets: the target is in another section or not yet known (forces near when unknown after pass 1). */
      otherSection?: boolean;
    }
  | { kind: 'far'; seg: bigint; off: bigint; size?: number };

/** One instruction to encode at `address` in `bits` mode. */
export interface EncodeRequest {
  mnemonic: string;
  prefixes: readonly string[];
  operands: readonly ResolvedOperand[];
  bits: 16 | 32 | 64;
  address: number;
}

export type EncodeOutcome = { ok: true; bytes: Uint8Array } | { ok: false; message: string; operand?: number };

const mnemonicSet = new Set<string>();
for (const row of table) mnemonicSet.add(row.ins.split(/[ ,]/)[0].toLowerCase());

/** true when `lower` is an instruction mnemonic the isa table knows. */
export function isMnemonic(lower: string): boolean {
  return mnemonicSet.has(lower);
}

/** true when `lower` names a register. */
export function isRegister(lower: string): boolean {
  return parseReg(lower) !== undefined;
}

/** Encodes one instruction through the isa encoder. */
export function encodeInstruction(req: EncodeRequest): EncodeOutcome {
  return { ok: false, message: `the instruction encoder is not available yet (${req.mnemonic})` };
}
