// Notifications the system instructions owe the memory path (helper "mem", src/emu/cpu.ts): TLB
// flushes (MOV CR0/CR3/CR4, EFER, task switches), INVLPG, CPL changes and segment-register loads
// (the limit-check fast path) — the CPU's methods (helper "mem") — and the run loop's interrupt
// window (helper "int", called when the Machine has the method).
// Imports the CPU core types only.
import type { Machine } from '../machine';

/** Drop every cached translation and latch the paging mode (SDM Vol. 3 §4.10.4.1). */
export function flushTlb(m: Machine): void {
  m.flushTlb();
}

/** Drop the translation of the page holding linear `lin` (INVLPG). */
export function invalidatePage(m: Machine, lin: number): void {
  m.invlpg(lin);
}

/** Tell the memory path that CPL changed (cached user/supervisor rights). */
export function cplChanged(m: Machine): void {
  m.cplChanged();
}

/** Tell the memory path that segment register `s` was loaded (limit-check class). */
export function segmentLoaded(m: Machine, s: number): void {
  m.segmentLoaded(s);
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
