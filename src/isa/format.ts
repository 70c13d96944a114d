// The formatter: a decoded Instruction → NASM syntax (`mov dword [rbp-0x8], 0x1`), with the hex
// style as an option, branch targets as absolute addresses and an optional symbolizer for labels.
// The text assembles back (with nasm or our encoder) to the same instruction.
// Imports only src/isa.
import type { Form } from './form';
import { Prefix, type Instruction } from './instruction';
import { Reg, regName, type RegId } from './registers';
import { memorySizeAmbiguous } from './tableIndex';

/** How to print. */
export interface FormatOptions {
  /** `0x` → 0x1f (default); `h` → 1fh (0ffh when it starts with a letter). */
  hex?: '0x' | 'h';
  /** Address of the instruction (for branch targets and RIP-relative operands). Default 0. */
  address?: number;
  /** Name for an address (a label), or undefined to print the number. */
  symbolize?: (address: number) => string | undefined;
}

const sizeKeyword: Record<number, string> = { 1: 'byte', 2: 'word', 4: 'dword', 8: 'qword', 10: 'tword', 16: 'oword' };

/** Print a non-negative integer (number, exact below 2^53, or bigint) in the chosen hex style. */
export function formatHex(value: number | bigint, hex: '0x' | 'h' = '0x'): string {
  const digits = value.toString(16);
  if (hex === '0x') return '0x' + digits;
  return (/^[a-f]/.test(digits) ? '0' : '') + digits + 'h';
}

function unsignedAt(lo: number, hi: number, size: number): bigint {
  if (size >= 8) return (BigInt(hi >>> 0) << 32n) | BigInt(lo >>> 0);
  return BigInt.asUintN(size * 8, BigInt(lo));
}

function formatAddress(target: number, opts: FormatOptions): string {
  const name = opts.symbolize?.(target);
  return name ?? formatHex(target < 0 ? BigInt.asUintN(64, BigInt(target)) : target, opts.hex);
}

/** The memory operand as `[seg:base+index*scale+disp]`, with a size keyword when `withSize`. */
function formatMemory(insn: Instruction, size: number, withSize: boolean, opts: FormatOptions, moffs: boolean): string {
  const m = insn.mem;
  const hex = opts.hex ?? '0x';
  const parts: string[] = [];
  let inner = '';
  if (m.ripRelative) {
    const target = (opts.address ?? 0) + insn.length + m.disp;
    inner = 'rel ' + formatAddress(insn.mode === 64 ? target : target >>> 0, opts);
  } else {
    if (m.base !== null) parts.push(regName(m.base) ?? '?');
    // An index without a base keeps its `*1` (SIB form; nasm would otherwise pick the shorter [reg+disp]).
    if (m.index !== null) parts.push((regName(m.index) ?? '?') + (m.scale !== 1 || m.base === null ? '*' + m.scale : ''));
    inner = parts.join('+');
    // nasm would turn [ecx*2] into [ecx+ecx] and [ecx*1] into [ecx]: `nosplit` keeps the SIB form.
    if (m.base === null && m.index !== null && m.scale <= 2) inner = 'nosplit ' + inner;
    const disp = m.disp;
    if (parts.length === 0) {
      const width = insn.addrSize;
      const u = moffs && width === 8 ? (BigInt(m.dispHi >>> 0) << 32n) | BigInt(m.dispLo >>> 0) : moffs ? BigInt(disp) : BigInt.asUintN(width * 8, BigInt(disp));
      inner = (moffs && insn.mode === 64 ? 'abs qword ' : '') + formatHex(u, hex);
    } else if (disp !== 0) {
      inner += disp < 0 ? '-' + formatHex(-disp, hex) : '+' + formatHex(disp, hex);
    }
  }
  // In 64-bit mode ES/CS/SS/DS overrides are ignored (SDM Vol. 1 §3.3.7.1): only FS/GS are shown.
  const shown = insn.segment !== null && (insn.mode !== 64 || insn.segment === Reg.FS || insn.segment === Reg.GS);
  const seg = shown ? (regName(insn.segment as RegId) ?? '?') + ':' : '';
  const sizeText = withSize && sizeKeyword[size] ? sizeKeyword[size] + ' ' : '';
  return `${sizeText}[${seg}${inner}]`;
}

