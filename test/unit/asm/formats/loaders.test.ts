// Unit tests of the header-less loaders, format sniffing and the flat/.COM writers: placement,
// modes, environments, and the error messages for inputs that cannot be what they claim.
import { strict as assert } from 'assert';
import { loadBinary, sniffFormat } from '../../../../src/asm/loadBinary';
import { loadBootImage, loadComFile, loadFlatBinary } from '../../../../src/asm/binaryLoaders';
import { writeComFile, writeFlatBinary } from '../../../../src/asm/binaryWriters';
import type { Program, Segment } from '../../../../src/asm/program';

function bootImage(size = 512): Uint8Array {
  const b = new Uint8Array(size);
  b[0] = 0xeb;
  b[1] = 0xfe;
  b[510] = 0x55;
  b[511] = 0xaa;
  return b;
}

function seg(name: string, address: number, bytes: number[], memSize = bytes.length): Segment {
  return { name, address, bytes: Uint8Array.from(bytes), memSize, permissions: { read: true, write: true, execute: true } };
}

function program(segments: Segment[]): Program {
  return { bits: 16, entry: segments[0]?.address ?? 0, segments, symbols: [], lineMap: [] };
}

describe('binary loaders: flat, .COM, boot image, sniffing', () => {
  it('sniffs ELF by magic, .com by name, boot by signature, else flat', () => {
    assert.equal(sniffFormat(Uint8Array.from([0x7f, 0x45, 0x4c, 0x46, 2, 1]), 'x.bin'), 'elf');
    assert.equal(sniffFormat(Uint8Array.from([0xc3]), 'HELLO.COM'), 'com');
    assert.equal(sniffFormat(bootImage(), 'disk'), 'boot');
    assert.equal(sniffFormat(bootImage(2048), 'stage2.img'), 'boot');
    assert.equal(sniffFormat(bootImage(2048), 'stage2'), 'bin', 'a multi-sector image needs a disk-image name');
    assert.equal(sniffFormat(new Uint8Array(512), 'zero.img'), 'bin', 'no 55AA, no boot');
    assert.equal(sniffFormat(Uint8Array.from([0x90, 0xc3]), 'code.bin'), 'bin');
  });

  it('a .COM program sits at 100h, 16-bit, dos', () => {
    const r = loadBinary(Uint8Array.from([0xb4, 0x4c, 0xcd, 0x21]), '/x/prog.com');
    if (!r.ok) assert.fail(r.message);
    assert.equal(r.format, 'com');
    assert.equal(r.program.environment, 'dos');
    assert.equal(r.program.bits, 16);
    assert.equal(r.program.entry, 0x100);
    assert.equal(r.program.segments[0].address, 0x100);
    assert.deepEqual([...r.program.segments[0].bytes], [0xb4, 0x4c, 0xcd, 0x21]);
    assert.equal(r.program.origin, '/x/prog.com');
  });

  it('rejects empty and oversized .COM files with a reason', () => {
    const empty = loadComFile(new Uint8Array(0));
    assert.equal(empty.ok, false);
    const big = loadComFile(new Uint8Array(0xff01));
    assert.ok(!big.ok && /at most 65280 bytes/.test(big.message));
    assert.ok(loadComFile(new Uint8Array(0xff00)).ok);
  });

  it('a boot sector sits at 7C00h, 16-bit, boot; the whole image is kept for INT 13h', () => {
    const r = loadBinary(bootImage(1024), 'two.img');
    if (!r.ok) assert.fail(r.message);
    assert.equal(r.format, 'boot');
    assert.equal(r.program.entry, 0x7c00);
    assert.equal(r.program.environment, 'boot');
    assert.equal(r.program.segments[0].address, 0x7c00);
    assert.equal(r.program.segments[0].bytes.length, 1024);
  });

  it('explains a missing boot signature and a short image', () => {
    const bad = bootImage();
    bad[511] = 0;
    const r = loadBootImage(bad);
    assert.ok(!r.ok && r.message.includes('55 AA') && r.message.includes('55 00'));
    const short = loadBinary(new Uint8Array(100), 'x', { format: 'boot' });
    assert.ok(!short.ok && /at least 512/.test(short.message));
  });

  it('flat binaries default to org 0, 16-bit, bare; hints override', () => {
    const p = loadFlatBinary(Uint8Array.from([0x90]));
    assert.deepEqual([p.bits, p.entry, p.environment, p.segments[0].address], [16, 0, 'bare', 0]);
    const r = loadBinary(Uint8Array.from([0x90]), 'x.bin', { bits: 64, org: 0x401000, environment: 'linux' });
    if (!r.ok) assert.fail(r.message);
    assert.deepEqual([r.program.bits, r.program.entry, r.program.environment], [64, 0x401000, 'linux']);
    const forced = loadBinary(Uint8Array.from([0xc3]), 'x.com', { format: 'bin' });
    assert.ok(forced.ok && forced.format === 'bin');
  });

  it('the loader copies its input (later writes to the file buffer do not change the program)', () => {
    const bytes = Uint8Array.from([1, 2, 3]);
    const p = loadFlatBinary(bytes);
    bytes[0] = 9;
    assert.equal(p.segments[0].bytes[0], 1);
  });
});

describe('flat and .COM writers', () => {
  it('lays segments out from the origin with zero-filled gaps, without bss tails', () => {
    const r = writeFlatBinary(program([seg('.data', 0x7c10, [5, 6], 8), seg('.text', 0x7c00, [1, 2, 3])]));
    if (!r.ok) assert.fail(r.message);
    assert.deepEqual([...r.bytes], [1, 2, 3, ...new Array(13).fill(0), 5, 6]);
    const withOrg = writeFlatBinary(program([seg('.text', 0x7c02, [7])]), { org: 0x7c00 });
    assert.ok(withOrg.ok && withOrg.bytes.length === 3 && withOrg.bytes[2] === 7);
  });

  it('refuses overlapping segments, segments below the origin, and huge spans', () => {
    const overlap = writeFlatBinary(program([seg('a', 0, [1, 2, 3]), seg('b', 2, [4])]));
    assert.ok(!overlap.ok && /overlap/.test(overlap.message));
    const below = writeFlatBinary(program([seg('a', 0x10, [1])]), { org: 0x20 });
    assert.ok(!below.ok && /below the origin/.test(below.message));
    const far = writeFlatBinary(program([seg('a', 0, [1]), seg('b', 0x40000000, [1])]));
    assert.ok(!far.ok && /span/.test(far.message));
  });

  it('.COM output starts at 100h and refuses code below it', () => {
    const ok = writeComFile(program([seg('.text', 0x100, [0xc3])]));
    assert.ok(ok.ok && ok.bytes.length === 1);
    const low = writeComFile(program([seg('.text', 0, [0xc3])]));
    assert.ok(!low.ok && /org 100h/.test(low.message));
    const big = writeComFile(program([seg('.text', 0x100, new Array(0xff01).fill(0))]));
    assert.ok(!big.ok && /65280/.test(big.message));
  });

  it('an empty program writes an empty file', () => {
    const r = writeFlatBinary(program([]));
    assert.ok(r.ok && r.bytes.length === 0);
  });
});
