// The encoder: mnemonic + parsed operands → bytes, choosing the encoding nasm 2.16 chooses by
// default (-Ox): the shortest form, ties broken by table order (which lists nasm's preference
// first), nasm's address splitting ([eax*2] → [eax+eax]) and its MOV r64, imm32 shortening.
// Memory operands: encodeMemory.ts; field ranges: immediateRange.ts; candidate forms: encodeCandidates.ts.
// On the assembler's hot path: one scratch plan and byte buffer are reused, no closure is created per
// call, and only the result's bytes are allocated (errors may allocate). Imports only src/isa.
import type { Form, OperandSpec } from './form';
import { ModeBit } from './form';
import { isGpr, Reg, RegKind, regKind, regNumber, regSize, type RegId } from './registers';
import { memorySizeAmbiguous } from './tableIndex';
import { candidateForms, formsForOperands } from './encodeCandidates';
import * as encodeMemoryModule from './encodeMemory';
import * as immediateRangeModule from './immediateRange';

// Bound once (hot path: an imported binding can be a getter call per use under some loaders).
const { encodeMemory, memoryModrm } = encodeMemoryModule;
const { big, fitsEither, fitsSigned, SIGNED_MIN, UNSIGNED_END, wrapSigned } = immediateRangeModule;

/** An operand as the assembler parsed it. */
export type AsmOperand =
  | { kind: 'reg'; reg: RegId }
  | AsmMemory
  /** An immediate, or the target address of a relative branch. `relocatable`: derived from a label
   *  (nasm then keeps the full-size immediate: `push label` → 68 id, `mov rax, label` → REX.W B8 io). */
  | { kind: 'imm'; value: bigint | number; size?: number; strict?: boolean; branch?: 'short' | 'near'; relocatable?: boolean }
  /** A direct far pointer `seg:offset` (JMP/CALL ptr16:16 / ptr16:32). */
  | { kind: 'far'; segment: number; offset: number };

/** A memory operand `size [segment: base + index*scale + disp]`. */
export interface AsmMemory {
  kind: 'mem';
  /** Data size in bytes from `byte/word/dword/qword/tword/oword` (undefined = not given). */
  size?: number;
  base?: RegId;
  index?: RegId;
  /** 1, 2, 4, 8 (also 3, 5, 9 with no base: nasm splits them). Default 1. */
  scale?: number;
  /** Displacement; for `ripRelative` the absolute target address. */
  disp: bigint | number;
  /** Explicit segment override (always emitted, as nasm does). */
  segment?: RegId;
  /** `[rel x]` (or `default rel`): encode RIP-relative to `disp` as an absolute address. */
  ripRelative?: boolean;
  /** Forced displacement size from `[byte x]`, `[dword x]`, `[qword x]` (8 → moffs in 64-bit mode). */
  dispSize?: number;
  /** `far` was written (CALL/JMP far [mem]). */
  far?: boolean;
  /** `nosplit` was written: [eax*2] stays [eax*2+0]. */
  nosplit?: boolean;
  /** The displacement derives from a label: nasm keeps it full size (disp32/disp16, never disp8). */
  relocatable?: boolean;
}

/** What to encode. */
export interface EncodeRequest {
  mnemonic: string;
  operands: readonly AsmOperand[];
  mode: 16 | 32 | 64;
  /** Address of the instruction: needed for relative branches and RIP-relative operands (default 0). */
  address?: bigint | number;
  /** Prefix mnemonics written before it: lock, rep, repe, repz, repne, repnz, o16, o32, o64, a16, a32, a64. */
  prefixes?: readonly string[];
}

/** The result: bytes and the form used, or a message for the assembler's diagnostic. */
export type EncodeResult = { kind: 'ok'; bytes: Uint8Array; form: Form } | { kind: 'error'; message: string };

