// Unit tests of the ELF writer/reader pair and the DWARF line reader on hand-built input:
// round trips of segments, bss, permissions and symbol kinds; a line program assembled by hand
// from the DWARF 4 rules (§6.2.5) decoded to the rows the spec gives; and malformed input (every
// truncation, random mutations) never throwing.
import { strict as assert } from 'assert';
import { writeElf } from '../../../../src/asm/elfWriter';
import { loadElf } from '../../../../src/asm/elfReader';
import { loadBinary } from '../../../../src/asm/loadBinary';
import { joinPath, lineMapFromTables, readLineTable } from '../../../../src/asm/dwarfLines';
import type { Program } from '../../../../src/asm/program';

function sample(bits: 32 | 64): Program {
  return {
    bits,
    entry: 0x401000,
    environment: 'linux',
    segments: [
      { name: '.text', address: 0x401000, bytes: Uint8Array.from([0xb8, 0x3c, 0, 0, 0, 0x0f, 0x05]), memSize: 7, permissions: { read: true, write: false, execute: true } },
      { name: '.data', address: 0x402000, bytes: Uint8Array.from([1, 2, 3, 4]), memSize: 4, permissions: { read: true, write: true, execute: false } },
      { name: '.bss', address: 0x403000, bytes: new Uint8Array(0), memSize: 64, permissions: { read: true, write: true, execute: false } },
    ],
    symbols: [
      { name: '_start', address: 0x401000, kind: 'code', size: 0, elementSize: 0, global: true },
      { name: 'fn', address: 0x401005, kind: 'code', size: 2, elementSize: 0 },
      { name: 'table', address: 0x402000, kind: 'data', size: 4, elementSize: 1 },
      { name: 'buf', address: 0x403000, kind: 'data', size: 64, elementSize: 1, global: true },
      { name: 'LIMIT', address: 99, kind: 'constant', size: 0, elementSize: 0 },
    ],
    lineMap: [],
  };
}

describe('ELF writer → reader round trip', () => {
  for (const bits of [32, 64] as const) {
    it(`ELF${bits}: segments, bss, permissions, entry and symbol kinds survive`, () => {
      const w = writeElf(sample(bits));
      if (!w.ok) assert.fail(w.message);
      const r = loadElf(w.bytes, 'out');
      if (!r.ok) assert.fail(r.message);
      const p = r.program;
      assert.equal(p.bits, bits);
      assert.equal(p.entry, 0x401000);
      assert.deepEqual(p.segments.map((s) => [s.name, s.address, s.bytes.length, s.memSize, s.permissions.write, s.permissions.execute]), [
        ['.text', 0x401000, 7, 7, false, true], ['.data', 0x402000, 4, 4, true, false], ['.bss', 0x403000, 0, 64, true, false]]);
      assert.deepEqual([...p.segments[1].bytes], [1, 2, 3, 4]);
      const sym = new Map(p.symbols.map((s) => [s.name, s]));
      assert.deepEqual([...sym.keys()].sort(), ['LIMIT', '_start', 'buf', 'fn', 'table']);
      assert.equal(sym.get('_start')?.kind, 'code');
      assert.equal(sym.get('_start')?.global, true);
      assert.equal(sym.get('fn')?.kind, 'code');
      assert.equal(sym.get('fn')?.size, 2);
      assert.equal(sym.get('table')?.kind, 'data');
      assert.equal(sym.get('buf')?.section, '.bss');
      assert.equal(sym.get('LIMIT')?.kind, 'constant');
      assert.equal(sym.get('LIMIT')?.address, 99);
      assert.equal(new DataView(w.bytes.buffer).getUint16(18, true), bits === 64 ? 62 : 3, 'e_machine');
    });
  }

  it('file offsets are congruent to addresses modulo 4 KiB (what the Linux loader requires)', () => {
    const w = writeElf(sample(64));
    if (!w.ok) assert.fail(w.message);
    const v = new DataView(w.bytes.buffer);
    const phoff = Number(v.getBigUint64(32, true));
    for (let i = 0; i < v.getUint16(56, true); i++) {
      const off = Number(v.getBigUint64(phoff + i * 56 + 8, true));
      const vaddr = Number(v.getBigUint64(phoff + i * 56 + 16, true));
      assert.equal(off % 4096, vaddr % 4096);
    }
  });

  it('refuses 16-bit programs, overlapping segments and addresses beyond 32 bits in ELF32', () => {
    const p16 = { ...sample(32), bits: 16 as const };
    const r16 = writeElf(p16);
    assert.ok(!r16.ok && /16-bit/.test(r16.message));
    const overlap = sample(64);
    overlap.segments[1].address = 0x401004;
    const ro = writeElf(overlap);
    assert.ok(!ro.ok && /overlap/.test(ro.message));
    const high = sample(64);
    high.segments[2].address = 0x1_0000_0000;
    const rh = writeElf(high, { elfClass: 32 });
    assert.ok(!rh.ok && /32-bit address space/.test(rh.message));
  });
});

