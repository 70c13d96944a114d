// DAP tests over stdio against dist/adapter.js: launch (sources, failures), running and stepping,
// pause of an infinite loop, guest output/input and exit code, exceptions, stack, scopes, variables,
// evaluate and the console, memory, disassembly, goto, restart, and malformed requests.
import { strict as assert } from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TestSession, fixture, lineOf } from './harness';
import type { X86StoppedEventBody, DebugRegistersBody } from '../../src/adapter/protocol';

const WATCH = fixture('watch64.asm');
const HELLO = fixture('hello64.asm');
const w = (text: string, n = 1): number => lineOf('watch64.asm', text, n);
const h = (text: string, n = 1): number => lineOf('hello64.asm', text, n);

async function launched(args: Record<string, unknown>): Promise<TestSession> {
  const s = new TestSession();
  await s.start();
  const r = await s.launch(args);
  assert.ok(r.success, r.message);
  return s;
}

async function atEntry(program: string, extra: Record<string, unknown> = {}): Promise<TestSession> {
  const s = await launched({ program, stopOnEntry: true, ...extra });
  await s.request('configurationDone');
  const st = (await s.stopped()).body as X86StoppedEventBody;
  assert.equal(st.reason, 'entry');
  return s;
}

function outputs(s: TestSession, category: string): string {
  return s.transcript
    .filter((e): e is Extract<typeof e, { kind: 'event' }> => e.kind === 'event' && e.event === 'output' && (e.body as { category?: string }).category === category)
    .map((e) => (e.body as { output: string }).output)
    .join('');
}

