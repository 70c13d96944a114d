// DAP tests of exception filter conditions (supportsExceptionFilterOptions) and exceptionOptions:
// a #PF stops only when its faulting address satisfies the filter's condition, a vector list as a
// condition, a condition that does not parse is unverified, and exceptionOptions breakMode 'never'.
import { strict as assert } from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TestSession, fixture, lineOf } from './harness';
import type { X86StoppedEventBody } from '../../src/adapter/protocol';

const PF = fixture('pf64.asm');

describe('DAP: exception filter conditions and exceptionOptions', function () {
  this.timeout(20000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  async function launch(exceptions: DebugProtocol.SetExceptionBreakpointsArguments): Promise<DebugProtocol.Breakpoint[]> {
    s = new TestSession();
    await s.start();
    const init = await s.request<DebugProtocol.InitializeResponse>('initialize', { adapterID: 'x86dbg', pathFormat: 'path', linesStartAt1: true, columnsStartAt1: true });
    assert.equal(init.body?.supportsExceptionFilterOptions, true);
    assert.equal(init.body?.supportsExceptionOptions, true);
    assert.ok(init.body?.exceptionBreakpointFilters?.find((f) => f.filter === 'pf')?.supportsCondition);
    const r = await s.launch({ program: PF });
    assert.ok(r.success, r.message);
    const set = await s.request<DebugProtocol.SetExceptionBreakpointsResponse>('setExceptionBreakpoints', exceptions);
    await s.request('configurationDone');
    return set.body?.breakpoints ?? [];
  }

  async function expectStop(): Promise<void> {
    const st = (await s!.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'exception');
    assert.equal(st.x86dbg.exception, 14);
    assert.equal((await s!.topFrame()).line, lineOf('pf64.asm', 'mov rax, [rbx]'));
    const info = await s!.request<DebugProtocol.ExceptionInfoResponse>('exceptionInfo', { threadId: 1 });
    assert.equal(info.body.exceptionId, '#PF');
  }

  async function expectEnd(): Promise<void> {
    const exited = await s!.next('exited');
    assert.equal((exited.body as { exitCode: number }).exitCode, 139);
    assert.equal(s!.pending('stopped').length, 0, 'no stop');
  }

  it('#PF with an address-range condition that holds: stops', async () => {
    const answers = await launch({ filters: [], filterOptions: [{ filterId: 'pf', condition: 'address >= 0x1000 && address < 0x2000' }] });
    assert.deepEqual(answers.map((b) => b.verified), [true]);
    await expectStop();
  });

  it('#PF with an address-range condition that does not hold: the guest ends (SIGSEGV)', async () => {
    await launch({ filters: [], filterOptions: [{ filterId: 'pf', condition: 'address >= 0x2000' }] });
    await expectEnd();
  });

  it('conditions may use registers and the error code (not-present read from user mode: 4)', async () => {
    await launch({ filters: [], filterOptions: [{ filterId: 'pf', condition: 'rbx == 0x1008 && (error & 1) == 0' }] });
    await expectStop();
  });

  it('a vector list as the condition of "other exceptions" does not catch #PF; one on pf does', async () => {
    await launch({ filters: [], filterOptions: [{ filterId: 'other', condition: '#GP, #NP' }] });
    await expectEnd();
    await s!.stop();
    await launch({ filters: [], filterOptions: [{ filterId: 'pf', condition: '#PF' }] });
    await expectStop();
  });

  it('a condition that does not parse is unverified, with the reason', async () => {
    const answers = await launch({ filters: ['de'], filterOptions: [{ filterId: 'pf', condition: 'address >= ' }, { filterId: 'nosuch' }] });
    assert.deepEqual(answers.map((b) => b.verified), [true, false, false]);
    assert.match(answers[1].message ?? '', /exception condition 'address >= '/);
    await expectEnd();
  });

  it("exceptionOptions: breakMode 'never' for #PF overrides the pf filter; 'always' turns it back on", async () => {
    await launch({ filters: ['pf'], exceptionOptions: [{ path: [{ names: ['#PF'] }], breakMode: 'never' }] });
    await expectEnd();
    await s!.stop();
    const answers = await launch({ filters: [], exceptionOptions: [{ path: [{ names: ['14'] }], breakMode: 'always' }, { path: [{ names: ['nonsense'] }], breakMode: 'always' }] });
    assert.deepEqual(answers.map((b) => b.verified), [true, false]);
    await expectStop();
  });
});
