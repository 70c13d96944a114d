// The VEX (C4/C5), EVEX (62) and XOP (8F) paths of the decoder: the general-purpose VEX forms
// (BMI1/BMI2 rows of tableVex.ts) are decoded in full; everything else is measured for its length and
// reported unsupported (AVX, AVX-512, XOP). Called by decode.ts after the escape byte. Imports only src/isa.
import type { Form } from './form';
import { Instruction, Prefix, type DecodeResult } from './instruction';
import { twoByteMapInfo } from './opcodeMaps';
import * as parts from './decodeParts';
import { vexDecodeIndex as importedVexDecodeIndex, vexOpcodes as importedVexOpcodes } from './tableIndex';

// Module-local copies (CommonJS transpilers turn imported bindings into getter calls).
const { OK, invalidResults, unsupportedResults, need, statusResult, readMemory, gprOf, decodeLengthOnly } = parts;
const vexDecodeIndex = importedVexDecodeIndex;
const vexOpcodes = importedVexOpcodes;
const mapInfo = twoByteMapInfo;
const P_LOCK = Prefix.Lock;
const P_REP = Prefix.Rep;
const P_REPNE = Prefix.Repne;
const P_OPSIZE = Prefix.OpSize;

/** VEX (C4/C5), EVEX (62) and XOP (8F) encoded forms; `p` is at the byte after the escape. */
export function decodeVex(bytes: Uint8Array, p: number, limit: number, end15: number, escape: number, out: Instruction): DecodeResult {
  const asz = out.addrSize;
  if (out.rex !== 0 || (out.prefixes & (P_OPSIZE | P_REP | P_REPNE | P_LOCK)) !== 0) return invalidResults.opcode;
  let map: number;
  let headerBytes: number;
  let result: DecodeResult;
  if (escape === 0xc5) { map = 1; headerBytes = 1; result = unsupportedResults.avx; }
  else if (escape === 0xc4) { map = bytes[p] & 0x1f; headerBytes = 2; result = unsupportedResults.avx; }
  else if (escape === 0x62) { map = bytes[p] & 7; headerBytes = 3; result = unsupportedResults.avx512; }
  else { map = bytes[p] & 0x1f; headerBytes = 2; result = unsupportedResults.xop; }
  const st = need(p + headerBytes + 1, limit, end15);
  if (st !== 0) return statusResult(st);
  const op = bytes[p + headerBytes];
  // The 0F38 F0–F7 / 0F3A F0 VEX space holds only these general-purpose forms: no row is #UD.
  if (escape === 0xc4 && map <= 3 && vexOpcodes[map * 256 + op] !== 0) return decodeVexForm(bytes, p, limit, end15, map, op, out);
  p += headerBytes + 1;
  let imm = 0;
  let modrm = true;
  if (escape === 0x8f) imm = map === 8 ? 1 : map === 10 ? 4 : 0;
  else if (map === 3) imm = 1;
  else if (map === 1) {
    const info = mapInfo[op];
    imm = (info >> 1) & 7;
    if (op === 0x77) modrm = false;
  }
  return decodeLengthOnly(bytes, p, limit, end15, asz, modrm, imm, out, result);
}

/** VEX.pp → the mandatory-prefix class it stands for (SDM Vol. 2 §2.3.5.6). */
const vexPp: readonly Form['mandatory'][] = ['none', '66', 'F3', 'F2'];

/**
 * A general-purpose VEX form (BMI1/BMI2) after a C4 escape; `p` is at VEX byte 1. #UD ('opcode') when
 * no row has this opcode, pp, W and ModRM.reg, when VEX.L = 1, or when an unused VEX.vvvv is not 1111b.
 * SDM Vol. 2 §2.3.5: R, X, B, vvvv are stored inverted; outside 64-bit mode VEX.B, W and vvvv[3] are
 * ignored for the register chosen — but an unused vvvv must still be 1111b in all four bits (iced-x86 agrees).
 */
function decodeVexForm(bytes: Uint8Array, p: number, limit: number, end15: number, map: number, op: number, out: Instruction): DecodeResult {
  const start = end15 - 15;
  const st = need(p + 4, limit, end15);
  if (st !== 0) return statusResult(st);
  const b1 = bytes[p];
  const b2 = bytes[p + 1];
  const modrm = bytes[p + 3];
  const mode = out.mode;
  const is64 = mode === 64;
  const w = is64 ? b2 >> 7 : 0;
  const vvvvRaw = (~b2 >> 3) & 15;
  const vvvv = is64 ? vvvvRaw : vvvvRaw & 7;
  const rex = is64 ? 0x40 | (w << 3) | (((~b1) >> 5) & 7) : 0;
  const candidates = vexDecodeIndex[(map * 256 + op) * 8 + ((modrm >> 3) & 7)];
  const pp = vexPp[b2 & 3];
  const osz = w === 1 ? 8 : 4;
  let form: Form | null = null;
  for (let i = 0; i < candidates.length; i++) {
    const f = candidates[i];
    if (f.mandatory === pp && f.osz === osz) { form = f; break; }
  }
  if (form === null) return invalidResults.opcode;
  // VEX.L must be 0 (the rows are VEX.LZ), and an operand-less vvvv must be 1111b (RORX).
  if ((b2 & 4) !== 0) return invalidResults.opcode;
  const ops = form.operands;
  let usesVvvv = false;
  for (let i = 0; i < ops.length; i++) if (ops[i].kind === 'vvvv') usesVvvv = true;
  if (!usesVvvv && vvvvRaw !== 0) return invalidResults.opcode;
  out.rex = rex;
  out.vvvv = vvvv;
  out.form = form;
  out.mnemonic = form.mnemonic;
  out.exec = form.exec;
  out.opSize = osz;
  out.hasModrm = true;
  out.modrm = modrm;
  const mod = modrm >> 6;
  out.mod = mod;
  out.regField = ((modrm >> 3) & 7) | ((rex & 4) << 1);
  out.rmField = (modrm & 7) | ((rex & 1) << 3);
  let q = p + 4;
  if (mod !== 3) {
    q = readMemory(bytes, q, limit, end15, out.addrSize, out);
    if (q < 0) return statusResult(q);
  }
  for (let i = 0; i < ops.length; i++) {
    const s = ops[i];
    const o = out.operands[i];
    o.size = s.size;
    switch (s.kind) {
      case 'reg': o.kind = 'reg'; o.reg = gprOf(s.size, out.regField, rex); break;
      case 'vvvv': o.kind = 'reg'; o.reg = gprOf(s.size, vvvv, rex); break;
      case 'rm':
        if (mod === 3) { o.kind = 'reg'; o.reg = gprOf(s.size, out.rmField, rex); }
        else { o.kind = 'mem'; o.reg = 0; }
        break;
      default: { // imm8 (RORX), zero-extended
        const st2 = need(q + 1, limit, end15);
        if (st2 !== 0) return statusResult(st2);
        o.kind = 'imm'; o.reg = 0;
        out.imm = bytes[q]; out.immHi = 0; out.immSize = 1;
        q += 1;
      }
    }
  }
  out.operandCount = ops.length;
  out.length = q - start;
  return OK;
}
