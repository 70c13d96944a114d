// Matches instruction addresses, data accesses and port I/O against the debug slots of both layers
// (bits 0–3: the debugger's slots, bits 4–7: the guest's DR0–DR3), behind a page filter and a finer
// 64-byte granule filter so that unrelated accesses cost two table reads (SDM Vol. 3 §17.2.5,
// x86-debug-registers.md §4). The debugger's emulator breakpoints (an unlimited exec address set, bit 8)
// share the exec filter. Imports only ./registers.

import { slotKind, slotLength, slotStart } from './registers';

/** One layer's slots as the matcher sees them. */
export interface LayerSlots {
  dr7: number;
  /** DR0–DR3 as linear addresses (exact below 2^53). */
  addresses: ArrayLike<number>;
  /** Bit n set: slot n takes part in matching (the unit decides, e.g. disabled guest slots, §3.2 REC). */
  include: number;
}

/** Accesses up to this many bytes go through the filters; larger ones are compared slot by slot. */
const FILTER_SPAN = 64;
const PAGE_ENTRIES = 4096;
const GRANULE_ENTRIES = 65536;
const RANGE_CACHE = 256;
/** The largest access (bytes) a watchedGranules filter answers for; larger ones must report. */
export const WATCHED_ACCESS_MAX = 8;
/** 64-byte granules in a 4 KiB page (watchedGranules). */
const GRANULES_PER_PAGE = 64;
/** The exec-match bit of an emulator breakpoint (not a DR slot of either layer). */
export const EMULATOR_BIT = 0x100;

function pageIndex(address: number): number {
  return (address >>> 12) & (PAGE_ENTRIES - 1);
}

function granuleIndex(address: number): number {
  return (address >>> 6) & (GRANULE_ENTRIES - 1);
}

/**
 * The compiled slot set of both layers. Rebuilt (`rebuild`) whenever DR0–DR3/DR7 of either layer
 * change; matching allocates nothing. Results are slot bit masks (host n → bit n, guest n → bit 4+n).
 */
export class SlotMatcher {
  /** First and last byte of each data/I/O slot (LEN-masked, §4.1 REC). */
  private readonly start = new Float64Array(8);
  private readonly end = new Float64Array(8);
  /** Address of each exec slot (LEN treated as 00, §2 REC). */
  private readonly execAddress = new Float64Array(8);
  /** Slots that fire on a data write (R/W 01 or 11), on a data read (R/W 11), on execution, on I/O.
   *  execSlots has EMULATOR_BIT while emulator breakpoints are set. */
  writeSlots = 0;
  readSlots = 0;
  execSlots = 0;
  ioSlots = 0;
  /** Page filter of the data slots (index (address >>> 12) & 4095); read-only for callers. */
  readonly dataPage = new Uint8Array(PAGE_ENTRIES);
  /** Granule filter of the data slots (index (address >>> 6) & 65535); read-only for callers. */
  readonly dataGranule = new Uint8Array(GRANULE_ENTRIES);
  private readonly execPage = new Uint16Array(PAGE_ENTRIES);
  private readonly execGranule = new Uint16Array(GRANULE_ENTRIES);
  /** Emulator breakpoints: sorted, distinct linear addresses (binary searched; never reallocated on lookup). */
  private emulator = new Float64Array(0);
  /** execInRange answers by block start (NaN = empty). */
  private readonly rangeStart = new Float64Array(RANGE_CACHE).fill(NaN);
  private readonly rangeLength = new Float64Array(RANGE_CACHE);
  private readonly rangeHit = new Uint8Array(RANGE_CACHE);

  /** Recompile from the debugger's slots (bits 0–3) and the guest's (bits 4–7). */
  rebuild(host: LayerSlots, guest: LayerSlots): void {
    if (this.writeSlots | this.readSlots) {
      this.dataPage.fill(0);
      this.dataGranule.fill(0);
    }
    if (this.execSlots) {
      this.execPage.fill(0);
      this.execGranule.fill(0);
    }
    this.writeSlots = this.readSlots = this.execSlots = this.ioSlots = 0;
    this.rangeStart.fill(NaN);
    this.addLayer(host, 0);
    this.addLayer(guest, 4);
    this.markEmulator(EMULATOR_BIT);
  }

