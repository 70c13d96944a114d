// Every program in examples/ runs with `x86dbg run` and prints what its comments promise; the
// watchpoint demo's overrun is caught by a DR0 write watchpoint on `limit` (one JSON exit line per
// byte the copy writes into it, all from the same store instruction).
import { strict as assert } from 'assert';
import * as path from 'path';
import { runCli } from '../../../differential/programsHarness';

const EXAMPLES = path.join(__dirname, '../../../../examples');
const example = (name: string): string => path.join(EXAMPLES, name);

describe('examples/ run with x86dbg run', function () {
  this.timeout(120000);
  const cases: Array<[string, string]> = [
    ['hello64.asm', 'Hello, world from 64-bit x86!\n'],
    ['hello32.asm', 'Hello, world from 32-bit x86!\n'],
    ['hello-dos.asm', 'Hello, world from DOS!\r\n'],
    ['boot.asm', 'Hello, world from the boot sector!\r\n'],
  ];
  for (const [file, stdout] of cases) {
    it(`${file} prints its greeting and ends with status 0`, () => {
      const r = runCli(['run', example(file)]);
      assert.equal(r.stderr, '');
      assert.equal(r.stdout, stdout);
      assert.equal(r.status, 0);
    });
  }

  it('watchpoint-demo.asm: the overrun makes it print 10 greetings instead of 3', () => {
    const r = runCli(['run', example('watchpoint-demo.asm')]);
    assert.equal(r.stdout, 'Hello!\n'.repeat(10));
    assert.equal(r.status, 0);
  });

  it('watchpoint-demo.asm --watch limit:8:w: DR0 fires for each byte the copy loop writes into limit', () => {
    const r = runCli(['run', example('watchpoint-demo.asm'), '--watch', 'limit:8:w']);
    assert.equal(r.stdout, 'Hello!\n'.repeat(10));
    const hits = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { slots: number[]; dr6: string; access: { address: string; kind: string; by: string; new: string } });
    // Bytes 16..23 of "Alexandria-Constantinople" ("antinopl") land in the 8 bytes of limit.
    assert.equal(hits.length, 8);
    for (const h of hits) {
      assert.deepEqual(h.slots, [0]);
      assert.equal(Number(h.dr6) & 0xf, 1);
      assert.equal(h.access.kind, 'write');
      assert.equal(h.access.by, hits[0].access.by);
    }
    const first = Number(hits[0].access.address);
    assert.deepEqual(hits.slice(0, 8).map((h) => Number(h.access.address) - first), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.equal(String.fromCharCode(...hits.slice(0, 8).map((h) => Number(h.access.new))), 'antinopl');
  });
});
