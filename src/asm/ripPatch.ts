// RIP-relative instructions across passes: `mov eax, [counter]` under DEFAULT REL encodes the
// distance from the next instruction to its target, which moves with every layout, so the passes
// used to encode it again each time. Its length never depends on that distance (RIP addressing is
// always ModRM mod=00 rm=101 with a disp32, SDM Vol. 2 §2.2.1.6), so once encoded, later passes copy
// the bytes and write the new disp32 where the old one was. Imports ./statements, ./expressions.
import { containsReg, isConstantTree } from './expressions';
import type { StatementBody } from './statements';

/** An encoded RIP-relative instruction and where its disp32 sits. */
export interface RipBytes {
  bytes: Uint8Array;
  /** Offset of the disp32 in `bytes`. */
  at: number;
  /** BITS it was encoded in. */
  bits: number;
}

/** The index of the one memory operand that may be RIP-relative (no register in its address) when
 *  everything else in the instruction is the same in every pass (registers and constant
 *  immediates, no branch), else -1. */
export function ripCandidate(b: StatementBody, isBranch: (mnemonic: string) => boolean): number {
  if (b.k !== 'insn' || isBranch(b.mnemonic)) return -1;
  let mem = -1;
  for (let i = 0; i < b.operands.length; i++) {
    const o = b.operands[i];
    if (o.kind === 'reg') continue;
    if (o.kind === 'imm' && isConstantTree(o.expr)) continue;
    if (o.kind !== 'mem' || mem >= 0 || o.addr === null || containsReg(o.addr)) return -1;
    mem = i;
  }
  return mem;
}

/** Remembers `bytes` of a RIP-relative instruction whose disp32 is `disp`: undefined when that
 *  value is not found exactly once in the bytes (then where the field sits is not certain). */
export function ripBytes(bytes: Uint8Array, disp: number, bits: number): RipBytes | undefined {
  let at = -1;
  for (let p = 0; p + 4 <= bytes.length; p++) {
    if (bytes[p] === (disp & 0xff) && bytes[p + 1] === ((disp >>> 8) & 0xff) && bytes[p + 2] === ((disp >>> 16) & 0xff) && bytes[p + 3] === ((disp >>> 24) & 0xff)) {
      if (at >= 0) return undefined;
      at = p;
    }
  }
  return at < 0 ? undefined : { bytes, at, bits };
}

/** true when `disp` fits a signed disp32. */
export function fitsDisp32(disp: number): boolean {
  return disp >= -0x80000000 && disp <= 0x7fffffff;
}

/** Writes `disp` little-endian at out[at]. */
export function writeDisp32(out: Uint8Array, at: number, disp: number): void {
  out[at] = disp & 0xff;
  out[at + 1] = (disp >>> 8) & 0xff;
  out[at + 2] = (disp >>> 16) & 0xff;
  out[at + 3] = (disp >>> 24) & 0xff;
}
