// ELF32/ELF64 static executable loader: parses the headers, maps PT_LOAD segments with their
// permissions, reads .symtab into program symbols and DWARF .debug_line (v2–5) into the line map.
// Never throws on malformed input: the public loadElf returns an error result.
// Imports ./byteCursor, ./elfConstants, ./dwarfUnits, ./dwarfLines and ./program (types).
import { ByteCursor, FormatError, stringAt } from './byteCursor';
import * as E from './elfConstants';
import { readCompileUnits, type DwarfSections } from './dwarfUnits';
import { lineMapFromTables, readAllLineTables } from './dwarfLines';
import type { Program, ProgramSymbol, Segment, SymbolKind } from './program';

/** A section header, with a view of its bytes (empty for SHT_NOBITS). */
export interface ElfSection {
  index: number;
  name: string;
  type: number;
  flags: number;
  address: number;
  offset: number;
  size: number;
  link: number;
  info: number;
  entrySize: number;
  bytes: Uint8Array;
}

/** A program header. */
export interface ElfProgramHeader {
  type: number;
  flags: number;
  offset: number;
  vaddr: number;
  fileSize: number;
  memSize: number;
  align: number;
}

/** The parsed structure of an ELF file. */
export interface ElfFile {
  elfClass: 32 | 64;
  type: number;
  machine: number;
  entry: number;
  programHeaders: ElfProgramHeader[];
  sections: ElfSection[];
}

/** The result of loading an ELF executable. `warnings` name what could not be read (e.g. DWARF). */
export type ElfLoadResult =
  | { ok: true; program: Program; warnings: string[] }
  | { ok: false; message: string };

/** true when the bytes start with the ELF magic. */
export function isElf(bytes: Uint8Array): boolean {
  return bytes.length >= 4 && E.ELF_MAGIC.every((b, i) => bytes[i] === b);
}

/** Parses the ELF headers; throws FormatError on malformed input (internal: use loadElf). */
export function parseElf(bytes: Uint8Array): ElfFile {
  if (!isElf(bytes)) throw new FormatError('not an ELF file (no \\x7fELF magic)');
  if (bytes.length < E.ELF32_EHDR_SIZE) throw new FormatError('ELF header is truncated');
  const cls = bytes[4];
  if (cls !== E.ELFCLASS32 && cls !== E.ELFCLASS64) throw new FormatError(`unknown ELF class ${cls}`);
  if (bytes[5] !== E.ELFDATA2LSB) throw new FormatError('big-endian ELF files are not x86 programs');
  const is64 = cls === E.ELFCLASS64;
  const c = new ByteCursor(bytes, 16);
  const addr = (): number => (is64 ? c.u64() : c.u32());
  const type = c.u16();
  const machine = c.u16();
  c.u32();
  const entry = addr();
  const phoff = addr();
  const shoff = addr();
  c.u32();
  c.u16();
  const phentsize = c.u16();
  const phnum = c.u16();
  const shentsize = c.u16();
  let shnum = c.u16();
  let shstrndx = c.u16();

  const programHeaders: ElfProgramHeader[] = [];
  if (phnum > 0) {
    if (phentsize < (is64 ? E.ELF64_PHDR_SIZE : E.ELF32_PHDR_SIZE)) throw new FormatError(`program header size ${phentsize} is too small`);
    for (let i = 0; i < phnum; i++) {
      const p = new ByteCursor(bytes, phoff + i * phentsize, phoff + (i + 1) * phentsize);
      if (is64) {
        const t = p.u32(); const flags = p.u32(); const offset = p.u64(); const vaddr = p.u64(); p.u64();
        const fileSize = p.u64(); const memSize = p.u64(); const align = p.u64();
        programHeaders.push({ type: t, flags, offset, vaddr, fileSize, memSize, align });
      } else {
        const t = p.u32(); const offset = p.u32(); const vaddr = p.u32(); p.u32();
        const fileSize = p.u32(); const memSize = p.u32(); const flags = p.u32(); const align = p.u32();
        programHeaders.push({ type: t, flags, offset, vaddr, fileSize, memSize, align });
      }
    }
  }

  const sections: ElfSection[] = [];
  if (shoff !== 0) {
    if (shentsize < (is64 ? E.ELF64_SHDR_SIZE : E.ELF32_SHDR_SIZE)) throw new FormatError(`section header size ${shentsize} is too small`);
    const readShdr = (i: number): Omit<ElfSection, 'name' | 'bytes'> & { nameOffset: number } => {
      const s = new ByteCursor(bytes, shoff + i * shentsize, shoff + (i + 1) * shentsize);
      const nameOffset = s.u32(); const t = s.u32(); const flags = is64 ? s.u64() : s.u32();
      const address = is64 ? s.u64() : s.u32(); const offset = is64 ? s.u64() : s.u32();
      const size = is64 ? s.u64() : s.u32(); const link = s.u32(); const info = s.u32();
      s.skip(is64 ? 8 : 4);
      const entrySize = is64 ? s.u64() : s.u32();
      return { index: i, nameOffset, type: t, flags, address, offset, size, link, info, entrySize };
    };
    if (shnum === 0 || shstrndx === E.SHN_XINDEX) {
      const first = readShdr(0);
      if (shnum === 0) shnum = first.size;
      if (shstrndx === E.SHN_XINDEX) shstrndx = first.link;
    }
    if (shnum > 65536 * 16) throw new FormatError(`implausible section count ${shnum}`);
    const raw = [];
    for (let i = 0; i < shnum; i++) raw.push(readShdr(i));
    const shstr = raw[shstrndx];
    const names = shstr && shstr.type !== E.SHT_NOBITS ? new ByteCursor(bytes, shstr.offset, shstr.offset + shstr.size).take(shstr.size) : undefined;
    for (const r of raw) {
      const bytesOf = r.type === E.SHT_NOBITS || r.type === E.SHT_NULL ? new Uint8Array(0) : new ByteCursor(bytes, r.offset, r.offset + r.size).take(r.size);
      const name = names && r.nameOffset < names.length ? stringAt(names, r.nameOffset) : '';
      const { nameOffset: _n, ...rest } = r;
      sections.push({ ...rest, name, bytes: bytesOf });
    }
  }
  return { elfClass: is64 ? 64 : 32, type, machine, entry, programHeaders, sections };
}

