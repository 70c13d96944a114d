// What the editor knows about each mnemonic, read from src/isa's table index (no second list):
// every mnemonic incl. aliases (jz, cmovnae, xlat) and prefixes, and per mnemonic its forms in SDM
// notation with opcodes, modes, privilege and the flags it reads/writes/leaves undefined.
// Feeds the hover, the source index and the grammar generator. Pure: imports only src/isa.
import { describeMnemonic, mnemonicAliases, mnemonics, prefixMnemonics } from '../../isa/tableIndex';

/** One form of a mnemonic as the table writes it. */
export interface CatalogForm {
  /** Instruction column, e.g. `ADD r/m32, imm8`. */
  ins: string;
  /** Opcode column, e.g. `83 /0 ib`. */
  op: string;
  /** `16/32/64`, `16/32` (not in 64-bit mode) or `64` (64-bit mode only). */
  modes: string;
  cpl0: boolean;
}

/** Everything about one mnemonic. */
export interface MnemonicInfo {
  /** Lower-case mnemonic as asked. */
  mnemonic: string;
  /** The canonical mnemonic when this one is an alias (`jz` → `je`). */
  aliasOf?: string;
  forms: CatalogForm[];
  /** The table's flags text of the forms (`r:c w:oszapc`), distinct values in table order. */
  flags: string[];
}

const mnemonicSet = new Set(mnemonics);

/** Every instruction mnemonic (canonical and aliases), lower case, sorted. */
export const allMnemonics: readonly string[] = mnemonics;

/** Instruction prefixes written as words (lock, rep, o16, ...). */
export const allPrefixes: readonly string[] = prefixMnemonics;

/** true for a lower-case instruction mnemonic (aliases included). */
export function isMnemonic(lower: string): boolean {
  return mnemonicSet.has(lower);
}

/** The forms and flags of a mnemonic, or undefined when it is none. */
export function mnemonicInfo(lower: string): MnemonicInfo | undefined {
  if (!mnemonicSet.has(lower)) return undefined;
  const described = describeMnemonic(lower);
  const flags: string[] = [];
  for (const f of described) if (f.flags && !flags.includes(f.flags)) flags.push(f.flags);
  const canonical = mnemonicAliases.get(lower);
  return { mnemonic: lower, aliasOf: canonical && canonical !== lower ? canonical : undefined, forms: described.map((f) => ({ ins: f.ins, op: f.op, modes: f.modes, cpl0: f.cpl0 })), flags };
}

const flagNames: Record<string, string> = { o: 'OF', s: 'SF', z: 'ZF', a: 'AF', p: 'PF', c: 'CF', d: 'DF', i: 'IF', t: 'TF' };

/** Describes a table flags text in words: `r:c w:oszapc` → `reads CF; writes OF SF ZF AF PF CF`. */
export function describeFlags(flags: string): string {
  const parts: string[] = [];
  for (const group of flags.trim().split(/\s+/)) {
    const [kind, letters] = group.split(':');
    if (!letters) continue;
    const verb = kind === 'r' ? 'reads' : kind === 'w' ? 'writes' : kind === 'u' ? 'leaves undefined' : kind;
    parts.push(`${verb} ${[...letters].map((l) => flagNames[l] ?? l.toUpperCase()).join(' ')}`);
  }
  return parts.join('; ');
}
