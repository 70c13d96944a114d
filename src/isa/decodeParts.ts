// Decoder building blocks shared by decode.ts and decodeVex.ts: the shared constant results, bounds
// checks against the 15-byte limit, ModRM/SIB/displacement parsing into Instruction.mem, register ids,
// and the length-only measurement of forms nothing executes. No allocation per call; never throws.
// Imports only src/isa.
import { Instruction, type DecodeResult, type InvalidReason, type UnsupportedFamily } from './instruction';
import { Reg, type RegId } from './registers';

const REG_DS = Reg.DS;
const REG_SS = Reg.SS;
const REG_RIP = Reg.RIP;
const REG_EIP = Reg.EIP;
const REG_FS = Reg.FS;
const REG_GS = Reg.GS;

/** The decode results (shared frozen constants). */
export const OK: DecodeResult = Object.freeze({ kind: 'ok' });
export const TRUNCATED: DecodeResult = Object.freeze({ kind: 'truncated' });
export const invalidResults: Record<InvalidReason, DecodeResult> = {
  opcode: Object.freeze({ kind: 'invalid', reason: 'opcode' }),
  mode: Object.freeze({ kind: 'invalid', reason: 'mode' }),
  lock: Object.freeze({ kind: 'invalid', reason: 'lock' }),
  registerForm: Object.freeze({ kind: 'invalid', reason: 'registerForm' }),
  tooLong: Object.freeze({ kind: 'invalid', reason: 'tooLong' }),
  register: Object.freeze({ kind: 'invalid', reason: 'register' }),
};
export const unsupportedResults: Record<UnsupportedFamily, DecodeResult> = {
  x87: Object.freeze({ kind: 'unsupported', family: 'x87' }),
  mmx: Object.freeze({ kind: 'unsupported', family: 'mmx' }),
  sse: Object.freeze({ kind: 'unsupported', family: 'sse' }),
  avx: Object.freeze({ kind: 'unsupported', family: 'avx' }),
  avx512: Object.freeze({ kind: 'unsupported', family: 'avx512' }),
  '3dnow': Object.freeze({ kind: 'unsupported', family: '3dnow' }),
  xop: Object.freeze({ kind: 'unsupported', family: 'xop' }),
  other: Object.freeze({ kind: 'unsupported', family: 'other' }),
};

/** Bases/indexes of the 16-bit ModRM forms (SDM Vol. 2 Table 2-1), rm 0..7; -1 = none. */
const base16 = [Reg.BX, Reg.BX, Reg.BP, Reg.BP, Reg.SI, Reg.DI, Reg.BP, Reg.BX];
const index16 = [Reg.SI, Reg.DI, Reg.SI, Reg.DI, -1, -1, -1, -1];

export const NEED_MORE = -1;
export const TOO_LONG = -2;

/** Register id of a GPR of `size` bytes and number n; without REX, byte registers 4..7 are AH..BH. */
export function gprOf(size: number, n: number, rex: number): RegId {
  switch (size) {
    case 1: return rex !== 0 || n < 4 || n > 7 ? n : 0x10 + n - 4;
    case 2: return 0x20 | n;
    case 4: return 0x30 | n;
    default: return 0x40 | n;
  }
}

/** Status of needing bytes up to `end` (exclusive): 0 ok, or NEED_MORE / TOO_LONG. */
export function need(end: number, limit: number, end15: number): number {
  if (end > end15) return end15 <= limit ? TOO_LONG : NEED_MORE;
  return end > limit ? NEED_MORE : 0;
}

/**
 * Parse SIB and displacement after a ModRM with mod != 3 at `p` (the byte after ModRM) into
 * out.mem. Returns the position after them, or NEED_MORE / TOO_LONG.
 */
