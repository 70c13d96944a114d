// The software TLB's slow side: what happens on a miss (linear → physical page, through the page
// walker when paging is on, from the environment's regions when it is off), the rights and #PF
// error codes, INVLPG/CPL-change invalidation, and the untranslated look-ups the debugger and the
// implicit supervisor accesses make. The hit side (rKey/rPage/wKey/wPage probes) is inline in cpu.ts.
// Imports memory, paging and exceptions; the Cpu as a type.
import type { Cpu } from './cpu';
import { Page, PAGE_SIZE, PERM_R, PERM_RW, PERM_W, PERM_X, TLB_MASK, WATCH_GRANULES, pageNumberOf } from './memory';
import { ACCESS_FETCH, ACCESS_PEEK, ACCESS_READ, ACCESS_USER, ACCESS_WRITE, PAGING_OFF, PFE_RSVD, PageWalker } from './paging';
import { CpuFault, PF, PF_FETCH, PF_PRESENT, PF_USER, PF_WRITE } from './exceptions';

/** Miss handling and invalidation for one CPU's TLB (the arrays live in Memory). */
export class TlbMisses {
  private readonly walker: PageWalker;
  /** The entries were filled with user (CPL 3) rights. */
  private user = false;
  /** A large page's translation is cached (INVLPG then drops everything). */
  private large = false;
  /** Unbacked physical memory under paging: reads see all-ones, writes are dropped (open bus). */
  private readonly openBus = new Page(-1, PERM_R);
  private readonly discard = new Page(-2, PERM_RW);

  constructor(private readonly c: Cpu) {
    this.walker = new PageWalker(c.mem);
    this.openBus.data.fill(0xff);
  }

  /** Drop every entry and the decode cache's current code page. */
  drop(): void {
    const c = this.c;
    this.user = c.cpl === 3;
    this.large = false;
    c.mem.flushTlb();
    if (c.codeCache !== null) c.codeCache.forgetCurrentPage();
  }

  /** See Cpu.invlpg. */
  invlpg(lin: number): void {
    if (this.large) { this.drop(); return; }
    const pn = pageNumberOf(lin);
    const i = pn & TLB_MASK;
    const m = this.c.mem;
    if (m.rKey[i] === pn) { m.rKey[i] = -1; m.rPage[i] = null; }
    if (m.wKey[i] === pn) { m.wKey[i] = -1; m.wPage[i] = null; }
    if (m.xKey[i] === pn) { m.xKey[i] = -1; m.xPage[i] = null; }
    const j = pn & 7;
    if (m.vrKey[j] === pn) { m.vrKey[j] = -1; m.vrPage[j] = null; }
    if (m.vwKey[j] === pn) { m.vwKey[j] = -1; m.vwPage[j] = null; }
    if (this.c.codeCache !== null) this.c.codeCache.forgetCurrentPage();
  }

  /** See Cpu.cplChanged. */
  cplChanged(): void {
    if (this.c.pagingMode !== PAGING_OFF && (this.c.cpl === 3) !== this.user) this.drop();
  }

  /** #PF for an access with paging off (the environment's regions are the address space). */
  private regionFault(lin: number, write: boolean, mapped: boolean, fetch: boolean): CpuFault {
    const c = this.c;
    const code = (mapped ? PF_PRESENT : 0) | (write ? PF_WRITE : 0) | (c.cpl === 3 ? PF_USER : 0) | (fetch ? PF_FETCH : 0);
    c.cr2 = lin;
    return new CpuFault(PF, code, lin, mapped ? (write ? 'write to a read-only page' : 'access not allowed') : 'unmapped address');
  }

  /** #PF from a failed page walk; CR2 = the linear address. */
  pagingFault(lin: number, errorCode: number): CpuFault {
    this.c.cr2 = lin;
    const what = (errorCode & PFE_RSVD) !== 0 ? 'reserved bit set in a paging entry' : (errorCode & PF_PRESENT) === 0 ? 'page not present' : 'page protection';
    return new CpuFault(PF, errorCode, lin, what);
  }

  /** Read miss: translate (walk when paging), check rights, fill the entry (not for a watched page). */
  readMiss(lin: number, pn: number): Page {
    const c = this.c;
    const j = pn & 7; // WATCH_TLB_SIZE - 1
    if (c.mem.vrKey[j] === pn) return c.mem.vrPage[j] as Page;
    let p: Page | undefined;
    if (c.pagingMode === PAGING_OFF) {
      p = c.mem.page(pn);
      if (p === undefined || (p.perm & PERM_R) === 0) throw this.regionFault(lin, false, p !== undefined, false);
    } else {
      const w = this.walker;
      if (!w.translate(c, c.pagingMode, lin, c.cpl === 3 ? ACCESS_USER : ACCESS_READ)) throw this.pagingFault(lin, w.errorCode);
      if (w.large) this.large = true;
      p = c.mem.page(w.frame) ?? this.openBus;
    }
    if (c.watch.count !== 0 && c.watch.has(pn)) {
      // Watched: side TLB only, with the page's granule filter (dataWatch.ts).
      c.watch.granules(pn, false, c.mem.vrWatched, j * WATCH_GRANULES);
      c.mem.vrKey[j] = pn;
      c.mem.vrPage[j] = p;
      return p;
    }
    const i = pn & TLB_MASK;
    c.rKey[i] = pn;
    c.rPage[i] = p;
    return p;
  }