  /**
   * Replace the emulator breakpoints (linear addresses; null or empty = none). Costs O(old + new
   * addresses), not a table refill, so a debugger may swap them around every run.
   */
  setEmulator(addresses: ReadonlySet<number> | null): void {
    this.markEmulator(0);
    const list: number[] = [];
    if (addresses) for (const a of addresses) if (Number.isFinite(a) && a >= 0) list.push(a);
    list.sort((a, b) => a - b);
    this.emulator = Float64Array.from(list);
    this.markEmulator(EMULATOR_BIT);
    this.rangeStart.fill(NaN);
  }

  /**
   * The distinct linear page numbers holding a byte of a data slot (R/W 01 or 11) of either layer,
   * written to `out` (at most 8: one page per slot, a LEN-aligned slot never crosses one); returns
   * how many.
   */
  dataSlotPages(out: Float64Array): number {
    let count = 0;
    const slots = this.writeSlots | this.readSlots;
    for (let n = 0; n < 8; n++) {
      if (((slots >>> n) & 1) === 0) continue;
      const pn = Math.floor(this.start[n] / 4096);
      let seen = false;
      for (let k = 0; k < count; k++) if (out[k] === pn) seen = true;
      if (!seen) out[count++] = pn;
    }
    return count;
  }

  /**
   * The fine filter of one watched page for the CPU's inline access paths: out[at + g] = 1 for each
   * 64-byte granule g (0–63) of linear page `pageNumber` where an access of at most
   * WATCHED_ACCESS_MAX bytes starting in it may overlap a data slot (either layer, as included) that
   * fires on this access type (write: R/W 01 or 11; read: 11), else 0. A 0 proves matchData would
   * answer 0 for such an access, so the CPU may skip the report.
   */
  watchedGranules(pageNumber: number, write: boolean, out: Uint8Array, at: number): void {
    out.fill(0, at, at + GRANULES_PER_PAGE);
    const typed = write ? this.writeSlots : this.readSlots;
    const base = pageNumber * 4096;
    for (let n = 0; n < 8; n++) {
      if (((typed >>> n) & 1) === 0) continue;
      // Accesses starting in [start - (max - 1), end] can overlap the slot.
      const low = Math.max(this.start[n] - (WATCHED_ACCESS_MAX - 1), base);
      const high = Math.min(this.end[n], base + 4095);
      for (let g = Math.floor((low - base) / 64); g <= Math.floor((high - base) / 64); g++) out[at + g] = 1;
    }
  }

  /** Set (bit = EMULATOR_BIT) or clear (bit = 0) the emulator marks of the filter and execSlots. */
  private markEmulator(bit: number): void {
    const list = this.emulator;
    for (let i = 0; i < list.length; i++) {
      const p = pageIndex(list[i]);
      const g = granuleIndex(list[i]);
      this.execPage[p] = (this.execPage[p] & ~EMULATOR_BIT) | bit;
      this.execGranule[g] = (this.execGranule[g] & ~EMULATOR_BIT) | bit;
    }
    this.execSlots = list.length > 0 && bit !== 0 ? this.execSlots | EMULATOR_BIT : this.execSlots & ~EMULATOR_BIT;
  }

