// "Seen before?" for the assembler's caches: a one-bit-per-hash table over FNV-1a hashes, so that
// only text met a second time is remembered (a collision only means something seen once is kept).
// Imports nothing.

/** FNV-1a's starting value. */
export const FNV_BASIS = 0x811c9dc5;

/** FNV-1a: `h` extended with the UTF-16 units of `text`. */
export function fnv1a(h: number, text: string): number {
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  return h;
}

/** FNV-1a: `h` extended with one number (a separator or a mode). */
export function fnv1aUnit(h: number, unit: number): number {
  return Math.imul(h ^ unit, 0x01000193);
}

/** A 2^20-bit table of hashes met so far. */
export class SeenFilter {
  private readonly bits = new Uint32Array((1 << 20) >>> 5);

  /** true when hash `h` was met before; marks it met. */
  testAndSet(h: number): boolean {
    const bit = (h >>> 0) & ((1 << 20) - 1);
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    if ((this.bits[word] & mask) !== 0) return true;
    this.bits[word] |= mask;
    return false;
  }
}
