// The access paths that are not on the per-instruction hot path: implicit supervisor-mode
// reads/writes of system structures (GDT/LDT/IDT/TSS), the debugger's view of linear memory,
// page-crossing data accesses and the slow half of segment limit checks. Cpu delegates to these; they use its public translation
// helpers (systemPage, debuggerPhysical) and segment state.
// Imports memory, exceptions and types only.
import type { Cpu } from './cpu';
import { PAGE_SIZE } from './memory';
import { CpuFault, GP, SS } from './exceptions';

const SEGMENT_NAMES = ['ES', 'CS', 'SS', 'DS', 'FS', 'GS'];
/** segFlags values (CpuState.segFlags): the segment takes the slow limit check on every access. */
const EXPAND_DOWN = 1;
const UNUSABLE = 2;

/** Limit-check class of a segment with access rights `a` (VMX layout): unusable (P = 0, not CS), expand-down data, or 0. */
export function segmentClass(a: number, isCs: boolean): number {
  if (!isCs && (a & 0x80) === 0) return UNUSABLE;
  if ((a & 0x10) !== 0 && (a & 0xc) === 4) return EXPAND_DOWN;
  return 0;
}

/** See Cpu.checkSegment (SDM Vol. 3 §5.3). */
export function checkSegmentLimit(c: Cpu, s: number, off: number, size: number): void {
  const f = c.segFlags[s];
  if (f === UNUSABLE && !c.real) throw new CpuFault(GP, 0, undefined, `segment register ${SEGMENT_NAMES[s]} is unusable (null selector)`);
  const end = off + size - 1;
  const limit = c.segLimit[s];
  if (f === EXPAND_DOWN) {
    // Expand-down: valid offsets are limit+1 .. FFFFh or FFFFFFFFh (the B bit).
    const upper = (c.segAttr[s] & 0x4000) !== 0 ? 0xffffffff : 0xffff;
    if (off > limit && end <= upper) return;
  } else if (end <= limit || limit >= 0xffffffff) return;
  throw new CpuFault(s === 2 ? SS : GP, 0, undefined, `offset 0x${off.toString(16)} (${size} bytes) outside the ${SEGMENT_NAMES[s]} segment limit 0x${limit.toString(16)}`);
}

/** Byte-wise read of `n` bytes across a page boundary (Cpu.readSlow). */
export function crossingRead(c: Cpu, lin: number, n: number): number {
  let v = 0;
  for (let i = 0; i < n; i++) {
    const a = c.nextLin(lin, i);
    v += c.rpage(a).data[a & 0xfff] * 2 ** (8 * i);
  }
  return v;
}

/** Page-crossing write (Cpu.writeSlow): both end pages are checked before any byte is written. */
export function crossingWrite(c: Cpu, lin: number, n: number, lo: number, hi: number): void {
  c.wpage(lin, 0);
  c.wpage(c.nextLin(lin, n - 1), 0);
  for (let i = 0; i < n; i++) {
    const a = c.nextLin(lin, i);
    const byte = i < 4 ? (lo >>> (8 * i)) & 0xff : (hi >>> (8 * (i - 4))) & 0xff;
    c.wpage(a, 1).data[a & 0xfff] = byte;
  }
}

/** See Cpu.systemRead. */
export function systemRead(c: Cpu, lin: number, size: 1 | 2 | 4 | 8): number {
  const o = lin & 0xfff;
  if (o + size <= PAGE_SIZE) {
    const v = c.systemPage(lin, false, 0).view;
    switch (size) {
      case 1: return v.getUint8(o);
      case 2: return v.getUint16(o, true);
      case 4: return v.getInt32(o, true);
      default: c.hi = v.getInt32(o + 4, true); return v.getInt32(o, true);
    }
  }
  // Crossing a page: byte by byte (each page translated on its own).
  let lo = 0;
  let hi = 0;
  for (let k = 0; k < size; k++) {
    const a = c.nextLin(lin, k);
    const b = c.systemPage(a, false, 0).data[a & 0xfff];
    if (k < 4) lo |= b << (8 * k);
    else hi |= b << (8 * (k - 4));
  }
  if (size === 8) c.hi = hi;
  return size === 2 ? lo & 0xffff : lo;
}

/** See Cpu.systemWrite: both pages are translated (and may fault) before any byte is written. */
export function systemWrite(c: Cpu, lin: number, size: 1 | 2 | 4 | 8, v: number, hi: number): void {
  const o = lin & 0xfff;
  if (o + size <= PAGE_SIZE) {
    const view = c.systemPage(lin, true, size).view;
    switch (size) {
      case 1: view.setUint8(o, v & 0xff); return;
      case 2: view.setUint16(o, v & 0xffff, true); return;
      case 4: view.setInt32(o, v | 0, true); return;
      default: view.setInt32(o, v | 0, true); view.setInt32(o + 4, hi | 0, true); return;
    }
  }
  c.systemPage(lin, true, 0);
  c.systemPage(c.nextLin(lin, size - 1), true, 0);
  for (let k = 0; k < size; k++) {
    const a = c.nextLin(lin, k);
    const byte = k < 4 ? (v >>> (8 * k)) & 0xff : (hi >>> (8 * (k - 4))) & 0xff;
    c.systemPage(a, true, 1).data[a & 0xfff] = byte;
  }
}

/** Physical chunks [physical address, length] covering [addr, addr + len), or null when a page is not mapped. */
function physicalChunks(c: Cpu, addr: number, len: number): [number, number][] | null {
  const out: [number, number][] = [];
  for (let i = 0; i < len; ) {
    const a = addr + i;
    const pa = c.debuggerPhysical(a);
    if (pa === null) return null;
    const n = Math.min(len - i, PAGE_SIZE - (a % PAGE_SIZE));
    if (!c.mem.isMapped(pa, n)) return null;
    out.push([pa, n]);
    i += n;
  }
  return out;
}

/** See Cpu.debuggerRead (paging on). */
export function debuggerRead(c: Cpu, addr: number, len: number): Uint8Array | null {
  const chunks = physicalChunks(c, addr, len);
  if (chunks === null) return null;
  const out = new Uint8Array(len);
  let i = 0;
  for (const [pa, n] of chunks) {
    const b = c.mem.read(pa, n);
    if (b === null) return null;
    out.set(b, i);
    i += n;
  }
  return out;
}

/** See Cpu.debuggerWrite (paging on): nothing is written unless every page is mapped. */
export function debuggerWrite(c: Cpu, addr: number, bytes: Uint8Array): boolean {
  const chunks = physicalChunks(c, addr, bytes.length);
  if (chunks === null) return false;
  let i = 0;
  for (const [pa, n] of chunks) {
    c.mem.write(pa, bytes.subarray(i, i + n));
    i += n;
  }
  return true;
}