describe('DAP: session', function () {
  this.timeout(20000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('initialize advertises the capabilities the issue needs', async () => {
    s = new TestSession();
    await s.start();
    const r = await s.request<DebugProtocol.InitializeResponse>('initialize', { adapterID: 'x86dbg', pathFormat: 'path' });
    const c = r.body!;
    for (const k of [
      'supportsConfigurationDoneRequest',
      'supportsFunctionBreakpoints',
      'supportsConditionalBreakpoints',
      'supportsHitConditionalBreakpoints',
      'supportsLogPoints',
      'supportsDataBreakpoints',
      'supportsDataBreakpointBytes',
      'supportsInstructionBreakpoints',
      'supportsBreakpointLocationsRequest',
      'supportsGotoTargetsRequest',
      'supportsRestartRequest',
      'supportsTerminateRequest',
      'supportsExceptionInfoRequest',
      'supportsReadMemoryRequest',
      'supportsWriteMemoryRequest',
      'supportsDisassembleRequest',
      'supportsSteppingGranularity',
      'supportsCompletionsRequest',
      'supportsSetVariable',
      'supportsEvaluateForHovers',
    ] as const) {
      assert.equal(c[k], true, k);
    }
    assert.deepEqual(c.breakpointModes?.map((m) => [m.mode, m.appliesTo]), [
      ['hardware', ['source', 'instruction', 'data']],
      ['software', ['source', 'instruction']],
    ]);
    assert.ok(c.exceptionBreakpointFilters?.some((f) => f.filter === 'de'));
  });

  it('a source that does not assemble fails the launch with file:line:col diagnostics in the output', async () => {
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: fixture('bad.asm') });
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /bad\.asm does not assemble \(\d+ errors?; see the output\)/);
    await s.next('terminated');
    assert.match(outputs(s, 'stderr'), new RegExp(`bad\\.asm:${lineOf('bad.asm', 'frobnicate')}:\\d+: error: `));
  });

  it('a missing program fails the launch with a message', async () => {
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: fixture('nosuch.asm') });
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /cannot read/);
  });

  it('Linux guest: stdout as output events, exit code 3 in `exited`, then `terminated`', async () => {
    s = await launched({ program: HELLO });
    await s.request('configurationDone');
    const exited = await s.next('exited');
    assert.equal((exited.body as { exitCode: number }).exitCode, 3);
    await s.next('terminated');
    assert.equal(outputs(s, 'stdout'), 'hello from the guest\n');
  });

  it('guest input from the launch stdin file and from x86dbg.input', async () => {
    s = await launched({ program: fixture('echo64.asm'), stdin: fixture('echo-input.txt') });
    await s.request('configurationDone');
    await s.next('terminated');
    assert.equal(outputs(s, 'stdout'), 'piped input\n');
    await s.stop();
    s = await launched({ program: fixture('echo64.asm') });
    await s.request('configurationDone');
    await new Promise((r) => setTimeout(r, 100));
    const r = await s.request('x86dbg.input', { text: 'typed\n' });
    assert.ok(r.success, r.message);
    await s.next('terminated');
    assert.equal(outputs(s, 'stdout'), 'typed\n');
  });

  it('pause stops an infinite loop within 50 ms', async () => {
    s = await launched({ program: fixture('loop64.asm'), environment: 'bare' });
    await s.request('configurationDone');
    await new Promise((r) => setTimeout(r, 200));
    const t0 = Date.now();
    await s.request('pause', { threadId: 1 });
    const st = (await s.stopped()).body as X86StoppedEventBody;
    const took = Date.now() - t0;
    assert.equal(st.reason, 'pause');
    assert.ok(took < 50, `pause took ${took} ms`);
    assert.ok((await s.value('qword [n]')) > 1000n);
    // and it continues and pauses again
    await s.request('continue', { threadId: 1 });
    await s.request('pause', { threadId: 1 });
    assert.equal(((await s.stopped()).body as X86StoppedEventBody).reason, 'pause');
  });

  it('next steps over CALL, stepIn enters it, stepOut returns to the caller', async () => {
    s = await atEntry(HELLO);
    await s.request('next', { threadId: 1 });
    assert.equal(((await s.stopped()).body as X86StoppedEventBody).reason, 'step');
    assert.equal((await s.topFrame()).line, h('call addtwice'));
    await s.request('next', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, h('mov rax, 1'));
    assert.equal(await s.value('qword [total]'), 10n, 'the call ran');
    await s.request('restart', {});
    const st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'entry');
    await s.request('next', { threadId: 1 });
    await s.stopped();
    await s.request('stepIn', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, h('call addone', 1));
    await s.request('stepIn', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, h('add qword [total], rdi'));
    const stack = await s.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 });
    assert.deepEqual(
      stack.body.stackFrames.map((f) => [f.name.split(' ')[0], f.line]),
      [
        ['addone', h('add qword [total], rdi')],
        ['addtwice', h('call addone', 1)],
        ['_start+0x5', h('call addtwice')],
      ],
    );
    assert.ok(stack.body.stackFrames.every((f) => /^0x[0-9a-f]+$/.test(f.instructionPointerReference ?? '')));
    await s.request('stepOut', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, h('call addone', 2));
    await s.request('stepOut', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, h('mov rax, 1'));
  });

  it('the shadow call stack follows recursion; stepOut returns one frame up, not to a deeper instance', async () => {
    const r = (t: string, n = 1): number => lineOf('rec64.asm', t, n);
    s = await launched({ program: fixture('rec64.asm'), environment: 'bare' });
    await s.request('setBreakpoints', { source: { path: fixture('rec64.asm') }, breakpoints: [{ line: r('ret') }] });
    await s.request('configurationDone');
    await s.stopped();
    await s.request('setBreakpoints', { source: { path: fixture('rec64.asm') }, breakpoints: [] });
    const st = await s.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 });
    assert.deepEqual(
      st.body.stackFrames.map((f) => [f.name.split(' ')[0].replace(/\+0x[0-9a-f]+$/, ''), f.line]),
      [['rec.base', r('ret')], ['rec', r('call rec', 2)], ['rec', r('call rec', 2)], ['rec', r('call rec', 2)], ['_start', r('call rec', 1)]],
    );
    const sp0 = await s.value('rsp');
    await s.request('stepOut', { threadId: 1 });
    await s.stopped();
    assert.equal(await s.value('rsp'), sp0 + 8n);
    const st2 = await s.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 });
    assert.equal(st2.body.stackFrames.length, 4);
  });

  it('stepIn with granularity instruction executes one instruction', async () => {
    s = await atEntry(WATCH, { environment: 'bare' });
    const pc0 = await s.value('rip');
    await s.request('stepIn', { threadId: 1, granularity: 'instruction' });
    await s.stopped();
    assert.equal(await s.value('rip'), pc0 + 5n, 'mov eax, 1 is 5 bytes');
    assert.equal(await s.value('eax'), 1n);
  });

  it('next over a LOOP-style backward jump and REP runs them as one unit', async () => {
    s = await atEntry(WATCH, { environment: 'bare' });
    await s.request('setBreakpoints', { source: { path: WATCH }, breakpoints: [{ line: w('dec ecx') }] });
    await s.request('continue', { threadId: 1 });
    await s.stopped();
    await s.request('setBreakpoints', { source: { path: WATCH }, breakpoints: [] });
    await s.request('next', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, w('jnz .loop'));
  });

  it('next runs REP STOSB and LOOP as one unit each; stepIn by instruction stops after one REP iteration', async () => {
    const st = (t: string): number => lineOf('steps64.asm', t);
    s = await atEntry(fixture('steps64.asm'), { environment: 'bare' });
    for (let i = 0; i < 3; i++) {
      await s.request('next', { threadId: 1 });
      await s.stopped();
    }
    assert.equal((await s.topFrame()).line, st('rep stosb'));
    await s.request('stepIn', { threadId: 1, granularity: 'instruction' });
    await s.stopped();
    assert.equal(await s.value('ecx'), 199n, 'one iteration (architectural single step is per iteration)');
    await s.request('next', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, st('mov ecx, 50'));
    assert.equal(await s.value('ecx'), 0n);
    assert.equal(await s.value('byte [area + 199]'), 0x5an);
    await s.request('next', { threadId: 1 });
    await s.stopped();
    await s.request('next', { threadId: 1 });
    await s.stopped();
    await s.request('next', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, st('loop spin'));
    await s.request('next', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, st('mov ebx, edx'));
    assert.equal(await s.value('edx'), 50n);
  });

  it('next treats a macro invocation line as one line', async () => {
    const m = (t: string): number => lineOf('macro64.asm', t);
    s = await atEntry(fixture('macro64.asm'), { environment: 'bare' });
    await s.request('next', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, m('twice eax'));
    await s.request('next', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, m('mov ebx, eax'));
    assert.equal(await s.value('eax'), 2n);
  });

  it('restart keeps breakpoints (same ids, same slots) and stops at them again', async () => {
    s = await launched({ program: HELLO });
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: HELLO }, breakpoints: [{ line: h('add qword [total], rdi') }] });
    await s.request('configurationDone');
    const first = (await s.stopped()).body as X86StoppedEventBody;
    await s.request('restart', {});
    const again = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(again.reason, 'breakpoint');
    assert.deepEqual(again.hitBreakpointIds, [set.body.breakpoints[0].id]);
    assert.equal(again.x86dbg.pc, first.x86dbg.pc);
    assert.equal(await s.value('qword [total]'), 0n, 'a fresh machine');
  });

  it('maxInstructions ends a runaway guest', async () => {
    s = await launched({ program: fixture('loop64.asm'), environment: 'bare', maxInstructions: 100000 });
    await s.request('configurationDone');
    const exited = await s.next('exited');
    assert.equal((exited.body as { exitCode: number }).exitCode, 124);
    assert.match(outputs(s, 'console'), /maxInstructions/);
  });

  it('trace: true logs the protocol and the session still works', async () => {
    s = await atEntry(WATCH, { environment: 'bare', trace: true });
    await s.request('stepIn', { threadId: 1, granularity: 'instruction' });
    await s.stopped();
    assert.equal(await s.value('eax'), 1n);
  });

  it('gotoTargets + goto set the instruction pointer to a line', async () => {
    s = await atEntry(WATCH, { environment: 'bare' });
    const t = await s.request<DebugProtocol.GotoTargetsResponse>('gotoTargets', { source: { path: WATCH }, line: w('mov ebx, [counter]') });
    assert.equal(t.body.targets.length, 1);
    await s.request('goto', { threadId: 1, targetId: t.body.targets[0].id });
    const st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'goto');
    assert.equal((await s.topFrame()).line, w('mov ebx, [counter]'));
  });

  it('breakpointLocations lists the instruction lines of a range', async () => {
    s = await launched({ program: WATCH, environment: 'bare' });
    const r = await s.request<DebugProtocol.BreakpointLocationsResponse>('breakpointLocations', { source: { path: WATCH }, line: 1, endLine: w('_start:') + 3 });
    assert.deepEqual(r.body.breakpoints.map((b) => b.line), [w('mov eax, 1'), w('mov rsp, stack_top'), w('mov dword [counter], 5')]);
  });

  it('guest faults stop with reason exception and exceptionInfo; continuing ends the guest', async () => {
    s = await launched({ program: fixture('fault64.asm'), environment: 'bare' });
    await s.request('configurationDone');
    const st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'exception');
    assert.equal(st.x86dbg.exception, 0);
    const info = await s.request<DebugProtocol.ExceptionInfoResponse>('exceptionInfo', { threadId: 1 });
    assert.equal(info.body.exceptionId, '#DE');
    assert.match(info.body.details?.message ?? '', /vector 0/);
    assert.equal((await s.topFrame()).line, lineOf('fault64.asm', 'div ecx'));
    await s.request('continue', { threadId: 1 });
    await s.next('terminated');
  });

  it('exception filters off: the fault ends the session without stopping', async () => {
    s = await launched({ program: fixture('fault64.asm'), environment: 'bare' });
    await s.request('setExceptionBreakpoints', { filters: [] });
    await s.request('configurationDone');
    await s.next('terminated');
    assert.equal(s.pending('stopped').length, 0);
  });

  it('scopes: registers with flag children, segments, control, debug decoded, symbols typed, stack annotated', async () => {
    s = await atEntry(HELLO);
    await s.request('next', { threadId: 1 });
    await s.stopped();
    await s.request('stepIn', { threadId: 1 });
    await s.stopped();
    const sc = await s.request<DebugProtocol.ScopesResponse>('scopes', { frameId: 0 });
    assert.deepEqual(sc.body.scopes.map((x) => x.name), ['Registers', 'Segments', 'Control', 'Debug', 'Symbols', 'Stack']);
    const regs = await s.scope('Registers');
    assert.deepEqual(regs.slice(0, 4).map((v) => v.name), ['rax', 'rbx', 'rcx', 'rdx']);
    const rdi = regs.find((v) => v.name === 'rdi')!;
    assert.equal(rdi.value, '0x0000000000000005');
    const rflags = regs.find((v) => v.name === 'rflags')!;
    const flags = await s.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: rflags.variablesReference });
    assert.ok(flags.body.variables.some((f) => f.name === 'ZF'));
    const seg = await s.scope('Segments');
    assert.deepEqual(seg.map((x) => x.name), ['cs', 'ds', 'es', 'fs', 'gs', 'ss']);
    const ctl = await s.scope('Control');
    assert.deepEqual(ctl.map((x) => x.name), ['cr0', 'cr2', 'cr3', 'cr4', 'efer', 'GDTR', 'IDTR', 'LDTR', 'TR', 'CPL']);
    const dbg = await s.scope('Debug');
    assert.deepEqual(dbg.map((x) => x.name), ['DR0', 'DR1', 'DR2', 'DR3', 'DR6', 'DR7', 'guest']);
    const dr7 = await s.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: dbg[5].variablesReference });
    assert.ok(dr7.body.variables.some((f) => f.name === 'R/W0'));
    const syms = await s.scope('Symbols');
    const msg = syms.find((x) => x.name === 'msg')!;
    assert.equal(msg.value, '"hello from the guest\\n"');
    assert.equal(msg.indexedVariables, 21);
    const total = syms.find((x) => x.name === 'total')!;
    assert.equal(total.type, 'qword');
    const stack = await s.scope('Stack');
    assert.match(stack[0].value, /→ _start\+0x/);
  });

  it('setVariable edits registers, flags and memory', async () => {
    s = await atEntry(HELLO);
    const sc = await s.request<DebugProtocol.ScopesResponse>('scopes', { frameId: 0 });
    const regsRef = sc.body.scopes[0].variablesReference;
    const r = await s.request<DebugProtocol.SetVariableResponse>('setVariable', { variablesReference: regsRef, name: 'rbx', value: '0x1234' });
    assert.ok(r.success, r.message);
    assert.equal(await s.value('rbx'), 0x1234n);
    const regs = await s.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: regsRef });
    const flagsRef = regs.body.variables.find((v) => v.name === 'rflags')!.variablesReference;
    await s.request('setVariable', { variablesReference: flagsRef, name: 'CF', value: '1' });
    assert.equal((await s.value('rflags')) & 1n, 1n);
    const symRef = sc.body.scopes.find((x) => x.name === 'Symbols')!.variablesReference;
    const m = await s.request<DebugProtocol.SetVariableResponse>('setVariable', { variablesReference: symRef, name: 'total', value: '42' });
    assert.ok(m.success, m.message);
    assert.equal(await s.value('qword [total]'), 42n);
  });

  it('evaluate: registers, labels, arithmetic, memory operands; console commands; completions', async () => {
    s = await atEntry(WATCH, { environment: 'bare' });
    assert.equal(await s.value('rip'), await s.value('_start'));
    assert.equal(await s.value('2 + 3 * 4'), 14n);
    assert.equal(await s.value('qword [big + 0]'), 0x1122334455667788n);
    assert.equal(await s.value('byte [big + 0]'), 0x88n);
    assert.equal(await s.value('big'), 0x1122334455667788n, 'a dq label shows its value');
    const bad = await s.evaluate('nosuchthing');
    assert.equal(bad.success, false);
    const help = await s.evaluate('-help', 'repl');
    assert.match(help.body.result, /-dr/);
    await s.request('setBreakpoints', { source: { path: WATCH }, breakpoints: [{ line: w('hlt') }] });
    const dr = await s.evaluate('-dr', 'repl');
    assert.match(dr.body.result, /DR7 = 0x00000401/);
    assert.match(dr.body.result, /Guest layer/);
    const comp = await s.request<DebugProtocol.CompletionsResponse>('completions', { text: 'cou', column: 4 });
    assert.ok(comp.body.targets.some((t) => t.label === 'counter'));
    const comp2 = await s.request<DebugProtocol.CompletionsResponse>('completions', { text: 'r1', column: 3 });
    assert.ok(comp2.body.targets.some((t) => t.label === 'r15'));
    const comp3 = await s.request<DebugProtocol.CompletionsResponse>('completions', { text: '-d', column: 3 });
    assert.deepEqual(comp3.body.targets.map((t) => t.label), ['-dr']);
  });

  it('readMemory, writeMemory and disassemble (with source locations and negative offsets)', async () => {
    s = await atEntry(WATCH, { environment: 'bare' });
    const big = await s.value('big + 0');
    const rm = await s.request<DebugProtocol.ReadMemoryResponse>('readMemory', { memoryReference: '0x' + big.toString(16), count: 8 });
    assert.deepEqual([...Buffer.from(rm.body!.data!, 'base64')], [0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11]);
    const wm = await s.request('writeMemory', { memoryReference: '0x' + big.toString(16), offset: 1, data: Buffer.from([0xaa]).toString('base64') });
    assert.ok(wm.success, wm.message);
    assert.equal(await s.value('byte [big + 1]'), 0xaan);
    const unmapped = await s.request<DebugProtocol.ReadMemoryResponse>('readMemory', { memoryReference: '0x7fff00000000', count: 4 });
    assert.equal(unmapped.body!.unreadableBytes, 4);
    const start = await s.value('_start + 0');
    const d = await s.request<DebugProtocol.DisassembleResponse>('disassemble', { memoryReference: '0x' + start.toString(16), instructionOffset: 0, instructionCount: 3 });
    assert.deepEqual(d.body!.instructions.map((i) => i.instruction), ['mov eax, 0x1', d.body!.instructions[1].instruction, d.body!.instructions[2].instruction]);
    assert.match(d.body!.instructions[1].instruction, /^mov rsp, 0x[0-9a-f]+$/);
    assert.match(d.body!.instructions[2].instruction, /^mov dword \[/);
    assert.equal(d.body!.instructions[0].line, w('mov eax, 1'));
    assert.equal(d.body!.instructions[0].symbol, '_start');
    const back = await s.request<DebugProtocol.DisassembleResponse>('disassemble', { memoryReference: '0x' + (start + 5n).toString(16), instructionOffset: -1, instructionCount: 2 });
    assert.equal(back.body!.instructions[0].address, '0x' + start.toString(16));
  });

  it('x86dbg.debugRegisters: the request and the event after every stop', async () => {
    s = await launched({ program: WATCH, environment: 'bare', stopOnEntry: true });
    await s.request('configurationDone');
    await s.stopped();
    const ev = await s.next('x86dbg.debugRegisters');
    const body = ev.body as DebugRegistersBody;
    assert.equal(body.debugger.slots.length, 4);
    assert.equal(body.guest?.dr6, 0xffff0ff0);
    assert.equal(body.guest?.dr7, 0x400);
    await s.request('stepIn', { threadId: 1, granularity: 'instruction' });
    await s.stopped();
    await s.next('x86dbg.debugRegisters');
  });

  it('malformed and unknown requests get error responses and the session lives on', async () => {
    s = await atEntry(WATCH, { environment: 'bare' });
    const probes: [string, unknown][] = [
      ['nosuchrequest', {}],
      ['setBreakpoints', { source: 42, breakpoints: 'x' }],
      ['setDataBreakpoints', { breakpoints: [{ dataId: 'garbage', accessType: 'write' }] }],
      ['readMemory', { memoryReference: 'zz', count: 'many' }],
      ['writeMemory', {}],
      ['disassemble', { memoryReference: null }],
      ['variables', { variablesReference: 99999 }],
      ['evaluate', {}],
      ['stackTrace', undefined],
      ['goto', { targetId: 'x' }],
      ['x86dbg.input', { text: 5 }],
      ['setVariable', { variablesReference: 'a', name: 1, value: {} }],
      ['dataBreakpointInfo', {}],
      ['completions', { text: null }],
      ['setExceptionBreakpoints', {}],
      ['setFunctionBreakpoints', { breakpoints: [{ name: 7 }] }],
      ['setInstructionBreakpoints', { breakpoints: [{ instructionReference: 'nowhere' }] }],
    ];
    for (const [command, args] of probes) await s.request(command, args);
    const unknown = s.transcript.find((e) => e.kind === 'response' && e.command === 'nosuchrequest') as { success: boolean; message?: string };
    assert.equal(unknown.success, false);
    const dataBad = s.transcript.find((e) => e.kind === 'response' && e.command === 'setDataBreakpoints') as { body: { breakpoints: DebugProtocol.Breakpoint[] } };
    assert.equal(dataBad.body.breakpoints[0].verified, false);
    const threads = await s.request<DebugProtocol.ThreadsResponse>('threads');
    assert.equal(threads.body.threads.length, 1);
    await s.request('stepIn', { threadId: 1, granularity: 'instruction' });
    await s.stopped();
    assert.equal(await s.value('eax'), 1n);
  });

  it('terminate ends a running guest', async () => {
    s = await launched({ program: fixture('loop64.asm'), environment: 'bare' });
    await s.request('configurationDone');
    await new Promise((r) => setTimeout(r, 50));
    const r = await s.request('terminate', {});
    assert.ok(r.success);
    await s.next('terminated');
  });
});
