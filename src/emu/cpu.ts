// The CPU the instruction handlers work on: the state of cpuState.ts plus its access paths — linear
// addresses with segment limit checks, translation through the software TLB (a miss walks the page
// tables when paging is on; tlb.ts), the inline data-access fast paths (TLB hit, quiet granule of a
// watched page; the rest in dataAccess.ts, which reports to the debug unit), the stack, and the
// debug unit's CPU port. Faults are #PF/#GP/#SS CpuFaults.
// Imports memory, paging, tlb, dataWatch, dataAccess, pagingAccess, flags, exceptions, the debug unit and types.
import type { Memory, Page } from './memory';
import * as memoryModule from './memory';
import type { PagingMode } from './paging';
import * as pagingModule from './paging';
import { TlbMisses } from './tlb';
import { DataWatch } from './dataWatch';
import { CpuState } from './cpuState';
import { checkSegmentLimit, crossingRead, crossingWrite, debuggerRead, debuggerWrite, segmentClass, systemRead, systemWrite } from './pagingAccess';
import * as dataAccessModule from './dataAccess';
import { CpuFault } from './exceptions';
import * as exceptionsModule from './exceptions';
import { DebugUnit, type DebugCpuPort } from './debug/debugUnit';
import * as flagsModule from './flags';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { PAGE_SIZE, TLB_MASK, pageNumberOf } = memoryModule;
const { PAGING_OFF, pagingModeOf } = pagingModule;
const { GP, SS } = exceptionsModule;
const { RF } = flagsModule;
const { reportedRead, reportedWrite } = dataAccessModule;

/** Segment register numbers (the ModRM.reg encoding). */
export const ES = 0;
export const CS = 1;
export const SSEG = 2;
export const DS = 3;
export const FS = 4;
export const GS = 5;

/** Code-segment descriptor attribute bits as kept in segAttr (VMX access-rights layout, SDM Vol. 3 §24.4.1). */
export const ATTR_TYPE_MASK = 0xf;
export const ATTR_S = 0x10;
export const ATTR_DPL_SHIFT = 5;
export const ATTR_P = 0x80;
export const ATTR_L = 0x2000;
export const ATTR_DB = 0x4000;
export const ATTR_G = 0x8000;

/** CR0/CR4/EFER bits used here. */
export const CR0_PE = 0x1;
export const CR0_PG = 0x80000000;
export const CR4_DE = 0x8;
export const EFER_SCE = 0x1;
export const EFER_LME = 0x100;
export const EFER_LMA = 0x400;
export const EFER_NXE = 0x800;



const TWO32 = 4294967296;
const TWO48 = 281474976710656;

export class Cpu extends CpuState implements DebugCpuPort {
  /** The debug unit (both layers of DR0-DR7); its `dataArmed` etc. are the hot-path guards. */
  readonly debug: DebugUnit;

  /**
   * The software TLB (arrays owned by Memory, aliased here for the hot path): linear page number →
   * page, read and write. Public for the inlined fast paths in ops/fast.ts; fill only through the
   * access methods (a miss walks the page tables).
   */
  readonly rKey: Float64Array;
  readonly rPage: (Page | null)[];
  readonly wKey: Float64Array;
  readonly wPage: (Page | null)[];
  /** The side TLBs of watched pages and their granule filters (Memory.vrKey…vwWatched, aliased for the inline paths). */
  readonly vrKey: Float64Array;
  readonly vrPage: (Page | null)[];
  readonly vrWatched: Uint8Array;
  readonly vwKey: Float64Array;
  readonly vwPage: (Page | null)[];
  readonly vwWatched: Uint8Array;
  /** Miss handling and invalidation (tlb.ts). */
  private readonly tlb: TlbMisses;
  /** Pages kept out of the TLBs because a data slot may watch them (dataWatch.ts). */
  readonly watch = new DataWatch();

