// ELF32/ELF64 static executable writer: one PT_LOAD per Program segment (file offsets congruent
// to addresses modulo the page size, segments sharing a page laid out as in memory), a section per
// segment, .symtab/.strtab/.shstrtab and, when the program has a line map, DWARF 4 line info
// (./dwarfWriter), so `x86dbg asm --format elf64` output runs on Linux and debugs with gdb.
// Imports ./elfConstants, ./dwarfWriter, ./binaryWriters and ./program (types).
import * as E from './elfConstants';
import type { WriteResult } from './binaryWriters';
import { buildDwarfSections } from './dwarfWriter';
import type { Program, ProgramSymbol, Segment } from './program';

const PAGE = 0x1000;

/** Options for writeElf. */
export interface ElfWriteOptions {
  /** 32 (EM_386) or 64 (EM_X86_64); default from program.bits (16-bit programs are refused). */
  elfClass?: 32 | 64;
  /** Write .debug_line/.debug_info from the line map (default true; nothing is written without lines). */
  debugInfo?: boolean;
}

/** Growable little-endian byte buffer for the writer. */
class ByteSink {
  private buf = new Uint8Array(4096);
  private view = new DataView(this.buf.buffer);
  length = 0;

  private ensure(n: number): void {
    if (this.length + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.length + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.length));
    this.buf = next;
    this.view = new DataView(next.buffer);
  }

  u8(v: number): void { this.ensure(1); this.buf[this.length++] = v & 0xff; }
  u16(v: number): void { this.ensure(2); this.view.setUint16(this.length, v, true); this.length += 2; }
  u32(v: number): void { this.ensure(4); this.view.setUint32(this.length, v >>> 0, true); this.length += 4; }
  u64(v: number): void {
    const lo = v % 0x1_0000_0000;
    this.u32(lo);
    this.u32((v - lo) / 0x1_0000_0000);
  }
  bytes(b: Uint8Array): void { this.ensure(b.length); this.buf.set(b, this.length); this.length += b.length; }
  padTo(offset: number): void { while (this.length < offset) this.u8(0); }
  result(): Uint8Array { return this.buf.slice(0, this.length); }
}

/** A string table under construction (offset 0 is the empty string). */
class StringTable {
  private parts: Uint8Array[] = [new Uint8Array(1)];
  private size = 1;
  private readonly seen = new Map<string, number>();
  private readonly enc = new TextEncoder();

  add(s: string): number {
    if (s === '') return 0;
    const known = this.seen.get(s);
    if (known !== undefined) return known;
    const at = this.size;
    const b = this.enc.encode(s);
    this.parts.push(b, new Uint8Array(1));
    this.size += b.length + 1;
    this.seen.set(s, at);
    return at;
  }

  bytes(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) { out.set(p, at); at += p.length; }
    return out;
  }
}

interface PlacedSegment {
  seg: Segment;
  offset: number;
}

/** File offsets for each segment: congruent to the address mod the page; page-sharing neighbours mirrored. */
function placeSegments(segs: Segment[], start: number): { placed: PlacedSegment[]; end: number } {
  const placed: PlacedSegment[] = [];
  let cursor = start;
  for (const seg of segs) {
    const prev = placed[placed.length - 1];
    let offset: number;
    if (prev && Math.floor(seg.address / PAGE) === Math.floor((prev.seg.address + Math.max(prev.seg.memSize, prev.seg.bytes.length, 1) - 1) / PAGE)) {
      offset = prev.offset + (seg.address - prev.seg.address);
    } else {
      offset = cursor + ((((seg.address - cursor) % PAGE) + PAGE) % PAGE);
    }
    placed.push({ seg, offset });
    cursor = Math.max(cursor, offset + seg.bytes.length);
  }
  return { placed, end: cursor };
}

function symbolInfo(sym: ProgramSymbol): number {
  const bind = sym.global ? E.STB_GLOBAL : E.STB_LOCAL;
  let type = E.STT_NOTYPE;
  if (sym.kind === 'data') type = E.STT_OBJECT;
  else if (sym.kind === 'code' && sym.size > 0) type = E.STT_FUNC;
  return (bind << 4) | type;
}

