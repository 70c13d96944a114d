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

/** What the run loop (helper "int", machine.ts) asks of instructions that open the interrupt window. */
interface InterruptWindowPort {
  interruptWindowOpened?(shadow: boolean): void;
  interruptShadow?(): void;
}

/** RFLAGS.IF went from 0 to 1 (STI: `shadow` = true for its one-instruction shadow; SYSRET, task switch: false). */
export function interruptWindowOpened(m: Machine, shadow: boolean): void {
  const p = m as unknown as InterruptWindowPort;
  if (typeof p.interruptWindowOpened === 'function') p.interruptWindowOpened.call(m, shadow);
}

/** MOV SS / LSS: no external interrupt at the next boundary. */
export function interruptShadow(m: Machine): void {
  const p = m as unknown as InterruptWindowPort;
  if (typeof p.interruptShadow === 'function') p.interruptShadow.call(m);
}
