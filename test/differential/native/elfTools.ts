// Readers of binutils' text output (readelf, objdump) — the outside truth the ELF loader and
// writer tests compare against. Node-only test helpers.
import { mustRun } from './toolchain';

/** A PT_LOAD line of `readelf -lW`. */
export interface ReadelfLoad {
  offset: number;
  vaddr: number;
  fileSize: number;
  memSize: number;
  flags: string;
}

/** A symbol row of `readelf -sW` (the .symtab table only). */
export interface ReadelfSymbol {
  value: number;
  size: number;
  type: string;
  bind: string;
  ndx: string;
  name: string;
}

/** A row of `objdump --dwarf=decodedline` ('-' line = end of sequence). */
export interface DecodedLineRow {
  file: string;
  line: number | undefined;
  address: number;
}

const num = (s: string): number => (s.startsWith('0x') ? parseInt(s.slice(2), 16) : parseInt(s, 10));

/** Entry point from `readelf -hW`. */
export function readelfEntry(path: string): number {
  const m = /Entry point address:\s+(0x[0-9a-f]+)/.exec(mustRun('readelf', ['-hW', path]).toString());
  if (!m) throw new Error('readelf printed no entry point');
  return num(m[1]);
}

/** PT_LOAD program headers from `readelf -lW`. */
export function readelfLoads(path: string): ReadelfLoad[] {
  const out: ReadelfLoad[] = [];
  for (const line of mustRun('readelf', ['-lW', path]).toString().split('\n')) {
    const m = /^\s*LOAD\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+0x[0-9a-f]+\s+(0x[0-9a-f]+)\s+(0x[0-9a-f]+)\s+([RWE ]+?)\s+0x[0-9a-f]+\s*$/.exec(line);
    if (m) out.push({ offset: num(m[1]), vaddr: num(m[2]), fileSize: num(m[3]), memSize: num(m[4]), flags: m[5].replace(/\s+/g, '') });
  }
  return out;
}

/** Section index → flags letters, from `readelf -SW`. */
export function readelfSectionFlags(path: string): Map<number, string> {
  const map = new Map<number, string>();
  for (const line of mustRun('readelf', ['-SW', path]).toString().split('\n')) {
    const m = /^\s*\[\s*(\d+)\]\s+(\S*)\s+(\S+)\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+[0-9a-f]+\s+([A-Za-z]*)\s+\d+\s+\d+\s+\d+\s*$/.exec(line);
    if (m) map.set(parseInt(m[1], 10), m[4]);
  }
  return map;
}

/** The symbols of .symtab from `readelf -sW`. */
export function readelfSymbols(path: string): ReadelfSymbol[] {
  const out: ReadelfSymbol[] = [];
  let inSymtab = false;
  for (const line of mustRun('readelf', ['-sW', path]).toString().split('\n')) {
    if (line.startsWith('Symbol table')) {
      inSymtab = line.includes("'.symtab'");
      continue;
    }
    if (!inSymtab) continue;
    const m = /^\s*\d+:\s+([0-9a-f]+)\s+(0x[0-9a-f]+|\d+)\s+(\S+)\s+(\S+)\s+\S+\s+(\S+)\s*(.*)$/.exec(line);
    if (m) out.push({ value: parseInt(m[1], 16), size: num(m[2]), type: m[3], bind: m[4], ndx: m[5], name: m[6].trim() });
  }
  return out;
}

/** The decoded line table rows, in order, from `objdump --dwarf=decodedline`. */
export function objdumpDecodedLines(path: string): DecodedLineRow[] {
  const rows: DecodedLineRow[] = [];
  for (const line of mustRun('objdump', ['--dwarf=decodedline', path]).toString().split('\n')) {
    const m = /^(\S+)\s+(\d+|-)\s+(0x[0-9a-f]+)(\s|$)/.exec(line);
    if (m) rows.push({ file: m[1], line: m[2] === '-' ? undefined : parseInt(m[2], 10), address: num(m[3]) });
  }
  return rows;
}

/**
 * objdump's rows reduced the way a debugger reads them: [address, length) → file basename:line,
 * the last row at an address winning, '-' rows ending a sequence.
 */
export function addressRangesFromDecodedLines(rows: DecodedLineRow[]): string[] {
  const out: string[] = [];
  for (let i = 0; i + 1 < rows.length; i++) {
    const r = rows[i];
    if (r.line === undefined) continue;
    const next = rows[i + 1];
    if (next.address <= r.address) continue;
    out.push(`${r.address.toString(16)}+${next.address - r.address} ${basename(r.file)}:${r.line}`);
  }
  return out.sort();
}

/** Last path component. */
export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
