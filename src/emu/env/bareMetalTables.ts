// The structures the bare loader writes into guest RAM before entering protected or long mode: a
// flat GDT, identity-mapping page tables with 2 MiB pages, and where they (and the initial stack) go:
// the lowest page-aligned block from 1000h up that overlaps no byte of the image. Pure functions over
// byte arrays; imports the one descriptor encoder (src/emu/protected/flatGdt.ts).
import { encodeDescriptor } from '../protected/flatGdt';

/** A half-open range of linear addresses [start, end). */
export interface AddressRange {
  start: number;
  end: number;
}

export const PAGE = 0x1000;
/** Bytes of initial stack the loader reserves in 32- and 64-bit mode. */
export const LOADER_STACK_BYTES = 0x10000;
/** The identity map covers the first 4 GiB (four page directories of 2 MiB pages). */
export const IDENTITY_MAP_BYTES = 4 * 1024 * 1024 * 1024;
const PAGE_DIRECTORIES = IDENTITY_MAP_BYTES / (1024 * 1024 * 1024);
/** Lowest address the loader's block may use (page 0 is left to the guest). */
export const LOADER_BLOCK_FLOOR = 0x1000;

/** GDT selectors the loader sets up. */
export const SELECTOR_CODE = 0x08;
export const SELECTOR_DATA = 0x10;
/** 64-bit GDTs also carry a flat 32-bit code segment (compatibility mode). */
export const SELECTOR_CODE32_COMPAT = 0x18;

/** Page-table entry bits used: present, writable, page size (2 MiB). Supervisor-only, executable. */
const PTE_PRESENT_WRITABLE = 0x03;
const PDE_LARGE = 0x80;

/**
 * The flat GDT: null, code (32-bit, or 64-bit with L = 1), data (flat 4 GiB read/write), and in the
 * 64-bit variant a flat 32-bit code segment at 18h. Accessed bits are set, matching the hidden parts
 * the loader puts in the segment registers.
 */
export function flatGdt(bits: 32 | 64): Uint8Array {
  // VMX-layout attributes: P | S | type (Bh code execute/read accessed, 3 data read/write accessed),
  // G and D/B (32-bit) or L (64-bit code).
  const code32 = 0xc09b;
  const data = 0xc093;
  const segments = bits === 64 ? [0xa09b, data, code32] : [code32, data];
  const gdt = new Uint8Array((segments.length + 1) * 8);
  segments.forEach((attributes, i) => gdt.set(encodeDescriptor(0, 0xffffffff, attributes), (i + 1) * 8));
  return gdt;
}

/** Where the 4-level identity tables live: PML4, PDPT and the page directories, consecutive pages. */
export interface IdentityTables {
  pml4: number;
  pdpt: number;
  /** First page directory; directory i maps [i GiB, i+1 GiB). */
  pageDirectories: number;
  /** All table pages from `pml4` on. */
  bytes: Uint8Array;
}

/** Pages the identity tables take. */
export const IDENTITY_TABLE_PAGES = 2 + PAGE_DIRECTORIES;

/** 4-level page tables at `base` mapping linear = physical for the first 4 GiB with 2 MiB pages. */
export function identityTables(base: number): IdentityTables {
  const bytes = new Uint8Array(IDENTITY_TABLE_PAGES * PAGE);
  const view = new DataView(bytes.buffer);
  const pml4 = base;
  const pdpt = base + PAGE;
  const pd = base + 2 * PAGE;
  view.setUint32(0, pdpt | PTE_PRESENT_WRITABLE, true);
  for (let i = 0; i < PAGE_DIRECTORIES; i++) {
    view.setUint32(PAGE + i * 8, (pd + i * PAGE) | PTE_PRESENT_WRITABLE, true);
    for (let j = 0; j < 512; j++) {
      const frame = i * 0x40000000 + j * 0x200000;
      view.setUint32(2 * PAGE + i * PAGE + j * 8, (frame | PTE_PRESENT_WRITABLE | PDE_LARGE) >>> 0, true);
    }
  }
  return { pml4, pdpt, pageDirectories: pd, bytes };
}

/** Sorted, merged copy of `ranges` (empty ranges dropped). */
export function mergeRanges(ranges: readonly AddressRange[]): AddressRange[] {
  const sorted = ranges.filter((r) => r.end > r.start).sort((a, b) => a.start - b.start);
  const out: AddressRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ start: r.start, end: r.end });
  }
  return out;
}

/**
 * The lowest page-aligned address ≥ `floor` where `size` bytes fit below `limit` without touching
 * any of `used` (sorted, merged); null when there is no such place.
 */
export function findFreeBlock(used: readonly AddressRange[], size: number, floor: number, limit: number): number | null {
  const candidates = [floor, ...used.map((r) => Math.ceil(r.end / PAGE) * PAGE)];
  for (const start of candidates.sort((a, b) => a - b)) {
    if (start < floor || start + size > limit) continue;
    if (used.every((r) => r.end <= start || r.start >= start + size)) return start;
  }
  return null;
}
