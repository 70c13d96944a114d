// Linear → physical translation (SDM Vol. 3 ch. 4): 32-bit paging (4 KiB, and 4 MiB pages with
// CR4.PSE/PSE-36), PAE paging (PDPTEs read from memory on each walk) and 4-level IA-32e paging
// (2 MiB and 1 GiB pages), with U/S, R/W, CR0.WP, NX (EFER.NXE), SMEP, reserved-bit checks and the
// accessed/dirty bits. A walk writes its result into the walker's fields (no allocation per walk).
// Imports memory only.
import { Memory, type Page } from './memory';

/** The translation mode latched by Cpu.flushTlb() from CR0.PG, CR4.PAE and EFER.LMA. */
export const PAGING_OFF = 0;
export const PAGING_32 = 1;
export const PAGING_PAE = 2;
export const PAGING_4LEVEL = 3;
export type PagingMode = typeof PAGING_OFF | typeof PAGING_32 | typeof PAGING_PAE | typeof PAGING_4LEVEL;

/** Access kinds: the same bits as the #PF error code (SDM Vol. 3 §4.7, Figure 4-12). */
export const ACCESS_READ = 0;
export const ACCESS_WRITE = 2;
export const ACCESS_USER = 4;
export const ACCESS_FETCH = 16;
/** A debugger look-up: no rights checks, no accessed/dirty updates. */
export const ACCESS_PEEK = 0x100;

/** #PF error-code bits. */
export const PFE_P = 1;
export const PFE_W = 2;
export const PFE_U = 4;
export const PFE_RSVD = 8;
export const PFE_ID = 16;

/** The physical-address width we model (CPUID.80000008h:EAX[7:0] should report it). */
export const MAX_PHYS_BITS = 40;

const CR0_WP = 0x10000;
const CR4_PSE = 0x10;
const CR4_SMEP = 0x100000;
const EFER_NXE = 0x800;
const TWO32 = 4294967296;
const TWO20 = 1048576;

/** Address bits 39:32 of an entry's high half (MAX_PHYS_BITS = 40). */
const HI_ADDR = (1 << (MAX_PHYS_BITS - 32)) - 1;
/** 4-level entries: bits 51:M reserved (62:52 ignored). */
const HI_RSVD_4LEVEL = 0xfffff & ~HI_ADDR;
/** PAE PDE/PTE: bits 62:M reserved. */
const HI_RSVD_PAE = 0x7fffffff & ~HI_ADDR;
/** PAE PDPTE: bits 63:M, 8:5 and 2:1 reserved. */
const HI_RSVD_PDPTE = ~HI_ADDR;
const LO_RSVD_PDPTE = 0x1e6;
/** Large-page low reserved bits: 2 MiB (20:13), 1 GiB (29:13), 4-level PML4E PS bit. */
const LO_RSVD_2M = 0x1fe000;
const LO_RSVD_1G = 0x3fffe000;
const PS = 0x80;

/** The control registers a walk reads. */
export interface PagingRegisters {
  cr0: number;
  cr3: number;
  cr4: number;
  efer: number;
}

/** The translation mode for these control registers (SDM Vol. 3 §4.1.1, Table 4-1). */
export function pagingModeOf(cr0: number, cr4: number, efer: number): PagingMode {
  if ((cr0 & 0x80000000) === 0 || (cr0 & 1) === 0) return PAGING_OFF;
  if ((efer & 0x400) !== 0) return PAGING_4LEVEL;
  return (cr4 & 0x20) !== 0 ? PAGING_PAE : PAGING_32;
}

/**
 * Walks the guest's paging structures in physical memory. `translate` answers true with `frame`
 * (physical 4 KiB page number) and `large` set, or false with `errorCode` (the #PF error code).
 * Accessed bits are set in every entry used and the dirty bit in the leaf on a write — only when
 * the access is allowed (a faulting access changes no entry; the SDM leaves this open for entries
 * above a fault, we choose "none"). Entries in unbacked physical memory read as 0 (not present).
 */