/**
 * Format a decoded instruction (a result of kind 'ok' or an 'unsupported' one with a form) in NASM
 * syntax. Instructions without a form print as `(bad)`; use `formatDb` for their bytes.
 */
export function formatInstruction(insn: Instruction, opts: FormatOptions = {}): string {
  const form = insn.form;
  if (form === null) return '(bad)';
  const hex = opts.hex ?? '0x';
  let prefix = '';
  if (insn.prefixes & Prefix.Lock) prefix += 'lock ';
  if (form.rep !== 'none') {
    if (insn.prefixes & Prefix.Repne) prefix += 'repne ';
    else if (insn.prefixes & Prefix.Rep) prefix += form.rep === 'repe' ? 'repe ' : 'rep ';
  }
  let hasMemOperand = false;
  for (let i = 0; i < insn.operandCount; i++) if (insn.operands[i].kind === 'mem') hasMemOperand = true;
  if (!hasMemOperand && usesImplicitMemory(form.exec)) {
    if (insn.segment !== null && segmentOverrideApplies(form.exec, insn.segment, insn.mode)) prefix += (regName(insn.segment) ?? '?') + ' ';
    if ((insn.prefixes & Prefix.AddrSize) && form.asz === 0) prefix += `a${insn.addrSize * 8} `;
  }
  const defaultOsz = insn.mode === 16 ? 2 : insn.mode === 64 && (form.default64 || form.force64) ? 8 : 4;
  // Immediates, targets and far pointers do not carry a size: a non-default one is said with o16/o32.
  if (form.osz !== 0 && form.osz !== defaultOsz && insn.operandCount > 0 && !(insn.mode === 64 && form.force64) && !sizedByOperands(form)) prefix += `o${form.osz * 8} `;
  else if (form.osz === 0 && !form.byteOp && insn.opSize !== defaultOsz && sizedByPrefixOnly(form.exec)) prefix += `o${insn.opSize * 8} `;
  const ops: string[] = [];
  for (let i = 0; i < insn.operandCount; i++) {
    const o = insn.operands[i];
    const spec = form.operands[i];
    switch (o.kind) {
      case 'reg':
        ops.push(regName(o.reg) ?? '?');
        break;
      case 'mem': {
        const far = form.exec === 'callFarIndirect' || form.exec === 'jmpFarIndirect';
        const needSize = !far && o.size !== 0 && !sizeFixedBySpec(form, i) && memorySizeAmbiguous(form, i, insn.mode, true);
        const text = formatMemory(insn, o.size, needSize, opts, spec.kind === 'moffs');
        // nasm's CALL/JMP far [mem] is m16:64 in 64-bit code, else the mode's size: say other sizes.
        const farDefault = insn.mode === 64 ? 8 : insn.mode === 16 ? 2 : 4;
        ops.push(far ? (form.osz !== farDefault ? `${sizeKeyword[form.osz]} far ` : 'far ') + text : text);
        break;
      }
      case 'imm': {
        if (spec.kind === 'imm2') ops.push(formatHex(insn.imm2, hex));
        else if (spec.kind === 'one') ops.push(formatHex(1, hex));
        else if ((form.exec === 'aam' || form.exec === 'aad') && insn.imm === 10) continue; // nasm's default base
        else ops.push(formatHex(unsignedAt(insn.imm, insn.immHi, o.size), hex));
        break;
      }
      case 'rel': {
        const address = opts.address ?? 0;
        let target = address + insn.length + insn.rel;
        if (insn.opSize === 2) target &= 0xffff;
        else if (insn.mode !== 64) target >>>= 0;
        ops.push(formatAddress(target, opts));
        break;
      }
      case 'far':
        ops.push(`${formatHex(insn.imm2, hex)}:${formatHex(insn.imm >>> 0, hex)}`);
        break;
      case 'none':
        break;
    }
  }
  return prefix + mnemonicAtSize(form, insn.opSize === defaultOsz) + (ops.length > 0 ? ' ' + ops.join(', ') : '');
}