  /** Write miss: translate for a write (sets the dirty bit), SMC check, fill unless the page holds code. */
  writeMiss(lin: number, pn: number, n: number): Page {
    const c = this.c;
    const j = pn & 7; // WATCH_TLB_SIZE - 1
    if (c.mem.vwKey[j] === pn) return c.mem.vwPage[j] as Page;
    let p: Page | undefined;
    if (c.pagingMode === PAGING_OFF) {
      p = c.mem.page(pn);
      if (p === undefined || (p.perm & PERM_W) === 0) throw this.regionFault(lin, true, p !== undefined, false);
    } else {
      const w = this.walker;
      if (!w.translate(c, c.pagingMode, lin, c.cpl === 3 ? ACCESS_USER | ACCESS_WRITE : ACCESS_WRITE)) throw this.pagingFault(lin, w.errorCode);
      if (w.large) this.large = true;
      p = c.mem.page(w.frame) ?? this.discard;
    }
    if (p.code !== null) {
      c.codeWrite(p, lin & 0xfff, n);
      return p;
    }
    if (c.watch.count !== 0 && c.watch.has(pn)) {
      c.watch.granules(pn, true, c.mem.vwWatched, j * WATCH_GRANULES);
      c.mem.vwKey[j] = pn;
      c.mem.vwPage[j] = p;
      return p;
    }
    const i = pn & TLB_MASK;
    c.wKey[i] = pn;
    c.wPage[i] = p;
    return p;
  }

  /** See Cpu.fetchPage. */
  fetchPage(lin: number): Page | null {
    const c = this.c;
    const pn = pageNumberOf(lin);
    if (c.pagingMode === PAGING_OFF) {
      const p = c.mem.page(pn);
      if (p === undefined || (p.perm & PERM_R) === 0 || (c.enforceExec && (p.perm & PERM_X) === 0)) return null;
      return p;
    }
    const m = c.mem;
    const i = pn & TLB_MASK;
    if (m.xKey[i] === pn) return m.xPage[i] as Page;
    const w = this.walker;
    if (!w.translate(c, c.pagingMode, lin, c.cpl === 3 ? ACCESS_USER | ACCESS_FETCH : ACCESS_FETCH)) return null;
    if (w.large) this.large = true;
    const p = m.page(w.frame) ?? this.openBus;
    m.xKey[i] = pn;
    m.xPage[i] = p;
    return p;
  }

  /** See Cpu.fetchFault. */
  fetchFault(lin: number): CpuFault {
    const c = this.c;
    if (c.pagingMode === PAGING_OFF) return this.regionFault(lin, false, c.mem.page(pageNumberOf(lin)) !== undefined, true);
    const w = this.walker;
    const user = c.cpl === 3 ? ACCESS_USER : 0;
    if (w.translate(c, c.pagingMode, lin, user | ACCESS_FETCH)) return this.pagingFault(lin, PF_PRESENT | user | PF_FETCH);
    return this.pagingFault(lin, w.errorCode);
  }

  /** See Cpu.fetchCode: up to `max` bytes at linear `lin`, translated page by page. */
  fetchBytes(lin: number, out: Uint8Array, max: number): number {
    const c = this.c;
    let n = 0;
    let pn = -1;
    let p: Page | null = null;
    for (; n < max; n++) {
      const a = c.nextLin(lin, n);
      const apn = pageNumberOf(a);
      if (apn !== pn) {
        p = this.fetchPage(a);
        if (p === null) {
          if (n === 0) throw this.fetchFault(a);
          break;
        }
        pn = apn;
      }
      out[n] = (p as Page).data[a & 0xfff];
    }
    return n;
  }

  /** See Cpu.systemPage. */
  systemPage(lin: number, write: boolean, n: number): Page {
    const c = this.c;
    let p: Page | undefined;
    if (c.pagingMode === PAGING_OFF) {
      p = c.mem.page(pageNumberOf(lin));
      if (p === undefined) {
        c.cr2 = lin;
        throw new CpuFault(PF, write ? PF_WRITE : 0, lin, 'implicit supervisor access to an unmapped address');
      }
    } else {
      const w = this.walker;
      if (!w.translate(c, c.pagingMode, lin, write ? ACCESS_WRITE : ACCESS_READ)) throw this.pagingFault(lin, w.errorCode);
      p = c.mem.page(w.frame) ?? (write ? this.discard : this.openBus);
    }
    if (write && n > 0 && p.code !== null) c.codeWrite(p, lin & 0xfff, n);
    return p;
  }

  /** See Cpu.debuggerPhysical. */
  physical(lin: number): number | null {
    const c = this.c;
    if (c.pagingMode === PAGING_OFF) return lin;
    if (!this.walker.translate(c, c.pagingMode, lin, ACCESS_PEEK)) return null;
    return this.walker.frame * PAGE_SIZE + (lin & 0xfff);
  }
}
