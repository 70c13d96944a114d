// The TSS I/O permission bitmap (SDM Vol. 1 §19.5.2) as ioPermitted sees it: CPL <= IOPL passes,
// otherwise each port bit of the access must be clear, a bit pattern straddling a byte boundary is
// checked across both bytes, and bytes beyond the TSS limit deny.
import { strict as assert } from 'assert';
import { Machine } from '../../../src/emu/machine';
import { ioPermitted } from '../../../src/emu/protected/ioPermission';

/** A machine at CPL 3 (IOPL 0) with a 32-bit TSS at 0x3000 whose bitmap at offset 0x68 allows ports 0x60-0x67 except 0x62, and 0x3f8-0x3ff. */
function machine(tssLimit: number): Machine {
  const m = new Machine();
  m.start('protected32', 3);
  m.map(0, 0x10000, 7);
  const gdt = 0x2000;
  m.gdtrBase = gdt;
  m.gdtrLimit = 0x2f;
  // TSS descriptor at 0x28: base 0x3000, limit tssLimit, type 11 (busy), present.
  const d = new Uint8Array([tssLimit & 0xff, (tssLimit >> 8) & 0xff, 0x00, 0x30, 0x00, 0x8b, (tssLimit >> 16) & 0xf, 0]);
  m.writeMemory(gdt + 0x28, d);
  m.writeMemory(0x3000 + 0x66, new Uint8Array([0x68, 0x00]));
  const bitmap = new Uint8Array(0x2000 + 1).fill(0xff);
  bitmap[0x60 >> 3] = 0x04;
  bitmap[0x3f8 >> 3] = 0x00;
  m.writeMemory(0x3000 + 0x68, bitmap);
  m.trSel = 0x28;
  return m;
}

describe('I/O permission bitmap', () => {
  const m = machine(0x68 + 0x2000);
  it('ports with a clear bit are allowed, set bits deny', () => {
    assert.equal(ioPermitted(m, 0x60, 1), true);
    assert.equal(ioPermitted(m, 0x61, 1), true);
    assert.equal(ioPermitted(m, 0x62, 1), false);
    assert.equal(ioPermitted(m, 0x70, 1), false);
  });
  it('every byte of a wider access is checked, also across a bitmap byte boundary', () => {
    assert.equal(ioPermitted(m, 0x60, 2), true);
    assert.equal(ioPermitted(m, 0x61, 2), false, '0x62 is denied');
    assert.equal(ioPermitted(m, 0x3fc, 4), true);
    assert.equal(ioPermitted(m, 0x3fe, 4), false, '0x400-0x401 are in the next byte, which denies');
    assert.equal(ioPermitted(m, 0x66, 4), false, '0x68-0x69 are denied');
  });
  it('CPL <= IOPL allows every port without the bitmap', () => {
    const m0 = machine(0x68 + 0x2000);
    m0.setRflags(m0.getRflags() | 0x3000);
    assert.equal(ioPermitted(m0, 0x70, 1), true);
  });
  it('bitmap bytes beyond the TSS limit deny', () => {
    const short = machine(0x68 + (0x60 >> 3));
    assert.equal(ioPermitted(short, 0x60, 1), false, 'the second byte read is past the limit');
    assert.equal(ioPermitted(machine(0x68 + (0x60 >> 3) + 1), 0x60, 1), true);
  });
  it('no TSS loaded denies', () => {
    const n = new Machine();
    n.start('protected32', 3);
    assert.equal(ioPermitted(n, 0x60, 1), false);
  });
});
