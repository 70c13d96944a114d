// The forms the encoder tries for a request: the mnemonic's forms as written (aliases and nasm's
// sizeless families resolved), narrowed to those whose operand specs can take the written operands'
// shapes (register class and size, memory, immediate, far pointer) in the mode. The narrowed lists
// are kept per mnemonic and shape, so a program's thousands of `mov r64, imm` try two forms, not 38.
// Imports only src/isa.
import type { Form, OperandSpec } from './form';
import { ModeBit } from './form';
import type { AsmOperand } from './encode';
import { isGpr, RegKind, regKind, regSize } from './registers';
import { formsForMnemonic } from './tableIndex';

/** Sizeless nasm mnemonics that mean "the default operand size" (PUSHF in 32-bit code is PUSHFD). */
const sizelessFamilies: ReadonlyMap<string, readonly string[]> = new Map([
  ['pushf', ['pushf', 'pushfd', 'pushfq']],
  ['popf', ['popf', 'popfd', 'popfq']],
  ['pusha', ['pusha', 'pushad']],
  ['popa', ['popa', 'popad']],
  ['iret', ['iret', 'iretd', 'iretq']],
  ['sysret', ['sysret', 'sysretq']],
  ['sysexit', ['sysexit', 'sysexitq']],
]);

/** The forms of each sizeless family, concatenated in family order (built once). */
const familyForms: ReadonlyMap<string, readonly Form[]> = (() => {
  const m = new Map<string, Form[]>();
  for (const [name, members] of sizelessFamilies) {
    const list: Form[] = [];
    for (const member of members) list.push(...formsForMnemonic(member));
    m.set(name, list);
  }
  return m;
})();

/** A written mnemonic's forms, and its narrowed lists by shape key (filled on first use). */
interface MnemonicForms {
  all: readonly Form[];
  byShape: Map<number, readonly Form[]>;
}

/** Per mnemonic as written (any case). */
const byWrittenMnemonic = new Map<string, MnemonicForms>();

/** Bounds: the table's mnemonics in the few spellings programs use; unknown words are not kept. */
const MAX_MNEMONICS = 8192;

const NO_FORMS: MnemonicForms = { all: [], byShape: new Map() };

function entryFor(mnemonic: string): MnemonicForms {
  const known = byWrittenMnemonic.get(mnemonic);
  if (known !== undefined) return known;
  const lower = mnemonic.toLowerCase();
  const all = familyForms.get(lower) ?? formsForMnemonic(lower);
  if (all.length === 0) return NO_FORMS;
  const entry: MnemonicForms = { all, byShape: new Map() };
  if (byWrittenMnemonic.size < MAX_MNEMONICS) byWrittenMnemonic.set(mnemonic, entry);
  return entry;
}

/** Every form of a mnemonic as written, in the encoder's order of preference (empty when unknown). */
export function candidateForms(mnemonic: string): readonly Form[] {
  return entryFor(mnemonic).all;
}

/** Operand shapes: a GPR of 1, 2, 4, 8 bytes (1..4), segment, control, debug, other register, memory, immediate, far pointer. */
const SHAPE_SEGMENT = 5;
const SHAPE_CONTROL = 6;
const SHAPE_DEBUG = 7;
const SHAPE_OTHER_REG = 8;
const SHAPE_MEM = 9;
const SHAPE_IMM = 10;
const SHAPE_FAR = 11;
/** Register size in bytes of the GPR shapes 1..4. */
const GPR_SHAPE_SIZE: readonly number[] = [0, 1, 2, 4, 8];

function shapeOf(a: AsmOperand): number {
  switch (a.kind) {
    case 'reg': {
      if (isGpr(a.reg)) {
        const size = regSize(a.reg);
        return size === 1 ? 1 : size === 2 ? 2 : size === 4 ? 3 : size === 8 ? 4 : SHAPE_OTHER_REG;
      }
      const kind = regKind(a.reg);
      return kind === RegKind.Segment ? SHAPE_SEGMENT : kind === RegKind.Control ? SHAPE_CONTROL : kind === RegKind.Debug ? SHAPE_DEBUG : SHAPE_OTHER_REG;
    }
    case 'mem': return SHAPE_MEM;
    case 'imm': return SHAPE_IMM;
    case 'far': return SHAPE_FAR;
  }
}

/** false only when `matches` in encode.ts rejects every operand of this shape for the spec (a superset of what fits). */
function specMayTake(s: OperandSpec, shape: number): boolean {
  switch (s.kind) {
    case 'reg': case 'rmReg': case 'opReg': case 'vvvv':
      return shape >= 1 && shape <= 4 && GPR_SHAPE_SIZE[shape] === s.size;
    case 'rm':
      return shape === SHAPE_MEM || (shape >= 1 && shape <= 4 && GPR_SHAPE_SIZE[shape] === s.size);
    case 'fixed':
      return shape >= 1 && shape <= SHAPE_OTHER_REG;
    case 'sreg':
      return shape === SHAPE_SEGMENT;
    case 'cr':
      return shape === SHAPE_CONTROL;
    case 'dr':
      return shape === SHAPE_DEBUG;
    case 'mem': case 'moffs':
      return shape === SHAPE_MEM;
    case 'imm': case 'imm2': case 'one': case 'rel':
      return shape === SHAPE_IMM;
    case 'ptr':
      return shape === SHAPE_FAR;
  }
}

/** Operand count up to which shape keys are formed (general-purpose forms have at most 3). */
const MAX_KEYED_OPERANDS = 4;

/**
 * The forms of `mnemonic` valid in `mode` whose operand specs may take `operands` (same count,
 * each shape accepted), in table order: the encoder still checks each with `matches`. Unknown
 * mnemonic: empty. More than four operands: the mnemonic's forms in the mode, unnarrowed.
 */
export function formsForOperands(mnemonic: string, operands: readonly AsmOperand[], mode: 16 | 32 | 64): readonly Form[] {
  const entry = entryFor(mnemonic);
  if (entry.all.length === 0) return entry.all;
  const count = operands.length;
  const modeIndex = mode === 16 ? 0 : mode === 32 ? 1 : 2;
  let key = modeIndex * 8 + (count < 8 ? count : 7);
  if (count <= MAX_KEYED_OPERANDS) for (let i = 0; i < count; i++) key = key * 16 + shapeOf(operands[i]);
  else key = -1;
  const known = key >= 0 ? entry.byShape.get(key) : undefined;
  if (known !== undefined) return known;
  const modeBit = mode === 16 ? ModeBit.M16 : mode === 32 ? ModeBit.M32 : ModeBit.M64;
  const list: Form[] = [];
  for (let k = 0; k < entry.all.length; k++) {
    const form = entry.all[k];
    if ((form.modes & modeBit) === 0 || form.operands.length !== count) continue;
    let fits = true;
    if (key >= 0) for (let i = 0; i < count && fits; i++) fits = specMayTake(form.operands[i], shapeOf(operands[i]));
    if (fits) list.push(form);
  }
  if (key >= 0) entry.byShape.set(key, list);
  return list;
}