/** NASM's sizeless spelling for the default size (PUSHFD in 32-bit code is `pushf`). */
const sizelessSpelling: Record<string, string> = { pushad: 'pusha', popad: 'popa', pushfd: 'pushf', popfd: 'popf', pushfq: 'pushf', popfq: 'popf', iretd: 'iret' };
/** Mnemonics NASM spells with a prefix. */
const nasmSpelling: Record<string, string> = { sysretq: 'o64 sysret', sysexitq: 'o64 sysexit' };

/** The 16-bit forms' names when they are not the default (POPF with a 66 prefix in 32-bit code is `popfw`). */
const wordSpelling: Record<string, string> = { pushf: 'pushfw', popf: 'popfw', pusha: 'pushaw', popa: 'popaw', iret: 'iretw' };

function mnemonicAtSize(form: Form, isDefaultSize: boolean): string {
  if (nasmSpelling[form.mnemonic]) return nasmSpelling[form.mnemonic];
  if (isDefaultSize) return sizelessSpelling[form.mnemonic] ?? form.mnemonic;
  return wordSpelling[form.mnemonic] ?? form.mnemonic;
}

/** true when a register or memory operand of the form fixes its operand size. */
function sizedByOperands(form: Form): boolean {
  return form.operands.some((s) => s.kind === 'reg' || s.kind === 'rm' || s.kind === 'mem' || s.kind === 'rmReg' || s.kind === 'opReg' || s.kind === 'moffs' || (s.kind === 'fixed' && s.fixed !== Reg.DX && s.fixed !== Reg.CL && s.fixed < 0x50));
}

/** true when the row's memory operand has one size whatever the operand size (`r32/m16`, `m16&32`, `m16:32`, LEA's `m`). */
function sizeFixedBySpec(form: Form, memIndex: number): boolean {
  const spec = form.operands[memIndex];
  if (spec.kind === 'rm' && spec.memSize !== spec.size) return true;
  return spec.kind === 'mem' && (spec.text.includes('&') || spec.text.startsWith('m16:') || spec.size === 0);
}

/** A segment override changes a string operation's source (DS:SI) only; ES:DI is fixed; in 64-bit mode only FS/GS count. */
function segmentOverrideApplies(exec: string, segment: RegId, mode: number): boolean {
  if (segment === Reg.DS) return false;
  if (mode === 64 && segment !== Reg.FS && segment !== Reg.GS) return false;
  return exec === 'movs' || exec === 'cmps' || exec === 'lods' || exec === 'outs' || exec === 'xlat';
}

/** Operations whose size only a 66/REX.W prefix can say (RET with a 66 prefix pops a dword). */
function sizedByPrefixOnly(exec: string): boolean {
  return exec === 'ret' || exec === 'retFar' || exec === 'leave' || exec === 'enter' || exec === 'pushSeg' || exec === 'popSeg';
}

function usesImplicitMemory(exec: string): boolean {
  return exec === 'movs' || exec === 'cmps' || exec === 'stos' || exec === 'lods' || exec === 'scas' || exec === 'ins' || exec === 'outs' || exec === 'xlat' || exec === 'loop' || exec === 'loope' || exec === 'loopne';
}

/** `db 0x0f, 0x0b` for bytes that are not (or not fully) an instruction. */
export function formatDb(bytes: Uint8Array, offset: number, length: number, opts: FormatOptions = {}): string {
  const out: string[] = [];
  for (let i = 0; i < length && offset + i < bytes.length; i++) out.push(formatHex(bytes[offset + i], opts.hex));
  return 'db ' + out.join(', ');
}

/** Register name helper re-exported for views that print operands themselves. */
export function registerName(id: RegId): string {
  return regName(id) ?? '?';
}
