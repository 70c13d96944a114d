// The decoder: bytes + mode → a filled Instruction, or a precise invalid/truncated/unsupported
// result. Also the emulator's decoder, so it allocates nothing per call (results are shared
// constants, the Instruction is refilled in place) and never throws.
// Imports only src/isa.
import { OperandSpecCode } from './form';
import { Instruction, Prefix, type DecodeResult } from './instruction';
import { MapFamily, twoByteMapInfo } from './opcodeMaps';
import { Reg, type RegId } from './registers';
import * as parts from './decodeParts';
import * as vexModule from './decodeVex';
import { decodeIndex as importedDecodeIndex, forms as importedForms, opcodeHasModrm as importedOpcodeHasModrm } from './tableIndex';

// Module-local copies: CommonJS transpilers turn every use of an imported binding into a getter call,
// which showed up as ~15% of decode time in a profile.
const decodeIndex = importedDecodeIndex;
const allForms = importedForms;
/** Per 0F 38 opcode: bit 0 = a row with mandatory F2 exists (CRC32), bit 1 = one with F3; other
 *  F2/F3 0F 38 opcodes are SSE and measured only. */
const map2RepRows: Uint8Array = (() => {
  const a = new Uint8Array(256);
  for (let i = 512 * 8; i < 768 * 8; i++) {
    for (const f of decodeIndex[i]) if (f.mandatory === 'F2') a[f.opcode] |= 1; else if (f.mandatory === 'F3') a[f.opcode] |= 2;
  }
  return a;
})();
const opcodeHasModrm = importedOpcodeHasModrm;
const { OK, invalidResults, unsupportedResults, need, statusResult, readMemory, readLE, gprOf, effectiveOverride, decodeLengthOnly } = parts;
const { decodeVex } = vexModule;
const mapInfo = twoByteMapInfo;
const REG_DS = Reg.DS;
const REG_SS = Reg.SS;
const P_LOCK = Prefix.Lock;
const P_REP = Prefix.Rep;
const P_REPNE = Prefix.Repne;
const P_OPSIZE = Prefix.OpSize;
const P_ADDRSIZE = Prefix.AddrSize;
const P_SEGMENT = Prefix.Segment;
const C_REG = OperandSpecCode.reg;
const C_RM = OperandSpecCode.rm;
const C_MEM = OperandSpecCode.mem;
const C_RMREG = OperandSpecCode.rmReg;
const C_OPREG = OperandSpecCode.opReg;
const C_FIXED = OperandSpecCode.fixed;
const C_SREG = OperandSpecCode.sreg;
const C_CR = OperandSpecCode.cr;
const C_DR = OperandSpecCode.dr;
const C_IMM = OperandSpecCode.imm;
const C_IMM2 = OperandSpecCode.imm2;
const C_ONE = OperandSpecCode.one;
const C_REL = OperandSpecCode.rel;
const C_PTR = OperandSpecCode.ptr;
const C_MOFFS = OperandSpecCode.moffs;

/** Segment register of a segment-override prefix byte (indexed by the byte; other entries unused). */
const segmentPrefix: RegId[] = (() => {
  const a = new Array<RegId>(256).fill(REG_DS);
  a[0x26] = Reg.ES; a[0x2e] = Reg.CS; a[0x36] = REG_SS; a[0x3e] = REG_DS; a[0x64] = Reg.FS; a[0x65] = Reg.GS;
  return a;
})();
/** prefixKind codes besides the Prefix bits (F0 → Lock, F2 → Repne, F3 → Rep, 66 → OpSize, 67 → AddrSize). */
const PK_NONE = 0;
const PK_SEGMENT = 64;
const PK_REX = 128;
/** Per first byte: what kind of prefix it is (REX only counts in 64-bit mode), PK_NONE for an opcode. */
const prefixKind: Uint8Array = (() => {
  const a = new Uint8Array(256);
  a[0xf0] = P_LOCK; a[0xf2] = P_REPNE; a[0xf3] = P_REP; a[0x66] = P_OPSIZE; a[0x67] = P_ADDRSIZE;
  for (const b of [0x26, 0x2e, 0x36, 0x3e, 0x64, 0x65]) a[b] = PK_SEGMENT;
  for (let b = 0x40; b < 0x50; b++) a[b] = PK_REX;
  return a;
})();

