// DAA, DAS, AAA, AAS, AAM and AAD (32-bit mode only: #UD in 64-bit mode) against the SDM's
// pseudocode (Vol. 2A, each instruction's "Operation" section), exhaustively over AL × AF × CF
// with random AH. This machine cannot run 32-bit code natively (see instructionHarness.ts), so the
// SDM is the outside truth here; flags the SDM leaves undefined are not compared.
import { strict as assert } from 'assert';
import { EmulatorCpu } from './native/emulatorCpu';
import { assembleEach } from './native/nativeCpu';
import { AF, CF, PF, Rng, SF, ZF, OF, WINDOW_SIZE, type VectorInput } from './native/instructionCases';
import { hasTool, makeTempDir } from './native/toolchain';
import { flagText } from './native/compareCpu';

interface BcdResult { ax: number; flags: number; defined: number }
type Oracle = (ax: number, flags: number, imm: number) => BcdResult | 'DE';

const parity = (b: number): number => {
  let x = b & 0xff;
  x ^= x >> 4; x ^= x >> 2; x ^= x >> 1;
  return (x & 1) === 0 ? PF : 0;
};
const szp = (al: number): number => ((al & 0x80) ? SF : 0) | ((al & 0xff) === 0 ? ZF : 0) | parity(al);

/** SDM Vol. 2A DAA — Decimal Adjust AL after Addition. OF undefined. */
const daa: Oracle = (ax, flags) => {
  const oldAl = ax & 0xff;
  const oldCf = (flags & CF) !== 0;
  let al = oldAl;
  let f = 0;
  if ((al & 0x0f) > 9 || (flags & AF)) { al = (al + 6) & 0xff; f |= AF; }
  if (oldAl > 0x99 || oldCf) { al = (al + 0x60) & 0xff; f |= CF; }
  return { ax: (ax & 0xff00) | al, flags: f | szp(al), defined: CF | AF | SF | ZF | PF };
};

/** SDM Vol. 2A DAS — Decimal Adjust AL after Subtraction. OF undefined. */
const das: Oracle = (ax, flags) => {
  const oldAl = ax & 0xff;
  const oldCf = (flags & CF) !== 0;
  let al = oldAl;
  let f = 0;
  if ((al & 0x0f) > 9 || (flags & AF)) {
    if (oldCf || al < 6) f |= CF;
    al = (al - 6) & 0xff;
    f |= AF;
  }
  if (oldAl > 0x99 || oldCf) { al = (al - 0x60) & 0xff; f |= CF; }
  return { ax: (ax & 0xff00) | al, flags: f | szp(al), defined: CF | AF | SF | ZF | PF };
};

/** SDM Vol. 2A AAA — ASCII Adjust After Addition. OF, SF, ZF, PF undefined. */
const aaa: Oracle = (ax, flags) => {
  let r = ax;
  let f = 0;
  if ((ax & 0x0f) > 9 || (flags & AF)) { r = (ax + 0x106) & 0xffff; f = AF | CF; }
  return { ax: r & 0xff0f, flags: f, defined: AF | CF };
};

/** SDM Vol. 2A AAS — ASCII Adjust AL After Subtraction. OF, SF, ZF, PF undefined. */
const aas: Oracle = (ax, flags) => {
  let r = ax;
  let f = 0;
  if ((ax & 0x0f) > 9 || (flags & AF)) {
    r = (ax - 6) & 0xffff;
    r = (r - 0x100) & 0xffff;
    f = AF | CF;
  }
  return { ax: r & 0xff0f, flags: f, defined: AF | CF };
};

/** SDM Vol. 2A AAM imm8 — #DE when imm8 is 0. OF, AF, CF undefined. */
const aam: Oracle = (ax, _flags, imm) => {
  if (imm === 0) return 'DE';
  const al = ax & 0xff;
  const r = ((Math.floor(al / imm) & 0xff) << 8) | (al % imm);
  return { ax: r, flags: szp(r & 0xff), defined: SF | ZF | PF };
};

/** SDM Vol. 2A AAD imm8. OF, AF, CF undefined. */
const aad: Oracle = (ax, _flags, imm) => {
  const al = ((ax & 0xff) + ((ax >> 8) & 0xff) * imm) & 0xff;
  return { ax: al, flags: szp(al), defined: SF | ZF | PF };
};

