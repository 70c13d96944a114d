// installFlatGdt: a loader-started machine (hidden segment parts without a table) gets a GDT whose
// entries decode back to exactly those hidden parts, so guest segment reloads at CPL 3 work; and
// encodeDescriptor round-trips through the descriptor decoder (SDM Vol. 3 Figure 3-8).
import { strict as assert } from 'assert';
import { Machine } from '../../../src/emu/machine';
import { installFlatGdt, encodeDescriptor } from '../../../src/emu/protected/flatGdt';
import { readDescriptor } from '../../../src/emu/protected/descriptors';
import { asm } from './helpers';

describe('installFlatGdt', () => {
  for (const mode of ['protected32', 'long64'] as const) {
    for (const cpl of [0, 3] as const) {
      it(`${mode} at CPL ${cpl}: every loaded selector decodes to its hidden part`, () => {
        const m = new Machine();
        m.start(mode, cpl);
        m.map(0x10000, 0x1000, 7);
        assert.ok(installFlatGdt(m, 0x10000));
        for (let s = 0; s < 6; s++) {
          const sel = m.segSel[s];
          if ((sel & 0xfffc) === 0) continue;
          const d = readDescriptor(m, sel, 13);
          assert.equal(d.base, m.segBase[s]);
          assert.equal(d.limit, m.segLimit[s]);
          assert.equal(d.attributes & ~1, m.segAttr[s] & ~1, `segment ${s}`);
        }
      });
    }
  }

  it('a 32-bit CPL-3 guest can reload DS/ES/FS and far-return to its own CS', () => {
    const code = asm(32, 'mov ax, ds\nmov es, ax\npush ds\npop fs\npush cs\npush dword next\nretf\nnext:\nmov ebx, 7\nud2', 0x401000);
    const m = new Machine();
    m.start('protected32', 3);
    m.map(0x401000, 0x1000, 7);
    m.map(0x10000, 0x1000, 7);
    m.map(0x7f0000, 0x10000, 3);
    m.writeMemory(0x401000, code);
    m.rip = 0x401000;
    m.regs[4] = 0x800000;
    assert.ok(installFlatGdt(m, 0x10000));
    const exit = m.run(100);
    assert.equal(exit.reason === 'fault' && exit.vector, 6, JSON.stringify(exit));
    assert.equal(m.regs[3], 7);
    assert.equal(m.segSel[0], m.segSel[3]);
    assert.equal(m.segLimit[4], 0xffffffff);
  });

  it('encodeDescriptor: byte-granular and page-granular limits', () => {
    assert.deepEqual([...encodeDescriptor(0x12345678, 0xfff, 0x4093)], [0xff, 0x0f, 0x78, 0x56, 0x34, 0x93, 0x40, 0x12]);
    assert.deepEqual([...encodeDescriptor(0, 0xffffffff, 0xc09b)], [0xff, 0xff, 0, 0, 0, 0x9b, 0xcf, 0]);
  });
});
