// DR6/DR7 field encode/decode and write masks against the SDM layout (x86-debug-registers.md §2, §3)
// and the public cases that are pure register arithmetic.
import { strict as assert } from 'assert';
import {
  DR6_RESET,
  DR7_RESET,
  clearSlot,
  decodeDr6,
  decodeDr7,
  dr6AfterDebugException,
  dr6AfterWrite,
  dr7AfterWrite,
  encodeSlot,
  slotKind,
  slotLength,
  slotStart,
} from '../../../../src/emu/debug/registers';

describe('debug registers: DR6/DR7 fields', () => {
  it('case 1: reset values are DR6 = FFFF0FF0h, DR7 = 400h', () => {
    assert.equal(DR6_RESET, 0xffff0ff0);
    assert.equal(DR7_RESET, 0x400);
  });

  it('case 2: writing 0 to DR6 reads back the fixed ones', () => {
    assert.equal(dr6AfterWrite(0), 0xffff0ff0);
    assert.equal(dr6AfterWrite(0xffffffff), 0xffffefff, 'bit 12 reads 0, B0-3/BD/BS/BT kept');
  });

  it('case 4: DR7 write masks (bits 12,14,15 read 0, bit 10 reads 1, bit 11 kept)', () => {
    assert.equal(dr7AfterWrite(0), 0x400);
    assert.equal(dr7AfterWrite(0xffffdfff), 0xffff0fff);
  });

  it('DR6 on #DB: B0-B3 replaced, BD/BS/BT sticky (case 70 arithmetic)', () => {
    assert.equal(dr6AfterDebugException(0xffff4ff2, 0x4), 0xffff4ff4);
    assert.equal(dr6AfterDebugException(0xffff0ff0, 0x2000), 0xffff2ff0);
    assert.equal(dr6AfterDebugException(0xffff8ff3, 0x4000), 0xffffcff0);
  });

  it('encodes the DR7 values the cases use', () => {
    assert.equal(encodeSlot(0, 0, 'exec', 1), 0x401);
    assert.equal(encodeSlot(0, 0, 'write', 1), 0x00010401);
    assert.equal(encodeSlot(0, 0, 'write', 2), 0x00050401);
    assert.equal(encodeSlot(0, 0, 'write', 4), 0x000d0401);
    assert.equal(encodeSlot(0, 0, 'write', 8), 0x00090401);
    assert.equal(encodeSlot(0, 0, 'readwrite', 1), 0x00030401);
    assert.equal(encodeSlot(0, 0, 'readwrite', 2), 0x00070401);
    assert.equal(encodeSlot(0, 0, 'readwrite', 4), 0x000f0401);
    assert.equal(encodeSlot(0, 0, 'readwrite', 8), 0x000b0401);
    assert.equal(encodeSlot(0, 0, 'io', 1), 0x00020401);
    assert.equal(encodeSlot(0, 0, 'io', 4), 0x000e0401);
    assert.equal(encodeSlot(0, 1, 'readwrite', 4, 'global'), 0x00f00408);
    assert.equal(clearSlot(0x00f0040a, 1), 0x402);
  });

  it('decodes the SDM Table 16-1 DR7 (case 50) field by field', () => {
    const d = decodeDr7(0xd7130455);
    assert.deepEqual(
      d.slots.map((s) => [s.enabled, s.kind, s.length]),
      [
        [true, 'readwrite', 1],
        [true, 'write', 1],
        [true, 'readwrite', 2],
        [true, 'write', 4],
      ],
    );
    assert.equal(d.le, false);
    assert.equal(d.ge, false);
    assert.equal(d.gd, false);
    assert.deepEqual(decodeDr6(0xffff4ff5), { hits: [0, 2], bd: false, bs: true, bt: false });
  });

  it('LEN 10 means 8 bytes; exec slots count as 1 byte whatever LEN says (case 33 REC)', () => {
    assert.equal(slotLength(0x00090401, 0), 8);
    assert.equal(slotKind(0x000c0401, 0), 'exec');
    assert.equal(slotLength(0x000c0401, 0), 1);
  });

  it('unaligned slot addresses are masked down to LEN (case 40 REC)', () => {
    assert.equal(slotStart(0x601003, 4), 0x601000);
    assert.equal(slotStart(0x601007, 8), 0x601000);
    assert.equal(slotStart(0x601007, 1), 0x601007);
  });
});
