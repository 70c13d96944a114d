// Notifications the system instructions owe the memory path (helper "mem", src/emu/cpu.ts): TLB
// flushes (MOV CR0/CR3/CR4, EFER, task switches), INVLPG, CPL changes and segment-register loads
// (the limit-check fast path). Each calls the CPU's method when it exists, else does the part that
// the unpaged memory needs (its software TLB flush) or nothing.
// Imports the CPU core types only.
import type { Machine } from '../machine';

/** The optional Cpu methods (see /work/coord/mem.md). */
interface MemoryPathPort {
  flushTlb?(): void;
  invlpg?(lin: number): void;
  cplChanged?(): void;
  segmentLoaded?(s: number): void;
}

/** Drop every cached translation (SDM Vol. 3 §4.10.4.1). */
export function flushTlb(m: Machine): void {
  const p = m as unknown as MemoryPathPort;
  if (typeof p.flushTlb === 'function') p.flushTlb.call(m);
  else m.mem.flushTlb();
}

/** Drop the translation of the page holding linear `lin` (INVLPG). */
export function invalidatePage(m: Machine, lin: number): void {
  const p = m as unknown as MemoryPathPort;
  if (typeof p.invlpg === 'function') p.invlpg.call(m, lin);
  else m.mem.flushTlb();
}

/** Tell the memory path that CPL changed (cached user/supervisor rights). */
export function cplChanged(m: Machine): void {
  const p = m as unknown as MemoryPathPort;
  if (typeof p.cplChanged === 'function') p.cplChanged.call(m);
}

/** Tell the memory path that segment register `s` was loaded (limit-check flags). */
export function segmentLoaded(m: Machine, s: number): void {
  const p = m as unknown as MemoryPathPort;
  if (typeof p.segmentLoaded === 'function') p.segmentLoaded.call(m, s);
}