const prefixBytes: ReadonlyMap<string, number> = new Map([['lock', 0xf0], ['rep', 0xf3], ['repe', 0xf3], ['repz', 0xf3], ['repne', 0xf2], ['repnz', 0xf2]]);
const segmentOverride: Record<number, number> = { [Reg.ES]: 0x26, [Reg.CS]: 0x2e, [Reg.SS]: 0x36, [Reg.DS]: 0x3e, [Reg.FS]: 0x64, [Reg.GS]: 0x65 };

/** Room for everything but the request's own prefix words in one instruction's bytes. */
const FIXED_BYTES = 48;

/** The one planned encoding (before relative fields are resolved), reused for every candidate form. */
const plan = {
  /** Legacy prefix bytes in emission order. */
  pre: new Uint8Array(FIXED_BYTES),
  preLen: 0,
  rex: 0,
  /** Opcode bytes (escape bytes, or the three VEX bytes, then the opcode). */
  opc: new Uint8Array(8),
  opcLen: 0,
  modrm: -1,
  sib: -1,
  disp: 0n,
  dispSize: 0,
  /** true when disp is an absolute RIP-relative target to resolve against the end of the instruction. */
  dispRipTarget: false,
  /** Segment-override byte of a moffs operand, or 0. */
  moffsSegment: 0,
  immValue: [0n, 0n, 0n, 0n] as bigint[],
  immSize: new Uint8Array(4),
  immCount: 0,
  /** Index into the immediates of a rel operand whose value is the absolute target, or -1. */
  relIndex: -1,
};

function resetPlan(): void {
  plan.preLen = 0; plan.rex = 0; plan.opcLen = 0; plan.modrm = -1; plan.sib = -1; plan.disp = 0n; plan.dispSize = 0;
  plan.dispRipTarget = false; plan.moffsSegment = 0; plan.immCount = 0; plan.relIndex = -1;
}

function pushImm(value: bigint, size: number): void {
  plan.immValue[plan.immCount] = value;
  plan.immSize[plan.immCount] = size;
  plan.immCount++;
}

/** What the request's prefix words say (scanned once per encode). */
const reqPrefix = {
  /** 2, 4 or 8 for the first `o16`/`o32`/`o64` written, else 0. */
  oSize: 0,
  o16: false, o32: false, a16: false, a32: false,
  /** lock/rep bytes in the order written. */
  bytes: new Uint8Array(FIXED_BYTES),
  count: 0,
};

function scanPrefixes(prefixes: readonly string[] | undefined): void {
  reqPrefix.oSize = 0; reqPrefix.o16 = false; reqPrefix.o32 = false; reqPrefix.a16 = false; reqPrefix.a32 = false; reqPrefix.count = 0;
  if (prefixes === undefined) return;
  for (let i = 0; i < prefixes.length; i++) {
    const l = prefixes[i].toLowerCase();
    if (l === 'o16') { reqPrefix.o16 = true; if (reqPrefix.oSize === 0) reqPrefix.oSize = 2; }
    else if (l === 'o32') { reqPrefix.o32 = true; if (reqPrefix.oSize === 0) reqPrefix.oSize = 4; }
    else if (l === 'o64') { if (reqPrefix.oSize === 0) reqPrefix.oSize = 8; }
    else if (l === 'a16') reqPrefix.a16 = true;
    else if (l === 'a32') reqPrefix.a32 = true;
    else {
      const b = prefixBytes.get(l);
      if (b !== undefined) reqPrefix.bytes[reqPrefix.count++] = b;
    }
  }
}

/** Bytes of the planned candidate (layout writes here) and of the best one so far. */
let candidate = new Uint8Array(FIXED_BYTES);
let best = new Uint8Array(FIXED_BYTES);

/** Grows the scratch buffers when a request writes more prefix words than they have room for (rare). */
function ensureRoom(prefixCount: number): void {
  if (prefixCount + FIXED_BYTES <= candidate.length) return;
  const size = prefixCount + FIXED_BYTES;
  candidate = new Uint8Array(size);
  best = new Uint8Array(size);
  plan.pre = new Uint8Array(size);
  reqPrefix.bytes = new Uint8Array(size);
}