export function readMemory(bytes: Uint8Array, p: number, limit: number, end15: number, asz: number, out: Instruction): number {
  const mem = out.mem;
  const mod = out.mod;
  const rm = out.modrm & 7;
  const rex = out.rex;
  mem.index = null;
  mem.scale = 1;
  mem.ripRelative = false;
  let dispSize = mod === 1 ? 1 : 0;
  let stackBased = false;
  if (asz === 2) {
    if (mod === 0 && rm === 6) { mem.base = null; dispSize = 2; }
    else {
      mem.base = base16[rm];
      const ix = index16[rm];
      mem.index = ix < 0 ? null : ix;
      stackBased = rm === 2 || rm === 3 || rm === 6;
      if (mod === 2) dispSize = 2;
    }
  } else {
    const width = asz === 4 ? 0x30 : 0x40;
    if (mod === 2) dispSize = 4;
    if (rm === 4) {
      const st = need(p + 1, limit, end15);
      if (st !== 0) return st;
      const sib = bytes[p++];
      const b = (sib & 7) | ((rex & 1) << 3);
      const ix = ((sib >> 3) & 7) | ((rex & 2) << 2);
      mem.scale = 1 << (sib >> 6);
      mem.index = ix === 4 ? null : width | ix;
      if ((sib & 7) === 5 && mod === 0) { mem.base = null; dispSize = 4; }
      else { mem.base = width | b; stackBased = (sib & 7) === 4 || (sib & 7) === 5; }
    } else if (rm === 5 && mod === 0) {
      dispSize = 4;
      if (out.mode === 64) { mem.base = asz === 8 ? REG_RIP : REG_EIP; mem.ripRelative = true; }
      else mem.base = null;
    } else {
      const b = rm | ((rex & 1) << 3);
      mem.base = width | b;
      stackBased = rm === 5;
    }
  }
  mem.dispSize = dispSize;
  const st = need(p + dispSize, limit, end15);
  if (st !== 0) return st;
  if (dispSize === 1) mem.disp = (bytes[p] << 24) >> 24;
  else if (dispSize === 2) mem.disp = ((bytes[p] | (bytes[p + 1] << 8)) << 16) >> 16;
  else if (dispSize === 4) mem.disp = bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
  else mem.disp = 0;
  mem.dispLo = mem.disp >>> 0;
  mem.dispHi = mem.disp < 0 ? -1 : 0;
  mem.segment = (out.segment === null ? null : effectiveOverride(out)) ?? (stackBased ? REG_SS : REG_DS);
  return p + dispSize;
}

/** The segment override that applies: in 64-bit mode ES/CS/SS/DS overrides are ignored (SDM Vol. 1 §3.3.7.1). */
export function effectiveOverride(out: Instruction): RegId | null {
  const seg = out.segment;
  if (seg === null || out.mode !== 64) return seg;
  return seg === REG_FS || seg === REG_GS ? seg : null;
}

/** Read an unsigned little-endian value of 1, 2 or 4 bytes (4 → signed int32). Caller checked bounds. */
export function readLE(bytes: Uint8Array, p: number, size: number): number {
  if (size === 1) return bytes[p];
  if (size === 2) return bytes[p] | (bytes[p + 1] << 8);
  return bytes[p] | (bytes[p + 1] << 8) | (bytes[p + 2] << 16) | (bytes[p + 3] << 24);
}

export function statusResult(st: number): DecodeResult {
  return st === TOO_LONG ? invalidResults.tooLong : TRUNCATED;
}


/** Reset the parts of `out` a length-only result does not fill. */
export function markUnsupported(out: Instruction): void {
  out.form = null;
  out.mnemonic = '';
  out.exec = 'unsupported';
  out.operandCount = 0;
}

/** Measure ModRM (+SIB, displacement) and an immediate at `p`; for forms nothing executes. */
export function decodeLengthOnly(bytes: Uint8Array, p: number, limit: number, end15: number, asz: number, modrm: boolean, immBytes: number, out: Instruction, result: DecodeResult): DecodeResult {
  const start = end15 - 15;
  markUnsupported(out);
  if (modrm) {
    const st = need(p + 1, limit, end15);
    if (st !== 0) return statusResult(st);
    const m = bytes[p++];
    out.hasModrm = true; out.modrm = m; out.mod = m >> 6;
    if (m >> 6 !== 3) {
      const q = readMemory(bytes, p, limit, end15, asz, out);
      if (q < 0) return statusResult(q);
      p = q;
    }
  }
  const st = need(p + immBytes, limit, end15);
  if (st !== 0) return statusResult(st);
  out.length = p + immBytes - start;
  return result;
}

