// DWARF .debug_line reader, versions 2 to 5: header (include directories and file names, the
// DWARF 5 entry formats), the line-number state machine (DWARF 5 §6.2), and the conversion of its
// rows into the Program's line map. File paths are resolved against the include directories and
// the unit's compilation directory. Imports ./byteCursor, ./dwarfUnits and ./program (types).
import { ByteCursor, FormatError, stringAt } from './byteCursor';
import type { CompileUnitInfo, DwarfSections } from './dwarfUnits';
import type { LineMapEntry } from './program';

/** One row of the line-number matrix. */
export interface LineRow {
  address: number;
  /** Resolved path of the source file ('' when the index names no file). */
  file: string;
  line: number;
  column: number;
  isStmt: boolean;
  endSequence: boolean;
}

/** One line-number program (one per compile unit). */
export interface LineTable {
  /** Offset of the table in .debug_line. */
  offset: number;
  version: number;
  /** Resolved file paths by the index the line program uses (index 0 unused before DWARF 5). */
  files: string[];
  rows: LineRow[];
}

const DW_LNCT_path = 1;
const DW_LNCT_directory_index = 2;

/** Joins POSIX-style paths: an absolute `rel` wins; '.' components are dropped. */
export function joinPath(dir: string | undefined, rel: string): string {
  if (rel.startsWith('/') || /^[A-Za-z]:[\\/]/.test(rel) || !dir) return rel;
  const parts = (dir.endsWith('/') ? dir + rel : `${dir}/${rel}`).split('/');
  const out: string[] = [];
  for (const p of parts) {
    if (p === '.' && out.length > 0) continue;
    if (p === '..' && out.length > 0 && out[out.length - 1] !== '..' && out[out.length - 1] !== '') {
      out.pop();
      continue;
    }
    out.push(p);
  }
  return out.join('/');
}

interface Header {
  version: number;
  offsetSize: number;
  addressSize: number;
  minInstLength: number;
  defaultIsStmt: boolean;
  lineBase: number;
  lineRange: number;
  opcodeBase: number;
  standardLengths: number[];
  dirs: string[];
  files: string[];
}

/** Reads a DWARF 5 entry-format list and its entries (§6.2.4.1), returning path + dir index. */
function readEntries(c: ByteCursor, h: { offsetSize: number }, sections: DwarfSections): { path: string; dir: number }[] {
  const formatCount = c.u8();
  const formats: [number, number][] = [];
  for (let i = 0; i < formatCount; i++) formats.push([c.uleb(), c.uleb()]);
  const count = c.uleb();
  const entries: { path: string; dir: number }[] = [];
  for (let i = 0; i < count; i++) {
    let path = '';
    let dir = 0;
    for (const [type, form] of formats) {
      let num = 0;
      let str: string | undefined;
      switch (form) {
        case 0x08: str = c.cstring(); break;
        case 0x1f: { const off = c.uN(h.offsetSize); str = sections.lineStr ? stringAt(sections.lineStr, off) : ''; break; }
        case 0x0e: { const off = c.uN(h.offsetSize); str = sections.str ? stringAt(sections.str, off) : ''; break; }
        case 0x0b: num = c.u8(); break;
        case 0x05: num = c.u16(); break;
        case 0x06: num = c.u32(); break;
        case 0x07: num = c.u64(); break;
        case 0x0f: num = c.uleb(); break;
        case 0x1e: c.skip(16); break;
        case 0x09: c.skip(c.uleb()); break;
        case 0x25: c.skip(1); break;
        case 0x26: c.skip(2); break;
        case 0x27: c.skip(3); break;
        case 0x28: c.skip(4); break;
        case 0x1a: c.uleb(); break;
        default: throw new FormatError(`unsupported form 0x${form.toString(16)} in a DWARF 5 line header`);
      }
      if (type === DW_LNCT_path && str !== undefined) path = str;
      else if (type === DW_LNCT_directory_index) dir = num;
    }
    entries.push({ path, dir });
  }
  return entries;
}

function readHeader(c: ByteCursor, version: number, offsetSize: number, sections: DwarfSections, unit: CompileUnitInfo | undefined): { header: Header; programStart: number } {
  let addressSize = 0;
  if (version >= 5) {
    addressSize = c.u8();
    c.u8();
  }
  const headerLength = c.uN(offsetSize);
  const programStart = c.pos + headerLength;
  const minInstLength = c.u8();
  if (version >= 4) c.u8();
  const defaultIsStmt = c.u8() !== 0;
  const lineBase = c.i8();
  const lineRange = c.u8();
  const opcodeBase = c.u8();
  if (lineRange === 0) throw new FormatError('line_range is 0');
  const standardLengths: number[] = [0];
  for (let i = 1; i < opcodeBase; i++) standardLengths.push(c.u8());
  const dirs: string[] = [];
  const files: string[] = [];
  const compDir = unit?.compDir;
  if (version >= 5) {
    const dirEntries = readEntries(c, { offsetSize }, sections);
    for (const d of dirEntries) dirs.push(d.path);
    const base = dirs[0] ?? compDir;
    for (let i = 1; i < dirs.length; i++) dirs[i] = joinPath(base, dirs[i]);
    for (const f of readEntries(c, { offsetSize }, sections)) files.push(joinPath(dirs[f.dir] ?? base, f.path));
  } else {
    dirs.push(compDir ?? '');
    for (;;) {
      const d = c.cstring();
      if (d === '') break;
      dirs.push(joinPath(compDir, d));
    }
    files.push('');
    for (;;) {
      const name = c.cstring();
      if (name === '') break;
      const dir = c.uleb();
      c.uleb();
      c.uleb();
      files.push(joinPath(dirs[dir] || compDir, name));
    }
  }
  return { header: { version, offsetSize, addressSize, minInstLength, defaultIsStmt, lineBase, lineRange, opcodeBase, standardLengths, dirs, files }, programStart };
}

