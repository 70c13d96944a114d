// The I/O permission check of IN/OUT/INS/OUTS in protected and virtual-8086 mode (SDM Vol. 1
// §19.5.1-19.5.2, Vol. 3 §20.2.8.1): allowed outright in real mode and when CPL <= IOPL outside
// virtual-8086 mode; otherwise every port bit of the access must be 0 in the current 32/64-bit TSS's
// I/O permission bitmap (base at TSS offset 66h), bytes beyond the TSS limit counting as 1s.
// Imports the CPU core types, flags and tss / systemAccess.
import type { Machine } from '../machine';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as tssModule from './tss';
import * as systemAccessModule from './systemAccess';
const { IOPL, VM } = flagsModule;
const { currentTss } = tssModule;
const { sysRead } = systemAccessModule;

/** True when the current privilege may access `size` bytes at `port` (SDM Vol. 1 Figure 19-2). */
export function ioPermitted(m: Machine, port: number, size: number): boolean {
  if (m.real) return true;
  const v86 = (m.flagsRest & VM) !== 0;
  if (!v86 && m.cpl <= (m.flagsRest & IOPL) >> 12) return true;
  let tss;
  try {
    tss = currentTss(m);
  } catch (e) {
    if (e instanceof CpuFault) return false;
    throw e;
  }
  // A 16-bit TSS has no I/O permission bitmap.
  if (tss.is16 || tss.limit < 0x67) return false;
  const base = sysRead(m, tss.base + 0x66, 2);
  const at = base + (port >>> 3);
  // The check reads two bytes (the access may straddle a byte boundary).
  if (at + 1 > tss.limit) return false;
  const bits = sysRead(m, tss.base + at, 2);
  const mask = ((1 << size) - 1) << (port & 7);
  return (bits & mask) === 0;
}
