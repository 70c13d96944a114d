// `x86dbg run` debug flags (src/cli/runDebug.ts): parsing, slot order DR0.., the four-slot limit with
// the slots in use named, label resolution, the DR7 built, and the JSON exit line of issue 5.
import { strict as assert } from 'assert';
import { buildGuestDebug, extractDebugFlags, formatDebugExit, resolveAddress } from '../../../../src/cli/runDebug';
import type { ProgramSymbol } from '../../../../src/asm/program';

const symbols: ProgramSymbol[] = [
  { name: 'main', address: 0x401000, kind: 'code', size: 0, elementSize: 0 },
  { name: 'buf', address: 0x402000, kind: 'data', size: 16, elementSize: 1 },
];

describe('x86dbg run debug flags', () => {
  it('takes the debug flags out and keeps the rest in order', () => {
    const r = extractDebugFlags(['prog.asm', '--break', 'main', '--watch=buf:4:w', '--step', '--env', 'linux', '--exits', 'x.jsonl']);
    assert.ok(r.ok);
    assert.deepEqual(r.rest, ['prog.asm', '--env', 'linux']);
    assert.equal(r.options.step, true);
    assert.equal(r.options.exitsPath, 'x.jsonl');
    assert.deepEqual(
      r.options.requests.map((q) => [q.kind, q.target, q.length]),
      [
        ['exec', 'main', 1],
        ['write', 'buf', 4],
      ],
    );
  });

  it('places slots in DR0, DR1, … in order and builds DR7', () => {
    const r = extractDebugFlags(['--break', 'main', '--watch', 'buf+4:4:rw', '--watch', '0x60:1:io']);
    assert.ok(r.ok);
    const b = buildGuestDebug(r.options, symbols);
    assert.ok(b.ok);
    assert.deepEqual(b.config, { singleStep: false, hw: { dr7: 0x02f00415, addr: [0x401000, 0x402004, 0x60, 0] } });
  });

  it('a fifth slot is an error naming the four in use', () => {
    const r = extractDebugFlags(['--break', '1', '--break', '2', '--watch', '8:8:w', '--watch', '16:2:rw', '--break', 'main']);
    assert.equal(r.ok, false);
    assert.ok(!r.ok);
    assert.match(r.message, /--break main/);
    assert.match(r.message, /DR0: --break 1, DR1: --break 2, DR2: --watch 8:8:w, DR3: --watch 16:2:rw/);
  });

  it('rejects bad lengths, kinds and labels with a message', () => {
    for (const bad of [['--watch', 'buf:3:w'], ['--watch', 'buf:4:x'], ['--watch', 'buf'], ['--break']]) {
      const r = extractDebugFlags(bad);
      assert.equal(r.ok, false, bad.join(' '));
    }
    const r = extractDebugFlags(['--break', 'nosuch']);
    assert.ok(r.ok);
    const b = buildGuestDebug(r.options, symbols);
    assert.ok(!b.ok);
    assert.match(b.message, /unknown label 'nosuch'/);
    assert.equal(resolveAddress('10h', symbols), 16);
    assert.equal(resolveAddress('main-0x10', symbols), 0x400ff0);
  });

  it('no flags → no debugger configuration; --step alone single-steps', () => {
    const none = extractDebugFlags([]);
    assert.ok(none.ok);
    assert.deepEqual(buildGuestDebug(none.options, symbols), { ok: true, config: null, slots: [] });
    const step = extractDebugFlags(['--step']);
    assert.ok(step.ok);
    const b = buildGuestDebug(step.options, symbols);
    assert.ok(b.ok);
    assert.deepEqual(b.config, { singleStep: true, hw: null });
  });

  it('formats the exit line as issue 5 shows', () => {
    const line = formatDebugExit({
      reason: 'debug',
      dr6: 0xffff0ff1,
      dr7: 0x000d0401,
      pc: 0x401005,
      exception: 1,
      access: [{ address: 0x402000, size: 4, kind: 'write', before: Uint8Array.of(1, 0, 0, 0), after: Uint8Array.of(0x78, 0x56, 0x34, 0x12), by: 0x401000 }],
    });
    assert.equal(
      line,
      '{"exception":1,"dr6":"0xffff0ff1","dr7":"0xd0401","pc":"0x401005","slots":[0],"access":{"address":"0x402000","size":4,"kind":"write","old":"0x1","new":"0x12345678","by":"0x401000"}}',
    );
    assert.equal(formatDebugExit({ reason: 'debug', dr6: 0xffff4ff0, dr7: 0, pc: 0x10, exception: 1 }), '{"exception":1,"dr6":"0xffff4ff0","dr7":"0x0","pc":"0x10","slots":[],"step":true}');
  });
});
