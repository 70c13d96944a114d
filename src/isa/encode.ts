// The encoder: mnemonic + parsed operands → bytes, choosing the encoding nasm 2.16 chooses by
// default (-Ox): the shortest form, ties broken by table order (which lists nasm's preference
// first), nasm's address splitting ([eax*2] → [eax+eax]) and its MOV r64, imm32 shortening.
// Not on a hot path (the assembler's), so it may allocate. Imports only src/isa.
import type { Form, OperandSpec } from './form';
import { ModeBit } from './form';
import { isGpr, Reg, RegKind, regKind, regName, regNumber, regSize, type RegId } from './registers';
import { formsForMnemonic, memorySizeAmbiguous } from './tableIndex';

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

/** Sizeless nasm mnemonics that mean "the default operand size" (PUSHF in 32-bit code is PUSHFD). */
const sizelessFamilies: Record<string, string[]> = {
  pushf: ['pushf', 'pushfd', 'pushfq'],
  popf: ['popf', 'popfd', 'popfq'],
  pusha: ['pusha', 'pushad'],
  popa: ['popa', 'popad'],
  iret: ['iret', 'iretd', 'iretq'],
  sysret: ['sysret', 'sysretq'],
  sysexit: ['sysexit', 'sysexitq'],
};

const prefixBytes: Record<string, number> = { lock: 0xf0, rep: 0xf3, repe: 0xf3, repz: 0xf3, repne: 0xf2, repnz: 0xf2 };
const segmentOverride: Record<number, number> = { [Reg.ES]: 0x26, [Reg.CS]: 0x2e, [Reg.SS]: 0x36, [Reg.DS]: 0x3e, [Reg.FS]: 0x64, [Reg.GS]: 0x65 };

function big(v: bigint | number): bigint {
  return typeof v === 'bigint' ? v : BigInt(Math.trunc(v));
}

/** Signed value of v wrapped to `bytes` bytes. */
function wrapSigned(v: bigint, bytes: number): bigint {
  return BigInt.asIntN(bytes * 8, v);
}

function fitsSigned(v: bigint, bytes: number): boolean {
  const lim = 1n << BigInt(bytes * 8 - 1);
  return v >= -lim && v < lim;
}

function fitsEither(v: bigint, bytes: number): boolean {
  const lim = 1n << BigInt(bytes * 8 - 1);
  return v >= -lim && v < lim * 2n;
}

/** A planned encoding before relative fields are resolved. */
interface Plan {
  form: Form;
  prefixes: number[];
  rex: number;
  opcode: number[];
  modrm: number;
  sib: number;
  disp: bigint;
  dispSize: number;
  /** true when disp is an absolute RIP-relative target to resolve against the end of the instruction. */
  dispRipTarget: boolean;
  imms: { value: bigint; size: number }[];
  /** Index into imms of a rel operand whose value is the absolute target, or -1. */
  relIndex: number;
}

