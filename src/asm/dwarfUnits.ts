// Reads just enough of DWARF .debug_info/.debug_abbrev (versions 2–5) to find each compile unit's
// DW_AT_stmt_list, DW_AT_comp_dir and DW_AT_name: what .debug_line needs to resolve relative file
// paths (DWARF 5 §6.2.4, §7.5). Only the first DIE of each unit is read. Imports only ./byteCursor.
import { ByteCursor, FormatError, stringAt } from './byteCursor';

/** The sections a DWARF reader may consult (absent ones are undefined). */
export interface DwarfSections {
  info?: Uint8Array;
  abbrev?: Uint8Array;
  line?: Uint8Array;
  str?: Uint8Array;
  lineStr?: Uint8Array;
}

/** What the line reader needs from a compile unit. */
export interface CompileUnitInfo {
  /** Offset of the unit's line table in .debug_line. */
  stmtList: number;
  compDir?: string;
  name?: string;
}

const DW_AT_name = 0x03;
const DW_AT_stmt_list = 0x10;
const DW_AT_comp_dir = 0x1b;
const DW_FORM_implicit_const = 0x21;
const DW_FORM_indirect = 0x16;

interface AbbrevAttr {
  name: number;
  form: number;
  implicitConst: number;
}

/** Reads the abbreviation declaration with `code` from the table at `offset` (first match). */
function findAbbrev(abbrev: Uint8Array, offset: number, code: number): AbbrevAttr[] | undefined {
  const c = new ByteCursor(abbrev, offset);
  while (c.remaining > 0) {
    const entryCode = c.uleb();
    if (entryCode === 0) return undefined;
    c.uleb();
    c.u8();
    const attrs: AbbrevAttr[] = [];
    for (;;) {
      const name = c.uleb();
      const form = c.uleb();
      if (name === 0 && form === 0) break;
      const implicitConst = form === DW_FORM_implicit_const ? c.sleb() : 0;
      attrs.push({ name, form, implicitConst });
    }
    if (entryCode === code) return attrs;
  }
  return undefined;
}

type AttrValue = { kind: 'number'; value: number } | { kind: 'string'; value: string } | { kind: 'other' };
const OTHER: AttrValue = { kind: 'other' };

/** Reads one attribute value of `form`, advancing the cursor (DWARF 5 §7.5.6 form encodings). */
function readForm(c: ByteCursor, form: number, unit: { version: number; offsetSize: number; addressSize: number },
  sections: DwarfSections, implicitConst: number): AttrValue {
  const num = (value: number): AttrValue => ({ kind: 'number', value });
  switch (form) {
    case 0x01: return num(c.uN(unit.addressSize));
    case 0x03: c.skip(c.u16()); return OTHER;
    case 0x04: c.skip(c.u32()); return OTHER;
    case 0x05: return num(c.u16());
    case 0x06: return num(c.u32());
    case 0x07: return num(c.u64());
    case 0x08: return { kind: 'string', value: c.cstring() };
    case 0x09: c.skip(c.uleb()); return OTHER;
    case 0x0a: c.skip(c.u8()); return OTHER;
    case 0x0b: return num(c.u8());
    case 0x0c: return num(c.u8());
    case 0x0d: return num(c.sleb());
    case 0x0e: {
      const off = c.uN(unit.offsetSize);
      return sections.str ? { kind: 'string', value: stringAt(sections.str, off) } : OTHER;
    }
    case 0x0f: return num(c.uleb());
    case 0x10: c.skip(unit.version <= 2 ? unit.addressSize : unit.offsetSize); return OTHER;
    case 0x11: c.skip(1); return OTHER;
    case 0x12: c.skip(2); return OTHER;
    case 0x13: c.skip(4); return OTHER;
    case 0x14: c.skip(8); return OTHER;
    case 0x15: c.uleb(); return OTHER;
    case DW_FORM_indirect: return readForm(c, c.uleb(), unit, sections, implicitConst);
    case 0x17: return num(c.uN(unit.offsetSize));
    case 0x18: c.skip(c.uleb()); return OTHER;
    case 0x19: return num(1);
    case 0x1a: case 0x1b: case 0x22: case 0x23: c.uleb(); return OTHER;
    case 0x1c: c.skip(4); return OTHER;
    case 0x1d: c.skip(unit.offsetSize); return OTHER;
    case 0x1e: c.skip(16); return OTHER;
    case 0x1f: {
      const off = c.uN(unit.offsetSize);
      return sections.lineStr ? { kind: 'string', value: stringAt(sections.lineStr, off) } : OTHER;
    }
    case 0x20: c.skip(8); return OTHER;
    case DW_FORM_implicit_const: return num(implicitConst);
    case 0x24: c.skip(8); return OTHER;
    case 0x25: case 0x29: c.skip(1); return OTHER;
    case 0x26: case 0x2a: c.skip(2); return OTHER;
    case 0x27: case 0x2b: c.skip(3); return OTHER;
    case 0x28: case 0x2c: c.skip(4); return OTHER;
    case 0x1f01: case 0x1f02: c.uleb(); return OTHER;
    case 0x1f20: case 0x1f21: c.skip(unit.offsetSize); return OTHER;
    default: throw new FormatError(`unknown DWARF form 0x${form.toString(16)}`);
  }
}

/**
 * Lists the compile units of .debug_info with their line-table offsets. Units that cannot be
 * read are skipped (their line tables are still read, just without a compilation directory).
 */
export function readCompileUnits(sections: DwarfSections): CompileUnitInfo[] {
  const units: CompileUnitInfo[] = [];
  const info = sections.info;
  const abbrev = sections.abbrev;
  if (!info || !abbrev) return units;
  const c = new ByteCursor(info);
  while (c.remaining >= 11) {
    const unitStart = c.pos;
    let length = c.u32();
    let offsetSize = 4;
    if (length === 0xffffffff) {
      length = c.u64();
      offsetSize = 8;
    }
    const unitEnd = c.pos + length;
    if (length === 0 || unitEnd > info.length) break;
    try {
      const version = c.u16();
      let addressSize: number;
      let abbrevOffset: number;
      if (version >= 5) {
        const unitType = c.u8();
        addressSize = c.u8();
        abbrevOffset = c.uN(offsetSize);
        if (unitType === 4 || unitType === 5) c.skip(8);
        else if (unitType === 2 || unitType === 6) c.skip(8 + offsetSize);
      } else {
        abbrevOffset = c.uN(offsetSize);
        addressSize = c.u8();
      }
      const code = c.uleb();
      const attrs = code === 0 ? undefined : findAbbrev(abbrev, abbrevOffset, code);
      if (attrs) {
        const unit = { version, offsetSize, addressSize };
        const cu: CompileUnitInfo = { stmtList: -1 };
        for (const a of attrs) {
          const v = readForm(c, a.form, unit, sections, a.implicitConst);
          if (a.name === DW_AT_stmt_list && v.kind === 'number') cu.stmtList = v.value;
          else if (a.name === DW_AT_comp_dir && v.kind === 'string') cu.compDir = v.value;
          else if (a.name === DW_AT_name && v.kind === 'string') cu.name = v.value;
        }
        if (cu.stmtList >= 0) units.push(cu);
      }
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
    }
    c.pos = unitEnd;
    if (c.pos <= unitStart) break;
  }
  return units;
}