  constructor(readonly mem: Memory) {
    super();
    this.debug = new DebugUnit(this);
    this.rKey = mem.rKey;
    this.rPage = mem.rPage;
    this.wKey = mem.wKey;
    this.wPage = mem.wPage;
    this.vrKey = mem.vrKey;
    this.vrPage = mem.vrPage;
    this.vrWatched = mem.vrWatched;
    this.vwKey = mem.vwKey;
    this.vwPage = mem.vwPage;
    this.vwWatched = mem.vwWatched;
    this.tlb = new TlbMisses(this);
  }

  // ---- DebugCpuPort (what the debug unit asks of the CPU) -------------------------------------

  setResumeFlag(on: boolean): void {
    this.flagsRest = on ? (this.flagsRest | RF) >>> 0 : this.flagsRest & ~RF;
  }
  getCr4(): number {
    return this.cr4;
  }
  getCpl(): number {
    return this.cpl;
  }
  instructionAddress(): number {
    return this.codeLinear(this.insnStart);
  }
  peekLinear(address: number, out: Uint8Array): boolean {
    const b = this.debuggerRead(address, out.length);
    if (!b) return false;
    out.set(b);
    return true;
  }

  /** Linear address of code offset `ip` in CS. */
  codeLinear(ip: number): number {
    if (this.mode64) return ip;
    if (this.real) return (this.segBase[CS] + ip) & this.a20Mask;
    return (this.segBase[CS] + ip) >>> 0;
  }

  // ---- addresses ------------------------------------------------------------------------------

  /**
   * Linear address of segment `seg` + offset `off` (off already reduced to the address size) for an
   * access of `size` bytes: outside 64-bit mode the segment limit is checked (#GP(0) / #SS(0)).
   */
  linear(seg: number, off: number, size = 1): number {
    if (this.mode64) {
      if (seg < FS) return off;
      const a = this.segBase[seg] + off;
      return a >= TWO48 ? a - TWO48 : a;
    }
    if (this.segFlags[seg] !== 0 || off + size - 1 > this.segLimit[seg]) this.checkSegment(seg, off, size);
    if (this.real) return (this.segBase[seg] + off) & this.a20Mask;
    return (this.segBase[seg] + off) >>> 0;
  }

  /** Fold a 64-bit address given as int32 halves into 48 bits; non-canonical → #GP(0) or #SS(0). */
  canonical(lo: number, hi: number, seg: number): number {
    if (hi < -32768 || hi > 32767) throw new CpuFault(seg === SSEG ? SS : GP, 0, undefined, 'non-canonical address');
    return (hi & 0xffff) * TWO32 + (lo >>> 0);
  }

  /** 64-bit view of a 48-bit folded address: [lo, hi] halves (sign-extended from bit 47). */
  static unfold(a: number): [number, number] {
    const hi = Math.floor(a / TWO32);
    return [a >>> 0, hi & 0x8000 ? hi | ~0xffff : hi];
  }

  // ---- translation (paging.ts) and the TLB -------------------------------------------------------

  /** The translation mode latched at the last flushTlb(): PAGING_OFF means linear = physical. */
  pagingMode: PagingMode = PAGING_OFF;

  /** True when paging translates linear addresses (CR0.PG as latched by the last flushTlb()). */
  pagingEnabled(): boolean {
    return this.pagingMode !== PAGING_OFF;
  }

  /**
   * Drop every cached translation (read/write/fetch TLB, the decode cache's current code page) and
   * latch the translation mode from CR0.PG/PE, CR4.PAE and EFER.LMA. Call after MOV CR0/CR3/CR4,
   * WRMSR EFER, a task switch with a CR3 load, and after a loader built page tables. Global pages
   * (CR4.PGE) are dropped too: the TLB keeps no G bit, which the SDM permits (§4.10.4.1). Machine
   * start/enterLong64 do NOT call this, so environments that set CR0.PG without page tables (Linux
   * user mode, unit tests) keep linear = physical until something calls flushTlb().
   */
  flushTlb(): void {
    this.pagingMode = pagingModeOf(this.cr0, this.cr4, this.efer);
    this.tlb.drop();
  }

