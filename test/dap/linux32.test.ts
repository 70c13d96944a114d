// DAP test of a 32-bit Linux session (int 0x80): source breakpoint, E-registers in the Registers
// scope, stepIn into a call and stepOut, a data breakpoint on a dd, `next` over int 0x80, output
// and exit code.
import { strict as assert } from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TestSession, fixture, lineOf } from './harness';
import type { X86StoppedEventBody } from '../../src/adapter/protocol';

const FILE = fixture('hello32.asm');
const line = (text: string, occurrence = 1): number => lineOf('hello32.asm', text, occurrence);

describe('DAP: 32-bit Linux session', function () {
  this.timeout(20000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('breakpoints, E-registers, stepIn/stepOut, a dd watch, next over int 0x80, exit code', async () => {
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: FILE });
    assert.ok(r.success, r.message);
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: FILE }, breakpoints: [{ line: line('call bump') }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    await s.request('configurationDone');
    let st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'breakpoint');
    assert.equal(st.x86dbg.dr6 & 0xf, 1, 'DR0 fired');
    assert.equal((await s.topFrame()).line, line('call bump'));

    const regs = await s.scope('Registers');
    assert.deepEqual(regs.map((v) => v.name), ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp', 'eip', 'eflags']);
    assert.match(regs.find((v) => v.name === 'eip')!.value, /^0x[0-9a-f]{8} → _start\+0x/);
    assert.equal(await s.value('eax'), 5n, 'write returned 5 bytes');
    assert.equal(await s.value('edx'), 5n);
    assert.equal(await s.value('ecx'), await s.value('msg + 0'));

    await s.request('stepIn', { threadId: 1 });
    st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'step');
    assert.equal((await s.topFrame()).line, line('inc dword [count]'));
    const trace = await s.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: 1 });
    assert.equal(trace.body.stackFrames.length, 2);
    assert.equal(trace.body.stackFrames[1].line, line('call bump'));
    assert.equal(await s.value('dword [esp]'), BigInt(parseInt(trace.body.stackFrames[1].instructionPointerReference ?? '0', 16)) + 5n, 'return address after the 5-byte call');

    await s.request('stepOut', { threadId: 1 });
    st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal((await s.topFrame()).line, line('add dword [count], 2'));
    assert.equal(await s.value('count'), 1n);

    const info = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: 'count' });
    assert.match(info.body.description, /count \(4 bytes/);
    await s.request('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
    await s.request('continue', { threadId: 1 });
    st = (await s.stopped()).body as X86StoppedEventBody & { text?: string };
    assert.equal(st.reason, 'data breakpoint');
    assert.equal((await s.topFrame()).line, line('mov eax, 1'));
    assert.match(st.text ?? '', /0x00000001 → 0x00000003/);

    await s.request('next', { threadId: 1 });
    await s.stopped();
    await s.request('next', { threadId: 1 });
    await s.stopped();
    assert.equal((await s.topFrame()).line, line('int 0x80', 3));
    assert.equal(await s.value('ebx'), 3n);
    await s.request('next', { threadId: 1 });
    const exited = await s.next('exited');
    assert.equal((exited.body as { exitCode: number }).exitCode, 3);
    const out = s.transcript
      .filter((e): e is Extract<typeof e, { kind: 'event' }> => e.kind === 'event' && e.event === 'output' && (e.body as { category?: string }).category === 'stdout')
      .map((e) => (e.body as { output: string }).output)
      .join('');
    assert.equal(out, 'hi32\n');
  });
});
