// Environment and mode inference for `x86dbg run` and the adapter (issue 3): what the loaders and the
// assembler inferred wins, the entry point decides for unlabelled images, explicit choices override,
// and impossible combinations are refused with a reason instead of starting a wrong machine.
import { strict as assert } from 'assert';
import type { Bits, Environment, Program } from '../../../../src/asm/program';
import { inferLaunch } from '../../../../src/emu/env/inferLaunch';
import { loadComFile, loadBootImage, loadFlatBinary } from '../../../../src/asm/binaryLoaders';
import { loadProgram } from '../../../../src/emu/env/loadProgram';
import { BufferConsole } from '../../../../src/emu/console';

function program(bits: Bits, entry: number, environment?: Environment): Program {
  return { bits, entry, environment, segments: [], symbols: [], lineMap: [] };
}

describe('inferLaunch', () => {
  it('takes the environment and class the loader or assembler inferred', () => {
    assert.deepEqual(inferLaunch(program(64, 0x401000, 'linux')), { ok: true, environment: 'linux', bits: 64 });
    assert.deepEqual(inferLaunch(program(32, 0x8049000, 'linux')), { ok: true, environment: 'linux', bits: 32 });
    const com = loadComFile(Uint8Array.of(0xc3));
    assert.ok(com.ok);
    assert.deepEqual(inferLaunch(com.program), { ok: true, environment: 'dos', bits: 16 });
    const img = new Uint8Array(512);
    img[510] = 0x55;
    img[511] = 0xaa;
    const boot = loadBootImage(img);
    assert.ok(boot.ok);
    assert.deepEqual(inferLaunch(boot.program), { ok: true, environment: 'boot', bits: 16 });
    assert.deepEqual(inferLaunch(loadFlatBinary(Uint8Array.of(0xf4))), { ok: true, environment: 'bare', bits: 16 });
  });
  it('falls back to the entry point when nothing was inferred', () => {
    assert.equal((inferLaunch(program(16, 0x100)) as { environment: string }).environment, 'dos');
    assert.equal((inferLaunch(program(16, 0x7c00)) as { environment: string }).environment, 'boot');
    assert.equal((inferLaunch(program(64, 0x401000)) as { environment: string }).environment, 'linux');
  });
  it('lets explicit --env/--bits override, and refuses impossible combinations', () => {
    assert.deepEqual(inferLaunch(program(64, 0x401000, 'linux'), undefined, 32), { ok: true, environment: 'linux', bits: 32 });
    assert.deepEqual(inferLaunch(program(16, 0, 'bare'), 'linux', 64), { ok: true, environment: 'linux', bits: 64 });
    assert.equal(inferLaunch(program(16, 0x100, 'dos'), 'linux').ok, false);
    assert.equal(inferLaunch(program(16, 0x100, 'dos'), 'dos', 32).ok, false);
    assert.equal(inferLaunch(program(16, 0x7c00, 'boot'), 'boot', 64).ok, false);
  });
});

describe('loadProgram bounds', () => {
  it('refuses a .COM whose bytes do not fit its segment and a boot image below 7C00h, with messages', () => {
    const con = new BufferConsole();
    const big: Program = { bits: 16, entry: 0x100, environment: 'dos', symbols: [], lineMap: [], segments: [{ name: 'com', address: 0x100, bytes: new Uint8Array(0x10000), memSize: 0x10000, permissions: { read: true, write: true, execute: true } }] };
    const r1 = loadProgram(big, { console: con });
    assert.equal(r1.ok, false);
    const low: Program = { bits: 16, entry: 0x7c00, environment: 'boot', symbols: [], lineMap: [], segments: [{ name: 'image', address: 0x7000, bytes: new Uint8Array(16), memSize: 16, permissions: { read: true, write: true, execute: true } }] };
    const r2 = loadProgram(low, { console: con });
    assert.equal(r2.ok, false);
  });
  it('bounds guest memory: a linux image larger than the memory limit is refused', () => {
    const huge: Program = { bits: 64, entry: 0x401000, environment: 'linux', symbols: [], lineMap: [], segments: [{ name: '.bss', address: 0x401000, bytes: new Uint8Array(0), memSize: 64 * 1024 * 1024, permissions: { read: true, write: true, execute: false } }] };
    const r = loadProgram(huge, { console: new BufferConsole(), memoryLimit: 16 * 1024 * 1024 });
    assert.equal(r.ok, false);
    if (!r.ok) assert.match(r.message, /limit/);
  });
  it('reports the load base: DOS programs sit at 1000:0100 (linear = address + 0x10000)', () => {
    const com = loadComFile(Uint8Array.of(0xcd, 0x20));
    assert.ok(com.ok);
    const r = loadProgram(com.program, { console: new BufferConsole() });
    assert.ok(r.ok);
    if (r.ok) {
      assert.equal(r.loadBase, 0x10000);
      assert.equal(r.machine.pc(), 0x10100);
      assert.deepEqual(r.machine.run(10), { reason: 'exited', code: 0 });
    }
  });
});
