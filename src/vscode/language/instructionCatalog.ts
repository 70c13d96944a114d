// What the editor knows about each mnemonic, read from THE instruction table of src/isa (no second
// list): its forms in SDM notation with opcodes, the flags it reads/writes/leaves undefined, modes
// and privilege. Feeds the hover and the grammar generator. Pure: imports only src/isa.
import { table, type TableRow } from '../../isa/table';

/** One form of a mnemonic as the table writes it. */
export interface CatalogForm {
  /** Instruction column, e.g. `ADD r/m32, imm8`. */
  ins: string;
  /** Opcode column, e.g. `83 /0 ib`. */
  op: string;
  modes?: TableRow['modes'];
  cpl0: boolean;
}

/** Everything about one mnemonic. */
export interface MnemonicInfo {
  /** Lower-case mnemonic. */
  mnemonic: string;
  forms: CatalogForm[];
  /** The table's flags text of the forms (`r:c w:oszapc`), distinct values in table order. */
  flags: string[];
}

/** The mnemonic of a row: the first word of its instruction column, lower case. */
export function rowMnemonic(row: TableRow): string {
  return row.ins.split(/\s+/, 1)[0].toLowerCase();
}

let cached: Map<string, MnemonicInfo> | undefined;

/** Mnemonic → info, built once from the table (rows only the assembler accepts included). */
export function instructionCatalog(): ReadonlyMap<string, MnemonicInfo> {
  if (cached) return cached;
  const map = new Map<string, MnemonicInfo>();
  for (const row of table) {
    if (row.alias === 'decode') continue;
    const mnemonic = rowMnemonic(row);
    let info = map.get(mnemonic);
    if (!info) {
      info = { mnemonic, forms: [], flags: [] };
      map.set(mnemonic, info);
    }
    info.forms.push({ ins: row.ins, op: row.op, modes: row.modes, cpl0: row.cpl0 === true });
    if (row.flags && !info.flags.includes(row.flags)) info.flags.push(row.flags);
  }
  cached = map;
  return map;
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
