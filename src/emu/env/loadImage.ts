// Placing a Program's segments into guest memory: pages shared by several segments get the union of
// their permissions, runs of pages with equal permissions become one mapping, then the initialised
// bytes are written (the rest stays zero, like .bss). Imports the Machine, memory constants and
// Program types.
import type { Machine } from '../machine';
import { PAGE_SIZE, PERM_R, PERM_W, PERM_X } from '../memory';
import type { Program, Segment } from '../../asm/program';

export type PlaceResult = { ok: true; end: number } | { ok: false; message: string };

function permOf(s: Segment): number {
  return (s.permissions.read ? PERM_R : 0) | (s.permissions.write ? PERM_W : 0) | (s.permissions.execute ? PERM_X : 0);
}

/**
 * Map and fill every segment of `program`, adding `base` to each address (0 for linux/bare; the
 * load segment's linear base for .COM). With `map` false the memory is already mapped (real-mode
 * RAM) and only the bytes are written. Returns the first address after the image.
 */
export function placeSegments(m: Machine, program: Program, base = 0, map = true): PlaceResult {
  const pagePerm = new Map<number, number>();
  let end = 0;
  for (const s of program.segments) {
    const start = base + s.address;
    const size = Math.max(s.memSize, s.bytes.length);
    if (size === 0) continue;
    if (!Number.isSafeInteger(start) || start < 0) return { ok: false, message: `segment ${s.name} has a bad address` };
    end = Math.max(end, start + size);
    for (let p = Math.floor(start / PAGE_SIZE); p < Math.ceil((start + size) / PAGE_SIZE); p++) pagePerm.set(p, (pagePerm.get(p) ?? 0) | permOf(s));
  }
  const pages = map ? [...pagePerm.keys()].sort((a, b) => a - b) : [];
  for (let i = 0; i < pages.length; ) {
    let j = i;
    const perm = pagePerm.get(pages[i]) as number;
    while (j + 1 < pages.length && pages[j + 1] === pages[j] + 1 && pagePerm.get(pages[j + 1]) === perm) j++;
    const r = m.map(pages[i] * PAGE_SIZE, (j - i + 1) * PAGE_SIZE, perm, 'image');
    if (!r.ok) return { ok: false, message: `cannot map the image at 0x${(pages[i] * PAGE_SIZE).toString(16)}: ${r.message}` };
    i = j + 1;
  }
  for (const s of program.segments) {
    if (s.bytes.length > 0 && !m.writeMemory(base + s.address, s.bytes)) return { ok: false, message: `segment ${s.name} at 0x${(base + s.address).toString(16)} lies outside the machine's memory` };
  }
  return { ok: true, end };
}
