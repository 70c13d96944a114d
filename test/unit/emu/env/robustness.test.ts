// Bad guests are contained (issue 3): random bytes run as a .COM, a boot sector, and 32/64-bit Linux
// code never make loadProgram or run() throw, every run ends with a well-formed Exit within its
// budget, and nothing the guest does reaches the host (no files are allowed; output is collected).
import { strict as assert } from 'assert';
import type { Bits, Environment, Program } from '../../../../src/asm/program';
import { BufferConsole } from '../../../../src/emu/console';
import { loadProgram } from '../../../../src/emu/env/loadProgram';

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 4294967296;
  };
}

const REASONS = new Set(['exited', 'halted', 'input', 'fault', 'budget', 'debug']);

function randomProgram(next: () => number, environment: Environment, bits: Bits): Program {
  const size = 16 + Math.floor(next() * 496);
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Math.floor(next() * 256);
  const address = environment === 'dos' ? 0x100 : environment === 'boot' ? 0x7c00 : bits === 16 ? 0x1000 : bits === 64 ? 0x401000 : 0x8049000;
  if (environment === 'boot') {
    const img = new Uint8Array(512);
    img.set(bytes.subarray(0, 510));
    img[510] = 0x55;
    img[511] = 0xaa;
    return { environment, bits, entry: address, symbols: [], lineMap: [], segments: [{ name: 'image', address, bytes: img, memSize: 512, permissions: { read: true, write: true, execute: true } }] };
  }
  return { environment, bits, entry: address, symbols: [], lineMap: [], segments: [{ name: 'image', address, bytes, memSize: size + 4096, permissions: { read: true, write: true, execute: true } }] };
}

describe('random guests are contained', function () {
  this.timeout(60000);
  const kinds: Array<[Environment, Bits]> = [['dos', 16], ['boot', 16], ['linux', 32], ['linux', 64], ['bare', 16], ['bare', 64]];
  for (const [environment, bits] of kinds) {
    // Random real-mode code rewrites itself and sweeps memory with REP strings: fewer images there.
    const count = bits === 16 ? 10 : 25;
    it(`${environment} ${bits}-bit: ${count} random images run 20,000 instructions without throwing`, () => {
      const next = rng(0xc0ffee + bits + environment.length * 7);
      for (let i = 0; i < count; i++) {
        const con = new BufferConsole('some input\n');
        const r = loadProgram(randomProgram(next, environment, bits), { console: con, memoryLimit: 32 * 1024 * 1024, notice: () => undefined });
        assert.ok(r.ok, r.ok ? '' : r.message);
        if (!r.ok) continue;
        const before = r.machine.icount;
        const exit = r.machine.run(20_000);
        assert.ok(REASONS.has(exit.reason), `exit ${JSON.stringify(exit)}`);
        assert.ok(r.machine.icount - before <= 20_000);
        if (exit.reason === 'fault') assert.ok(exit.message.length > 0);
      }
    });
  }
});