  /** INVLPG: drop the translation of the page holding linear `lin` (everything when a large page was cached). */
  invlpg(lin: number): void {
    this.tlb.invlpg(lin);
  }

  /** Call after `cpl` changed: TLB entries hold the rights of user (CPL 3) or supervisor accesses. No-op with paging off. */
  cplChanged(): void {
    this.tlb.cplChanged();
  }

  /** Page for a read of linear `lin` (TLB hit, else tlb.ts translates and fills). No debug hook. */
  rpage(lin: number): Page {
    const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
    const i = pn & TLB_MASK;
    if (this.rKey[i] === pn) return this.rPage[i] as Page;
    return this.tlb.readMiss(lin, pn);
  }

  /** Page for a write of `n` bytes at linear `lin` (SMC-checked). No debug hook. */
  wpage(lin: number, n: number): Page {
    const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
    const i = pn & TLB_MASK;
    if (this.wKey[i] === pn) return this.wPage[i] as Page;
    return this.tlb.writeMiss(lin, pn, n);
  }

  /** A write into a page with decoded code: drop the cache when it touches decoded bytes (SMC). */
  codeWrite(p: Page, off: number, n: number): void {
    const map = p.codeMap;
    const end = Math.min(off + n, PAGE_SIZE);
    for (let i = off; i < end; i++) {
      if (map === null || map[i] !== 0) { this.mem.onCodeWrite(p); return; }
    }
  }

  /** Wrap a linear address past the top of the address space (real mode: A20 mask; else 32/48 bits). */
  nextLin(lin: number, i: number): number {
    const a = lin + i;
    if (this.real) return a & this.a20Mask;
    if (!this.mode64) return a >>> 0;
    return a >= TWO48 ? a - TWO48 : a;
  }

  // ---- implicit supervisor accesses and the debugger's view (paging-aware; see pagingAccess.ts) ----

  /**
   * Implicit supervisor-mode read (GDT/LDT/IDT/TSS): supervisor rights whatever the CPL, #PF without
   * U/S (CR2 set) when the translation fails, no debug-unit data hook. Sizes 1/2 unsigned, 4 int32,
   * 8 the low half (int32) with the high half in `this.hi`.
   */
  systemRead(lin: number, size: 1 | 2 | 4 | 8): number {
    return systemRead(this, lin, size);
  }

  /** Implicit supervisor-mode write (descriptor accessed/busy bits, TSS state): see systemRead; size 8 takes `hi`. Atomic for faults. */
  systemWrite(lin: number, size: 1 | 2 | 4 | 8, v: number, hi = 0): void {
    systemWrite(this, lin, size, v, hi);
  }

  /**
   * Physical page for an implicit supervisor access at linear `lin` (walks with supervisor rights,
   * setting A/D bits; no TLB); a write with `n` > 0 bytes reports self-modifying code.
   */
  systemPage(lin: number, write: boolean, n: number): Page {
    return this.tlb.systemPage(lin, write, n);
  }

  /**
   * Physical address of linear `lin` for the debugger (no rights checks, faults or A/D updates), or
   * null when it is not mapped (paging off: when no region holds it).
   */
  debuggerPhysical(lin: number): number | null {
    return this.tlb.physical(lin);
  }

  /**
   * Debugger/loader read of `len` bytes at linear `addr` (translated when paging is on): no
   * permission checks, faults, accessed bits or debug hooks; null when any byte is not backed.
   */
  debuggerRead(addr: number, len: number): Uint8Array | null {
    if (this.pagingMode === PAGING_OFF) return this.mem.read(addr, len);
    return debuggerRead(this, addr, len);
  }

  /** Debugger/loader write at linear `addr` (see debuggerRead); false and nothing written when any byte is unbacked. */
  debuggerWrite(addr: number, bytes: Uint8Array): boolean {
    if (this.pagingMode === PAGING_OFF) return this.mem.write(addr, bytes);
    return debuggerWrite(this, addr, bytes);
  }