function permissionsOf(flags: number): Segment['permissions'] {
  return { read: (flags & E.PF_R) !== 0, write: (flags & E.PF_W) !== 0, execute: (flags & E.PF_X) !== 0 };
}

function segmentName(i: number, ph: ElfProgramHeader, sections: ElfSection[]): string {
  const inside = sections.filter((s) => (s.flags & E.SHF_ALLOC) !== 0 && s.size > 0 && s.address >= ph.vaddr && s.address < ph.vaddr + ph.memSize);
  return inside.length === 1 ? inside[0].name : `LOAD${i}`;
}

/** Reads .symtab (or .dynsym when there is no .symtab) into program symbols. */
function readSymbols(file: ElfFile, bias: number): ProgramSymbol[] {
  const table = file.sections.find((s) => s.type === E.SHT_SYMTAB);
  if (!table) return [];
  const strtab = file.sections[table.link];
  if (!strtab) throw new FormatError('.symtab links to a missing string table');
  const is64 = file.elfClass === 64;
  const entSize = table.entrySize || (is64 ? E.ELF64_SYM_SIZE : E.ELF32_SYM_SIZE);
  if (entSize < (is64 ? E.ELF64_SYM_SIZE : E.ELF32_SYM_SIZE)) throw new FormatError(`symbol entry size ${entSize} is too small`);
  const symbols: ProgramSymbol[] = [];
  const count = Math.floor(table.bytes.length / entSize);
  for (let i = 1; i < count; i++) {
    const c = new ByteCursor(table.bytes, i * entSize, (i + 1) * entSize);
    let nameOff: number, value: number, size: number, info: number, shndx: number;
    if (is64) {
      nameOff = c.u32(); info = c.u8(); c.u8(); shndx = c.u16(); value = c.u64(); size = c.u64();
    } else {
      nameOff = c.u32(); value = c.u32(); size = c.u32(); info = c.u8(); c.u8(); shndx = c.u16();
    }
    const type = info & 15;
    const bind = info >> 4;
    if (type !== E.STT_NOTYPE && type !== E.STT_OBJECT && type !== E.STT_FUNC && type !== E.STT_TLS) continue;
    if (shndx === E.SHN_UNDEF || shndx === E.SHN_COMMON) continue;
    const name = stringAt(strtab.bytes, nameOff);
    if (name === '') continue;
    let kind: SymbolKind;
    let section: string | undefined;
    let address = value;
    if (shndx === E.SHN_ABS) {
      kind = 'constant';
    } else {
      const sec = file.sections[shndx];
      section = sec?.name;
      address = value + bias;
      if (type === E.STT_FUNC) kind = 'code';
      else if (type === E.STT_OBJECT || type === E.STT_TLS) kind = 'data';
      else if (!sec) kind = 'unknown';
      else kind = (sec.flags & E.SHF_EXECINSTR) !== 0 ? 'code' : 'data';
    }
    const sym: ProgramSymbol = { name, address, kind, size, elementSize: 0 };
    if (section) sym.section = section;
    if (bind === E.STB_GLOBAL || bind === E.STB_WEAK) sym.global = true;
    symbols.push(sym);
  }
  symbols.sort((a, b) => a.address - b.address || a.name.localeCompare(b.name));
  return symbols;
}