/** Encode one instruction. Never throws: problems come back as `{kind:'error'}`. */
export function encode(req: EncodeRequest): EncodeResult {
  try {
    return encodeUnchecked(req);
  } catch (e) {
    return { kind: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

function encodeUnchecked(req: EncodeRequest): EncodeResult {
  const lower = req.mnemonic.toLowerCase();
  const family = sizelessFamilies[lower];
  const forms: Form[] = family ? family.flatMap((m) => [...formsForMnemonic(m)]) : [...formsForMnemonic(lower)];
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
  const oPrefix = operandSizePrefix(req);
  let best: { bytes: Uint8Array; form: Form } | null = null;
  let firstError: string | null = null;
  for (const form of forms) {
    if ((form.modes & modeBit) === 0) continue;
    if (form.operands.length !== operands.length) continue;
    if (oPrefix !== 0 && form.osz !== 0 && form.osz !== oPrefix) continue;
    if (oPrefix !== 0 && form.osz === 0 && forms.some((f) => f.osz === oPrefix && f.operands.length === form.operands.length)) continue;
    const plan = planForm(form, operands, req, oPrefix);
    if (typeof plan === 'string') { if (plan !== '') firstError ??= plan; continue; }
    const bytes = layout(plan, req);
    if (bytes === null) continue;
    if (best === null || bytes.length < best.bytes.length) best = { bytes, form };
  }
  if (best !== null) return { kind: 'ok', bytes: best.bytes, form: best.form };
  if (!forms.some((f) => (f.modes & modeBit) !== 0)) return { kind: 'error', message: `'${lower}' is not valid in ${req.mode}-bit mode` };
  return { kind: 'error', message: firstError ?? `invalid combination of opcode and operands for '${lower}'` };
}

/** 2, 4 or 8 for an `o16`/`o32`/`o64` prefix written before the instruction, else 0. */
function operandSizePrefix(req: EncodeRequest): number {
  for (const p of req.prefixes ?? []) {
    const l = p.toLowerCase();
    if (l === 'o16') return 2;
    if (l === 'o32') return 4;
    if (l === 'o64') return 8;
  }
  return 0;
}

/** true when a register or memory operand of the form fixes its operand size. */
function sizedByOperands(form: Form): boolean {
  return form.operands.some((s) => s.kind === 'reg' || s.kind === 'rm' || s.kind === 'mem' || s.kind === 'rmReg' || s.kind === 'opReg' || s.kind === 'moffs' || (s.kind === 'fixed' && s.fixed !== Reg.DX && s.fixed !== Reg.CL && s.fixed < 0x50));
}

/** Default operand size (bytes) of a form in a mode. */
function defaultOsz(form: Form, mode: number): number {
  if (mode === 16) return 2;
  if (mode === 32) return 4;
  return form.default64 || form.force64 ? 8 : 4;
}

/** Does operand `a` fit spec `s` of `form` (`all` = every operand of the request)? */
function matches(s: OperandSpec, a: AsmOperand, form: Form, all: readonly AsmOperand[], index: number, mode: number): boolean {
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
      return a.kind === 'imm' && big(a.value) === 1n && !a.strict;
    case 'rel':
      return a.kind === 'imm' && (a.branch !== 'short' || s.size === 1) && (a.branch !== 'near' || s.size > 1);
    case 'ptr':
      return a.kind === 'far';
  }
}

function planForm(form: Form, operands: readonly AsmOperand[], req: EncodeRequest, oPrefix: number): Plan | string {
  const specs = form.operands;
  for (let i = 0; i < specs.length; i++) if (!matches(specs[i], operands[i], form, operands, i, req.mode)) return '';
  const mode = req.mode;
  // Immediates, branch targets and far pointers do not size the operation: nasm uses the mode's
  // default operand size unless a size keyword (push word 1) or o16/o32 says otherwise.
  if (specs.length > 0 && form.osz !== 0 && !sizedByOperands(form) && !(mode === 64 && form.force64)) {
    let explicit = 0;
    for (const a of operands) if (a.kind === 'imm' && !a.strict && a.size !== undefined) explicit = a.size;
    const want = explicit || oPrefix || defaultOsz(form, mode);
    if (form.osz !== want) return '';
  }
  // nasm's CALL/JMP far [mem] is the m16:64 form (REX.W) in 64-bit code, else the mode's size; `dword far` says otherwise.
  if (form.exec === 'callFarIndirect' || form.exec === 'jmpFarIndirect') {
    const m = operands[0] as AsmMemory;
    if (form.osz !== (m.size || oPrefix || (mode === 64 ? 8 : mode === 16 ? 2 : 4))) return '';
  }
  const plan: Plan = { form, prefixes: [], rex: 0, opcode: [], modrm: -1, sib: -1, disp: 0n, dispSize: 0, dispRipTarget: false, imms: [], relIndex: -1 };
  let rexNeeded = false;
  let highByteUsed = false;
  let opSize = form.byteOp ? 1 : form.osz !== 0 ? form.osz : defaultOsz(form, mode);
  if (form.osz === 0 && !form.byteOp) opSize = defaultOsz(form, mode);
  let modrmReg = form.digit >= 0 ? form.digit : 0;
  let modrmRm = 0;
  let mod = 3;
  let opcodeLow = 0;
  let vvvv = 0;
  let mem: AsmMemory | null = null;
  let memAsz = 0;
  const noteReg = (r: RegId): number => {
    if (regKind(r) === RegKind.Gpr8 && r >= 4 && r <= 7) rexNeeded = true;
    if (regKind(r) === RegKind.Gpr8High) { highByteUsed = true; return 4 + regNumber(r); }
    return regNumber(r);
  };
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
        plan.imms.push({ value: r, size: s.size });
        break;
      }
      case 'rel':
        plan.relIndex = plan.imms.length;
        plan.imms.push({ value: big((a as { value: bigint | number }).value), size: s.size });
        break;
      case 'ptr': {
        const f = a as { segment: number; offset: number };
        const offSize = s.size - 2;
        if (!fitsEither(BigInt(f.offset), offSize)) return 'far pointer offset out of range';
        plan.imms.push({ value: BigInt(f.offset), size: offSize }, { value: BigInt(f.segment), size: 2 });
        break;
      }
      case 'moffs': {
        const m = a as AsmMemory;
        const asz = mode === 16 ? 2 : mode === 32 ? 4 : 8;
        if (mode === 64 && m.dispSize !== 8) return '';
        if (m.segment !== undefined) plan.prefixes.push(segmentOverride[m.segment]);
        plan.imms.push({ value: big(m.disp), size: asz });
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
      const r = encodeMemory(mem, mode, plan);
      if (typeof r === 'string') return r;
      mod = r.mod; modrmRm = r.rm; memAsz = r.asz;
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
  const pre: number[] = [];
  for (const p of req.prefixes ?? []) {
    const b = prefixBytes[p.toLowerCase()];
    if (b !== undefined) pre.push(b);
  }
  if (mem !== null && mem.segment !== undefined) pre.push(segmentOverride[mem.segment]);
  pre.push(...plan.prefixes);
  const osz = form.osz;
  const needOpsizePrefix = !form.vex && osz !== 0 && !(mode === 64 && form.force64) && (mode === 16 ? osz === 4 : osz === 2);
  if (needOpsizePrefix || (osz === 0 && (hasPrefix(req, 'o16', mode !== 16) || hasPrefix(req, 'o32', mode === 16)))) pre.push(0x66);
  const defaultAsz = mode === 16 ? 2 : mode === 32 ? 4 : 8;
  const asz = memAsz !== 0 ? memAsz : form.asz !== 0 ? form.asz : defaultAsz;
  if (asz !== defaultAsz) {
    if (mode === 64 && asz === 2) return '16-bit addressing is not valid in 64-bit mode';
    if (mode !== 64 && asz === 8) return '64-bit registers are only valid in 64-bit mode';
    pre.push(0x67);
  } else if (hasPrefix(req, 'a16', mode !== 16) || hasPrefix(req, 'a32', mode === 16 || mode === 64)) pre.push(0x67);
  plan.prefixes = pre;
  if (form.vex) {
    // Three-byte VEX (C4): R̄X̄B̄ mmmmm, W v̄v̄v̄v̄ L pp (SDM Vol. 2 §2.3.5); nasm never uses C5 for 0F38/0F3A.
    const r = plan.rex;
    const pp = form.mandatory === '66' ? 1 : form.mandatory === 'F3' ? 2 : form.mandatory === 'F2' ? 3 : 0;
    plan.opcode.push(0xc4, ((~r & 7) << 5) | form.map, ((r & 8) << 4) | ((~vvvv & 15) << 3) | pp, form.opcode);
    plan.rex = 0;
    return plan;
  }
  if (form.mandatory === 'F3') pre.push(0xf3);
  else if (form.mandatory === 'F2') pre.push(0xf2);
  else if (form.mandatory === '66') pre.push(0x66);
  if (form.map === 1) plan.opcode.push(0x0f);
  else if (form.map === 2) plan.opcode.push(0x0f, 0x38);
  else if (form.map === 3) plan.opcode.push(0x0f, 0x3a);
  plan.opcode.push(form.opcode | (form.opcodeReg ? opcodeLow & 7 : 0));
  return plan;
}

function hasPrefix(req: EncodeRequest, name: string, applies: boolean): boolean {
  return applies && (req.prefixes ?? []).some((p) => p.toLowerCase() === name);
}

/** The immediate to emit for spec `s`, or null when the value does not fit (nasm's ranges). */
function immediateFits(v: bigint, s: OperandSpec, form: Form, opSize: number): bigint | null {
  if (s.size === 8) return BigInt.asUintN(64, v);
  if (!fitsEither(v, opSize)) return null;
  if (form.immSigned && s.size < opSize) {
    // Sign-extended: compare at operand size (nasm truncates 64-bit operands to 32 bits first).
    let w = BigInt.asIntN(Math.min(opSize, 8) * 8, v);
    if (opSize === 8 && !fitsSigned(w, 4)) {
      // nasm takes 0x80000000..0xffffffff as the dword (with a warning); larger values do not fit.
      if (v < 0n || v > 0xffffffffn) return null;
      w = BigInt.asIntN(32, v);
    }
    return fitsSigned(w, s.size) ? w : null;
  }
  return fitsEither(v, s.size) ? v : null;
}

interface MemEncoding { mod: number; rm: number; asz: number }

/** ModRM.mod/rm, SIB and displacement of a memory operand (SDM Vol. 2 Tables 2-1..2-3), nasm's choices. */
function encodeMemory(m: AsmMemory, mode: number, plan: Plan): MemEncoding | string {
  let base = m.base;
  let index = m.index;
  let scale = m.scale ?? 1;
  let disp = big(m.disp);
  if (index !== undefined && base === undefined && !m.nosplit && (scale === 2 || scale === 3 || scale === 5 || scale === 9)) {
    base = index;
    scale = scale - 1;
  }
  if (index !== undefined && scale === 1 && base === undefined && !m.nosplit) { base = index; index = undefined; }
  if (index !== undefined && scale === 1 && base !== undefined && (regNumber(index) === 4 && regKind(index) !== RegKind.Gpr16)) { const t = base; base = index; index = t; }
  if (![1, 2, 4, 8].includes(scale)) return `invalid scale ${m.scale}`;
  const width = base !== undefined ? regSize(base) : index !== undefined ? regSize(index) : 0;
  if (base !== undefined && index !== undefined && regSize(base) !== regSize(index)) return 'base and index registers differ in size';
  if (base === Reg.RIP || base === Reg.EIP) {
    if (mode !== 64 || index !== undefined) return 'RIP-relative addressing only in 64-bit mode, without an index';
    plan.disp = disp; plan.dispSize = 4;
    return { mod: 0, rm: 5, asz: base === Reg.EIP ? 4 : 8 };
  }
  const asz = width !== 0 ? width : mode === 16 ? 2 : mode === 32 ? 4 : 8;
  if (asz === 2) return encodeMemory16(base, index, scale, disp, m, plan);
  for (const r of [base, index]) if (r !== undefined && (regKind(r) !== (asz === 4 ? RegKind.Gpr32 : RegKind.Gpr64))) return `invalid effective address register '${regName(r)}'`;
  if (index !== undefined && regNumber(index) === 4) return 'ESP/RSP cannot be an index register';
  if (m.ripRelative) {
    if (mode !== 64) return 'REL addressing only in 64-bit mode';
    if (base !== undefined || index !== undefined) return 'REL addressing takes no registers';
    plan.disp = disp; plan.dispSize = 4; plan.dispRipTarget = true;
    return { mod: 0, rm: 5, asz };
  }
  disp = wrapSigned(disp, asz === 8 ? 8 : 4);
  if (asz === 8 && !fitsSigned(disp, 4)) return 'displacement out of range (signed 32 bits)';
  const dispMode = (forceZeroOk: boolean): { mod: number; size: number } => {
    if (m.dispSize === 4 || m.dispSize === 8 || m.relocatable) return { mod: 2, size: 4 };
    if (m.dispSize === 1 && fitsSigned(disp, 1)) return { mod: 1, size: 1 };
    if (disp === 0n && forceZeroOk) return { mod: 0, size: 0 };
    if (fitsSigned(disp, 1)) return { mod: 1, size: 1 };
    return { mod: 2, size: 4 };
  };
  if (base === undefined && index === undefined) {
    plan.disp = disp; plan.dispSize = 4;
    if (mode === 64) { plan.sib = 0x25; return { mod: 0, rm: 4, asz }; }
    return { mod: 0, rm: 5, asz };
  }
  if (base === undefined) {
    // [index*scale + disp32]: SIB with base 101 and mod 00.
    const ix = regNumber(index as RegId);
    plan.sib = (Math.log2(scale) << 6) | ((ix & 7) << 3) | 5;
    plan.rex |= ((ix >> 3) & 1) << 1;
    plan.disp = disp; plan.dispSize = 4;
    return { mod: 0, rm: 4, asz };
  }
  const b = regNumber(base);
  const dm = dispMode((b & 7) !== 5);
  plan.disp = disp; plan.dispSize = dm.size;
  plan.rex |= (b >> 3) & 1;
  if (index === undefined && (b & 7) !== 4) return { mod: dm.mod, rm: b & 7, asz };
  const ix = index === undefined ? 4 : regNumber(index);
  plan.sib = (Math.log2(scale) << 6) | ((ix & 7) << 3) | (b & 7);
  plan.rex |= ((ix >> 3) & 1) << 1;
  return { mod: dm.mod, rm: 4, asz };
}

const rm16: Record<string, number> = { 'bx+si': 0, 'bx+di': 1, 'bp+si': 2, 'bp+di': 3, si: 4, di: 5, bp: 6, bx: 7 };

function encodeMemory16(base: RegId | undefined, index: RegId | undefined, scale: number, disp: bigint, m: AsmMemory, plan: Plan): MemEncoding | string {
  if (scale !== 1) return '16-bit addressing has no scale';
  const names = [base, index].filter((r): r is RegId => r !== undefined).map((r) => regName(r) ?? '?');
  names.sort((x, y) => (x === 'bx' || x === 'bp' ? -1 : y === 'bx' || y === 'bp' ? 1 : 0));
  const d = wrapSigned(disp, 2);
  plan.disp = d;
  if (names.length === 0) { plan.dispSize = 2; return { mod: 0, rm: 6, asz: 2 }; }
  const rm = rm16[names.join('+')];
  if (rm === undefined) return `invalid 16-bit effective address [${names.join('+')}]`;
  if (m.dispSize === 2 || m.dispSize === 4 || m.relocatable) { plan.dispSize = 2; return { mod: 2, rm, asz: 2 }; }
  if (d === 0n && rm !== 6 && m.dispSize === undefined) { plan.dispSize = 0; return { mod: 0, rm, asz: 2 }; }
  if (fitsSigned(d, 1)) { plan.dispSize = 1; return { mod: 1, rm, asz: 2 }; }
  plan.dispSize = 2;
  return { mod: 2, rm, asz: 2 };
}

function pushLE(out: number[], v: bigint, size: number): void {
  let u = BigInt.asUintN(size * 8, v);
  for (let i = 0; i < size; i++) { out.push(Number(u & 0xffn)); u >>= 8n; }
}

/** Bytes of a plan, resolving the relative branch and RIP-relative fields; null when a rel does not fit. */
function layout(plan: Plan, req: EncodeRequest): Uint8Array | null {
  const head: number[] = [...plan.prefixes];
  if (plan.rex !== 0) head.push(plan.rex);
  head.push(...plan.opcode);
  if (plan.modrm >= 0) head.push(plan.modrm);
  if (plan.sib >= 0) head.push(plan.sib);
  const immBytes = plan.imms.reduce((n, x) => n + x.size, 0);
  const total = head.length + plan.dispSize + immBytes;
  const end = big(req.address ?? 0) + BigInt(total);
  let disp = plan.disp;
  if (plan.dispRipTarget) {
    disp = disp - end;
    if (!fitsSigned(disp, 4)) return null;
  }
  pushLE(head, disp, plan.dispSize);
  for (let i = 0; i < plan.imms.length; i++) {
    const im = plan.imms[i];
    let v = im.value;
    if (i === plan.relIndex) {
      v = v - end;
      const opBytes = req.mode === 64 ? 8 : im.size === 2 ? 2 : 4;
      v = wrapSigned(v, opBytes);
      if (!fitsSigned(v, im.size)) return null;
    }
    pushLE(head, v, im.size);
  }
  return Uint8Array.from(head);
}
