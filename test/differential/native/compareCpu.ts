// Compares the emulator's outcome of one vector with the real CPU's: same fault (exception class
// and RIP) or same completion, then every GPR (all 64 bits in 64-bit mode; the low 32 bits of
// EAX..EDI in 32-bit mode), the arithmetic flags and DF minus the flags the SDM leaves undefined,
// and the data window. Undefined flags come from the isa table's flags field (form.flagsUndefined),
// refined where the SDM makes them depend on the count: shifts/rotates by 0 change no flag, OF is
// defined only for a count of 1 (SDM Vol. 2B SAL/SAR/SHL/SHR, RCL/RCR/ROL/ROR, SHLD, SHRD).
import { decode } from '../../../src/isa/decode';
import { Instruction } from '../../../src/isa/instruction';
import { COMPARED_FLAGS, CODE_ADDR, GPR_NAMES, OF, type VectorInput } from './instructionCases';
import { vectorsForSignal, type NativeOutcome } from './nativeCpu';
import type { EmulatorOutcome } from './emulatorCpu';

const SHIFTS = new Set(['rol', 'ror', 'rcl', 'rcr', 'shl', 'sal', 'shr', 'sar']);
const DOUBLE_SHIFTS = new Set(['shld', 'shrd']);

/** Flags whose value the SDM leaves undefined for this instruction and input, or 'all-undefined'. */
export function undefinedFlags(text: string, emuBytes: Uint8Array, bits: 32 | 64, input: VectorInput): number | 'result-undefined' {
  const insn = new Instruction();
  const r = decode(emuBytes, 0, emuBytes.length, bits, insn);
  let mask = r.kind === 'ok' && insn.form ? insn.form.flagsUndefined : 0;
  const mnemonic = text.trim().split(/\s+/)[0].toLowerCase();
  if (SHIFTS.has(mnemonic) || DOUBLE_SHIFTS.has(mnemonic)) {
    const wide = /\b(r[a-z]x|r\d+|qword)\b/.test(text);
    const m = /,\s*(cl|\d+)\s*$/.exec(text);
    const raw = !m ? 1 : m[1] === 'cl' ? Number(input.regs[1] & 0xffn) : parseInt(m[1], 10);
    const count = raw & (wide ? 0x3f : 0x1f);
    if (count === 0) return 0;
    if (count !== 1) mask |= OF;
    if (DOUBLE_SHIFTS.has(mnemonic) && /\b(ax|bx|cx|dx|word)\b/.test(text) && !/\bdword\b/.test(text) && count > 16) return 'result-undefined';
  }
  return mask;
}

const hex = (v: bigint | number): string => `0x${v.toString(16)}`;

/** One difference between the emulator and the CPU, described for a person. */
export interface Mismatch {
  text: string;
  bits: 32 | 64;
  group: string;
  id: string;
  detail: string;
}

/** Compares one vector; returns the differences (empty when they agree). */
export function compareOutcome(native: NativeOutcome, emu: EmulatorOutcome, input: VectorInput, emuBytes: Uint8Array, bits: 32 | 64, text: string): string[] {
  const diffs: string[] = [];
  if (emu.kind === 'other') return [`emulator: ${emu.message}; CPU: ${native.completed ? 'completed' : `signal ${native.signal}`}`];
  if (native.completed !== (emu.kind === 'completed')) {
    return [native.completed ? `CPU completed, emulator raised vector ${emu.kind === 'fault' ? emu.vector : '?'}` : `CPU raised signal ${native.signal} (si_code ${native.siCode}), emulator completed`];
  }
  if (emu.kind === 'fault') {
    const allowed = vectorsForSignal(native);
    if (!allowed.includes(emu.vector)) diffs.push(`exception: CPU signal ${native.signal} (vector ${allowed.join('/')}), emulator vector ${emu.vector}`);
    if (emu.pc !== native.rip) diffs.push(`fault RIP: CPU ${hex(native.rip)}, emulator ${hex(emu.pc)}`);
    if (emu.vector === 14 && native.signal === 11 && emu.address !== undefined && emu.address !== native.siAddr) diffs.push(`fault address: CPU ${hex(native.siAddr)}, emulator ${hex(emu.address)}`);
  } else if (emu.rip !== CODE_ADDR + emuBytes.length) {
    diffs.push(`RIP after: emulator ${hex(emu.rip)}, expected ${hex(CODE_ADDR + emuBytes.length)}`);
  }
  const undef = undefinedFlags(text, emuBytes, bits, input);
  if (undef === 'result-undefined') return diffs;
  const count = bits === 64 ? 16 : 8;
  const mask = bits === 64 ? (1n << 64n) - 1n : 0xffffffffn;
  for (let i = 0; i < count; i++) {
    const a = native.regs[i] & mask;
    const b = emu.regs[i] & mask;
    if (a !== b) diffs.push(`${bits === 64 ? GPR_NAMES[i] : GPR_NAMES[i].replace('r', 'e')}: CPU ${hex(a)}, emulator ${hex(b)} (was ${hex(input.regs[i] & mask)})`);
  }
  const fm = COMPARED_FLAGS & ~undef;
  if ((native.flags & fm) !== (emu.flags & fm)) diffs.push(`flags: CPU ${flagText(native.flags & fm)}, emulator ${flagText(emu.flags & fm)} (in ${flagText(input.flags & COMPARED_FLAGS)}, undefined ${flagText(undef)})`);
  for (let i = 0; i < native.window.length; i++) {
    if (native.window[i] !== emu.window[i]) {
      diffs.push(`memory at window+${hex(i)}: CPU ${hex(native.window[i])}, emulator ${hex(emu.window[i])}`);
      break;
    }
  }
  return diffs;
}

/** "O S Z A P C D" letters of the set flags. */
export function flagText(f: number): string {
  const names: [number, string][] = [[0x800, 'O'], [0x400, 'D'], [0x80, 'S'], [0x40, 'Z'], [0x10, 'A'], [0x4, 'P'], [0x1, 'C']];
  const s = names.filter(([b]) => (f & b) !== 0).map(([, n]) => n).join('');
  return s === '' ? '-' : s;
}