/** Reads the DWARF line information into a line map; problems become warnings. */
function readLines(file: ElfFile, bias: number, warnings: string[]): Program['lineMap'] {
  const byName = (n: string): Uint8Array | undefined => {
    const s = file.sections.find((x) => x.name === n);
    if (!s || s.type === E.SHT_NOBITS) return undefined;
    if ((s.flags & E.SHF_COMPRESSED) !== 0) {
      warnings.push(`${n} is compressed; compressed debug sections are not supported`);
      return undefined;
    }
    return s.bytes;
  };
  const sections: DwarfSections = { info: byName('.debug_info'), abbrev: byName('.debug_abbrev'), line: byName('.debug_line'), str: byName('.debug_str'), lineStr: byName('.debug_line_str') };
  if (!sections.line) return [];
  let units: ReturnType<typeof readCompileUnits> = [];
  try {
    units = readCompileUnits(sections);
  } catch (e) {
    if (!(e instanceof FormatError)) throw e;
    warnings.push(`.debug_info: ${e.message}`);
  }
  const { tables, problems } = readAllLineTables(sections, units);
  for (const p of problems) warnings.push(`.debug_line: ${p}`);
  const map = lineMapFromTables(tables);
  if (bias !== 0) for (const e of map) e.address += bias;
  return map;
}

/** Loads the bytes of an x86 ELF32/ELF64 static executable into a Program (environment linux). */
export function loadElf(bytes: Uint8Array, origin?: string): ElfLoadResult {
  try {
    const file = parseElf(bytes);
    if (file.machine !== E.EM_386 && file.machine !== E.EM_X86_64) return { ok: false, message: `ELF machine ${file.machine} is not x86 (EM_386 or EM_X86_64)` };
    if (file.type === E.ET_REL) return { ok: false, message: 'this is a relocatable object file (.o); link it first (ld or gcc -static)' };
    if (file.type !== E.ET_EXEC && file.type !== E.ET_DYN) return { ok: false, message: `ELF type ${file.type} is not an executable` };
    if (file.programHeaders.some((p) => p.type === E.PT_INTERP)) return { ok: false, message: 'dynamically linked executables are not supported; link with -static' };
    const loads = file.programHeaders.filter((p) => p.type === E.PT_LOAD);
    if (loads.length === 0) return { ok: false, message: 'the ELF file has no PT_LOAD segment' };
    const lowest = Math.min(...loads.map((p) => p.vaddr));
    const bias = file.type === E.ET_DYN && lowest < 0x10000 ? 0x400000 : 0;
    const segments: Segment[] = [];
    loads.forEach((ph, i) => {
      if (ph.fileSize > ph.memSize) throw new FormatError(`segment ${i}: file size 0x${ph.fileSize.toString(16)} exceeds memory size 0x${ph.memSize.toString(16)}`);
      const data = new ByteCursor(bytes, ph.offset, ph.offset + ph.fileSize).take(ph.fileSize).slice();
      segments.push({ name: segmentName(i, ph, file.sections), address: ph.vaddr + bias, bytes: data, memSize: ph.memSize, permissions: permissionsOf(ph.flags) });
    });
    const warnings: string[] = [];
    let symbols: ProgramSymbol[] = [];
    try {
      symbols = readSymbols(file, bias);
    } catch (e) {
      if (!(e instanceof FormatError)) throw e;
      warnings.push(`.symtab: ${e.message}`);
    }
    const lineMap = readLines(file, bias, warnings);
    const program: Program = { environment: 'linux', bits: file.elfClass === 64 || file.machine === E.EM_X86_64 ? 64 : 32, entry: file.entry + bias, segments, symbols, lineMap };
    if (origin !== undefined) program.origin = origin;
    return { ok: true, program, warnings };
  } catch (e) {
    if (e instanceof FormatError) return { ok: false, message: e.message };
    return { ok: false, message: `unreadable ELF file: ${e instanceof Error ? e.message : String(e)}` };
  }
}
