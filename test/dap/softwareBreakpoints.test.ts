// DAP tests of software breakpoints (kept by the emulator, invisible to the guest, not in DR7):
// the run stops exactly at them after long loops, both when they ride in spare debugger slots and
// when there are more of them than spare slots (straight-line stretches), inside a guest exception
// handler, and with hit counts; DR7 as reported never shows them. Against the built adapter (a
// MachineTarget) every case now runs on the debug unit's emulator breakpoints; the titles name the
// spare-slot / straight-line paths those cases were written for (still the fallback for other targets).
import { strict as assert } from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TestSession, fixture, lineOf } from './harness';
import type { DebugRegistersBody, X86StoppedEventBody } from '../../src/adapter/protocol';

const LOOP = fixture('swloop64.asm');
const BOOT = fixture('swboot.asm');
const UNUSED = ['unused:', 'nop', 'nop', 'nop', 'nop'];

describe('DAP: software breakpoints', function () {
  this.timeout(30000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  async function start(file: string, lines: number[], extra: Record<string, unknown> = {}, launch: Record<string, unknown> = {}): Promise<DebugProtocol.SetBreakpointsResponse> {
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: file, ...launch });
    assert.ok(r.success, r.message);
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: file }, breakpoints: lines.map((line) => ({ line, mode: 'software', ...extra })) });
    assert.ok(set.body.breakpoints.every((b) => b.verified), JSON.stringify(set.body.breakpoints));
    return set;
  }

  /** Lines of the `unused:` routine (never executed), occurrence by occurrence. */
  function unusedLines(file: string): number[] {
    const first = lineOf(file, 'unused:');
    return UNUSED.map((_t, i) => first + i);
  }

  async function checkNotInDr7(stop: X86StoppedEventBody): Promise<void> {
    assert.equal(stop.x86dbg.dr6, 0);
    assert.equal(stop.x86dbg.dr7 & 0xff, 0, 'no slot enabled in the DR7 reported');
    const dr = (await s!.request('x86dbg.debugRegisters')).body as DebugRegistersBody;
    assert.equal(dr.debugger.dr7 & 0xff, 0);
    assert.ok(dr.debugger.slots.every((x) => x.kind === 'vacant'));
  }

  for (const [what, extraLines] of [
    ['one breakpoint (in a spare slot while running)', false],
    ['six breakpoints (more than the spare slots: straight-line stretches)', true],
  ] as const) {
    it(`${what}: stops at done: after the whole loop, not in DR7`, async () => {
      const lines = [lineOf('swloop64.asm', 'done:'), ...(extraLines ? unusedLines('swloop64.asm') : [])];
      await start(LOOP, lines);
      const t0 = Date.now();
      await s!.request('configurationDone');
      const stop = (await s!.stopped(20000)).body as X86StoppedEventBody;
      const ms = Date.now() - t0;
      assert.equal(stop.reason, 'breakpoint');
      assert.match(stop.description ?? '', /software breakpoint/);
      assert.equal((await s!.topFrame()).line, lineOf('swloop64.asm', 'done:'));
      assert.equal(await s!.value('qword [acc]'), 100000n, 'every iteration ran');
      assert.equal(await s!.value('ecx'), 0n);
      assert.equal(await s!.value('rax'), 5000050000n);
      await checkNotInDr7(stop);
      // 600,000 instructions: one at a time through the adapter took seconds on a loaded machine.
      assert.ok(ms < 10000, `took ${ms} ms`);
      await s!.request('continue', { threadId: 1 });
      const exited = await s!.next('exited', 10000);
      assert.equal((exited.body as { exitCode: number }).exitCode, 0);
    });
  }

  it('a hit count on a software breakpoint inside the loop counts every pass (with more breakpoints than spare slots)', async () => {
    const add = lineOf('swloop64.asm', 'add qword [acc], 1');
    await start(LOOP, [add], { hitCondition: '== 70000' });
    await s!.request('setBreakpoints', {
      source: { path: LOOP },
      breakpoints: [{ line: add, mode: 'software', hitCondition: '== 70000' }, ...unusedLines('swloop64.asm').map((line) => ({ line, mode: 'software' }))],
    });
    await s!.request('configurationDone');
    const stop = (await s!.stopped(20000)).body as X86StoppedEventBody;
    assert.equal(stop.reason, 'breakpoint');
    assert.equal((await s!.topFrame()).line, add);
    assert.equal(await s!.value('qword [acc]'), 69999n, 'stopped before the 70,000th add');
    assert.equal(await s!.value('ecx'), 100000n - 69999n);
  });

  it('stepping over a CALL with software breakpoints elsewhere ends on the next line', async () => {
    await start(LOOP, unusedLines('swloop64.asm'), {}, { stopOnEntry: true });
    await s!.request('configurationDone');
    await s!.stopped();
    for (let i = 0; i < 3; i++) {
      await s!.request('next', { threadId: 1 });
      await s!.stopped();
    }
    assert.equal((await s!.topFrame()).line, lineOf('swloop64.asm', 'call bump'));
    await s!.request('next', { threadId: 1 });
    const stop = (await s!.stopped()).body as X86StoppedEventBody;
    assert.equal(stop.reason, 'step');
    assert.equal((await s!.topFrame()).line, lineOf('swloop64.asm', 'dec ecx'));
    assert.equal(await s!.value('qword [acc]'), 1n);
  });

  for (const [what, extraLines] of [
    ['one breakpoint, with the return address: both in spare slots', false],
    ['with more breakpoints than spare slots', true],
  ] as const) {
    it(`next over a CALL stops at a software breakpoint inside the callee (${what})`, async () => {
      const inside = lineOf('swloop64.asm', 'add qword [acc], 1');
      await start(LOOP, [inside, ...(extraLines ? unusedLines('swloop64.asm') : [])], {}, { stopOnEntry: true });
      await s!.request('configurationDone');
      await s!.stopped();
      for (let i = 0; i < 3; i++) {
        await s!.request('next', { threadId: 1 });
        const st = (await s!.stopped()).body as X86StoppedEventBody;
        assert.equal(st.reason, 'step');
      }
      await s!.request('next', { threadId: 1 });
      const st = (await s!.stopped()).body as X86StoppedEventBody;
      assert.equal(st.reason, 'breakpoint');
      assert.equal((await s!.topFrame()).line, inside);
      await checkNotInDr7(st);
    });
  }

  for (const [what, extraLines] of [
    ['in a spare slot', false],
    ['with more breakpoints than spare slots', true],
  ] as const) {
    it(`a software breakpoint in the guest's own #DE handler (IVT) stops before the handler runs (${what})`, async () => {
      const handler = lineOf('swboot.asm', 'mov byte [flag], 1');
      await start(BOOT, [handler, ...(extraLines ? unusedLines('swboot.asm') : [])]);
      await s!.request('configurationDone');
      const stop = (await s!.stopped(10000)).body as X86StoppedEventBody;
      assert.equal(stop.reason, 'breakpoint');
      assert.equal((await s!.topFrame()).line, handler);
      assert.equal(await s!.value('byte [flag]'), 0n, 'the handler has not run yet');
      assert.equal(await s!.value('sp'), 0x7c00n - 6n, 'FLAGS, CS, IP pushed by the #DE delivery');
      await checkNotInDr7(stop);
    });
  }

  for (const [what, extraLines] of [
    ['in spare slots', false],
    ['with more breakpoints than spare slots', true],
  ] as const) {
    it(`a software breakpoint on a REP instruction is taken once, not again between its iterations (${what})`, async () => {
      const REP = fixture('rep64.asm');
      const lines = [lineOf('rep64.asm', 'repe cmpsb'), lineOf('rep64.asm', 'rep stosb')];
      await start(REP, [...lines, ...(extraLines ? unusedLines('rep64.asm') : [])]);
      await s!.request('configurationDone');
      for (const [i, line] of lines.entries()) {
        const st = (await s!.stopped(10000)).body as X86StoppedEventBody;
        assert.equal(st.reason, 'breakpoint', `stop ${i + 1}`);
        assert.equal((await s!.topFrame()).line, line);
        assert.equal(await s!.value('ecx'), i === 0 ? 3000n : 5000n, 'before the first iteration');
        await s!.request('continue', { threadId: 1 });
      }
      const exited = await s!.next('exited', 10000);
      assert.equal((exited.body as { exitCode: number }).exitCode, 7);
      assert.equal(s!.pending('stopped').length, 0, 'no stop between iterations');
    });
  }

  it('nine software breakpoints across a loop, a call and its return are hit in execution order, then the loop runs out', async () => {
    const texts = ['_start: mov ecx, 100000', 'xor eax, eax', 'again:  add rax, rcx', 'call bump', 'bump:   add qword [acc], 1', 'ret', 'dec ecx', 'jnz again', 'done:   mov eax, 60'];
    const lines = texts.map((t) => lineOf('swloop64.asm', t));
    await start(LOOP, lines);
    await s!.request('configurationDone');
    const [start0, xor, again, call, bump, ret, dec, jnz, done] = lines;
    const expected = [start0, xor, again, call, bump, ret, dec, jnz, again, call, bump, ret, dec, jnz, again];
    const seen: number[] = [];
    for (let i = 0; i < expected.length; i++) {
      const st = (await s!.stopped(10000)).body as X86StoppedEventBody;
      assert.equal(st.reason, 'breakpoint', `stop ${i + 1}`);
      if (i === 0) await checkNotInDr7(st);
      seen.push((await s!.topFrame()).line);
      await s!.request('continue', { threadId: 1 });
    }
    assert.deepEqual(seen, expected);
    // Keep only done: the remaining 99,998 iterations run out at full speed.
    await s!.request('setBreakpoints', { source: { path: LOOP }, breakpoints: [{ line: done, mode: 'software' }] });
    await s!.stopped(10000); // at again (the continue above was already under way)
    await s!.request('continue', { threadId: 1 });
    const st = (await s!.stopped(20000)).body as X86StoppedEventBody;
    assert.equal(st.reason, 'breakpoint');
    assert.equal((await s!.topFrame()).line, done);
    assert.equal(await s!.value('qword [acc]'), 100000n);
    assert.equal(await s!.value('rax'), 5000050000n);
  });

  it('software breakpoints in a bare guest\'s PIT interrupt handler (IRQ 0 through the IVT) stop before it runs, once per tick', async () => {
    const IRQ = fixture('swirq.asm');
    const timer = lineOf('swirq.asm', 'timer:  inc word [ticks]');
    await start(IRQ, [timer, ...unusedLines('swirq.asm'), lineOf('swirq.asm', 'unused:') + 5, lineOf('swirq.asm', 'unused:') + 6], {}, { environment: 'bare' });
    await s!.request('configurationDone');
    for (let tick = 0; tick < 3; tick++) {
      const st = (await s!.stopped(10000)).body as X86StoppedEventBody;
      assert.equal(st.reason, 'breakpoint', `tick ${tick}`);
      assert.equal((await s!.topFrame()).line, timer);
      assert.equal(await s!.value('word [ticks]'), BigInt(tick), 'the handler has not run yet for this tick');
      assert.ok((await s!.value('dword [spins]')) > 0n, 'interrupted while spinning');
      if (tick === 0) await checkNotInDr7(st);
      await s!.request('continue', { threadId: 1 });
    }
    const exited = await s!.next('exited', 10000);
    assert.equal((exited.body as { exitCode: number }).exitCode, 0);
    assert.equal(s!.pending('stopped').length, 0, 'exactly three stops');
  });

  it('hybrid mode with seven breakpoints: DR0–DR3 hold the first four, the rest are software, all hit in order', async () => {
    const texts = ['_start: mov ecx, 100000', 'xor eax, eax', 'again:  add rax, rcx', 'call bump', 'bump:   add qword [acc], 1', 'ret', 'dec ecx'];
    const lines = texts.map((t) => lineOf('swloop64.asm', t));
    s = new TestSession();
    await s.start();
    assert.ok((await s.launch({ program: LOOP, breakpointMode: 'hybrid' })).success);
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: LOOP }, breakpoints: lines.map((line) => ({ line })) });
    assert.ok(set.body.breakpoints.every((b) => b.verified));
    assert.deepEqual(set.body.breakpoints.map((b) => /Software breakpoint/.test(b.message ?? '')), [false, false, false, false, true, true, true]);
    await s.request('configurationDone');
    const seen: [number, string][] = [];
    for (let i = 0; i < lines.length + 3; i++) {
      const st = (await s.stopped(10000)).body as X86StoppedEventBody;
      seen.push([(await s.topFrame()).line, st.x86dbg.dr6 === 0 ? 'software' : `dr6 ${st.x86dbg.dr6.toString(16)}`]);
      await s.request('continue', { threadId: 1 });
    }
    const [a, b, c, d, e, f, g] = lines;
    assert.deepEqual(seen, [
      [a, 'dr6 ffff0ff1'], [b, 'dr6 ffff0ff2'], [c, 'dr6 ffff0ff4'], [d, 'dr6 ffff0ff8'], [e, 'software'], [f, 'software'], [g, 'software'],
      [c, 'dr6 ffff0ff4'], [d, 'dr6 ffff0ff8'], [e, 'software'],
    ]);
  });

  it('a logpoint and a false condition among seven software breakpoints: logged once, not stopped, the run goes on to done:', async () => {
    const line = (t: string): number => lineOf('swloop64.asm', t);
    s = new TestSession();
    await s.start();
    assert.ok((await s.launch({ program: LOOP })).success);
    const breakpoints = [
      { line: line('xor eax, eax'), mode: 'software', logMessage: 'ecx={ecx}' },
      { line: line('dec ecx'), mode: 'software', condition: 'ecx == 0' },
      { line: line('done:   mov eax, 60'), mode: 'software' },
      ...unusedLines('swloop64.asm').slice(0, 4).map((l) => ({ line: l, mode: 'software' })),
    ];
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: LOOP }, breakpoints });
    assert.ok(set.body.breakpoints.every((b) => b.verified));
    await s.request('configurationDone');
    const st = (await s.stopped(20000)).body as X86StoppedEventBody;
    assert.equal(st.reason, 'breakpoint');
    assert.equal((await s.topFrame()).line, line('done:   mov eax, 60'), 'ecx never 0 at dec ecx');
    const logs = s.pending('output').map((e) => (e.body as DebugProtocol.OutputEvent['body']).output).filter((o) => o.startsWith('ecx='));
    assert.deepEqual(logs, ['ecx=0x186a0\n']);
    assert.equal(await s.value('qword [acc]'), 100000n);
  });
});
