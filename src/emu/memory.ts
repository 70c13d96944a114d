// Guest memory: mapped regions with permissions, materialised lazily as 4 KiB pages, plus the small
// direct-mapped software TLB (linear page number → Page) the CPU's access path uses. Addresses here
// are PHYSICAL (with paging off the CPU uses linear = physical), at most 48 bits wide (64-bit
// addresses are folded to 48 bits by the CPU after its canonical check).
// Imports nothing of ours.

/** Permission bits of a region (like PROT_READ/PROT_WRITE/PROT_EXEC). */
export const PERM_R = 1;
export const PERM_W = 2;
export const PERM_X = 4;
export const PERM_RW = PERM_R | PERM_W;
export const PERM_RWX = PERM_R | PERM_W | PERM_X;

export const PAGE_SIZE = 4096;
const PAGE_SHIFT = 12;
/** Entries of the direct-mapped software TLB (index = linear page number & TLB_MASK). */
export const TLB_SIZE = 256;
export const TLB_MASK = TLB_SIZE - 1;

/** One materialised 4 KiB page of guest memory. */
export class Page {
  readonly data: Uint8Array;
  readonly view: DataView;
  /** Decoded-code cache of this page (owned by DecodeCache), or null when no code was decoded here. */
  code: unknown[] | null = null;
  /** Bytes of this page covered by decoded instructions (1 = covered); allocated with `code`. */
  codeMap: Uint8Array | null = null;
  /**
   * Pages (other than number - 1) whose decoded last instruction continues into this page: with
   * paging, the linear page before may map anywhere. A write here drops their code too.
   */
  straddleFrom: Page[] | null = null;
  constructor(
    readonly number: number,
    public perm: number,
  ) {
    this.data = new Uint8Array(PAGE_SIZE);
    this.view = new DataView(this.data.buffer);
  }
}

/** A mapped range [start, end) with its permissions. */
export interface Region {
  start: number;
  end: number;
  perm: number;
  /** Free text for views ("text", "stack", "heap", ...). */
  name: string;
}

export type MapResult = { ok: true } | { ok: false; message: string };

/** Page number of a linear address (exact for addresses up to 2^53). */
export function pageNumberOf(lin: number): number {
  return lin < 4294967296 ? lin >>> PAGE_SHIFT : Math.floor(lin / PAGE_SIZE);
}

/** Entries of the side TLBs for watched pages (a power of two; index mask WATCH_TLB_SIZE - 1). */
export const WATCH_TLB_SIZE = 8;
/** 64-byte granules per page in a side TLB entry's fine filter (vrWatched/vwWatched). */
export const WATCH_GRANULES = 64;

export class Memory {
  private readonly pages = new Map<number, Page>();
  /** Sorted, non-overlapping. */
  private regions: Region[] = [];
  private mappedBytes = 0;
  /**
   * Read TLB and write TLB keyed by LINEAR page number (the CPU fills them: with paging off from the
   * region permissions, with paging on after a page walk). Write entries never hold pages with
   * decoded code. The CPU aliases these arrays; flushTlb() clears them in place.
   */
  readonly rKey = new Float64Array(TLB_SIZE).fill(-1);
  readonly rPage: (Page | null)[] = new Array<Page | null>(TLB_SIZE).fill(null);
  readonly wKey = new Float64Array(TLB_SIZE).fill(-1);
  readonly wPage: (Page | null)[] = new Array<Page | null>(TLB_SIZE).fill(null);
  /**
   * Side read/write TLBs for pages a data slot may watch (dataWatch.ts): the main TLBs must not
   * hold them, so their accesses miss and report to the debug unit; the miss then finds the page
   * here without a walk. Direct-mapped by the low 3 bits of the linear page number; same
   * invalidation as the main TLBs.
   */
  readonly vrKey = new Float64Array(WATCH_TLB_SIZE).fill(-1);
  readonly vrPage: (Page | null)[] = new Array<Page | null>(WATCH_TLB_SIZE).fill(null);
  readonly vwKey = new Float64Array(WATCH_TLB_SIZE).fill(-1);
  readonly vwPage: (Page | null)[] = new Array<Page | null>(WATCH_TLB_SIZE).fill(null);
  /**
   * The fine filter of each side entry, filled with it (DataWatch.granules): byte j * 64 + g is 0
   * when no armed slot can see a read (vr) / write (vw) of at most 8 bytes starting in 64-byte
   * granule g of entry j's page, so the CPU's inline path serves it without reporting.
   */
  readonly vrWatched = new Uint8Array(WATCH_TLB_SIZE * WATCH_GRANULES);
  readonly vwWatched = new Uint8Array(WATCH_TLB_SIZE * WATCH_GRANULES);
  /** Fetch TLB (used with paging on only: linear page → physical page with fetch rights). */
  readonly xKey = new Float64Array(TLB_SIZE).fill(-1);
  readonly xPage: (Page | null)[] = new Array<Page | null>(TLB_SIZE).fill(null);
  /** Called when a write lands in a page holding decoded code (self-modifying code). */
  onCodeWrite: (page: Page) => void = () => undefined;

