// Unit tests of the Debug scope's field rows (src/adapter/variables.ts dr7Fields/dr6Fields), which
// decode through the debug unit's decodeDr7/decodeDr6: values from SDM Vol. 3 §17.2.3–17.2.4.
import { strict as assert } from 'assert';
import { dr6Fields, dr7Fields } from '../../src/adapter/variables';

function asMap(rows: { name: string; value: string }[]): Record<string, string> {
  return Object.fromEntries(rows.map((r) => [r.name, r.value]));
}

describe('adapter Debug scope fields', () => {
  it('DR7 0x000D0401: L0, R/W0 = 01 (write), LEN0 = 11 (4 bytes), bit 10 only reserved', () => {
    const f = asMap(dr7Fields(0x000d0401));
    assert.equal(f.L0, '1');
    assert.equal(f.G0, '0');
    assert.equal(f['R/W0'], '01 (write)');
    assert.equal(f['LEN0'], '11 (4 bytes)');
    assert.equal(f.L1, '0');
    assert.equal(f['R/W1'], '00 (execute)');
    assert.equal(f.LE, '0');
    assert.equal(f.GD, '0');
  });
  it('DR7 G3 + GD + GE, slot 3 read/write 8 bytes (LEN 10)', () => {
    const f = asMap(dr7Fields((1 << 7) | (1 << 13) | (1 << 9) | (0b1011 << 28)));
    assert.deepEqual([f.G3, f.L3, f.GD, f.GE, f['R/W3'], f['LEN3']], ['1', '0', '1', '1', '11 (read/write)', '10 (8 bytes)']);
  });
  it('DR6: B0–B3, BD, BS, BT', () => {
    assert.deepEqual(asMap(dr6Fields(0xffff4ff5)), { B0: '1', B1: '0', B2: '1', B3: '0', BD: '0', BS: '1', BT: '0' });
    assert.deepEqual(asMap(dr6Fields(0xffffaff0)), { B0: '0', B1: '0', B2: '0', B3: '0', BD: '1', BS: '0', BT: '1' });
  });
});