// Status codes of the internal readers (negative = stop with that result).
/**
 * Decode one instruction.
 * @param bytes  the code bytes
 * @param offset index of the first byte of the instruction in `bytes`
 * @param limit  end index (exclusive) of readable bytes; nothing at or after it is read
 * @param mode   16, 32 or 64-bit code
 * @param out    refilled in place
 * @returns a shared constant result; 'truncated' when the bytes end before the instruction does
 */
export function decode(bytes: Uint8Array, offset: number, limit: number, mode: 16 | 32 | 64, out: Instruction): DecodeResult {
  if (limit > bytes.length) limit = bytes.length;
  const end15 = offset + 15;
  let p = offset;
  let prefixes = 0;
  let segment: RegId | null = null;
  let rex = 0;
  let lastRep = 0;
  let b = 0;
  for (;;) {
    const st = need(p + 1, limit, end15);
    if (st !== 0) return statusResult(st);
    b = bytes[p];
    const kind = prefixKind[b];
    if (kind === PK_NONE) break;
    if (kind === PK_REX) { if (mode !== 64) break; rex = b; p++; continue; }
    if (kind === PK_SEGMENT) { prefixes |= P_SEGMENT; segment = segmentPrefix[b]; }
    else {
      prefixes |= kind;
      if (kind === P_REPNE) lastRep = 0xf2; else if (kind === P_REP) lastRep = 0xf3;
    }
    rex = 0; // a legacy prefix after REX cancels it (SDM Vol. 2 §2.2.1)
    p++;
  }
  out.mode = mode;
  out.prefixes = prefixes;
  out.segment = segment;
  out.rex = rex;
  out.form = null;
  out.operandCount = 0;
  out.imm = 0; out.immHi = 0; out.imm2 = 0; out.immSize = 0; out.rel = 0; out.cond = 0;
  out.hasModrm = false; out.modrm = 0; out.mod = 0; out.regField = 0; out.rmField = 0; out.vvvv = 0;
  const m = out.mem;
  m.base = null; m.index = null; m.scale = 1; m.disp = 0; m.dispLo = 0; m.dispHi = 0; m.dispSize = 0; m.ripRelative = false;
  m.segment = segment === null ? REG_DS : effectiveOverride(out) ?? REG_DS;

  const asz = mode === 16 ? (prefixes & P_ADDRSIZE ? 4 : 2) : mode === 32 ? (prefixes & P_ADDRSIZE ? 2 : 4) : prefixes & P_ADDRSIZE ? 4 : 8;
  out.addrSize = asz;
  const rexW = (rex & 8) !== 0;
  const oszBase = mode === 64 ? (rexW ? 8 : prefixes & P_OPSIZE ? 2 : 4) : (mode === 16) !== ((prefixes & P_OPSIZE) !== 0) ? 2 : 4;
  const oszD64 = rexW ? 8 : prefixes & P_OPSIZE ? 2 : 8;

  // Opcode bytes.
  let map = 0;
  let op = b;
  p++;
  if (op === 0x0f) {
    const st = need(p + 1, limit, end15);
    if (st !== 0) return statusResult(st);
    op = bytes[p++];
    map = 1;
    if (op === 0x38 || op === 0x3a) {
      const st2 = need(p + 1, limit, end15);
      if (st2 !== 0) return statusResult(st2);
      map = op === 0x38 ? 2 : 3;
      op = bytes[p++];
    }
  } else if (op === 0xc4 || op === 0xc5 || op === 0x62 || op === 0x8f) {
    const st = need(p + 1, limit, end15);
    if (st !== 0) return statusResult(st);
    const next = bytes[p];
    if (op === 0x8f ? (next & 0x38) !== 0 : mode === 64 || next >= 0xc0) return decodeVex(bytes, p, limit, end15, op, out);
  } else if (op >= 0xd8 && op <= 0xdf) { // x87 escapes: ModRM, no immediate
    return decodeLengthOnly(bytes, p, limit, end15, asz, true, 0, out, unsupportedResults.x87);
  }
  if (map === 2 && lastRep !== 0 && (map2RepRows[op] & (lastRep === 0xf2 ? 1 : 2)) === 0) return decodeLengthOnly(bytes, p, limit, end15, asz, true, 0, out, unsupportedResults.other);
  if (map === 3) return decodeLengthOnly(bytes, p, limit, end15, asz, true, 1, out, unsupportedResults.sse);

  const key = map * 256 + op;
  const modrmKind = opcodeHasModrm[key];
  if (modrmKind < 0) return decodeByMapInfo(bytes, p, limit, end15, asz, map, op, out);

  let modrm = 0;
  const hasModrm = modrmKind === 1;
  if (hasModrm) {
    const st = need(p + 1, limit, end15);
    if (st !== 0) return statusResult(st);
    modrm = bytes[p++];
  }
  const mod = modrm >> 6;
  const regDigit = (modrm >> 3) & 7;
  const keyReg = key * 8 + regDigit;
  // The form is a function of (key, ModRM.reg) and a small context (mode, REX.W, 66, 67, F2/F3, mod = 3),
  // except where a whole-ModRM row or NOP/XCHG (90) decides more: memoise it per context.
  let sel: number;
  if (uncacheable[keyReg] !== 0) sel = selectForm(keyReg, modrm, mode, prefixes, lastRep, rex, asz, oszBase, oszD64, key);
  else {
    const ctx = (((((mode === 16 ? 0 : mode === 32 ? 1 : 2) * 2 + ((rex >> 3) & 1)) * 2 + ((prefixes >> 3) & 1)) * 2 + ((prefixes >> 4) & 1)) * 3 + (lastRep === 0 ? 0 : lastRep === 0xf2 ? 1 : 2)) * 2 + (mod === 3 ? 1 : 0);
    let memo = selectionMemo[ctx];
    if (memo === undefined) memo = selectionMemo[ctx] = new Int16Array(4 * 256 * 8);
    sel = memo[keyReg];
    if (sel === 0) memo[keyReg] = sel = selectForm(keyReg, modrm, mode, prefixes, lastRep, rex, asz, oszBase, oszD64, key);
  }
  if (sel < 0) {
    if (sel === SEL_MODE) return invalidResults.mode;
    // Group opcodes whose other ModRM values are extensions we only measure (0F 01 D0 XGETBV...).
    if (map === 1 && mapInfo[op] !== 0) return decodeByMapInfo(bytes, hasModrm ? p - 1 : p, limit, end15, asz, map, op, out);
    if (sel === SEL_REGISTER) return invalidResults.registerForm;
    return invalidResults.opcode;
  }
  const form = allForms[sel - 1];

  out.form = form;
  out.mnemonic = form.mnemonic;
  out.exec = form.exec;
  // A mandatory 66 (ADCX) is no operand-size prefix: the size is the operands' (SDM Vol. 2 §2.1.2).
  const opSize = form.mandatory === '66' ? ((rex & 8) !== 0 ? 8 : 4) : form.byteOp ? 1 : mode === 64 && form.force64 ? 8 : mode === 64 && form.default64 ? oszD64 : oszBase;
  out.opSize = opSize;
  out.hasModrm = hasModrm;
  out.modrm = modrm;
  out.mod = mod;
  out.regField = regDigit | ((rex & 4) << 1);
  out.rmField = form.opcodeReg ? (op & 7) | ((rex & 1) << 3) : (modrm & 7) | ((rex & 1) << 3);
  if (form.condInOpcode) out.cond = op & 15;

  const ops = form.operands;
  // ModRM memory operand (MOV CR/DR ignore mod and have no displacement: SDM Vol. 2 MOV—Move to/from Control Registers).
  if (hasModrm && mod !== 3 && form.fixedModrm < 0 && !form.rmRegOnly) {
    const q = readMemory(bytes, p, limit, end15, asz, out);
    if (q < 0) return statusResult(q);
    p = q;
  }
  if ((prefixes & P_LOCK) !== 0 && (!form.lockable || mod === 3 || !hasModrm)) return invalidResults.lock;

  for (let i = 0; i < ops.length; i++) {
    const s = ops[i];
    const o = out.operands[i];
    switch (s.code) {
      case C_REG:
        o.kind = 'reg'; o.size = s.size; o.reg = gprOf(s.size, out.regField, rex);
        break;
      case C_RM:
        if (mod === 3) { o.kind = 'reg'; o.size = s.size; o.reg = gprOf(s.size, out.rmField, rex); }
        else { o.kind = 'mem'; o.size = s.memSize; o.reg = 0; }
        break;
      case C_MEM:
        o.kind = 'mem'; o.size = s.size; o.reg = 0;
        break;
      case C_RMREG:
        o.kind = 'reg'; o.size = s.size; o.reg = gprOf(s.size, out.rmField, rex);
        break;
      case C_OPREG:
        o.kind = 'reg'; o.size = s.size; o.reg = gprOf(s.size, out.rmField, rex);
        break;
      case C_FIXED:
        o.kind = 'reg'; o.size = s.size; o.reg = s.fixed;
        break;
      case C_SREG: {
        if (regDigit > 5 || (form.exec === 'movToSeg' && regDigit === 1)) return invalidResults.register;
        o.kind = 'reg'; o.size = 2; o.reg = 0x50 | regDigit;
        break;
      }
      case C_CR: {
        const n = out.regField;
        if (n !== 0 && n !== 2 && n !== 3 && n !== 4 && n !== 8) return invalidResults.register;
        o.kind = 'reg'; o.size = mode === 64 ? 8 : 4; o.reg = 0x60 | n;
        break;
      }
      case C_DR:
        if (out.regField > 7) return invalidResults.register;
        o.kind = 'reg'; o.size = mode === 64 ? 8 : 4; o.reg = 0x70 | out.regField;
        break;
      case C_IMM: {
        const st = need(p + s.size, limit, end15);
        if (st !== 0) return statusResult(st);
        o.kind = 'imm';
        if (s.size === 8) {
          out.imm = readLE(bytes, p, 4);
          out.immHi = readLE(bytes, p + 4, 4);
          o.size = 8;
        } else {
          const raw = readLE(bytes, p, s.size);
          if (form.immSigned) {
            out.imm = s.size === 1 ? (raw << 24) >> 24 : s.size === 2 ? (raw << 16) >> 16 : raw;
            out.immHi = out.imm >> 31;
            o.size = opSize;
          } else {
            out.imm = raw;
            out.immHi = 0;
            o.size = s.size;
          }
        }
        out.immSize += s.size;
        o.reg = 0;
        p += s.size;
        break;
      }
      case C_IMM2: {
        const st = need(p + s.size, limit, end15);
        if (st !== 0) return statusResult(st);
        out.imm2 = readLE(bytes, p, s.size);
        out.immSize += s.size;
        o.kind = 'imm'; o.size = s.size; o.reg = 0;
        p += s.size;
        break;
      }
      case C_ONE:
        out.imm = 1;
        o.kind = 'imm'; o.size = 1; o.reg = 0;
        break;
      case C_REL: {
        const st = need(p + s.size, limit, end15);
        if (st !== 0) return statusResult(st);
        const raw = readLE(bytes, p, s.size);
        out.rel = s.size === 1 ? (raw << 24) >> 24 : s.size === 2 ? (raw << 16) >> 16 : raw;
        out.immSize += s.size;
        o.kind = 'rel'; o.size = opSize; o.reg = 0;
        p += s.size;
        break;
      }
      case C_PTR: {
        const st = need(p + s.size, limit, end15);
        if (st !== 0) return statusResult(st);
        const offSize = s.size - 2;
        out.imm = offSize === 4 ? readLE(bytes, p, 4) >>> 0 : readLE(bytes, p, 2);
        out.imm2 = readLE(bytes, p + offSize, 2);
        out.immSize += s.size;
        o.kind = 'far'; o.size = s.size; o.reg = 0;
        p += s.size;
        break;
      }
      case C_MOFFS: {
        const st = need(p + asz, limit, end15);
        if (st !== 0) return statusResult(st);
        const mem = out.mem;
        mem.base = null; mem.index = null; mem.scale = 1; mem.dispSize = asz; mem.ripRelative = false;
        mem.disp = asz === 8 ? (readLE(bytes, p, 4) >>> 0) + (readLE(bytes, p + 4, 4) >>> 0) * 4294967296 : asz === 4 ? readLE(bytes, p, 4) >>> 0 : readLE(bytes, p, 2);
        mem.dispLo = asz === 2 ? mem.disp : readLE(bytes, p, 4) >>> 0;
        mem.dispHi = asz === 8 ? readLE(bytes, p + 4, 4) : 0;
        mem.segment = effectiveOverride(out) ?? REG_DS;
        o.kind = 'mem'; o.size = s.size; o.reg = 0;
        p += asz;
        break;
      }
    }
  }
  out.operandCount = ops.length;
  out.length = p - offset;
  return form.unsupported ? unsupportedResults.other : OK;
}

