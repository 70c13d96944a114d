// The Linux process address space the environment manages on top of the Machine's memory: the brk
// heap after the image (brk(2) semantics: the break is exact, pages are mapped to cover it) and the
// anonymous mmap area growing down from below the stack. Imports the Machine and memory constants.
import type { Machine } from '../machine';
import { PAGE_SIZE, PERM_RW } from '../memory';

const pageUp = (a: number): number => Math.ceil(a / PAGE_SIZE) * PAGE_SIZE;
const pageDown = (a: number): number => Math.floor(a / PAGE_SIZE) * PAGE_SIZE;

/** Where things go in a Linux guest of one class. */
export interface LinuxLayout {
  /** Highest stack address (exclusive); argv/envp strings sit just below. */
  stackTop: number;
  /** Bytes of stack mapped below stackTop. */
  stackSize: number;
  /** mmap hands out addresses below this, top down. */
  mmapTop: number;
  /** Lowest address mmap may return. */
  mmapBottom: number;
}

export const LAYOUT_64: LinuxLayout = { stackTop: 0x7ffffffff000, stackSize: 8 * 1024 * 1024, mmapTop: 0x7ffff7fff000, mmapBottom: 0x10000 };
export const LAYOUT_32: LinuxLayout = { stackTop: 0xc0000000, stackSize: 8 * 1024 * 1024, mmapTop: 0xb7fff000, mmapBottom: 0x10000 };

/** The brk heap and the mmap allocator of one process. */
export class LinuxAddressSpace {
  /** Start of the heap (page after the image) and the current break. */
  readonly brkStart: number;
  private brkValue: number;
  private brkMappedEnd: number;

  constructor(private readonly m: Machine, readonly layout: LinuxLayout, imageEnd: number) {
    this.brkStart = pageUp(imageEnd);
    this.brkValue = this.brkStart;
    this.brkMappedEnd = this.brkStart;
  }

  get brk(): number {
    return this.brkValue;
  }

  /** brk(2): move the break to `want` (0 or below the start: just report it); returns the new break, or the old one on failure. */
  setBrk(want: number): number {
    if (want < this.brkStart) return this.brkValue;
    const end = pageUp(want);
    if (end > this.brkMappedEnd) {
      if (end > this.layout.mmapTop || this.overlaps(this.brkMappedEnd, end - this.brkMappedEnd)) return this.brkValue;
      const r = this.m.map(this.brkMappedEnd, end - this.brkMappedEnd, PERM_RW, 'heap');
      if (!r.ok) return this.brkValue;
    } else if (end < this.brkMappedEnd) {
      this.m.unmap(end, this.brkMappedEnd - end);
    }
    this.brkMappedEnd = end;
    this.brkValue = want;
    return want;
  }

  /** True when any page of [addr, addr+len) is mapped. */
  overlaps(addr: number, len: number): boolean {
    const end = addr + len;
    return this.m.regions().some((r) => r.start < end && addr < r.end);
  }

  /**
   * Find room for `len` bytes (page multiple): the hint when it is free, else the highest free gap
   * below mmapTop. Returns the address or null when the space is exhausted.
   */
  findFree(len: number, hint: number): number | null {
    if (hint !== 0 && hint % PAGE_SIZE === 0 && hint >= this.layout.mmapBottom && hint + len <= this.layout.mmapTop && !this.overlaps(hint, len)) return hint;
    const regions = this.m.regions().filter((r) => r.start < this.layout.mmapTop).sort((a, b) => b.start - a.start);
    let ceiling = this.layout.mmapTop;
    for (const r of regions) {
      if (r.end <= ceiling && ceiling - r.end >= len) return pageDown(ceiling - len);
      ceiling = Math.min(ceiling, r.start);
    }
    return ceiling - len >= Math.max(this.layout.mmapBottom, this.brkMappedEnd) ? pageDown(ceiling - len) : null;
  }
}
