// Writes DWARF 4 debug information for an ELF executable from the Program's line map: a
// .debug_line program (DWARF 4 §6.2) and a one-DIE .debug_info compile unit (+ .debug_abbrev)
// naming it, as nasm -g -F dwarf does, so gdb and objdump map addresses to source lines.
// Only instruction entries are written. Imports ./program (types) only.
import type { LineMapEntry, Program } from './program';

/** The three debug sections' contents. */
export interface DwarfSectionsOut {
  abbrev: Uint8Array;
  info: Uint8Array;
  line: Uint8Array;
}

class Bytes {
  readonly out: number[] = [];
  u8(v: number): void { this.out.push(v & 0xff); }
  u16(v: number): void { this.u8(v); this.u8(v >>> 8); }
  u32(v: number): void { this.u16(v & 0xffff); this.u16(v >>> 16); }
  addr(v: number, size: 4 | 8): void {
    const lo = v % 0x1_0000_0000;
    this.u32(lo);
    if (size === 8) this.u32((v - lo) / 0x1_0000_0000);
  }
  uleb(v: number): void {
    let n = v;
    do {
      let b = n % 128;
      n = Math.floor(n / 128);
      if (n > 0) b |= 0x80;
      this.u8(b);
    } while (n > 0);
  }
  sleb(v: number): void {
    let n = v;
    for (;;) {
      const b = ((n % 128) + 128) % 128;
      n = Math.floor(n / 128);
      const done = (n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0);
      this.u8(done ? b : b | 0x80);
      if (done) return;
    }
  }
  str(s: string): void {
    for (const b of new TextEncoder().encode(s)) this.u8(b);
    this.u8(0);
  }
  bytes(): Uint8Array { return Uint8Array.from(this.out); }
}

function dirname(p: string): string {
  const i = p.lastIndexOf('/');
  return i > 0 ? p.slice(0, i) : i === 0 ? '/' : '';
}

function basename(p: string): string {
  return p.slice(p.lastIndexOf('/') + 1);
}

const LINE_BASE = -5;
const LINE_RANGE = 14;
const OPCODE_BASE = 13;

/** Builds the line program; returns undefined when the program has no instruction lines. */
function lineProgram(entries: LineMapEntry[], addressSize: 4 | 8): Uint8Array {
  const dirs: string[] = [];
  const files: { name: string; dir: number }[] = [];
  const fileIndex = new Map<string, number>();
  for (const e of entries) {
    const path = e.location.file;
    if (fileIndex.has(path)) continue;
    const d = dirname(path);
    let dir = 0;
    if (d !== '') {
      dir = dirs.indexOf(d) + 1;
      if (dir === 0) { dirs.push(d); dir = dirs.length; }
    }
    files.push({ name: d === '' ? path : basename(path), dir });
    fileIndex.set(path, files.length);
  }
  const header = new Bytes();
  header.u8(1); // minimum_instruction_length
  header.u8(1); // maximum_operations_per_instruction
  header.u8(1); // default_is_stmt
  header.u8(LINE_BASE & 0xff);
  header.u8(LINE_RANGE);
  header.u8(OPCODE_BASE);
  for (const n of [0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1]) header.u8(n);
  for (const d of dirs) header.str(d);
  header.u8(0);
  for (const f of files) { header.str(f.name); header.uleb(f.dir); header.uleb(0); header.uleb(0); }
  header.u8(0);

  const prog = new Bytes();
  let i = 0;
  while (i < entries.length) {
    // One sequence per run of contiguous entries.
    let address = entries[i].address;
    let file = 1;
    let line = 1;
    prog.u8(0); prog.uleb(1 + addressSize); prog.u8(2); prog.addr(address, addressSize);
    for (;;) {
      const e = entries[i];
      if (e.address > address) { prog.u8(2); prog.uleb(e.address - address); address = e.address; }
      const f = fileIndex.get(e.location.file) ?? 1;
      if (f !== file) { prog.u8(4); prog.uleb(f); file = f; }
      if (e.location.line !== line) { prog.u8(3); prog.sleb(e.location.line - line); line = e.location.line; }
      prog.u8(1);
      const end = e.address + e.length;
      i++;
      if (i >= entries.length || entries[i].address !== end) {
        prog.u8(2); prog.uleb(end - address);
        prog.u8(0); prog.uleb(1); prog.u8(1);
        break;
      }
    }
  }
  const h = header.bytes();
  const p = prog.bytes();
  const out = new Bytes();
  out.u32(2 + 4 + h.length + p.length);
  out.u16(4);
  out.u32(h.length);
  for (const b of h) out.u8(b);
  for (const b of p) out.u8(b);
  return out.bytes();
}

/**
 * DWARF sections for the program's instruction lines, or undefined when it has none.
 * `addressSize` is 4 for ELF32 and 8 for ELF64.
 */
export function buildDwarfSections(program: Program, addressSize: 4 | 8): DwarfSectionsOut | undefined {
  const entries = program.lineMap
    .filter((e) => e.isInstruction && e.length > 0 && e.location.line > 0)
    .slice()
    .sort((a, b) => a.address - b.address);
  const clean: LineMapEntry[] = [];
  for (const e of entries) {
    const prev = clean[clean.length - 1];
    if (prev && e.address < prev.address + prev.length) continue;
    clean.push(e);
  }
  if (clean.length === 0) return undefined;
  const line = lineProgram(clean, addressSize);

  const abbrev = new Bytes();
  abbrev.uleb(1); abbrev.uleb(0x11); abbrev.u8(0); // DW_TAG_compile_unit, no children
  for (const [at, form] of [[0x03, 0x08], [0x1b, 0x08], [0x25, 0x08], [0x13, 0x05], [0x10, 0x17], [0x11, 0x01], [0x12, 0x07]]) {
    abbrev.uleb(at); abbrev.uleb(form);
  }
  abbrev.uleb(0); abbrev.uleb(0); abbrev.uleb(0);

  const name = clean[0].location.file;
  const low = clean[0].address;
  const last = clean[clean.length - 1];
  const body = new Bytes();
  body.u16(4); body.u32(0); body.u8(addressSize);
  body.uleb(1);
  body.str(name);
  body.str(dirname(name));
  body.str('x86dbg');
  body.u16(0x8001); // DW_LANG_Mips_Assembler, what nasm records for assembly
  body.u32(0); // DW_AT_stmt_list: offset 0 in .debug_line
  body.addr(low, addressSize);
  body.addr(last.address + last.length - low, 8);
  const b = body.bytes();
  const info = new Bytes();
  info.u32(b.length);
  for (const x of b) info.u8(x);
  return { abbrev: abbrev.bytes(), info: info.bytes(), line };
}
