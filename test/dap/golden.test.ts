// Golden transcripts: whole DAP sessions against dist/adapter.js compared with the files in
// test/dap/golden/ after normalising ids, sequence numbers and absolute paths. Requests with their
// responses and the event stream are kept as two ordered lists (their interleaving depends on how the
// client's reads are chunked). The files are rewritten only with X86DBG_UPDATE_GOLDEN=1.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { TestSession, fixture, lineOf, FIXTURES, type TranscriptEntry } from './harness';

const GOLDEN = path.resolve(__dirname, 'golden');
const UPDATE = process.env.X86DBG_UPDATE_GOLDEN === '1';

function normalise(entries: TranscriptEntry[]): string {
  const exchanges = entries.filter((e) => e.kind !== 'event');
  const events = entries.filter((e) => e.kind === 'event');
  const text = JSON.stringify({ exchanges, events }, null, 1);
  return (
    text
      .split(FIXTURES)
      .join('<fixtures>')
      .replace(/"(seq|request_seq|id|threadId|variablesReference)": \d+/g, '"$1": "<n>"')
      .replace(/"hitBreakpointIds": \[[\d,\s]*\]/g, (m) => m.replace(/\d+/g, '"<n>"'))
      .replace(/"breakpointIds?": (\[[\d,\s]*\]|\d+)/g, (m) => m.replace(/\d+/g, '"<n>"')) + '\n'
  );
}

function compare(name: string, s: TestSession): void {
  const file = path.join(GOLDEN, `${name}.json`);
  const actual = normalise(s.transcript);
  if (UPDATE || !fs.existsSync(file)) {
    if (!UPDATE) assert.fail(`golden file ${file} is missing; run with X86DBG_UPDATE_GOLDEN=1 to create it`);
    fs.mkdirSync(GOLDEN, { recursive: true });
    fs.writeFileSync(file, actual);
    return;
  }
  assert.equal(actual, fs.readFileSync(file, 'utf8'), `transcript ${name} differs from ${file} (X86DBG_UPDATE_GOLDEN=1 rewrites it)`);
}

describe('DAP: golden transcripts', function () {
  this.timeout(20000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('hello64: entry, a source breakpoint, stack, variables, exit code', async () => {
    s = new TestSession();
    await s.start();
    const hello = fixture('hello64.asm');
    await s.launch({ program: hello, stopOnEntry: true });
    await s.request('setBreakpoints', { source: { path: hello }, breakpoints: [{ line: lineOf('hello64.asm', 'add qword [total], rdi') }] });
    await s.request('setExceptionBreakpoints', { filters: ['de', 'ud', 'gp', 'pf'] });
    await s.request('configurationDone');
    await s.stopped();
    await s.request('threads');
    await s.request('continue', { threadId: 1 });
    await s.stopped();
    await s.request('stackTrace', { threadId: 1 });
    await s.evaluate('rdi');
    await s.evaluate('qword [total]');
    await s.request('continue', { threadId: 1 });
    await s.stopped();
    await s.request('setBreakpoints', { source: { path: hello }, breakpoints: [] });
    await s.request('continue', { threadId: 1 });
    await s.next('terminated');
    compare('hello64', s);
  });

  it('watch64: a write watchpoint, DR6 and the access text, debug registers', async () => {
    s = new TestSession();
    await s.start();
    await s.launch({ program: fixture('watch64.asm'), environment: 'bare' });
    const info = await s.request('dataBreakpointInfo', { name: 'counter' });
    await s.request('setDataBreakpoints', { breakpoints: [{ dataId: (info.body as { dataId: string }).dataId, accessType: 'write' }] });
    await s.request('configurationDone');
    await s.stopped();
    await s.request('x86dbg.debugRegisters');
    await s.request('continue', { threadId: 1 });
    await s.stopped();
    await s.request('setDataBreakpoints', { breakpoints: [] });
    await s.request('continue', { threadId: 1 });
    await s.next('terminated');
    compare('watch64', s);
  });

  it('bad: a source that does not assemble', async () => {
    s = new TestSession();
    await s.start();
    await s.launch({ program: fixture('bad.asm') });
    await s.next('terminated');
    compare('bad', s);
  });
});
