// Deterministic pseudo-random bytes for guests (getrandom, AT_RANDOM): xorshift32 from a seed, so
// every run of a program sees the same "random" data. Imports nothing.

export class DeterministicRandom {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 0x9e3779b9;
  }

  /** The next `n` bytes of the sequence. */
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    let x = this.state;
    for (let i = 0; i < n; i++) {
      x ^= x << 13;
      x ^= x >>> 17;
      x ^= x << 5;
      out[i] = x & 0xff;
    }
    this.state = x >>> 0;
    return out;
  }
}