  // ---- segment limit checks (SDM Vol. 3 §5.3) ----------------------------------------------------

  /**
   * Recompute segment register `s`'s limit-check class after its hidden part changed (called by
   * segment loads). Expand-down data segments and unusable (null-loaded, P = 0) data segments take
   * the slow check on every access; expand-up segments only when an access passes the limit.
   */
  segmentLoaded(s: number): void {
    this.segFlags[s] = segmentClass(this.segAttr[s], s === CS);
  }

  /**
   * The slow half of a limit check (the fast half is inline: `segFlags[s] !== 0 || off + size - 1 >
   * segLimit[s]`). Throws #GP(0) (#SS(0) for SS) when [off, off + size) is outside the segment, or
   * #GP(0) for an unusable segment; returns when the access is allowed. Not used in 64-bit mode.
   */
  checkSegment(s: number, off: number, size: number): void {
    checkSegmentLimit(this, s, off, size);
  }

  // ---- data access path ------------------------------------------------------------------------
  // Inline here: the TLB hit (watched pages never enter the main TLBs, so a hit needs no debug
  // test) and the side-TLB hit on a granule of a watched page that no armed slot can see
  // (dataWatch.ts). Everything else — a miss, a watched granule, a page-crossing access — goes to
  // dataAccess.ts, which reports to the debug unit (when a data slot is armed) before the access.

  /** Recompute the watched pages after DR0–DR3/DR7 of either layer may have changed (cheap when not). */
  syncDataWatch(): void {
    this.watch.sync(this);
  }

  /** The side-TLB page of watched linear page `pn` when no armed slot can see a read of ≤ 8 bytes at offset `o`, else null. */
  private quietRead(pn: number, o: number): Page | null {
    const j = pn & 7; // WATCH_TLB_SIZE - 1; granules of 64 bytes (memory.ts)
    return this.vrKey[j] === pn && this.vrWatched[(j << 6) | (o >>> 6)] === 0 ? this.vrPage[j] : null;
  }
  /** As quietRead, for a write. */
  private quietWrite(pn: number, o: number): Page | null {
    const j = pn & 7;
    return this.vwKey[j] === pn && this.vwWatched[(j << 6) | (o >>> 6)] === 0 ? this.vwPage[j] : null;
  }

  read8(lin: number): number {
    const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
    const i = pn & TLB_MASK;
    const o = lin & 0xfff;
    if (this.rKey[i] === pn) return (this.rPage[i] as Page).data[o];
    const q = this.quietRead(pn, o);
    return q !== null ? q.data[o] : reportedRead(this, lin, 1);
  }
  read16(lin: number): number {
    const o = lin & 0xfff;
    if (o <= 4094) {
      const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
      const i = pn & TLB_MASK;
      if (this.rKey[i] === pn) return (this.rPage[i] as Page).view.getUint16(o, true);
      const q = this.quietRead(pn, o);
      if (q !== null) return q.view.getUint16(o, true);
    }
    return reportedRead(this, lin, 2);
  }
  /** Returns int32. */
  read32(lin: number): number {
    const o = lin & 0xfff;
    if (o <= 4092) {
      const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
      const i = pn & TLB_MASK;
      if (this.rKey[i] === pn) return (this.rPage[i] as Page).view.getInt32(o, true);
      const q = this.quietRead(pn, o);
      if (q !== null) return q.view.getInt32(o, true);
    }
    return reportedRead(this, lin, 4);
  }
  /** Returns the low half (int32); the high half is left in this.hi. */
  read64(lin: number): number {
    const o = lin & 0xfff;
    if (o <= 4088) {
      const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
      const i = pn & TLB_MASK;
      const p = this.rKey[i] === pn ? this.rPage[i] : this.quietRead(pn, o);
      if (p !== null) {
        this.hi = p.view.getInt32(o + 4, true);
        return p.view.getInt32(o, true);
      }
    }
    return reportedRead(this, lin, 8);
  }
  /** Read `size` bytes (1, 2, 4; 8 → low half, high in this.hi). */
  read(lin: number, size: number): number {
    switch (size) {
      case 1: return this.read8(lin);
      case 2: return this.read16(lin);
      case 4: return this.read32(lin);
      default: return this.read64(lin);
    }
  }