  /** @param limitBytes the most guest memory that may be mapped at once (guests are bounded). */
  constructor(readonly limitBytes = 1024 * 1024 * 1024) {}

  /** Map [addr, addr+size) (rounded out to pages) with `perm`. Overlapping an existing region is an error. */
  map(addr: number, size: number, perm: number, name = ''): MapResult {
    if (!Number.isSafeInteger(addr) || !Number.isSafeInteger(size) || addr < 0 || size <= 0) return { ok: false, message: `bad range ${addr}+${size}` };
    const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE;
    if (end > 2 ** 48) return { ok: false, message: 'range beyond 48-bit address space' };
    for (const r of this.regions) if (r.start < end && start < r.end) return { ok: false, message: `overlaps ${r.name || 'region'} at 0x${r.start.toString(16)}` };
    if (this.mappedBytes + (end - start) > this.limitBytes) return { ok: false, message: `guest memory limit of ${this.limitBytes} bytes reached` };
    this.mappedBytes += end - start;
    this.regions.push({ start, end, perm, name });
    this.regions.sort((a, b) => a.start - b.start);
    this.flushTlb();
    return { ok: true };
  }

  /** Unmap every page in [addr, addr+size); regions are split as needed. */
  unmap(addr: number, size: number): MapResult {
    const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE;
    const out: Region[] = [];
    for (const r of this.regions) {
      if (r.end <= start || r.start >= end) { out.push(r); continue; }
      if (r.start < start) out.push({ ...r, end: start });
      if (r.end > end) out.push({ ...r, start: end });
      this.mappedBytes -= Math.min(r.end, end) - Math.max(r.start, start);
    }
    this.regions = out;
    for (let a = start; a < end; a += PAGE_SIZE) {
      const pn = a / PAGE_SIZE;
      const p = this.pages.get(pn);
      if (p) { if (p.code) this.onCodeWrite(p); this.pages.delete(pn); }
    }
    this.flushTlb();
    return { ok: true };
  }

  /** Change permissions of the mapped pages in [addr, addr+size) (mprotect). */
  protect(addr: number, size: number, perm: number): MapResult {
    const start = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE;
    const end = Math.ceil((addr + size) / PAGE_SIZE) * PAGE_SIZE;
    for (let a = start; a < end; a += PAGE_SIZE) if (!this.regionAt(a)) return { ok: false, message: `0x${a.toString(16)} is not mapped` };
    const out: Region[] = [];
    for (const r of this.regions) {
      if (r.end <= start || r.start >= end) { out.push(r); continue; }
      if (r.start < start) out.push({ ...r, end: start });
      out.push({ ...r, start: Math.max(r.start, start), end: Math.min(r.end, end), perm });
      if (r.end > end) out.push({ ...r, start: end });
    }
    this.regions = out;
    for (const p of this.pages.values()) { const a = p.number * PAGE_SIZE; if (a >= start && a < end) p.perm = perm; }
    this.flushTlb();
    return { ok: true };
  }

