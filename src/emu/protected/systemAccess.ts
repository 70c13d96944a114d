// Implicit supervisor-mode accesses to system tables (GDT, LDT, TSS): descriptor reads, accessed
// and busy bit write-backs, TSS state saves (SDM Vol. 3 §5.1, §7.2). They are not data accesses
// (no debug-unit hooks) and use supervisor rights whatever the CPL; paging and #PF are the CPU's
// systemRead/systemWrite (src/emu/cpu.ts). Outside IA-32e mode the linear address wraps at 4 GiB.
// Imports the CPU core types only.
import type { Machine } from '../machine';

function wrap(m: Machine, lin: number): number {
  return (m.efer & 0x400) !== 0 ? lin : lin >>> 0;
}

/** Implicit supervisor read of `size` bytes at linear `lin`, unsigned (size 4: 0..2^32-1). */
export function sysRead(m: Machine, lin: number, size: 1 | 2 | 4): number {
  const v = m.systemRead(wrap(m, lin), size);
  return size === 4 ? v >>> 0 : v;
}

/** Implicit supervisor write of `size` bytes at linear `lin` (no debug hooks; decoded code there is dropped). */
export function sysWrite(m: Machine, lin: number, size: 1 | 2 | 4, v: number): void {
  m.systemWrite(wrap(m, lin), size, v, 0);
}
