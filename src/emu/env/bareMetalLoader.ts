// Loading a flat image for the `bare` environment: RAM from 0 (64 MiB by default, lazily backed), the
// image at its linear address (its ORG, or --org / launch `org`), then entry at CPL 0 in
//  - 16: real mode, A20 off, CS:IP = 0000:ADDR below 64 KiB, else (ADDR >> 4 & F000h):(ADDR & FFFFh);
//        DS = ES = FS = GS = SS = CS; SP = ADDR (SS = 0) when the image starts in 1000h–10000h, else
//        SP = 0 (the stack is the top of CS's 64 KiB segment); IDTR = 0/3FFh (the IVT, zeroed RAM).
//  - 32: protected mode, paging off, flat GDT (08h code, 10h data) in the loader block; ESP = block end.
//  - 64: long mode, EFER.LME/LMA, CR4.PAE, CR0.PG with 4-level tables identity-mapping 4 GiB by 2 MiB
//        pages, GDT (08h 64-bit code, 10h data, 18h 32-bit code) in the loader block; RSP = block end.
// The loader block is the lowest page-aligned place from 1000h that overlaps no image byte: GDT page,
// (64-bit: PML4, PDPT, 4 page directories), then 64 KiB of stack. Nothing else is touched: DR6 =
// FFFF0FF0h, DR7 = 400h, IF = 0, IDTR.limit = 0 (no IDT), no TSS/LDT. Imports the Machine, the
// bare environment, the table builders and Program types.
import { Machine } from '../machine';
import { PERM_RWX } from '../memory';
import { CS, DS, ES, FS, GS, SSEG, CR0_PG, EFER_LMA, EFER_LME } from '../cpu';
import type { GuestConsole } from '../console';
import type { Bits, Program } from '../../asm/program';
import { placeSegments } from './loadImage';
import { BareMetalEnvironment } from './bareMetal';
import { IDENTITY_MAP_BYTES, IDENTITY_TABLE_PAGES, LOADER_BLOCK_FLOOR, LOADER_STACK_BYTES, PAGE, findFreeBlock, flatGdt, identityTables, mergeRanges, type AddressRange } from './bareMetalTables';

/** RAM of a bare machine unless the launch says otherwise. */
export const BARE_DEFAULT_RAM_BYTES = 64 * 1024 * 1024;
const SP = 4;
const CR4_PAE = 0x20;

export interface BareMetalOptions {
  console: GuestConsole;
  bits: Bits;
  /** Linear address of the image's lowest byte; default: the addresses the program was built for. */
  org?: number;
  /** RAM size in bytes (default 64 MiB); image bytes above it get pages of their own. */
  ramBytes?: number;
  notice: (message: string) => void;
}

/** Where the loader put things (for tests, views and the documentation). */
export interface BareMetalLayout {
  ramBytes: number;
  /** Add to a Program address to get its linear address (org − the program's lowest address). */
  loadBase: number;
  image: AddressRange;
  entry: number;
  /** The loader block (32/64-bit): GDT, page tables, stack. */
  block: AddressRange | null;
  gdt: { base: number; limit: number } | null;
  /** CR3 (64-bit). */
  pml4: number | null;
  /** Initial stack pointer as a linear address. */
  stackTop: number;
}

export type BareMetalLoad =
  | { ok: true; machine: Machine; env: BareMetalEnvironment; layout: BareMetalLayout }
  | { ok: false; message: string };

const hex = (n: number): string => `0x${n.toString(16)}`;