export class PageWalker {
  /** Physical page number of the translated 4 KiB frame (after a successful translate). */
  frame = 0;
  /** True when the translation came from a 2 MiB / 4 MiB / 1 GiB page. */
  large = false;
  /** The #PF error code (after a failed translate). */
  errorCode = 0;
  /** Leaf rights of the last successful translation: writable / user / executable (all levels combined). */
  writable = false;
  user = false;
  executable = false;

  private lo = 0;
  private hi = 0;
  private readonly entPage: (Page | null)[] = [null, null, null, null];
  private readonly entOff = new Int32Array(4);
  private entCount = 0;

  constructor(private readonly mem: Memory) {}

  /** Read the 4- or 8-byte entry at physical address `pa` into lo/hi and remember it for A/D updates. */
  private entry(pa: number, wide: boolean): void {
    const pn = Math.floor(pa / 4096);
    const p = this.mem.page(pn);
    const off = pa - pn * 4096;
    if (p === undefined) {
      this.lo = 0;
      this.hi = 0;
      return;
    }
    this.lo = p.view.getInt32(off, true);
    this.hi = wide ? p.view.getInt32(off + 4, true) : 0;
    this.entPage[this.entCount] = p;
    this.entOff[this.entCount] = off;
    this.entCount++;
  }