  /**
   * Read for a read-modify-write: reported to the debug unit once, as a write (issue 5), unless the
   * page is in the read TLB (not watched) or the write filter of its side entry shows a quiet granule.
   */
  rmwRead(lin: number, size: number): number {
    const o = lin & 0xfff;
    if (this.debug.dataArmed && (o + size > PAGE_SIZE || (!this.rHit(lin) && this.quietWrite(pageNumberOf(lin), o) === null))) this.debug.dataAccess(lin, size, true);
    const p = this.rpage(lin);
    switch (size) {
      case 1: return p.data[o];
      case 2: return o <= 4094 ? p.view.getUint16(o, true) : crossingRead(this, lin, 2);
      case 4: return o <= 4092 ? p.view.getInt32(o, true) : crossingRead(this, lin, 4) | 0;
      default:
        if (o <= 4088) { this.hi = p.view.getInt32(o + 4, true); return p.view.getInt32(o, true); }
        this.hi = crossingRead(this, this.nextLin(lin, 4), 4) | 0;
        return crossingRead(this, lin, 4) | 0;
    }
  }

  /** The write half of a read-modify-write (already reported by rmwRead). */
  rmwWrite(lin: number, size: number, v: number, hi: number): void {
    const o = lin & 0xfff;
    if (o + size <= PAGE_SIZE) {
      const p = this.wpage(lin, size);
      switch (size) {
        case 1: p.data[o] = v; return;
        case 2: p.view.setUint16(o, v, true); return;
        case 4: p.view.setInt32(o, v, true); return;
        default: p.view.setInt32(o, v, true); p.view.setInt32(o + 4, hi, true); return;
      }
    }
    crossingWrite(this, lin, size, v, hi);
  }

  /** True when `lin`'s page has a read-TLB entry (the hit path: no debug report needed). */
  private rHit(lin: number): boolean {
    const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
    return this.rKey[pn & TLB_MASK] === pn;
  }

  write8(lin: number, v: number): void {
    const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
    const i = pn & TLB_MASK;
    const o = lin & 0xfff;
    const p = this.wKey[i] === pn ? this.wPage[i] : this.quietWrite(pn, o);
    if (p !== null) p.data[o] = v;
    else reportedWrite(this, lin, 1, v, 0);
  }
  write16(lin: number, v: number): void {
    const o = lin & 0xfff;
    if (o <= 4094) {
      const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
      const i = pn & TLB_MASK;
      const p = this.wKey[i] === pn ? this.wPage[i] : this.quietWrite(pn, o);
      if (p !== null) { p.view.setUint16(o, v, true); return; }
    }
    reportedWrite(this, lin, 2, v, 0);
  }
  write32(lin: number, v: number): void {
    const o = lin & 0xfff;
    if (o <= 4092) {
      const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
      const i = pn & TLB_MASK;
      if (this.wKey[i] === pn) { (this.wPage[i] as Page).view.setInt32(o, v, true); return; }
      const q = this.quietWrite(pn, o);
      if (q !== null) { q.view.setInt32(o, v, true); return; }
    }
    reportedWrite(this, lin, 4, v, 0);
  }
  write64(lin: number, lo: number, hi: number): void {
    const o = lin & 0xfff;
    if (o <= 4088) {
      const pn = lin < TWO32 ? lin >>> 12 : pageNumberOf(lin);
      const i = pn & TLB_MASK;
      const p = this.wKey[i] === pn ? this.wPage[i] : this.quietWrite(pn, o);
      if (p !== null) {
        p.view.setInt32(o, lo, true);
        p.view.setInt32(o + 4, hi, true);
        return;
      }
    }
    reportedWrite(this, lin, 8, lo, hi);
  }
  /** Write `size` bytes (8: lo/hi halves). */
  write(lin: number, size: number, v: number, hi = 0): void {
    switch (size) {
      case 1: this.write8(lin, v); break;
      case 2: this.write16(lin, v); break;
      case 4: this.write32(lin, v); break;
      default: this.write64(lin, v, hi); break;
    }
  }

