// Direct encoding of the relative branches the passes re-encode every pass (JMP, Jcc and CALL to a
// label in 32- and 64-bit code): the bytes are a fixed opcode plus rel8/rel32, so they are written
// into a scratch buffer without the general encoder. Anything else is declined (the caller then
// uses the isa encoder). Imports nothing.

/** Condition-code number (SDM Vol. 2 Appendix B.1.4.7, tttn) for each Jcc mnemonic spelling. */
const CONDITION = new Map<string, number>([
  ['jo', 0], ['jno', 1], ['jb', 2], ['jc', 2], ['jnae', 2], ['jae', 3], ['jnb', 3], ['jnc', 3],
  ['je', 4], ['jz', 4], ['jne', 5], ['jnz', 5], ['jbe', 6], ['jna', 6], ['ja', 7], ['jnbe', 7],
  ['js', 8], ['jns', 9], ['jp', 10], ['jpe', 10], ['jnp', 11], ['jpo', 11],
  ['jl', 12], ['jnge', 12], ['jge', 13], ['jnl', 13], ['jle', 14], ['jng', 14], ['jg', 15], ['jnle', 15],
]);

const KIND_JMP = 16;
const KIND_CALL = 17;

/** The branch kind of a mnemonic: 0–15 for Jcc, 16 JMP, 17 CALL; -1 when not such a branch. */
function branchKind(mnemonic: string): number {
  if (mnemonic === 'jmp') return KIND_JMP;
  if (mnemonic === 'call') return KIND_CALL;
  const cc = CONDITION.get(mnemonic);
  return cc === undefined ? -1 : cc;
}

const INT32_MIN = -0x80000000;
const INT32_MAX = 0x7fffffff;

/** Writes a relative branch into `bytes`; `length` is how many bytes the last accepted branch has.
 *  One instance per pass engine: no allocation per branch. */
export class BranchEncoder {
  readonly bytes = new Uint8Array(6);
  length = 0;

  /** Encodes `mnemonic target` at `address` as nasm does with optimisation on: the short form
   *  (EB / 70+cc, rel8) when the target is within -128..127 of the next instruction and `near` is
   *  not forced, else the near form (E9 / 0F 80+cc / E8, rel32; SDM Vol. 2 JMP, Jcc, CALL).
   *  Returns false, writing nothing, for what it does not handle: 16-bit code, SHORT (which needs
   *  the range diagnostic), other mnemonics, and near targets beyond a rel32. */
  encode(mnemonic: string, target: bigint, near: boolean, address: number, bits: 16 | 32 | 64): boolean {
    if (bits === 16) return false;
    const kind = branchKind(mnemonic);
    if (kind < 0) return false;
    const t = Number(target);
    if (!Number.isSafeInteger(t)) return false;
    const b = this.bytes;
    if (!near && kind !== KIND_CALL) {
      const short = t - (address + 2);
      if (short >= -128 && short <= 127) {
        b[0] = kind === KIND_JMP ? 0xeb : 0x70 + kind;
        b[1] = short & 0xff;
        this.length = 2;
        return true;
      }
    }
    const len = kind >= KIND_JMP ? 5 : 6;
    const rel = t - (address + len);
    if (rel < INT32_MIN || rel > INT32_MAX) return false;
    if (bits === 32 && (t < 0 || t > 0xffffffff)) return false;
    let at = 0;
    if (kind === KIND_JMP) b[at++] = 0xe9;
    else if (kind === KIND_CALL) b[at++] = 0xe8;
    else {
      b[at++] = 0x0f;
      b[at++] = 0x80 + kind;
    }
    const v = rel | 0;
    b[at] = v & 0xff;
    b[at + 1] = (v >>> 8) & 0xff;
    b[at + 2] = (v >>> 16) & 0xff;
    b[at + 3] = (v >>> 24) & 0xff;
    this.length = len;
    return true;
  }
}
