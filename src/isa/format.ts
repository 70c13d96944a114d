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
    if (m.index !== null) parts.push((regName(m.index) ?? '?') + (m.scale !== 1 ? '*' + m.scale : ''));
    inner = parts.join('+');
    const disp = m.disp;
    if (parts.length === 0) {
      const width = insn.addrSize;
      const u = moffs ? BigInt(disp) : BigInt.asUintN(width * 8, BigInt(disp));
      inner = (moffs && insn.mode === 64 ? 'abs qword ' : '') + formatHex(u, hex);
    } else if (disp !== 0) {
      inner += disp < 0 ? '-' + formatHex(-disp, hex) : '+' + formatHex(disp, hex);
    }
  }
  const seg = insn.segment !== null ? (regName(insn.segment) ?? '?') + ':' : '';
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
  if (!hasMemOperand) {
    if (insn.segment !== null) prefix += (regName(insn.segment) ?? '?') + ' ';
    if ((insn.prefixes & Prefix.AddrSize) && form.asz === 0 && usesImplicitMemory(form.exec)) prefix += `a${insn.addrSize * 8} `;
  }
  const defaultOsz = insn.mode === 16 ? 2 : insn.mode === 64 && (form.default64 || form.force64) ? 8 : 4;
  // Immediates, targets and far pointers do not carry a size: a non-default one is said with o16/o32.
  if (form.osz !== 0 && form.osz !== defaultOsz && insn.operandCount > 0 && !(insn.mode === 64 && form.force64) && !sizedByOperands(form)) prefix += `o${form.osz * 8} `;
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
        const needSize = !far && o.size !== 0 && !sizeImpliedByRegister(insn, i, o.size) && memorySizeAmbiguous(form, i, insn.mode);
        const text = formatMemory(insn, o.size, needSize, opts, spec.kind === 'moffs');
        ops.push(far ? 'far ' + text : text);
        break;
      }
      case 'imm': {
        if (spec.kind === 'imm2') ops.push(formatHex(insn.imm2, hex));
        else if (spec.kind === 'one') ops.push(formatHex(1, hex));
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

function mnemonicAtSize(form: Form, isDefaultSize: boolean): string {
  return nasmSpelling[form.mnemonic] ?? (isDefaultSize ? (sizelessSpelling[form.mnemonic] ?? form.mnemonic) : form.mnemonic);
}

/** true when a register or memory operand of the form fixes its operand size. */
function sizedByOperands(form: Form): boolean {
  return form.operands.some((s) => s.kind === 'reg' || s.kind === 'rm' || s.kind === 'mem' || s.kind === 'rmReg' || s.kind === 'opReg' || s.kind === 'moffs' || (s.kind === 'fixed' && s.fixed !== Reg.DX && s.fixed !== Reg.CL && s.fixed < 0x50));
}

/** true when the instruction has a register operand (not CL/DX counts/ports) of the memory's size. */
function sizeImpliedByRegister(insn: Instruction, memIndex: number, size: number): boolean {
  const form = insn.form;
  if (form === null) return false;
  const spec = form.operands[memIndex];
  if (spec.kind === 'rm' && spec.memSize !== spec.size) return true; // r32/m16: the memory size is fixed
  if (spec.kind === 'mem' && (spec.text.includes('&') || spec.text.startsWith('m16:') || spec.size === 0)) return true;
  for (let i = 0; i < insn.operandCount; i++) {
    if (i === memIndex) continue;
    const o = insn.operands[i];
    const s = form.operands[i];
    if (o.kind === 'reg' && s.kind !== 'fixed' && s.kind !== 'sreg' && o.size === size) return true;
    if (o.kind === 'reg' && s.kind === 'fixed' && o.reg !== Reg.CL && o.reg !== Reg.DX && o.size === size) return true;
    if (o.kind === 'reg' && s.kind === 'sreg' && size === 2) return true;
  }
  return false;
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