/** Build the machine for `program` in the bare environment (never throws). */
export function loadBareMetal(program: Program, options: BareMetalOptions): BareMetalLoad {
  const segs = program.segments.filter((s) => Math.max(s.memSize, s.bytes.length) > 0);
  if (segs.length === 0) return { ok: false, message: 'the image is empty' };
  const lowest = Math.min(...segs.map((s) => s.address));
  const org = options.org ?? lowest;
  if (!Number.isSafeInteger(org) || org < 0) return { ok: false, message: `bad load address ${String(options.org)}` };
  const loadBase = org - lowest;
  const ranges = mergeRanges(segs.map((s) => ({ start: s.address + loadBase, end: s.address + loadBase + Math.max(s.memSize, s.bytes.length) })));
  const image: AddressRange = { start: ranges[0].start, end: ranges[ranges.length - 1].end };
  const entry = program.entry + loadBase;
  const bits = options.bits;
  const ramBytes = Math.ceil((options.ramBytes ?? BARE_DEFAULT_RAM_BYTES) / PAGE) * PAGE;

  if (bits === 16 && entry >= 0x100000) return { ok: false, message: `a 16-bit bare image is entered in real mode, below 1 MiB; its entry is at ${hex(entry)} (use --org)` };
  if (bits !== 16 && image.end > IDENTITY_MAP_BYTES) return { ok: false, message: `a ${bits}-bit bare image must lie below 4 GiB; it ends at ${hex(image.end)}` };

  // RAM from 0, plus pages of their own for image bytes above it.
  const above = ranges.filter((r) => r.end > ramBytes).map((r) => ({ start: Math.floor(Math.max(r.start, ramBytes) / PAGE) * PAGE, end: Math.ceil(r.end / PAGE) * PAGE }));
  const extra = mergeRanges(above);
  const extraBytes = extra.reduce((n, r) => n + r.end - r.start, 0);
  const m = new Machine({ memoryLimit: ramBytes + extraBytes });
  const ram = m.map(0, ramBytes, PERM_RWX, 'ram');
  if (!ram.ok) return { ok: false, message: `cannot map ${ramBytes} bytes of RAM: ${ram.message}` };
  for (const r of extra) {
    const mapped = m.map(r.start, r.end - r.start, PERM_RWX, 'image');
    if (!mapped.ok) return { ok: false, message: `cannot map the image at ${hex(r.start)}: ${mapped.message}` };
  }
  const placed = placeSegments(m, program, loadBase, false);
  if (!placed.ok) return placed;

  const env = new BareMetalEnvironment(m, options.console, options.notice);
  m.env = env;
  m.interrupts = env.devices;
  const layout: BareMetalLayout = { ramBytes, loadBase, image, entry, block: null, gdt: null, pml4: null, stackTop: 0 };

  if (bits === 16) {
    enterReal(m, entry, image, layout);
    return { ok: true, machine: m, env, layout };
  }

  const blockSize = PAGE + (bits === 64 ? IDENTITY_TABLE_PAGES * PAGE : 0) + LOADER_STACK_BYTES;
  const blockStart = findFreeBlock(ranges, blockSize, LOADER_BLOCK_FLOOR, ramBytes);
  if (blockStart === null) return { ok: false, message: `no room in ${ramBytes / 1048576} MiB of RAM for the loader's GDT${bits === 64 ? ', page tables' : ''} and stack beside the image` };
  layout.block = { start: blockStart, end: blockStart + blockSize };
  const gdt = flatGdt(bits);
  m.writeMemory(blockStart, gdt);
  layout.gdt = { base: blockStart, limit: gdt.length - 1 };
  layout.stackTop = blockStart + blockSize;

  if (bits === 32) {
    m.start('protected32', 0);
  } else {
    const tables = identityTables(blockStart + PAGE);
    m.writeMemory(tables.pml4, tables.bytes);
    layout.pml4 = tables.pml4;
    m.start('long64', 0);
    m.cr3 = tables.pml4;
    m.cr4 = CR4_PAE;
    m.cr0 = (m.cr0 | CR0_PG) >>> 0;
    m.efer = EFER_LME | EFER_LMA;
  }
  m.gdtrBase = layout.gdt.base;
  m.gdtrLimit = layout.gdt.limit;
  m.idtrBase = 0;
  m.idtrLimit = 0;
  m.setA20(true);
  m.set64(SP, layout.stackTop, 0);
  m.setRip(entry);
  m.setRflags(0x2);
  m.updateMode();
  // Latch translation: from here on the identity tables (64-bit) translate every access.
  m.flushTlb();
  return { ok: true, machine: m, env, layout };
}

/** Real mode at `entry` (see the header for the CS:IP and SS:SP rules). */
function enterReal(m: Machine, entry: number, image: AddressRange, layout: BareMetalLayout): void {
  m.start('real');
  m.setA20(false);
  const seg = entry > 0xffff ? (entry >> 4) & 0xf000 : 0;
  for (const s of [CS, DS, ES, FS, GS, SSEG]) m.loadRealSegment(s, seg);
  m.setRip(entry - seg * 16);
  if (seg === 0 && image.start >= 0x1000 && image.start <= 0x10000) {
    m.set16(SP, image.start & 0xffff);
    layout.stackTop = image.start;
  } else {
    m.set16(SP, 0);
    layout.stackTop = seg * 16 + 0x10000;
  }
  m.idtrBase = 0;
  m.idtrLimit = 0x3ff;
  m.gdtrBase = 0;
  m.gdtrLimit = 0xffff;
  m.setRflags(0x2);
}

/**
 * A load address as the CLI (`--org`) and launch.json (`org`) give it: a number, or a string in
 * hex (`0x7c00`, `7c00h`) or decimal (`31744`), underscores allowed.
 */
export function parseLoadAddress(value: unknown): { ok: true; org: number } | { ok: false; message: string } {
  let n: number | undefined;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const t = value.trim().replace(/_/g, '').toLowerCase();
    if (/^0x[0-9a-f]+$/.test(t)) n = parseInt(t.slice(2), 16);
    else if (/^[0-9][0-9a-f]*h$/.test(t)) n = parseInt(t.slice(0, -1), 16);
    else if (/^[0-9]+$/.test(t)) n = parseInt(t, 10);
  }
  if (n === undefined || !Number.isSafeInteger(n) || n < 0 || n >= IDENTITY_MAP_BYTES) {
    return { ok: false, message: `the load address (org) must be a number below 4 GiB, in hex (0x7c00, 7c00h) or decimal; got ${JSON.stringify(value)}` };
  }
  return { ok: true, org: n };
}
