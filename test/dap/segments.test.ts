// DAP tests of segmented addressing in real mode: watch/evaluate of `[bx]`, `byte [si+4]`,
// `es:[di]` as segment base + offset with DS and ES ≠ 0, the memory reference they (and registers
// in the Registers scope) give, and data
// breakpoints set on such expressions (DR slots hold the linear address the CPU writes).
import { strict as assert } from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TestSession, fixture, lineOf } from './harness';
import type { X86StoppedEventBody } from '../../src/adapter/protocol';

const REAL = fixture('realseg.asm');

describe('DAP: segmented addressing', function () {
  this.timeout(20000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  async function stopAtReady(): Promise<TestSession> {
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: REAL });
    assert.ok(r.success, r.message);
    await s.request('setBreakpoints', { source: { path: REAL }, breakpoints: [{ line: lineOf('realseg.asm', 'ready:') }] });
    await s.request('configurationDone');
    const st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'breakpoint');
    return s;
  }

  it('real mode: [bx], byte [si+4] and es:[di] read segment base + offset', async () => {
    const t = await stopAtReady();
    assert.equal(await t.value('ds'), 0x7e0n);
    assert.equal(await t.value('byte [bx]'), 0x5an);
    assert.equal(await t.value('byte [si+4]'), 0x6bn);
    assert.equal(await t.value('byte es:[di]'), 0x7cn);
    assert.equal(await t.value('byte [es:di]'), 0x7cn);
    const r = await t.evaluate('byte [bx]');
    assert.equal(r.body.memoryReference, '0x7e10', 'the memory reference is the linear address');
    const mem = await t.request<DebugProtocol.ReadMemoryResponse>('readMemory', { memoryReference: '0x7e10', count: 1 });
    assert.equal(Buffer.from(mem.body!.data!, 'base64')[0], 0x5a);
    const regs = await t.scope('Registers');
    assert.equal(regs.find((v) => v.name === 'bx')!.memoryReference, '0x7e10', 'a register as a pointer: DS:BX');
    assert.equal(regs.find((v) => v.name === 'di')!.memoryReference, '0x7e30', 'DI with DS (ES only for string destinations)');
    assert.equal(regs.find((v) => v.name === 'ip')!.memoryReference, '0x' + (await t.topFrame()).instructionPointerReference!.slice(2), 'CS:IP');
  });

  it('real mode: data breakpoints on `byte [bx]` and `byte [si+4]` watch DS:BX and DS:SI+4', async () => {
    const t = await stopAtReady();
    const ids: string[] = [];
    for (const [expr, address] of [['byte [bx]', '0x7e10'], ['byte [si+4]', '0x7e24']] as const) {
      const info = await t.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: expr });
      assert.ok(info.body.dataId, info.body.description);
      assert.match(info.body.description, new RegExp(`1 byte at ${address}`));
      ids.push(info.body.dataId);
    }
    const set = await t.request<DebugProtocol.SetDataBreakpointsResponse>('setDataBreakpoints', { breakpoints: ids.map((dataId) => ({ dataId, accessType: 'write' })) });
    assert.ok(set.body.breakpoints.every((b) => b.verified));
    await t.request('continue', { threadId: 1 });
    const st = (await t.stopped()).body as X86StoppedEventBody & { text?: string };
    assert.equal(st.reason, 'data breakpoint');
    assert.match(st.text ?? '', /write at 0x7e10 .*0x5a → 0x99/);
    await t.request('continue', { threadId: 1 });
    const st2 = (await t.stopped()).body as X86StoppedEventBody & { text?: string };
    assert.equal(st2.reason, 'data breakpoint');
    assert.match(st2.text ?? '', /write at 0x7e24 .*0x6b → 0x6c/);
    assert.equal((await t.topFrame()).line, lineOf('realseg.asm', 'after:'));
  });
});