/** selectForm results below zero: no form because of the mode, a register operand where memory is needed, or none. */
const SEL_MODE = -1;
const SEL_REGISTER = -2;
const SEL_NONE = -3;

/** Per decode context (see decode), lazily: (key * 8 + ModRM.reg) → form index + 1, a SEL_* code, or 0 = not yet known. */
const selectionMemo: (Int16Array | undefined)[] = new Array<Int16Array | undefined>(144).fill(undefined);

/** Keys whose choice depends on more than the context: a whole-ModRM row among the candidates, or opcode 90. */
const uncacheable: Uint8Array = (() => {
  const a = new Uint8Array(4 * 256 * 8);
  for (let i = 0; i < a.length; i++) {
    if (i >> 3 === 0x90) a[i] = 1;
    for (const f of decodeIndex[i]) if (f.fixedModrm >= 0) a[i] = 1;
  }
  return a;
})();

/**
 * The candidate scan: the first form of `decodeIndex[keyReg]` that fits the ModRM byte, prefixes and mode.
 * Returns form index + 1, or SEL_MODE / SEL_REGISTER / SEL_NONE.
 */
function selectForm(keyReg: number, modrm: number, mode: number, prefixes: number, lastRep: number, rex: number, asz: number, oszBase: number, oszD64: number, key: number): number {
  const candidates = decodeIndex[keyReg];
  const mod = modrm >> 6;
  const regDigit = (modrm >> 3) & 7;
  const modeBit = mode === 16 ? 1 : mode === 32 ? 2 : 4;
  let failedOnMode = false;
  let failedOnRegister = false;
  for (let i = 0; i < candidates.length; i++) {
    const f = candidates[i];
    if (f.fixedModrm >= 0) { if (modrm !== f.fixedModrm) continue; }
    else if (f.digit >= 0 && regDigit !== f.digit) continue;
    const mp = f.mandatory;
    if (mp !== 'none') {
      if (mp === '66') { if ((prefixes & P_OPSIZE) === 0 || lastRep !== 0) continue; }
      else if (mp === 'NFx') { if (lastRep !== 0) continue; } // RDRAND/RDSEED: F2/F3 are #UD (or another instruction)
      else if (lastRep !== (mp === 'F3' ? 0xf3 : 0xf2)) continue;
    }
    if (f.asz !== 0 && f.asz !== asz) continue;
    if (f.osz !== 0 && !(mode === 64 && f.force64)) {
      const eff = mode === 64 && f.default64 ? oszD64 : oszBase;
      if (f.osz !== eff) continue;
    }
    // REX.B 90 is XCHG r8, rAX; 66 90 / REX.W 90 are XCHG AX, AX / RAX, RAX (as nasm and iced name them).
    if (key === 0x90 && f.exec === 'nop' && ((rex & 9) !== 0 || (prefixes & P_OPSIZE) !== 0)) continue;
    if (f.memOnly && mod === 3) { failedOnRegister = true; continue; }
    if (mod !== 3 && f.digit >= 0 && f.rmRegOnly) continue; // RDRAND/RDSEED: register only
    if ((f.modes & modeBit) === 0) { failedOnMode = true; continue; }
    return f.index + 1;
  }
  return failedOnMode ? SEL_MODE : failedOnRegister ? SEL_REGISTER : SEL_NONE;
}

/** An opcode of the 0F map without a (matching) table row: SSE/MMX/... lengths, else #UD. `p` is after the opcode. */
function decodeByMapInfo(bytes: Uint8Array, p: number, limit: number, end15: number, asz: number, map: number, op: number, out: Instruction): DecodeResult {
  if (map === 2) return decodeLengthOnly(bytes, p, limit, end15, asz, true, 0, out, unsupportedResults.sse);
  const info = map === 1 ? mapInfo[op] : 0;
  if (info === 0) return invalidResults.opcode;
  const family = info >> 4;
  let result: DecodeResult;
  if (family === MapFamily.Now3D) result = unsupportedResults['3dnow'];
  else if (family === MapFamily.Other) result = unsupportedResults.other;
  else if (family === MapFamily.Mmx) result = unsupportedResults.mmx;
  else if (family === MapFamily.Sse) result = unsupportedResults.sse;
  else result = (out.prefixes & (P_OPSIZE | P_REP | P_REPNE)) !== 0 ? unsupportedResults.sse : unsupportedResults.mmx;
  return decodeLengthOnly(bytes, p, limit, end15, asz, (info & 1) !== 0, (info >> 1) & 7, out, result);
}

