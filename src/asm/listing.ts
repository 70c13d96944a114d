// Listing text in the shape of `nasm -l`: line number, address, the bytes a line produced, and the
// source text. Lines that produced nothing are listed without address. Imports ./assembler types.
import type { ListingLine } from './assembler';

/** Formats a listing of `fileName` from the assembler's listing lines and the source text. */
export function formatListing(lines: readonly ListingLine[], fileName: string, source: string): string {
  const byLine = new Map<number, ListingLine[]>();
  const other: ListingLine[] = [];
  for (const l of lines) {
    if (l.file !== fileName) {
      other.push(l);
      continue;
    }
    const list = byLine.get(l.line) ?? [];
    list.push(l);
    byLine.set(l.line, list);
  }
  const out: string[] = [];
  const src = source.split(/\r\n|\n|\r/);
  src.forEach((text, i) => {
    const n = i + 1;
    const recs = byLine.get(n);
    if (!recs) {
      out.push(`${String(n).padStart(6)} ${' '.repeat(8)} ${' '.repeat(18)} ${text}`);
      return;
    }
    recs.forEach((r, k) => {
      const hex = Array.from(r.bytes.subarray(0, 9), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
      const more = r.bytes.length > 9 ? '-' : ' ';
      out.push(`${String(n).padStart(6)} ${r.address.toString(16).toUpperCase().padStart(8, '0')} ${(hex + more).padEnd(18)} ${k === 0 ? text : '<rep>'}`);
    });
  });
  for (const r of other) {
    const hex = Array.from(r.bytes.subarray(0, 9), (b) => b.toString(16).toUpperCase().padStart(2, '0')).join('');
    out.push(`${r.file}:${r.line} ${r.address.toString(16).toUpperCase().padStart(8, '0')} ${hex}`);
  }
  return out.join('\n') + '\n';
}