/** Writes the program as a static ELF executable (ET_EXEC) for Linux. Never throws. */
export function writeElf(program: Program, options: ElfWriteOptions = {}): WriteResult {
  const cls = options.elfClass ?? (program.bits === 64 ? 64 : program.bits === 32 ? 32 : undefined);
  if (cls === undefined) return { ok: false, message: '16-bit programs cannot be ELF executables; use --format bin or com' };
  const is64 = cls === 64;
  const maxAddress = is64 ? 2 ** 53 : 2 ** 32;
  const segs = program.segments.filter((s) => s.bytes.length > 0 || s.memSize > 0).slice().sort((a, b) => a.address - b.address);
  if (segs.length === 0) return { ok: false, message: 'the program has no segments to load' };
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    const size = Math.max(s.memSize, s.bytes.length);
    if (s.address < 0 || s.address + size > maxAddress) return { ok: false, message: `segment ${s.name} at 0x${s.address.toString(16)} does not fit a ${cls}-bit address space` };
    if (i > 0) {
      const p = segs[i - 1];
      if (s.address < p.address + Math.max(p.memSize, p.bytes.length)) return { ok: false, message: `segments ${p.name} and ${s.name} overlap at 0x${s.address.toString(16)}` };
    }
  }
  if (program.entry < 0 || program.entry >= maxAddress) return { ok: false, message: `entry point 0x${program.entry.toString(16)} does not fit a ${cls}-bit address space` };

  const ehSize = is64 ? E.ELF64_EHDR_SIZE : E.ELF32_EHDR_SIZE;
  const phSize = is64 ? E.ELF64_PHDR_SIZE : E.ELF32_PHDR_SIZE;
  const shSize = is64 ? E.ELF64_SHDR_SIZE : E.ELF32_SHDR_SIZE;
  const { placed, end: dataEnd } = placeSegments(segs, ehSize + phSize * segs.length);

  // Sections: [0] null, [1..n] one per segment, then .symtab, .strtab, .shstrtab.
  const shstr = new StringTable();
  const strtab = new StringTable();
  // A symbol belongs to the last segment starting at or below it (like ld's _end past .bss).
  const sectionOf = (address: number): number => {
    let index = 1;
    for (let i = 0; i < segs.length; i++) if (segs[i].address <= address) index = i + 1;
    return index;
  };
  const syms = program.symbols.filter((s) => s.name !== '' && Number.isFinite(s.address) && s.address >= 0 && s.address < maxAddress);
  const ordered = [...syms.filter((s) => !s.global), ...syms.filter((s) => s.global)];
  const firstGlobal = 1 + syms.filter((s) => !s.global).length;
  const symEnt = is64 ? E.ELF64_SYM_SIZE : E.ELF32_SYM_SIZE;
  const symtab = new ByteSink();
  symtab.padTo(symEnt);
  for (const s of ordered) {
    const name = strtab.add(s.name);
    const shndx = s.kind === 'constant' ? E.SHN_ABS : sectionOf(s.address);
    const size = Math.max(0, s.size || 0);
    if (is64) {
      symtab.u32(name); symtab.u8(symbolInfo(s)); symtab.u8(0); symtab.u16(shndx); symtab.u64(s.address); symtab.u64(size);
    } else {
      symtab.u32(name); symtab.u32(s.address >>> 0); symtab.u32(size >>> 0); symtab.u8(symbolInfo(s)); symtab.u8(0); symtab.u16(shndx);
    }
  }
  const segNames = segs.map((s) => shstr.add(s.name || '.load'));
  const symtabName = shstr.add('.symtab');
  const strtabName = shstr.add('.strtab');
  const dwarf = options.debugInfo === false ? undefined : buildDwarfSections(program, is64 ? 8 : 4);
  const debug = dwarf ? [{ name: shstr.add('.debug_abbrev'), bytes: dwarf.abbrev }, { name: shstr.add('.debug_info'), bytes: dwarf.info }, { name: shstr.add('.debug_line'), bytes: dwarf.line }] : [];
  const shstrtabName = shstr.add('.shstrtab');
  const symtabBytes = symtab.result();
  const strtabBytes = strtab.bytes();
  const shstrBytes = shstr.bytes();

  const out = new ByteSink();
  const addr = (v: number): void => (is64 ? out.u64(v) : out.u32(v));
  const symtabOff = Math.ceil(dataEnd / 8) * 8;
  const strtabOff = symtabOff + symtabBytes.length;
  let debugOff = strtabOff + strtabBytes.length;
  const debugOffsets = debug.map((d) => { const at = debugOff; debugOff += d.bytes.length; return at; });
  const shstrOff = debugOff;
  const shOff = Math.ceil((shstrOff + shstrBytes.length) / 8) * 8;
  const shnum = segs.length + 4 + debug.length;

  // ELF header (gABI "ELF Header").
  out.bytes(Uint8Array.from([...E.ELF_MAGIC, is64 ? E.ELFCLASS64 : E.ELFCLASS32, E.ELFDATA2LSB, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
  out.u16(E.ET_EXEC);
  out.u16(is64 ? E.EM_X86_64 : E.EM_386);
  out.u32(1);
  addr(program.entry);
  addr(ehSize);
  addr(shOff);
  out.u32(0);
  out.u16(ehSize);
  out.u16(phSize);
  out.u16(segs.length);
  out.u16(shSize);
  out.u16(shnum);
  out.u16(shnum - 1);

  for (const { seg, offset } of placed) {
    const flags = (seg.permissions.read ? E.PF_R : 0) | (seg.permissions.write ? E.PF_W : 0) | (seg.permissions.execute ? E.PF_X : 0);
    const memSize = Math.max(seg.memSize, seg.bytes.length);
    if (is64) {
      out.u32(E.PT_LOAD); out.u32(flags); out.u64(offset); out.u64(seg.address); out.u64(seg.address);
      out.u64(seg.bytes.length); out.u64(memSize); out.u64(PAGE);
    } else {
      out.u32(E.PT_LOAD); out.u32(offset); out.u32(seg.address); out.u32(seg.address);
      out.u32(seg.bytes.length); out.u32(memSize); out.u32(flags); out.u32(PAGE);
    }
  }
  for (const { seg, offset } of placed) {
    out.padTo(offset);
    if (out.length > offset) return { ok: false, message: `internal layout error at segment ${seg.name}` };
    out.bytes(seg.bytes);
  }
  out.padTo(symtabOff);
  out.bytes(symtabBytes);
  out.bytes(strtabBytes);
  for (const d of debug) out.bytes(d.bytes);
  out.bytes(shstrBytes);
  out.padTo(shOff);

  const shdr = (name: number, type: number, flags: number, address: number, offset: number, size: number, link: number, info: number, align: number, entSize: number): void => {
    out.u32(name); out.u32(type); addr(flags); addr(address); addr(offset); addr(size); out.u32(link); out.u32(info); addr(align); addr(entSize);
  };
  shdr(0, E.SHT_NULL, 0, 0, 0, 0, 0, 0, 0, 0);
  placed.forEach(({ seg, offset }, i) => {
    const p = seg.permissions;
    const flags = E.SHF_ALLOC | (p.write ? E.SHF_WRITE : 0) | (p.execute ? E.SHF_EXECINSTR : 0);
    const nobits = seg.bytes.length === 0;
    shdr(segNames[i], nobits ? E.SHT_NOBITS : E.SHT_PROGBITS, flags, seg.address, offset, nobits ? seg.memSize : seg.bytes.length, 0, 0, 1, 0);
  });
  shdr(symtabName, E.SHT_SYMTAB, 0, 0, symtabOff, symtabBytes.length, segs.length + 2, firstGlobal, 8, symEnt);
  shdr(strtabName, E.SHT_STRTAB, 0, 0, strtabOff, strtabBytes.length, 0, 0, 1, 0);
  debug.forEach((d, i) => shdr(d.name, E.SHT_PROGBITS, 0, 0, debugOffsets[i], d.bytes.length, 0, 0, 1, 0));
  shdr(shstrtabName, E.SHT_STRTAB, 0, 0, shstrOff, shstrBytes.length, 0, 0, 1, 0);
  return { ok: true, bytes: out.result() };
}
