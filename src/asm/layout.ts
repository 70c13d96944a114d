// Section layout: where each section's bytes live in memory for each output format.
// - bin/com (nasm -f bin, §8.1): .text first at ORG, other progbits sections follow in order of
//   definition aligned to their ALIGN (default 4), nobits sections after all progbits.
// - elf32/elf64: the addresses `nasm -f elfNN` + GNU ld 2.40 (-z separate-code) give: headers at
//   0x400000 (0x8048000), exec sections from +0x1000, read-only, then writable + nobits, each new
//   segment on the next page at the same page offset as its file offset. Imports nothing of ours.

/** What layout needs to know about a section. */
export interface SectionInfo {
  name: string;
  nobits: boolean;
  exec: boolean;
  write: boolean;
  align: number;
  size: number;
  /** Explicit START= (bin only). */
  start?: number;
}

export type OutputFormat = 'bin' | 'com' | 'elf32' | 'elf64';

/** Default attributes of a section by name and format (nasm's defaults). */
export function sectionDefaults(name: string, format: OutputFormat): { nobits: boolean; exec: boolean; write: boolean; align: number } {
  const elf = format === 'elf32' || format === 'elf64';
  const n = name.toLowerCase();
  if (n === '.text' || n.startsWith('.text.')) return { nobits: false, exec: true, write: false, align: elf ? 16 : 1 };
  if (n === '.bss' || n.startsWith('.bss.') || n === '.tbss') return { nobits: true, exec: false, write: true, align: 4 };
  if (n === '.data' || n.startsWith('.data.') || n === '.tdata') return { nobits: false, exec: false, write: true, align: 4 };
  if (n === '.rodata' || n.startsWith('.rodata.')) return { nobits: false, exec: false, write: false, align: 4 };
  return elf ? { nobits: false, exec: false, write: false, align: 1 } : { nobits: false, exec: false, write: true, align: 4 };
}

function alignUp(v: number, a: number): number {
  if (a <= 1) return v;
  return Math.ceil(v / a) * a;
}

/** Base address of every section (same order as `sections`). `org` is the flat-binary origin. */
export function layoutSections(sections: readonly SectionInfo[], format: OutputFormat, org: number): number[] {
  const bases = new Array<number>(sections.length).fill(0);
  if (format === 'bin' || format === 'com') {
    let cursor = org;
    const order = [...sections.keys()];
    // .text first, then progbits in order, then nobits
    order.sort((a, b) => rank(sections[a]) - rank(sections[b]) || a - b);
    let first = true;
    for (const i of order) {
      const s = sections[i];
      if (s.start !== undefined) cursor = s.start;
      else if (!first) cursor = alignUp(cursor, s.name === '.text' ? 1 : Math.max(s.align, 1));
      bases[i] = cursor;
      cursor += s.size;
      first = false;
    }
    return bases;
  }
  const base = format === 'elf64' ? 0x400000 : 0x8048000;
  const groups: number[][] = [[], [], [], []];
  sections.forEach((s, i) => groups[s.exec ? 0 : s.nobits ? 3 : s.write ? 2 : 1].push(i));
  // data and bss share one segment
  const segments = [groups[0], groups[1], [...groups[2], ...groups[3]]];
  let off = 0x1000;
  let vaddrEnd = base + 0x1000;
  let afterText = false;
  let firstSeg = true;
  for (const seg of segments) {
    if (seg.length === 0) continue;
    if (afterText) off = alignUp(off, 0x1000);
    const firstProg = seg.find((i) => !sections[i].nobits);
    if (firstProg !== undefined) off = alignUp(off, Math.max(sections[firstProg].align, 1));
    const vaddr = firstSeg ? base + off : alignUp(vaddrEnd, 0x1000) + (off % 0x1000);
    const delta = vaddr - off;
    let cur = vaddr;
    for (const i of seg) {
      const s = sections[i];
      const a = Math.max(s.align, 1);
      if (s.nobits) {
        cur = alignUp(cur, a);
        bases[i] = cur;
        cur += s.size;
      } else {
        off = alignUp(off, a);
        bases[i] = off + delta;
        off += s.size;
        cur = off + delta;
      }
    }
    vaddrEnd = cur;
    afterText = firstSeg && seg === segments[0];
    firstSeg = false;
  }
  return bases;
}

function rank(s: SectionInfo): number {
  if (s.name === '.text') return 0;
  return s.nobits ? 2 : 1;
}
