// CRC32 r32/r64, r/m8/16/32/64 (SSE4.2, F2 0F 38 F0/F1): the CRC-32C (Castagnoli) checksum, bit-reflected
// polynomial 0x82F63B78, accumulated over the source bytes in memory order into the low 32 bits of the
// destination, which is zero-extended (SDM Vol. 2 "CRC32"). No flags change. Imports the CPU core.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as operandsModule from './operands';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { read1 } = operandsModule;

/** One byte step of the reflected CRC-32C, table-driven: `crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8)`. */
const crcTable: Uint32Array = (() => {
  const t = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let c = i;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
    t[i] = c;
  }
  return t;
})();

/** Fold the low `bytes` bytes of `v` (little-endian order) into `crc`. */
function fold(crc: number, v: number, bytes: number): number {
  let c = crc;
  for (let i = 0; i < bytes; i++) {
    c = crcTable[(c ^ (v >>> (i * 8))) & 0xff] ^ (c >>> 8);
  }
  return c;
}

/** CRC32 dest, src: dest = CRC-32C step of dest's low dword over src's bytes; upper half of a 64-bit dest zeroed. */
export function crc32(m: Machine, o: Op): void {
  const srcSize = o.s1;
  const v = read1(m, o, srcSize);
  const hi = m.hi;
  let c = m.getReg(o.r0, 4) >>> 0;
  if (srcSize === 8) {
    c = fold(c, v, 4);
    c = fold(c, hi, 4);
  } else c = fold(c, v, srcSize);
  m.setReg(o.r0, o.s0, c | 0, 0);
}