describe('ELF writer DWARF line info', () => {
  for (const bits of [32, 64] as const) {
    it(`ELF${bits}: the instruction line map reads back equal (two files, a gap, data lines left out)`, () => {
      const p = sample(bits);
      p.lineMap = [
        { address: 0x401000, length: 5, location: { file: '/src/prog.asm', line: 4 }, isInstruction: true },
        { address: 0x401005, length: 2, location: { file: '/src/inc/macros.inc', line: 120 }, isInstruction: true },
        { address: 0x402000, length: 4, location: { file: '/src/prog.asm', line: 9 }, isInstruction: false },
        { address: 0x401010, length: 3, location: { file: '/src/prog.asm', line: 2 }, isInstruction: true },
      ];
      const w = writeElf(p);
      if (!w.ok) assert.fail(w.message);
      const r = loadElf(w.bytes);
      if (!r.ok) assert.fail(r.message);
      assert.deepEqual(r.warnings, []);
      assert.deepEqual(r.program.lineMap.map((e) => [e.address, e.length, e.location.file, e.location.line]), [
        [0x401000, 5, '/src/prog.asm', 4], [0x401005, 2, '/src/inc/macros.inc', 120], [0x401010, 3, '/src/prog.asm', 2]]);
      const plain = writeElf(p, { debugInfo: false });
      assert.ok(plain.ok && plain.bytes.length < w.bytes.length);
    });
  }
});

describe('ELF loader on malformed input never throws', () => {
  it('every truncation of a valid ELF64 and ELF32 gives ok or a message', () => {
    for (const bits of [32, 64] as const) {
      const w = writeElf(sample(bits));
      if (!w.ok) assert.fail(w.message);
      for (let n = 0; n < w.bytes.length; n++) {
        const r = loadBinary(w.bytes.subarray(0, n), 'cut', { format: 'elf' });
        if (!r.ok) assert.equal(typeof r.message, 'string');
      }
    }
  });

  it('5000 random mutations of a valid ELF give ok or a message', () => {
    const w = writeElf(sample(64));
    if (!w.ok) assert.fail(w.message);
    let seed = 12345;
    const rand = (n: number): number => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return seed % n;
    };
    let failures = 0;
    for (let i = 0; i < 5000; i++) {
      const b = w.bytes.slice();
      for (let k = 0; k < 1 + rand(4); k++) b[rand(Math.min(b.length, k === 0 ? 256 : b.length))] = rand(256);
      const r = loadBinary(b, 'mutant');
      if (!r.ok) failures++;
    }
    assert.ok(failures > 0, 'some mutants must be rejected');
  });

  it('names what is wrong: not x86, relocatable, dynamically linked', () => {
    const w = writeElf(sample(64));
    if (!w.ok) assert.fail(w.message);
    const arm = w.bytes.slice();
    arm[18] = 40;
    const ra = loadElf(arm);
    assert.ok(!ra.ok && /not x86/.test(ra.message));
    const rel = w.bytes.slice();
    rel[16] = 1;
    const rr = loadElf(rel);
    assert.ok(!rr.ok && /relocatable/.test(rr.message));
    const dyn = w.bytes.slice();
    dyn[64] = 3;
    const rd = loadElf(dyn);
    assert.ok(!rd.ok && /dynamically linked/.test(rd.message));
  });
});