  /** Check that `lin` may be written (for instructions that must not fault half-way), without writing. */
  probeWrite(lin: number, n: number): void {
    this.wpage(lin, 0);
    if ((lin & 0xfff) + n > PAGE_SIZE) this.wpage(this.nextLin(lin, n - 1), 0);
  }

  /**
   * Physical page holding code at linear `lin` for an instruction fetch at the current CPL (walks
   * with fetch rights when paging is on, fetch TLB), or null when the fetch faults (fetchFault then
   * builds the exception).
   */
  fetchPage(lin: number): Page | null {
    return this.tlb.fetchPage(lin);
  }

  /** The #PF of an instruction fetch at linear `lin` that fetchPage refused (CR2 set). */
  fetchFault(lin: number): CpuFault {
    return this.tlb.fetchFault(lin);
  }

  /** Fetch up to `max` code bytes at linear `lin` into `out` (stops early at a page that cannot be fetched after the first byte; #PF at the first). */
  fetchCode(lin: number, out: Uint8Array, max: number): number {
    return this.tlb.fetchBytes(lin, out, max);
  }

  // ---- stack ---------------------------------------------------------------------------------

  /** Push `size` bytes (2, 4, 8; 8 takes hi) with the stack's address size. */
  push(size: number, v: number, hi = 0): void {
    const r = this.regs;
    if (this.stackSize === 4) {
      const sp = (r[4] - size) | 0;
      this.write(this.linear(SSEG, sp >>> 0, size), size, v, hi);
      r[4] = sp;
      this.regsHi[4] = 0;
    } else if (this.stackSize === 8) {
      // Borrow from the high half when the unsigned low half is smaller than the push size.
      const lo = (r[4] >>> 0) - size;
      const h = lo < 0 ? (this.regsHi[4] - 1) | 0 : this.regsHi[4];
      const sp = lo | 0;
      this.write(this.canonical(sp, h, SSEG), size, v, hi);
      r[4] = sp;
      this.regsHi[4] = h;
    } else {
      const sp = (r[4] - size) & 0xffff;
      this.write(this.linear(SSEG, sp, size), size, v, hi);
      r[4] = (r[4] & ~0xffff) | sp;
    }
  }

  /** Pop `size` bytes; 8-byte pops leave the high half in this.hi. */
  pop(size: number): number {
    const r = this.regs;
    let v: number;
    if (this.stackSize === 4) {
      v = this.read(this.linear(SSEG, r[4] >>> 0, size), size);
      r[4] = (r[4] + size) | 0;
      this.regsHi[4] = 0;
    } else if (this.stackSize === 8) {
      const h = this.regsHi[4];
      v = this.read(this.canonical(r[4], h, SSEG), size);
      const lo = (r[4] >>> 0) + size;
      r[4] = lo | 0;
      if (lo >= TWO32) this.regsHi[4] = (h + 1) | 0;
    } else {
      const sp = r[4] & 0xffff;
      v = this.read(this.linear(SSEG, sp, size), size);
      r[4] = (r[4] & ~0xffff) | ((sp + size) & 0xffff);
    }
    return v;
  }

  /** Linear address of the stack at offset `delta` from the current SP, limit-checked for `size` bytes (far returns/IRET). */
  stackLinear(delta: number, size = 1): number {
    if (this.stackSize === 4) return this.linear(SSEG, (this.regs[4] + delta) >>> 0, size);
    if (this.stackSize === 8) {
      const lo = (this.regs[4] >>> 0) + delta;
      return this.canonical(lo | 0, (this.regsHi[4] + (lo >= TWO32 ? 1 : 0)) | 0, SSEG);
    }
    return this.linear(SSEG, (this.regs[4] + delta) & 0xffff, size);
  }
}
