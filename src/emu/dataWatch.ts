// Watched pages: the linear pages that hold a byte watched by a data breakpoint slot (R/W = 01 or 11)
// of either debug layer, as the debug unit's slot matcher compiled them. These pages are kept out of
// the read and write TLBs, so a TLB hit proves the access cannot hit a data slot and the hit path
// needs no debug test at all. They live in small side TLBs instead, each entry with a fine filter
// (64-byte granules) so that accesses to unwatched bytes of a watched page stay inline too; only
// the rest report to DebugUnit.dataAccess. Imports memory only; the Cpu as a type.
import type { Cpu } from './cpu';
import * as memoryModule from './memory';
// Bound once at load (tsx compiles imported bindings to getter calls).
const { TLB_MASK, WATCH_GRANULES } = memoryModule;

/** At most 4 slots per layer, two layers. */
const MAX_PAGES = 8;

/**
 * The watched-page set of one CPU, taken from the debug unit (DebugUnit.watchedPages: exactly the
 * data slots it matches, both layers) whenever its slotGeneration changed, with each page's read
 * and write granule filters.
 */
export class DataWatch {
  /** The DebugUnit.slotGeneration the set was computed for (-1: never). */
  private generation = -1;
  private readonly pages = new Float64Array(MAX_PAGES);
  /** Granule filters of pages[k] at k * WATCH_GRANULES: reads, writes. */
  private readonly readGranules = new Uint8Array(MAX_PAGES * WATCH_GRANULES);
  private readonly writeGranules = new Uint8Array(MAX_PAGES * WATCH_GRANULES);
  /** Number of valid entries in `pages`; 0 when no data slot is armed. */
  count = 0;

  /** True when linear page `pn` may hold a watched byte (never fill a TLB entry for it). */
  has(pn: number): boolean {
    const pages = this.pages;
    for (let k = 0; k < this.count; k++) if (pages[k] === pn) return true;
    return false;
  }

  /**
   * Copy watched page `pn`'s read (or write) granule filter to out[at … at + 63] (a side TLB entry
   * being filled). A page not in the set gets all granules watched (every access reports).
   */
  granules(pn: number, write: boolean, out: Uint8Array, at: number): void {
    const pages = this.pages;
    for (let k = 0; k < this.count; k++) {
      if (pages[k] !== pn) continue;
      const from = write ? this.writeGranules : this.readGranules;
      const src = k * WATCH_GRANULES;
      for (let g = 0; g < WATCH_GRANULES; g++) out[at + g] = from[src + g];
      return;
    }
    out.fill(1, at, at + WATCH_GRANULES);
  }

  /**
   * Recompute the set if the slots changed since the last call, and drop the read/write TLB entries
   * of every watched page (entries filled before the slot was armed would otherwise skip the check)
   * and every side entry (their filters belong to the old slots).
   * Call wherever DR0–DR3/DR7 of either layer may have changed before the next data access.
   */
  sync(c: Cpu): void {
    const dbg = c.debug;
    if (dbg.slotGeneration === this.generation) return;
    this.generation = dbg.slotGeneration;
    this.count = 0;
    // The side TLBs hold only pages of the old set: empty them so unwatched pages refill the main TLBs.
    c.mem.vrKey.fill(-1);
    c.mem.vwKey.fill(-1);
    c.mem.vrPage.fill(null);
    c.mem.vwPage.fill(null);
    if (!dbg.dataArmed) return;
    this.count = dbg.watchedPages(this.pages, this.readGranules, this.writeGranules);
    const pages = this.pages;
    for (let k = 0; k < this.count; k++) {
      const pn = pages[k];
      const i = pn & TLB_MASK;
      if (c.rKey[i] === pn) { c.rKey[i] = -1; c.rPage[i] = null; }
      if (c.wKey[i] === pn) { c.wKey[i] = -1; c.wPage[i] = null; }
    }
  }
}