  /**
   * Translate linear `lin` (folded 48-bit in IA-32e mode, 32-bit otherwise) for `access`
   * (ACCESS_* bits; ACCESS_USER for CPL 3 data/fetch, without it for supervisor and implicit
   * supervisor accesses). Returns true with `frame` set, false with `errorCode` set.
   */
  translate(r: PagingRegisters, mode: PagingMode, lin: number, access: number): boolean {
    this.entCount = 0;
    const nxe = (r.efer & EFER_NXE) !== 0;
    const linLo = lin >>> 0;
    let rw = true;
    let us = true;
    let xd = false;
    let rsvd = false;
    let frame = 0;
    let large = false;
    if (mode === PAGING_32) {
      this.entry((((r.cr3 % TWO32) & 0xfffff000) >>> 0) + (linLo >>> 22) * 4, false);
      let e = this.lo;
      if ((e & 1) === 0) return this.notPresent(r, mode, access);
      rw = (e & 2) !== 0;
      us = (e & 4) !== 0;
      if ((e & PS) !== 0 && (r.cr4 & CR4_PSE) !== 0) {
        // 4 MiB page: bits 20:13 are physical bits 39:32 (PSE-36), bit 21 reserved (SDM Table 4-4).
        if ((e & 0x200000) !== 0) rsvd = true;
        frame = ((e & 0xffc00000) >>> 12) + ((e >>> 13) & HI_ADDR) * TWO20 + ((linLo >>> 12) & 0x3ff);
        large = true;
      } else {
        this.entry(((e & 0xfffff000) >>> 0) + ((linLo >>> 12) & 0x3ff) * 4, false);
        e = this.lo;
        if ((e & 1) === 0) return this.notPresent(r, mode, access);
        rw = rw && (e & 2) !== 0;
        us = us && (e & 4) !== 0;
        frame = (e >>> 12) & 0xfffff;
      }
    } else {
      let base: number;
      let level: number;
      if (mode === PAGING_PAE) {
        // PDPTE (no A bit, no rights; SDM §4.4.1: we read it on every walk instead of at MOV CR3).
        const pa = (((r.cr3 % TWO32) & 0xffffffe0) >>> 0) + (linLo >>> 30) * 8;
        this.entry(pa, true);
        this.entCount = 0;
        if ((this.lo & 1) === 0) return this.notPresent(r, mode, access);
        if ((this.lo & LO_RSVD_PDPTE) !== 0 || (this.hi & HI_RSVD_PDPTE) !== 0) return this.reserved(r, mode, access);
        base = ((this.lo & 0xfffff000) >>> 0) + (this.hi & HI_ADDR) * TWO32;
        level = 2;
      } else {
        base = Math.floor(r.cr3 / 4096) * 4096 % (2 ** MAX_PHYS_BITS);
        level = 4;
      }
      const linHi = Math.floor(lin / TWO32);
      const hiRsvd = mode === PAGING_PAE ? HI_RSVD_PAE : HI_RSVD_4LEVEL;
      for (;;) {
        let index: number;
        switch (level) {
          case 4: index = (linHi >>> 7) & 511; break;
          case 3: index = ((linHi & 0x7f) << 2) | (linLo >>> 30); break;
          case 2: index = (linLo >>> 21) & 511; break;
          default: index = (linLo >>> 12) & 511; break;
        }
        this.entry(base + index * 8, true);
        const lo = this.lo;
        const hi = this.hi;
        if ((lo & 1) === 0) return this.notPresent(r, mode, access);
        if ((hi & hiRsvd) !== 0 || (!nxe && hi < 0)) rsvd = true;
        rw = rw && (lo & 2) !== 0;
        us = us && (lo & 4) !== 0;
        if (nxe && hi < 0) xd = true;
        if (level === 1) {
          frame = ((lo >>> 12) & 0xfffff) + (hi & HI_ADDR) * TWO20;
          break;
        }
        if ((lo & PS) !== 0) {
          if (level === 4) { rsvd = true; break; }
          if (level === 3) {
            if ((lo & LO_RSVD_1G) !== 0) rsvd = true;
            frame = ((lo & 0xc0000000) >>> 12) + (hi & HI_ADDR) * TWO20 + ((linLo >>> 12) & 0x3ffff);
          } else {
            if ((lo & LO_RSVD_2M) !== 0) rsvd = true;
            frame = ((lo & 0xffe00000) >>> 12) + (hi & HI_ADDR) * TWO20 + ((linLo >>> 12) & 0x1ff);
          }
          large = true;
          break;
        }
        if (rsvd) break;
        base = ((lo & 0xfffff000) >>> 0) + (hi & HI_ADDR) * TWO32;
        level--;
      }
    }
    if (rsvd) return this.reserved(r, mode, access);
    if ((access & ACCESS_PEEK) === 0) {
      // Access rights (SDM Vol. 3 §4.6): user accesses need U/S everywhere, writes R/W (supervisor
      // writes only with CR0.WP = 1), fetches no XD; SMEP forbids supervisor fetches from user pages.
      const write = (access & ACCESS_WRITE) !== 0;
      const fetch = (access & ACCESS_FETCH) !== 0;
      let ok = true;
      if ((access & ACCESS_USER) !== 0) {
        if (!us || (write && !rw)) ok = false;
      } else {
        if (write && !rw && (r.cr0 & CR0_WP) !== 0) ok = false;
        if (fetch && us && (r.cr4 & CR4_SMEP) !== 0) ok = false;
      }
      if (fetch && xd) ok = false;
      if (!ok) {
        this.errorCode = PFE_P | (access & (PFE_W | PFE_U)) | this.idBit(r, mode, access);
        return false;
      }
      // Accessed bits in every entry used, dirty in the leaf on a write (SDM Vol. 3 §4.8).
      const n = this.entCount;
      for (let i = 0; i < n; i++) {
        const p = this.entPage[i] as Page;
        const off = this.entOff[i];
        p.data[off] |= i === n - 1 && write ? 0x60 : 0x20;
      }
    }
    this.frame = frame;
    this.large = large;
    this.writable = rw;
    this.user = us;
    this.executable = !xd;
    return true;
  }

  private idBit(r: PagingRegisters, mode: PagingMode, access: number): number {
    // I/D is reported only with SMEP, or with NX in PAE/IA-32e paging (SDM Vol. 3 §4.7).
    if ((access & ACCESS_FETCH) === 0) return 0;
    return (r.cr4 & CR4_SMEP) !== 0 || (mode !== PAGING_32 && (r.efer & EFER_NXE) !== 0) ? PFE_ID : 0;
  }

  private notPresent(r: PagingRegisters, mode: PagingMode, access: number): false {
    this.errorCode = (access & (PFE_W | PFE_U)) | this.idBit(r, mode, access);
    return false;
  }

  private reserved(r: PagingRegisters, mode: PagingMode, access: number): false {
    this.errorCode = PFE_P | PFE_RSVD | (access & (PFE_W | PFE_U)) | this.idBit(r, mode, access);
    return false;
  }
}
