// The Debug Registers tree model: DR7/DR6 decoded per SDM Vol. 3 §17.2.3–17.2.4 field layout
// (L0 bit 0, G0 bit 1, R/W0 bits 16–17, LEN0 bits 18–19, ...; B0–B3 bits 0–3, BD 13, BS 14, BT 15),
// the slot that fired lit, and the guest layer shown beside the debugger's.
import { strict as assert } from 'assert';
import type { DebugRegistersBody } from '../../../src/adapter/protocol';
import { buildRegisterTree, dr6Fields, dr7Fields, fieldBits, hex, type FieldNode, type InfoNode, type RegisterNode } from '../../../src/vscode/registerNodes';

const vacant = (index: 0 | 1 | 2 | 3) => ({ index, kind: 'vacant' as const, rw: 0, len: 1, address: 0, breakpointId: null, breakpointIds: [], label: '' });

/** DR0: exec breakpoint at 0x401000 (L0); DR1: 4-byte write watchpoint on counter at 0x402010 (L1). */
const body: DebugRegistersBody = {
  debugger: {
    dr: [0x401000, 0x402010, 0, 0],
    dr6: 0xffff0ff0,
    dr7: 0x00d00405,
    slots: [
      { index: 0, kind: 'exec', rw: 0, len: 1, address: 0x401000, breakpointId: 1, breakpointIds: [1], label: 'hello.asm:11' },
      { index: 1, kind: 'write', rw: 1, len: 4, address: 0x402010, breakpointId: 2, breakpointIds: [2, 3], label: 'counter (write, 4 bytes)' },
      vacant(2),
      vacant(3),
    ],
  },
  guest: { dr: [0x1000, 0, 0, 0], dr6: 0xffff0ff1, dr7: 0x00000402 },
};

function field(fields: FieldNode[], name: string): FieldNode {
  const f = fields.find((x) => x.name === name);
  assert.ok(f, `field ${name}`);
  return f;
}

describe('Debug Registers tree model (registerNodes)', () => {
  it('decodes DR7 fields at the SDM bit positions', () => {
    const fields = dr7Fields(0x00d00405, []);
    assert.deepEqual([field(fields, 'L0').value, field(fields, 'G0').value, field(fields, 'L1').value], [1, 0, 1]);
    assert.deepEqual([field(fields, 'R/W0').bit, field(fields, 'LEN0').bit, field(fields, 'R/W3').bit, field(fields, 'LEN3').bit], [16, 18, 28, 30]);
    assert.equal(field(fields, 'R/W1').value, 1);
    assert.equal(field(fields, 'R/W1').meaning, 'write');
    assert.equal(field(fields, 'LEN1').value, 3);
    assert.equal(field(fields, 'LEN1').meaning, '4 bytes');
    assert.equal(fieldBits(field(fields, 'LEN1')), '11');
    assert.equal(field(fields, 'LEN0').value, 0);
    assert.equal(field(dr7Fields(0x00002400, []), 'GD').value, 1);
    assert.equal(field(dr7Fields(0x00090401, []), 'LEN0').meaning, '8 bytes');
  });

  it('decodes DR6 status bits and lights only the set ones', () => {
    const fields = dr6Fields(0xffff4ff2, true);
    assert.equal(field(fields, 'B1').value, 1);
    assert.equal(field(fields, 'B1').lit, true);
    assert.equal(field(fields, 'B0').lit, false);
    assert.equal(field(fields, 'BS').value, 1);
    assert.equal(field(fields, 'BS').bit, 14);
    assert.equal(field(fields, 'BD').bit, 13);
    assert.equal(field(fields, 'BT').bit, 15);
    assert.equal(field(fields, 'BT').value, 0);
  });

  it('marks the slot that fired from the stop DR6 and lights its DR7 fields', () => {
    const [dbg] = buildRegisterTree(body, { dr6: 0xffff0ff2, dr7: 0x00d00405, pc: 0x401020, exception: 1 });
    const names = dbg.registers.map((r) => r.name);
    assert.deepEqual(names, ['DR0', 'DR1', 'DR2', 'DR3', 'DR7', 'DR6']);
    const [dr0, dr1, dr2] = dbg.registers;
    assert.equal(dr1.lit, true);
    assert.equal(dr0.lit, false);
    assert.match(dr1.summary, /HIT/);
    assert.equal(dr2.summary, 'vacant');
    assert.equal(dr1.hex, '0x00402010');
    const dr7 = dbg.registers[4];
    assert.equal(field(dr7.children as FieldNode[], 'R/W1').lit, true);
    assert.equal(field(dr7.children as FieldNode[], 'R/W0').lit, false);
    const dr6 = dbg.registers[5];
    assert.equal(dr6.value, 0xffff0ff2);
    assert.equal(dr6.summary, 'B1 set');
    assert.match(dbg.summary, /2 of 4 slots in use · DR1 fired/);
  });

  it('lights nothing after a step: an older hit kept in the adapter DR6 is not this stop', () => {
    const kept = { ...body, debugger: { ...body.debugger, dr6: 0xffff0ff1 } };
    const [dbg] = buildRegisterTree(kept, { dr6: 0, dr7: 0x00d00405, pc: 0x401005, exception: null });
    assert.equal(dbg.registers.some((r) => r.lit), false);
    assert.doesNotMatch(dbg.registers[0].summary, /HIT/);
    const dr6 = dbg.registers[5];
    assert.equal(dr6.value, 0xffff0ff1, 'the value is still shown');
    assert.equal((dr6.children as FieldNode[]).some((f) => f.lit), false);
    assert.doesNotMatch(dbg.summary, /fired/);
  });

  it('shows the owning breakpoints, shared slots and a reveal target', () => {
    const [dbg] = buildRegisterTree(body, undefined);
    const dr1 = dbg.registers[1];
    const owner = dr1.children.find((c): c is InfoNode => c.kind === 'info' && c.name === 'breakpoint');
    assert.ok(owner);
    assert.equal(owner.text, '#2, #3 (shared slot)');
    assert.deepEqual(owner.reveal, { slot: 1, breakpointId: 2, label: 'counter (write, 4 bytes)', address: 0x402010 });
    assert.equal(dbg.registers.some((r) => r.lit), false, 'nothing lit without a #DB stop');
  });

  it('shows the guest layer separately, never lit by the debugger stop', () => {
    const [, guest] = buildRegisterTree(body, { dr6: 0xffff0ff1, dr7: 0x00d00405, pc: 0x401000, exception: 1 });
    assert.equal(guest.id, 'guest');
    const dr0 = guest.registers[0] as RegisterNode;
    assert.equal(dr0.value, 0x1000);
    assert.match(dr0.summary, /enabled by the guest/);
    assert.equal(guest.registers.every((r) => !r.lit), true);
    assert.match(guest.summary, /last #DB: B0/);
    const [, none] = buildRegisterTree({ ...body, guest: null }, undefined);
    assert.equal(none.registers.length, 0);
  });

  it('formats addresses above 4 GiB with 16 digits', () => {
    assert.equal(hex(0x7fff_ffff_f000), '0x00007FFFFFFFF000');
    assert.equal(hex(0x7c00), '0x00007C00');
  });
});