const CASES: { text: string; oracle: Oracle; imm: number }[] = [
  { text: 'daa', oracle: daa, imm: 0 }, { text: 'das', oracle: das, imm: 0 },
  { text: 'aaa', oracle: aaa, imm: 0 }, { text: 'aas', oracle: aas, imm: 0 },
  ...[10, 16, 7, 255, 0].map((imm) => ({ text: `aam ${imm}`, oracle: aam, imm })),
  ...[10, 16, 7, 255, 0].map((imm) => ({ text: `aad ${imm}`, oracle: aad, imm })),
];

describe('BCD instructions in 32-bit mode vs the SDM pseudocode (exhaustive AL × AF × CF)', function () {
  this.timeout(120000);
  let bytes: Uint8Array[] = [];
  let cleanup = (): void => undefined;
  let emu: EmulatorCpu | undefined;

  before(function () {
    if (!hasTool('nasm')) this.skip();
    const t = makeTempDir('bcd');
    cleanup = t.cleanup;
    bytes = assembleEach(t.dir, CASES.map((c) => c.text), 32, 'bcd32');
    emu = new EmulatorCpu(32);
  });
  after(() => cleanup());

  it('the oracles reproduce the SDM examples (DAA after 79h+35h, DAS after 35h-47h, AAM/AAD)', () => {
    const r1 = daa(0xae, 0, 0);
    assert.ok(r1 !== 'DE' && (r1.ax & 0xff) === 0x14 && (r1.flags & CF) !== 0);
    const r2 = das(0xee, CF, 0);
    assert.ok(r2 !== 'DE' && (r2.ax & 0xff) === 0x88 && (r2.flags & CF) !== 0);
    assert.deepEqual(aam(0x3f, 0, 10), { ax: 0x0603, flags: parity(3), defined: SF | ZF | PF });
    const r3 = aad(0x0603, 0, 10);
    assert.ok(r3 !== 'DE' && r3.ax === 0x3f);
  });

  CASES.forEach((c, index) => {
    it(`${c.text}: emulator matches the SDM for all 1024 AL/AF/CF inputs`, function () {
      if (!emu) this.skip();
      const rng = new Rng(0xbcd + index);
      const bad: string[] = [];
      let compared = 0;
      for (let al = 0; al < 256; al++) {
        for (const fl of [0, AF, CF, AF | CF]) {
          const ah = rng.below(256);
          const eax = ((rng.u32() & 0xffff0000) | (ah << 8) | al) >>> 0;
          const inFlags = fl | (rng.u32() & (SF | ZF | PF | OF));
          const regs = [BigInt(eax), 0x11n, 0x22n, 0x33n, 0x20000ff0n, 0x55n, 0x66n, 0x77n, 0n, 0n, 0n, 0n, 0n, 0n, 0n, 0n];
          const input: VectorInput = { regs, flags: inFlags, window: new Uint8Array(WINDOW_SIZE) };
          const want = c.oracle(eax & 0xffff, inFlags, c.imm);
          const got = emu.run(bytes[index], input);
          compared++;
          const tag = `AX=${(eax & 0xffff).toString(16)} in ${flagText(inFlags)}`;
          if (want === 'DE') {
            if (got.kind !== 'fault' || got.vector !== 0) bad.push(`${tag}: expected #DE, got ${got.kind}`);
            continue;
          }
          if (got.kind !== 'completed') { bad.push(`${tag}: ${got.kind === 'fault' ? `vector ${got.vector}` : got.message}`); continue; }
          const gotEax = Number(got.regs[0] & 0xffffffffn);
          if (gotEax !== (((eax & 0xffff0000) | want.ax) >>> 0)) bad.push(`${tag}: AX SDM ${want.ax.toString(16)}, emulator ${(gotEax & 0xffff).toString(16)}`);
          if ((got.flags & want.defined) !== want.flags) bad.push(`${tag}: flags SDM ${flagText(want.flags)}, emulator ${flagText(got.flags & want.defined)}`);
          for (let i = 1; i < 8; i++) if (got.regs[i] !== regs[i]) bad.push(`${tag}: register ${i} changed`);
        }
      }
      assert.equal(compared, 1024);
      assert.deepEqual(bad.slice(0, 10), [], `${bad.length} of ${compared} differ`);
    });
  });
});