  /** The mapped regions, in address order (copies). */
  listRegions(): Region[] {
    return this.regions.map((r) => ({ ...r }));
  }

  /** The region holding `addr`, or undefined. */
  regionAt(addr: number): Region | undefined {
    const rs = this.regions;
    let lo = 0;
    let hi = rs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const r = rs[mid];
      if (addr < r.start) hi = mid - 1;
      else if (addr >= r.end) lo = mid + 1;
      else return r;
    }
    return undefined;
  }

  /** The page holding physical page number `pn`, materialised on first touch; undefined when unmapped. */
  page(pn: number): Page | undefined {
    let p = this.pages.get(pn);
    if (p) return p;
    const r = this.regionAt(pn * PAGE_SIZE);
    if (!r) return undefined;
    p = new Page(pn, r.perm);
    this.pages.set(pn, p);
    return p;
  }

  /** Remove every write-TLB entry that maps to page `p` (called when code gets decoded in it; any linear alias). */
  forgetWrite(p: Page): void {
    const wp = this.wPage;
    for (let i = 0; i < TLB_SIZE; i++) if (wp[i] === p) { this.wKey[i] = -1; wp[i] = null; }
    for (let i = 0; i < WATCH_TLB_SIZE; i++) if (this.vwPage[i] === p) { this.vwKey[i] = -1; this.vwPage[i] = null; }
  }

  /** Drop every TLB entry (region changes; the CPU's flushTlb() also latches the paging mode). */
  flushTlb(): void {
    this.rKey.fill(-1);
    this.wKey.fill(-1);
    this.xKey.fill(-1);
    this.rPage.fill(null);
    this.wPage.fill(null);
    this.xPage.fill(null);
    this.vrKey.fill(-1);
    this.vwKey.fill(-1);
    this.vrPage.fill(null);
    this.vwPage.fill(null);
  }

  /** Loader/debugger read: `len` bytes at `addr` ignoring permissions, or null if any byte is unmapped. */
  read(addr: number, len: number): Uint8Array | null {
    const out = new Uint8Array(len);
    for (let i = 0; i < len; ) {
      const a = addr + i;
      const p = this.page(pageNumberOf(a));
      if (!p) return null;
      const o = a % PAGE_SIZE;
      const n = Math.min(len - i, PAGE_SIZE - o);
      out.set(p.data.subarray(o, o + n), i);
      i += n;
    }
    return out;
  }

  /** Loader/debugger write ignoring permissions; false (and nothing written) if any byte is unmapped. */
  write(addr: number, bytes: Uint8Array): boolean {
    for (let a = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE; a < addr + bytes.length; a += PAGE_SIZE) if (!this.regionAt(a)) return false;
    for (let i = 0; i < bytes.length; ) {
      const a = addr + i;
      const p = this.page(pageNumberOf(a)) as Page;
      if (p.code) this.onCodeWrite(p);
      const o = a % PAGE_SIZE;
      const n = Math.min(bytes.length - i, PAGE_SIZE - o);
      p.data.set(bytes.subarray(i, i + n), o);
      i += n;
    }
    return true;
  }

  /** True when every byte of [addr, addr+len) is mapped. */
  isMapped(addr: number, len = 1): boolean {
    for (let a = Math.floor(addr / PAGE_SIZE) * PAGE_SIZE; a < addr + len; a += PAGE_SIZE) if (!this.regionAt(a)) return false;
    return true;
  }

  /** Pages materialised so far (for state save): page number → page. */
  touchedPages(): IterableIterator<Page> {
    return this.pages.values();
  }

  /** Unmap everything. */
  clear(): void {
    for (const p of this.pages.values()) if (p.code) this.onCodeWrite(p);
    this.pages.clear();
    this.regions = [];
    this.mappedBytes = 0;
    this.flushTlb();
  }
}