/** Runs the line-number program of one table (DWARF 5 §6.2.5). */
function runProgram(c: ByteCursor, h: Header, end: number): LineRow[] {
  const rows: LineRow[] = [];
  let address = 0;
  let file = 1;
  let line = 1;
  let column = 0;
  let isStmt = h.defaultIsStmt;
  const reset = (): void => {
    address = 0; file = 1; line = 1; column = 0; isStmt = h.defaultIsStmt;
  };
  const emit = (endSequence: boolean): void => {
    rows.push({ address, file: h.files[file] ?? '', line, column, isStmt, endSequence });
  };
  while (c.pos < end) {
    const op = c.u8();
    if (op >= h.opcodeBase) {
      const adjusted = op - h.opcodeBase;
      address += Math.floor(adjusted / h.lineRange) * h.minInstLength;
      line += h.lineBase + (adjusted % h.lineRange);
      emit(false);
      continue;
    }
    switch (op) {
      case 0: {
        const len = c.uleb();
        if (len === 0) break;
        const subEnd = c.pos + len;
        const sub = c.u8();
        if (sub === 1) {
          emit(true);
          reset();
        } else if (sub === 2) {
          address = c.uN(len - 1);
        } else if (sub === 3 && h.version <= 4) {
          const name = c.cstring();
          const dir = c.uleb();
          h.files.push(joinPath(h.dirs[dir] || h.dirs[0], name));
        }
        c.pos = subEnd;
        break;
      }
      case 1: emit(false); break;
      case 2: address += c.uleb() * h.minInstLength; break;
      case 3: line += c.sleb(); break;
      case 4: file = c.uleb(); break;
      case 5: column = c.uleb(); break;
      case 6: isStmt = !isStmt; break;
      case 7: break;
      case 8: address += Math.floor((255 - h.opcodeBase) / h.lineRange) * h.minInstLength; break;
      case 9: address += c.u16(); break;
      case 10: case 11: break;
      case 12: c.uleb(); break;
      default:
        for (let i = 0; i < h.standardLengths[op]; i++) c.uleb();
    }
  }
  return rows;
}

/** Reads the line table at `offset` of .debug_line. Throws FormatError on malformed data. */
export function readLineTable(sections: DwarfSections, offset: number, unit?: CompileUnitInfo): LineTable & { next: number } {
  const section = sections.line;
  if (!section) throw new FormatError('no .debug_line section');
  const c = new ByteCursor(section, offset);
  let length = c.u32();
  let offsetSize = 4;
  if (length === 0xffffffff) {
    length = c.u64();
    offsetSize = 8;
  }
  const end = c.pos + length;
  if (end > section.length) throw new FormatError(`line table at 0x${offset.toString(16)} runs past the end of .debug_line`);
  const version = c.u16();
  if (version < 2 || version > 5) throw new FormatError(`DWARF line table version ${version} is not supported (2 to 5 are)`);
  const { header, programStart } = readHeader(new ByteCursor(section, c.pos, end), version, offsetSize, sections, unit);
  const rows = runProgram(new ByteCursor(section, programStart, end), header, end);
  return { offset, version, files: header.files, rows, next: end };
}

/**
 * Reads every line table of .debug_line, using the compile units for compilation directories.
 * Tables that cannot be read are reported in `problems` and skipped.
 */
export function readAllLineTables(sections: DwarfSections, units: CompileUnitInfo[]): { tables: LineTable[]; problems: string[] } {
  const tables: LineTable[] = [];
  const problems: string[] = [];
  const section = sections.line;
  if (!section) return { tables, problems };
  const byOffset = new Map<number, CompileUnitInfo>();
  for (const u of units) byOffset.set(u.stmtList, u);
  let offset = 0;
  while (offset + 4 <= section.length) {
    try {
      const t = readLineTable(sections, offset, byOffset.get(offset));
      tables.push(t);
      if (t.next <= offset) break;
      offset = t.next;
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      problems.push(e.message);
      break;
    }
  }
  return { tables, problems };
}

/**
 * Turns line-table rows into the Program's line map: one entry per address range, sorted, the
 * last row at an address winning (as debuggers do), end_sequence rows closing ranges.
 */
export function lineMapFromTables(tables: LineTable[]): LineMapEntry[] {
  const entries: LineMapEntry[] = [];
  for (const t of tables) {
    const rows = t.rows;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.endSequence) continue;
      const next = rows[i + 1];
      if (!next) continue;
      const length = next.address - r.address;
      if (length <= 0) continue;
      entries.push({ address: r.address, length, location: { file: r.file, line: r.line, ...(r.column ? { column: r.column } : {}) }, isInstruction: true });
    }
  }
  entries.sort((a, b) => a.address - b.address);
  return entries;
}
