// RDRAND and RDSEED (0F C7 /6, /7 with a register operand). The emulator is deterministic, so the
// "random" value is a documented function of the machine's retired-instruction count: the SplitMix32
// finaliser of (icount XOR salt), salt 0x9E3779B9 for RDRAND and 0x85EBCA6B for RDSEED (64-bit
// destinations take two consecutive mixes). The same program run twice reads the same values; a value
// is always available: CF=1 and OF, SF, ZF, AF, PF = 0 (SDM Vol. 2 "RDRAND", "RDSEED"). Imports the CPU core.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as flagsModule from '../flags';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { materializeFlags, CF, ARITH } = flagsModule;

/** SplitMix32-style finaliser (Murmur3 fmix32): a well-mixed 32-bit value of `x`. */
function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

function deterministicRandom(m: Machine, o: Op, salt: number): void {
  const seed = (m.icount | 0) ^ salt;
  const lo = mix32(seed);
  const hi = o.size === 8 ? mix32(lo ^ salt) : 0;
  m.setReg(o.r0, o.size, lo, hi);
  materializeFlags(m);
  m.flagsRest = (m.flagsRest & ~ARITH) | CF;
}

/** RDRAND r16/r32/r64: deterministic value (see header), CF=1. */
export function rdrand(m: Machine, o: Op): void {
  deterministicRandom(m, o, 0x9e3779b9 | 0);
}

/** RDSEED r16/r32/r64: deterministic value (see header), CF=1. */
export function rdseed(m: Machine, o: Op): void {
  deterministicRandom(m, o, 0x85ebca6b | 0);
}
