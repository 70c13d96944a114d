// The data accesses the CPU's inline paths (cpu.ts, ops/fast.ts) do not serve: TLB misses, bytes of
// a watched page that an armed data slot may see, and page-crossing accesses. Each is reported to
// the debug unit first (when a data slot is armed; before the access, so the bytes before it can be
// recorded), then performed through the TLB miss path or byte-wise across the boundary.
// Imports memory and pagingAccess; the Cpu as a type.
import type { Cpu } from './cpu';
import * as memoryModule from './memory';
import * as pagingAccessModule from './pagingAccess';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use.
const { PAGE_SIZE } = memoryModule;
const { crossingRead, crossingWrite } = pagingAccessModule;

/**
 * Read `size` (1, 2, 4, 8) bytes at linear `lin`, reporting the access when a data slot is armed.
 * Sizes 1/2 unsigned, 4 int32, 8 the low half (int32) with the high half in `c.hi`.
 */
export function reportedRead(c: Cpu, lin: number, size: number): number {
  if (c.debug.dataArmed) c.debug.dataAccess(lin, size, false);
  const o = lin & 0xfff;
  if (o + size <= PAGE_SIZE) {
    const p = c.rpage(lin);
    switch (size) {
      case 1: return p.data[o];
      case 2: return p.view.getUint16(o, true);
      case 4: return p.view.getInt32(o, true);
      default: c.hi = p.view.getInt32(o + 4, true); return p.view.getInt32(o, true);
    }
  }
  if (size === 8) {
    const lo = crossingRead(c, lin, 4) | 0;
    c.hi = crossingRead(c, c.nextLin(lin, 4), 4) | 0;
    return lo;
  }
  const v = crossingRead(c, lin, size);
  return size === 4 ? v | 0 : v;
}

/**
 * Write `size` (1, 2, 4, 8; 8 takes the high half from `hi`) bytes at linear `lin`, reporting the
 * access when a data slot is armed. A page-crossing write checks both pages before writing a byte.
 */
export function reportedWrite(c: Cpu, lin: number, size: number, v: number, hi: number): void {
  if (c.debug.dataArmed) c.debug.dataAccess(lin, size, true);
  const o = lin & 0xfff;
  if (o + size <= PAGE_SIZE) {
    const p = c.wpage(lin, size);
    switch (size) {
      case 1: p.data[o] = v; return;
      case 2: p.view.setUint16(o, v, true); return;
      case 4: p.view.setInt32(o, v, true); return;
      default: p.view.setInt32(o, v, true); p.view.setInt32(o + 4, hi, true); return;
    }
  }
  crossingWrite(c, lin, size, v, hi);
}