/** Encode one instruction. Never throws: problems come back as `{kind:'error'}`. */
export function encode(req: EncodeRequest): EncodeResult {
  try {
    return encodeUnchecked(req);
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

/** true when some form has operand-size prefix size `oSize` and `count` operands. */
function someFormHasOsz(forms: readonly Form[], oSize: number, count: number): boolean {
  for (let i = 0; i < forms.length; i++) if (forms[i].osz === oSize && forms[i].operands.length === count) return true;
  return false;
}

function encodeUnchecked(req: EncodeRequest): EncodeResult {
  const forms = candidateForms(req.mnemonic);
  if (forms.length === 0) return { kind: 'error', message: `unknown instruction '${req.mnemonic}'` };
  let operands = req.operands;
  // nasm: AAM/AAD without an operand use base 10.
  if ((forms[0].mnemonic === 'aam' || forms[0].mnemonic === 'aad') && operands.length === 0) operands = [{ kind: 'imm', value: 10n }];
  // nasm: IMUL r, imm is IMUL r, r, imm.
  if (forms[0].mnemonic === 'imul' && operands.length === 2 && operands[0].kind === 'reg' && operands[1].kind === 'imm') operands = [operands[0], operands[0], operands[1]];
  // nasm -Ox: MOV r64, imm that fits in 32 unsigned bits is MOV r32, imm32 (zero-extends).
  if (req.mode === 64 && forms[0].mnemonic === 'mov' && operands.length === 2 && operands[0].kind === 'reg' && regKind(operands[0].reg) === RegKind.Gpr64) {
    const src = operands[1];
    if (src.kind === 'imm' && !src.strict && !src.relocatable) {
      const v = big(src.value);
      if (v >= 0n && v <= 0xffffffffn) operands = [{ kind: 'reg', reg: 0x30 | regNumber(operands[0].reg) }, src];
    }
  }
  const modeBit = req.mode === 16 ? ModeBit.M16 : req.mode === 32 ? ModeBit.M32 : ModeBit.M64;
  ensureRoom(req.prefixes?.length ?? 0);
  scanPrefixes(req.prefixes);
  const oPrefix = reqPrefix.oSize;
  let bestForm: Form | null = null;
  let bestLen = 0;
  let firstError: string | null = null;
  // Only forms valid in the mode whose specs may take the operands' shapes (the rest fail `matches`).
  const tried = formsForOperands(req.mnemonic, operands, req.mode);
  for (let k = 0; k < tried.length; k++) {
    const form = tried[k];
    if (oPrefix !== 0 && form.osz !== 0 && form.osz !== oPrefix) continue;
    if (oPrefix !== 0 && form.osz === 0 && someFormHasOsz(forms, oPrefix, form.operands.length)) continue;
    const problem = planForm(form, operands, req, oPrefix);
    if (problem !== null) { if (problem !== '') firstError ??= problem; continue; }
    const len = layout(req);
    if (len < 0) continue;
    if (bestForm === null || len < bestLen) {
      bestForm = form;
      bestLen = len;
      for (let i = 0; i < len; i++) best[i] = candidate[i];
    }
  }
  if (bestForm !== null) {
    const bytes = new Uint8Array(bestLen); // cheaper than slice() for a few bytes
    for (let i = 0; i < bestLen; i++) bytes[i] = best[i];
    return { kind: 'ok', bytes, form: bestForm };
  }
  const lower = req.mnemonic.toLowerCase();
  let anyInMode = false;
  for (let k = 0; k < forms.length; k++) if ((forms[k].modes & modeBit) !== 0) anyInMode = true;
  if (!anyInMode) return { kind: 'error', message: `'${lower}' is not valid in ${req.mode}-bit mode` };
  return { kind: 'error', message: firstError ?? `invalid combination of opcode and operands for '${lower}'` };
}

/** true when a register or memory operand of the form fixes its operand size. */
function sizedByOperands(form: Form): boolean {
  for (let i = 0; i < form.operands.length; i++) {
    const s = form.operands[i];
    if (s.kind === 'reg' || s.kind === 'rm' || s.kind === 'mem' || s.kind === 'rmReg' || s.kind === 'opReg' || s.kind === 'moffs' || (s.kind === 'fixed' && s.fixed !== Reg.DX && s.fixed !== Reg.CL && s.fixed < 0x50)) return true;
  }
  return false;
}

/** Default operand size (bytes) of a form in a mode. */
function defaultOsz(form: Form, mode: number): number {
  if (mode === 16) return 2;
  if (mode === 32) return 4;
  return form.default64 || form.force64 ? 8 : 4;
}

/** Does operand `a` fit spec `s` of `form` (operand number `index`)? */
function matches(s: OperandSpec, a: AsmOperand, form: Form, index: number, mode: number): boolean {
  if (a.kind === 'mem' && a.dispSize === 8 && s.kind !== 'moffs') return false;
  switch (s.kind) {
    case 'reg': case 'rmReg': case 'opReg': case 'vvvv':
      return a.kind === 'reg' && isGpr(a.reg) && regSize(a.reg) === s.size;
    case 'fixed':
      return a.kind === 'reg' && a.reg === s.fixed;
    case 'sreg':
      return a.kind === 'reg' && regKind(a.reg) === RegKind.Segment;
    case 'cr':
      return a.kind === 'reg' && regKind(a.reg) === RegKind.Control;
    case 'dr':
      return a.kind === 'reg' && regKind(a.reg) === RegKind.Debug;
    case 'rm':
      if (a.kind === 'reg') return isGpr(a.reg) && regSize(a.reg) === s.size;
      if (a.kind !== 'mem' || a.far) return false;
      if (a.size !== undefined) return a.size === s.memSize;
      // nasm: a sizeless near CALL/JMP [mem] uses the mode's operand size.
      if (form.exec === 'callIndirect' || form.exec === 'jmpIndirect') return form.osz === (mode === 64 ? 8 : mode === 16 ? 2 : 4);
      // Size not written: only when another operand (a register) fixes it, or no other form differs.
      return s.memSize !== s.size || !memorySizeAmbiguous(form, index, mode);
    case 'mem': {
      if (a.kind !== 'mem') return false;
      const farForm = form.exec === 'callFarIndirect' || form.exec === 'jmpFarIndirect';
      if (farForm !== (a.far === true)) return false;
      if (farForm) return a.size === undefined || a.size === form.osz;
      if (s.size === 0) return true;
      if (a.size === undefined) return farForm || !memorySizeAmbiguous(form, index, mode) || s.text.includes('&') || s.text.startsWith('m16:');
      if (s.text.startsWith('m16:') || s.text.includes('&')) return false;
      return a.size === s.size;
    }
    case 'moffs':
      return a.kind === 'mem' && a.base === undefined && a.index === undefined && !a.ripRelative && (a.size === undefined || a.size === s.size);
    case 'imm': case 'imm2':
      return a.kind === 'imm' && a.branch === undefined && (!a.strict || a.size === undefined || a.size === s.size);
    case 'one':
      return a.kind === 'imm' && (typeof a.value === 'bigint' ? a.value === 1n : Math.trunc(a.value) === 1) && !a.strict;
    case 'rel':
      return a.kind === 'imm' && (a.branch !== 'short' || s.size === 1) && (a.branch !== 'near' || s.size > 1);
    case 'ptr':
      return a.kind === 'far';
  }
}

/** Register facts noted while planning one form (module state instead of a closure per plan). */
let rexNeeded = false;
let highByteUsed = false;

/** The register number for ModRM/opcode fields, noting REX-only byte registers and AH..BH. */
function noteReg(r: RegId): number {
  const kind = regKind(r);
  if (kind === RegKind.Gpr8 && r >= 4 && r <= 7) rexNeeded = true;
  if (kind === RegKind.Gpr8High) { highByteUsed = true; return 4 + regNumber(r); }
  return regNumber(r);
}

/** Plans `form` for the operands into `plan`: null when planned, '' when the form does not fit, else why not. */
function planForm(form: Form, operands: readonly AsmOperand[], req: EncodeRequest, oPrefix: number): string | null {
  const specs = form.operands;
  const mode = req.mode;
  for (let i = 0; i < specs.length; i++) if (!matches(specs[i], operands[i], form, i, mode)) return '';
  // Immediates, branch targets and far pointers do not size the operation: nasm uses the mode's
  // default operand size unless a size keyword (push word 1) or o16/o32 says otherwise.
  if (specs.length > 0 && form.osz !== 0 && !sizedByOperands(form) && !(mode === 64 && form.force64)) {
    let explicit = 0;
    for (let i = 0; i < operands.length; i++) {
      const a = operands[i];
      if (a.kind === 'imm' && !a.strict && a.size !== undefined) explicit = a.size;
    }
    const want = explicit || oPrefix || defaultOsz(form, mode);
    if (form.osz !== want) return '';
  }
  // nasm's CALL/JMP far [mem] is the m16:64 form (REX.W) in 64-bit code, else the mode's size; `dword far` says otherwise.
  if (form.exec === 'callFarIndirect' || form.exec === 'jmpFarIndirect') {
    const m = operands[0] as AsmMemory;
    if (form.osz !== (m.size || oPrefix || (mode === 64 ? 8 : mode === 16 ? 2 : 4))) return '';
  }
  resetPlan();
  rexNeeded = false;
  highByteUsed = false;
  let opSize = form.byteOp ? 1 : form.osz !== 0 ? form.osz : defaultOsz(form, mode);
  if (form.osz === 0 && !form.byteOp) opSize = defaultOsz(form, mode);
  let modrmReg = form.digit >= 0 ? form.digit : 0;
  let modrmRm = 0;
  let mod = 3;
  let opcodeLow = 0;
  let vvvv = 0;
  let mem: AsmMemory | null = null;
  let memAsz = 0;
  for (let i = 0; i < specs.length; i++) {
    const s = specs[i];
    const a = operands[i];
    switch (s.kind) {
      case 'reg': case 'sreg': case 'cr': case 'dr':
        modrmReg = noteReg((a as { reg: RegId }).reg);
        break;
      case 'rm': case 'rmReg':
        if (a.kind === 'reg') { modrmRm = noteReg(a.reg); mod = 3; } else { mem = a as AsmMemory; }
        break;
      case 'mem':
        mem = a as AsmMemory;
        break;
      case 'opReg':
        opcodeLow = noteReg((a as { reg: RegId }).reg);
        break;
      case 'vvvv':
        vvvv = regNumber((a as { reg: RegId }).reg);
        if (vvvv > 7 && mode !== 64) return 'register needs VEX.vvvv bit 3: only in 64-bit mode';
        break;
      case 'imm': case 'imm2': {
        const v = big((a as { value: bigint | number }).value);
        if ((a as { relocatable?: boolean }).relocatable && s.size < opSize && !(s.size === 4 && opSize === 8 && form.exec !== 'mov')) return '';
        const r = immediateFits(v, s, form, opSize);
        if (r === null) return `immediate ${v} out of range for ${s.text}`;
        pushImm(r, s.size);
        break;
      }
      case 'rel':
        plan.relIndex = plan.immCount;
        pushImm(big((a as { value: bigint | number }).value), s.size);
        break;
      case 'ptr': {
        const f = a as { segment: number; offset: number };
        const offSize = s.size - 2;
        const offset = BigInt(f.offset);
        if (!fitsEither(offset, offSize)) return 'far pointer offset out of range';
        pushImm(offset, offSize);
        pushImm(BigInt(f.segment), 2);
        break;
      }
      case 'moffs': {
        const m = a as AsmMemory;
        const asz = mode === 16 ? 2 : mode === 32 ? 4 : 8;
        if (mode === 64 && m.dispSize !== 8) return '';
        if (m.segment !== undefined) plan.moffsSegment = segmentOverride[m.segment];
        pushImm(big(m.disp), asz);
        break;
      }
      case 'fixed': case 'one':
        if (a.kind === 'reg') noteReg(a.reg);
        break;
    }
  }
  if (form.rexW || form.vexW === 1) plan.rex |= 8;
  if (form.hasModrm) {
    if (mem !== null) {
      const problem = encodeMemory(mem, mode, plan);
      if (problem !== null) return problem;
      mod = memoryModrm.mod; modrmRm = memoryModrm.rm; memAsz = memoryModrm.asz;
    }
    plan.rex |= ((modrmReg >> 3) & 1) << 2;
    if (mem === null) plan.rex |= (modrmRm >> 3) & 1;
    plan.modrm = form.fixedModrm >= 0 ? form.fixedModrm : (mod << 6) | ((modrmReg & 7) << 3) | (modrmRm & 7);
  }
  if (form.opcodeReg) plan.rex |= (opcodeLow >> 3) & 1;
  if (mode === 64 && form.opcodeReg && form.opcode === 0x90 && opcodeLow === 0 && opSize === 4 && form.exec === 'xchg') return ''; // 90 is NOP, not XCHG EAX,EAX
  if (form.vex) {
    if ((plan.rex & 7) !== 0 && mode !== 64) return 'register needs VEX.R/X/B: only in 64-bit mode';
  } else if (plan.rex !== 0 || rexNeeded) {
    if (mode !== 64) return 'register needs REX: only in 64-bit mode';
    if (highByteUsed) return 'AH, BH, CH, DH cannot be used in an instruction that needs REX';
    plan.rex |= 0x40;
  }
  // Legacy prefixes in nasm's order: lock/rep, segment, operand size, address size, mandatory.
  const pre = plan.pre;
  for (let i = 0; i < reqPrefix.count; i++) pre[plan.preLen++] = reqPrefix.bytes[i];
  if (mem !== null && mem.segment !== undefined) pre[plan.preLen++] = segmentOverride[mem.segment];
  if (plan.moffsSegment !== 0) pre[plan.preLen++] = plan.moffsSegment;
  const osz = form.osz;
  const needOpsizePrefix = !form.vex && osz !== 0 && !(mode === 64 && form.force64) && (mode === 16 ? osz === 4 : osz === 2);
  if (needOpsizePrefix || (osz === 0 && ((reqPrefix.o16 && mode !== 16) || (reqPrefix.o32 && mode === 16)))) pre[plan.preLen++] = 0x66;
  const defaultAsz = mode === 16 ? 2 : mode === 32 ? 4 : 8;
  const asz = memAsz !== 0 ? memAsz : form.asz !== 0 ? form.asz : defaultAsz;
  if (asz !== defaultAsz) {
    if (mode === 64 && asz === 2) return '16-bit addressing is not valid in 64-bit mode';
    if (mode !== 64 && asz === 8) return '64-bit registers are only valid in 64-bit mode';
    pre[plan.preLen++] = 0x67;
  } else if ((reqPrefix.a16 && mode !== 16) || (reqPrefix.a32 && (mode === 16 || mode === 64))) pre[plan.preLen++] = 0x67;
  const opc = plan.opc;
  if (form.vex) {
    // Three-byte VEX (C4): R̄X̄B̄ mmmmm, W v̄v̄v̄v̄ L pp (SDM Vol. 2 §2.3.5); nasm never uses C5 for 0F38/0F3A.
    const r = plan.rex;
    const pp = form.mandatory === '66' ? 1 : form.mandatory === 'F3' ? 2 : form.mandatory === 'F2' ? 3 : 0;
    opc[0] = 0xc4;
    opc[1] = ((~r & 7) << 5) | form.map;
    opc[2] = ((r & 8) << 4) | ((~vvvv & 15) << 3) | pp;
    opc[3] = form.opcode;
    plan.opcLen = 4;
    plan.rex = 0;
    return null;
  }
  if (form.mandatory === 'F3') pre[plan.preLen++] = 0xf3;
  else if (form.mandatory === 'F2') pre[plan.preLen++] = 0xf2;
  else if (form.mandatory === '66') pre[plan.preLen++] = 0x66;
  if (form.map === 1) opc[plan.opcLen++] = 0x0f;
  else if (form.map === 2) { opc[plan.opcLen++] = 0x0f; opc[plan.opcLen++] = 0x38; }
  else if (form.map === 3) { opc[plan.opcLen++] = 0x0f; opc[plan.opcLen++] = 0x3a; }
  opc[plan.opcLen++] = form.opcode | (form.opcodeReg ? opcodeLow & 7 : 0);
  return null;
}

/** The immediate to emit for spec `s`, or null when the value does not fit (nasm's ranges). */
function immediateFits(v: bigint, s: OperandSpec, form: Form, opSize: number): bigint | null {
  if (s.size === 8) return v >= 0n && v < UNSIGNED_END[8] ? v : BigInt.asUintN(64, v);
  if (!fitsEither(v, opSize)) return null;
  if (form.immSigned && s.size < opSize) {
    // Sign-extended: compare at operand size (nasm truncates 64-bit operands to 32 bits first).
    let w = wrapSigned(v, Math.min(opSize, 8));
    if (opSize === 8 && !fitsSigned(w, 4)) {
      // nasm takes 0x80000000..0xffffffff as the dword (with a warning); larger values do not fit.
      if (v < 0n || v > 0xffffffffn) return null;
      w = wrapSigned(v, 4);
    }
    return fitsSigned(w, s.size) ? w : null;
  }
  return fitsEither(v, s.size) ? v : null;
}

/** Writes the low `size` bytes of v little-endian at out[at]. */
function putLE(out: Uint8Array, at: number, v: bigint, size: number): void {
  // Values within int32/uint32 convert directly (no intermediate BigInt); the high half is then the sign.
  const small = v >= SIGNED_MIN[4] && v < UNSIGNED_END[4];
  let lo = small ? Number(v) | 0 : Number(BigInt.asUintN(32, v));
  const n = size < 4 ? size : 4;
  for (let i = 0; i < n; i++) { out[at + i] = lo & 0xff; lo >>>= 8; }
  if (size > 4) {
    let hi = small ? (v < 0n ? -1 : 0) : Number(BigInt.asUintN(32, v >> 32n));
    for (let i = 4; i < size; i++) { out[at + i] = hi & 0xff; hi >>>= 8; }
  }
}

/** Lays the plan out into `candidate`, resolving the relative branch and RIP-relative fields: its length, or -1 when a rel does not fit. */
function layout(req: EncodeRequest): number {
  const out = candidate;
  let n = 0;
  for (let i = 0; i < plan.preLen; i++) out[n++] = plan.pre[i];
  if (plan.rex !== 0) out[n++] = plan.rex;
  for (let i = 0; i < plan.opcLen; i++) out[n++] = plan.opc[i];
  if (plan.modrm >= 0) out[n++] = plan.modrm;
  if (plan.sib >= 0) out[n++] = plan.sib;
  let total = n + plan.dispSize;
  for (let i = 0; i < plan.immCount; i++) total += plan.immSize[i];
  const relative = plan.dispRipTarget || plan.relIndex >= 0;
  const end = relative ? big(req.address ?? 0) + BigInt(total) : 0n;
  let disp = plan.disp;
  if (plan.dispRipTarget) {
    disp = disp - end;
    if (!fitsSigned(disp, 4)) return -1;
  }
  if (plan.dispSize !== 0) { putLE(out, n, disp, plan.dispSize); n += plan.dispSize; }
  for (let i = 0; i < plan.immCount; i++) {
    const size = plan.immSize[i];
    let v = plan.immValue[i];
    if (i === plan.relIndex) {
      v = v - end;
      const opBytes = req.mode === 64 ? 8 : size === 2 ? 2 : 4;
      v = wrapSigned(v, opBytes);
      if (!fitsSigned(v, size)) return -1;
    }
    putLE(out, n, v, size);
    n += size;
  }
  return n;
}