/** A DWARF 4 .debug_line table built byte by byte (DWARF 4 §6.2.4/§6.2.5). */
function handMadeLineTable(): Uint8Array {
  const enc = (s: string): number[] => [...new TextEncoder().encode(s), 0];
  const header = [
    1, 1, 1, 0xfb /* line_base -5 */, 14, 13, 0, 1, 1, 1, 1, 0, 0, 0, 1, 0, 0, 1,
    ...enc('src'), 0,
    ...enc('a.asm'), 1, 0, 0, ...enc('/abs/b.inc'), 0, 0, 0, 0,
  ];
  // min_inst_length 1, max_ops 1, default_is_stmt 1 — the first three bytes above.
  const program = [
    0, 9, 2, 0x00, 0x10, 0x40, 0, 0, 0, 0, 0, // DW_LNE_set_address 0x401000
    20, // special: address +0, line +2 → row (0x401000, line 3)
    89, // special: address +5, line +1 → row (0x401005, line 4)
    2, 2, 1, // advance_pc 2; copy → row (0x401007, line 4)
    3, 0x7f, 4, 2, 1, // advance_line -1; set_file 2; copy → row (0x401007, line 3, b.inc)
    2, 3, 0, 1, 1, // advance_pc 3; end_sequence at 0x40100a
  ];
  const afterLength = [4, 0, ...u32(header.length), ...header, ...program];
  return Uint8Array.from([...u32(afterLength.length), ...afterLength]);
}

function u32(n: number): number[] {
  return [n & 255, (n >> 8) & 255, (n >> 16) & 255, (n >>> 24) & 255];
}

describe('DWARF .debug_line reader', () => {
  it('decodes a hand-made DWARF 4 line program to the rows the spec gives', () => {
    const t = readLineTable({ line: handMadeLineTable() }, 0, { stmtList: 0, compDir: '/home/u' });
    assert.equal(t.version, 4);
    assert.deepEqual(t.rows.map((r) => [r.address, r.line, r.file, r.endSequence]), [
      [0x401000, 3, '/home/u/src/a.asm', false],
      [0x401005, 4, '/home/u/src/a.asm', false],
      [0x401007, 4, '/home/u/src/a.asm', false],
      [0x401007, 3, '/abs/b.inc', false],
      [0x40100a, 3, '/abs/b.inc', true],
    ]);
    assert.deepEqual(lineMapFromTables([t]).map((e) => [e.address, e.length, e.location.file, e.location.line]), [
      [0x401000, 5, '/home/u/src/a.asm', 3],
      [0x401005, 2, '/home/u/src/a.asm', 4],
      [0x401007, 3, '/abs/b.inc', 3],
    ]);
  });

  it('refuses a version outside 2..5 and a truncated table with FormatError (caught by the loader)', () => {
    const t = handMadeLineTable();
    t[4] = 6;
    assert.throws(() => readLineTable({ line: t }, 0), /version 6/);
    assert.throws(() => readLineTable({ line: handMadeLineTable().subarray(0, 20) }, 0), /runs past|truncated/);
  });

  it('joins paths the way DWARF consumers do', () => {
    assert.equal(joinPath('/a/b', 'c.c'), '/a/b/c.c');
    assert.equal(joinPath('/a/b/', './c.c'), '/a/b/c.c');
    assert.equal(joinPath('/a/b', '../c.c'), '/a/c.c');
    assert.equal(joinPath('/a/b', '/x/c.c'), '/x/c.c');
    assert.equal(joinPath(undefined, 'c.c'), 'c.c');
  });
});