  /** Index of the first emulator breakpoint at or above `address`. */
  private emulatorLowerBound(address: number): number {
    const list = this.emulator;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (list[mid] < address) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private addLayer(layer: LayerSlots, shift: number): void {
    for (let n = 0; n < 4; n++) {
      if (((layer.include >>> n) & 1) === 0) continue;
      const bit = 1 << (n + shift);
      const address = layer.addresses[n];
      const kind = slotKind(layer.dr7, n);
      if (kind === 'exec') {
        this.execAddress[n + shift] = address;
        this.execSlots |= bit;
        this.execPage[pageIndex(address)] |= bit;
        this.execGranule[granuleIndex(address)] |= bit;
        continue;
      }
      const length = slotLength(layer.dr7, n);
      const first = slotStart(address, length);
      this.start[n + shift] = first;
      this.end[n + shift] = first + length - 1;
      if (kind === 'io') {
        this.ioSlots |= bit;
        continue;
      }
      this.writeSlots |= bit;
      if (kind === 'readwrite') this.readSlots |= bit;
      // An access of ≤ FILTER_SPAN bytes starting anywhere in [first - FILTER_SPAN + 1, last] can
      // overlap the slot: mark every page and granule of that window, then one lookup suffices.
      const low = Math.max(0, first - FILTER_SPAN + 1);
      const last = first + length - 1;
      for (let a = low; a <= last; a += FILTER_SPAN) this.markData(a, bit);
      this.markData(last, bit);
    }
  }

  private markData(address: number, bit: number): void {
    this.dataPage[pageIndex(address)] |= bit;
    this.dataGranule[granuleIndex(address)] |= bit;
  }

  /** Slots (either layer, as included) whose exec address equals linear `pc`, plus EMULATOR_BIT for an emulator breakpoint there. */
  matchExec(pc: number): number {
    const page = this.execPage[pageIndex(pc)];
    if (page === 0) return 0;
    const candidates = page & this.execGranule[granuleIndex(pc)];
    if (candidates === 0) return 0;
    let hit = 0;
    for (let n = 0; n < 8; n++) {
      if ((candidates >>> n) & 1 && this.execAddress[n] === pc) hit |= 1 << n;
    }
    if (candidates & EMULATOR_BIT && this.emulator[this.emulatorLowerBound(pc)] === pc) hit |= EMULATOR_BIT;
    return hit;
  }

  /** true when some exec slot (either layer, as included) or emulator breakpoint lies in [start, start + length). */
  execInRange(start: number, length: number): boolean {
    if (this.execSlots === 0) return false;
    // Loops run the same few blocks again and again: remember answers (direct-mapped, cleared on rebuild).
    const k = start & (RANGE_CACHE - 1);
    if (this.rangeStart[k] === start && this.rangeLength[k] === length) return this.rangeHit[k] === 1;
    const end = start + length;
    let hit = 0;
    for (let n = 0; n < 8; n++) {
      if ((this.execSlots >>> n) & 1 && this.execAddress[n] >= start && this.execAddress[n] < end) hit = 1;
    }
    if (this.execSlots & EMULATOR_BIT) {
      const i = this.emulatorLowerBound(start);
      if (i < this.emulator.length && this.emulator[i] < end) hit = 1;
    }
    this.rangeStart[k] = start;
    this.rangeLength[k] = length;
    this.rangeHit[k] = hit;
    return hit === 1;
  }

  /**
   * Slots whose range any byte of the access [address, address + size − 1] overlaps and whose
   * type matches (a write matches R/W 01 and 11, a read only 11). RMW accesses are reported as writes.
   */
  matchData(address: number, size: number, write: boolean): number {
    const typed = write ? this.writeSlots : this.readSlots;
    let candidates: number;
    if (size <= FILTER_SPAN) {
      const page = this.dataPage[pageIndex(address)];
      if (page === 0) return 0;
      candidates = page & this.dataGranule[granuleIndex(address)] & typed;
      if (candidates === 0) return 0;
    } else {
      candidates = typed;
    }
    return this.overlapping(candidates, address, size);
  }

  /** I/O slots whose port range overlaps [port, port + size − 1] (caller checks CR4.DE). */
  matchIo(port: number, size: number): number {
    return this.ioSlots === 0 ? 0 : this.overlapping(this.ioSlots, port, size);
  }

  private overlapping(candidates: number, address: number, size: number): number {
    const last = address + size - 1;
    let hit = 0;
    for (let n = 0; n < 8; n++) {
      if ((candidates >>> n) & 1 && address <= this.end[n] && last >= this.start[n]) hit |= 1 << n;
    }
    return hit;
  }
}
