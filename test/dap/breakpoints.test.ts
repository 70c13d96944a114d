// DAP tests over stdio against dist/adapter.js: hardware breakpoints on DR0–DR3 — source, function,
// instruction and data breakpoints, DR6/hitBreakpointIds, slot exhaustion and freeing, split and
// shared slots, read filtering, conditions, hit counts and logpoints on slots, software/hybrid modes.
import { strict as assert } from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TestSession, fixture, lineOf } from './harness';
import type { DebugRegistersBody, X86StoppedEventBody } from '../../src/adapter/protocol';

const WATCH = fixture('watch64.asm');
const line = (text: string, n = 1): number => lineOf('watch64.asm', text, n);

async function started(extra: Record<string, unknown> = {}): Promise<TestSession> {
  const s = new TestSession();
  await s.start();
  const r = await s.launch({ program: WATCH, environment: 'bare', ...extra });
  assert.ok(r.success, r.message);
  return s;
}

async function go(s: TestSession): Promise<X86StoppedEventBody> {
  await s.request('configurationDone');
  return (await s.stopped()).body as X86StoppedEventBody;
}

async function cont(s: TestSession): Promise<X86StoppedEventBody> {
  await s.request('continue', { threadId: 1 });
  return (await s.stopped()).body as X86StoppedEventBody;
}

async function dataBp(s: TestSession, name: string, accessType: string, extra: Record<string, unknown> = {}, info: Record<string, unknown> = {}): Promise<DebugProtocol.SetDataBreakpointsResponse> {
  const i = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name, ...info });
  assert.ok(i.success && i.body.dataId, `dataBreakpointInfo ${name}: ${i.body?.description}`);
  return s.request('setDataBreakpoints', { breakpoints: [{ dataId: i.body.dataId, accessType, ...extra }] });
}

async function regs(s: TestSession): Promise<DebugRegistersBody> {
  const r = await s.request('x86dbg.debugRegisters');
  assert.ok(r.success, r.message);
  return r.body as DebugRegistersBody;
}

describe('DAP: hardware breakpoints', function () {
  this.timeout(20000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('a source breakpoint takes DR0 (L0, R/W 00, LEN 00) and stops with DR6 B0 and its id', async () => {
    s = await started();
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: WATCH }, breakpoints: [{ line: line('add dword [counter]') }] });
    const bp = set.body.breakpoints[0];
    assert.equal(bp.verified, true);
    assert.equal(bp.message, 'DR0');
    const stop = await go(s);
    assert.equal(stop.reason, 'breakpoint');
    assert.deepEqual(stop.hitBreakpointIds, [bp.id]);
    assert.equal(stop.x86dbg.dr6, 0xffff0ff1);
    assert.equal(stop.x86dbg.dr7 & 0xff, 0x01);
    assert.equal(stop.x86dbg.exception, 1);
    assert.equal(stop.description, 'Paused on DR0 instruction breakpoint');
    assert.equal((await s.topFrame()).line, line('add dword [counter]'));
    const ev = await s.next('x86dbg.debugRegisters');
    const body = ev.body as DebugRegistersBody;
    assert.equal(body.debugger.slots[0].kind, 'exec');
    assert.equal(body.debugger.slots[0].breakpointId, bp.id);
    assert.equal(body.debugger.dr[0], stop.x86dbg.pc);
    assert.deepEqual(body.guest?.dr, [0, 0, 0, 0]);
  });

  it('a breakpoint on a comment line moves to the next instruction line', async () => {
    s = await started();
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: WATCH }, breakpoints: [{ line: line('_start:') }] });
    assert.equal(set.body.breakpoints[0].line, line('mov eax, 1'));
  });

  it('a fifth breakpoint is unverified with a message naming the holders; freeing a slot places it with a breakpoint event', async () => {
    s = await started();
    const lines = ['mov eax, 1', 'mov dword [counter], 5', 'add dword [counter]', 'mov ebx, [counter]', 'call func'].map((t) => line(t));
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: WATCH }, breakpoints: lines.map((l) => ({ line: l })) });
    const bps = set.body.breakpoints;
    assert.deepEqual(bps.map((b) => b.verified), [true, true, true, true, false]);
    assert.equal(bps[4].message, `DR0–DR3 are in use by ${lines.slice(0, 4).map((l) => `watch64.asm:${l}`).join(', ')}; waiting for a free slot`);
    // remove the first: the fifth gets DR0
    const again = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: WATCH }, breakpoints: lines.slice(1).map((l) => ({ line: l })) });
    assert.deepEqual(again.body.breakpoints.map((b) => b.verified), [true, true, true, true]);
    assert.equal(again.body.breakpoints[3].id, bps[4].id, 'the waiting breakpoint keeps its id');
    const r = await regs(s);
    assert.deepEqual(r.debugger.slots.map((x) => x.kind), ['exec', 'exec', 'exec', 'exec']);
    assert.equal(r.debugger.slots[0].breakpointId, bps[4].id);
  });

  it('a waiting breakpoint gets a `breakpoint` event when another group frees a slot', async () => {
    s = await started();
    const four = ['mov eax, 1', 'mov dword [counter], 5', 'add dword [counter]', 'mov ebx, [counter]'].map((t) => ({ line: line(t) }));
    await s.request('setBreakpoints', { source: { path: WATCH }, breakpoints: four });
    const fn = await s.request<DebugProtocol.SetFunctionBreakpointsResponse>('setFunctionBreakpoints', { breakpoints: [{ name: 'func' }] });
    assert.equal(fn.body.breakpoints[0].verified, false);
    await s.request('setBreakpoints', { source: { path: WATCH }, breakpoints: four.slice(0, 3) });
    const ev = (await s.next('breakpoint')).body as { reason: string; breakpoint: DebugProtocol.Breakpoint };
    assert.equal(ev.reason, 'changed');
    assert.equal(ev.breakpoint.id, fn.body.breakpoints[0].id);
    assert.equal(ev.breakpoint.verified, true);
    assert.equal(ev.breakpoint.message, 'DR3');
    const stop = await go(s);
    assert.equal(stop.reason, 'breakpoint');
  });

  it('function and instruction breakpoints stop with their reasons', async () => {
    s = await started();
    const fn = await s.request<DebugProtocol.SetFunctionBreakpointsResponse>('setFunctionBreakpoints', { breakpoints: [{ name: 'func' }, { name: 'nosuch' }] });
    assert.equal(fn.body.breakpoints[0].verified, true);
    assert.equal(fn.body.breakpoints[1].verified, false);
    assert.match(fn.body.breakpoints[1].message ?? '', /no label 'nosuch'/);
    const stop = await go(s);
    assert.equal(stop.reason, 'function breakpoint');
    assert.equal((await s.topFrame()).line, line('push rbx'));
    const target = (await s.value('func')) + 1n; // after the 1-byte PUSH RBX
    const ib = await s.request<DebugProtocol.SetInstructionBreakpointsResponse>('setInstructionBreakpoints', { breakpoints: [{ instructionReference: '0x' + (target - 1n).toString(16), offset: 1 }] });
    assert.equal(ib.body.breakpoints[0].verified, true);
    const stop2 = await cont(s);
    assert.equal(stop2.reason, 'instruction breakpoint');
    assert.equal(BigInt(stop2.x86dbg.pc), target);
    assert.equal((await s.topFrame()).line, line('mov ecx, 3'));
  });

  it('a write watch on a dd label (4 bytes from the directive) stops after the write, naming the instruction and its line', async () => {
    s = await started();
    const info = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: 'counter' });
    assert.match(info.body.description, /counter \(4 bytes at 0x[0-9a-f]+\)/);
    assert.deepEqual(info.body.accessTypes, ['write', 'read', 'readWrite']);
    const set = await s.request<DebugProtocol.SetDataBreakpointsResponse>('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
    assert.equal(set.body.breakpoints[0].verified, true);
    const stop = await go(s);
    assert.equal(stop.reason, 'data breakpoint');
    assert.equal(stop.description, 'Paused on DR0 write watchpoint');
    assert.equal(stop.x86dbg.dr6, 0xffff0ff1);
    assert.equal((stop.x86dbg.dr7 >>> 16) & 0xf, 0xd, 'R/W0 = 01, LEN0 = 11');
    assert.equal((await s.topFrame()).line, line('add dword [counter]'), 'trap: stopped at the next instruction');
    assert.match(stop.x86dbg ? (stop as { text?: string }).text ?? '' : '', /0x00000000 → 0x00000005 by `mov dword \[.*\], 0x5` at 0x[0-9a-f]+ \(watch64\.asm:\d+: mov dword \[counter\], 5\)/);
    assert.ok(((stop as { text?: string }).text ?? '').includes(`watch64.asm:${line('mov dword [counter], 5')}`));
    assert.ok(((stop as { text?: string }).text ?? '').startsWith('DR6 = 0xFFFF0FF1 (B0)'));
    const stop2 = await cont(s);
    assert.match((stop2 as { text?: string }).text ?? '', /0x00000005 → 0x00000006/);
  });

  it('a read watch is R/W 11 with writes filtered: MOV to it does not stop, ADD (read-modify-write) and a load do', async () => {
    s = await started();
    const set = await dataBp(s, 'counter', 'read');
    assert.match(set.body.breakpoints[0].message ?? '', /R\/W = 11; writes are filtered out/);
    const stop = await go(s);
    assert.equal(stop.reason, 'data breakpoint');
    assert.equal(stop.description, 'Paused on DR0 read watchpoint');
    assert.equal((await s.topFrame()).line, line('mov ebx, [counter]'), 'the MOV store was filtered; ADD stopped');
    const stop2 = await cont(s);
    assert.equal((await s.topFrame()).line, line('call func'));
    assert.match((stop2 as { text?: string }).text ?? '', /read at/);
  });

  it('two slots firing at once: hitBreakpointIds has both and DR6 = B0|B1', async () => {
    s = await started();
    const i = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: 'counter' });
    const set = await s.request<DebugProtocol.SetDataBreakpointsResponse>('setDataBreakpoints', {
      breakpoints: [
        { dataId: i.body.dataId, accessType: 'write' },
        { dataId: i.body.dataId, accessType: 'readWrite' },
      ],
    });
    const ids = set.body.breakpoints.map((b) => b.id);
    const stop = await go(s);
    assert.equal(stop.x86dbg.dr6, 0xffff0ff3);
    assert.deepEqual(stop.hitBreakpointIds, ids);
  });

  it('identical slots are shared: a source and an instruction breakpoint on one address use one slot (ref 2) and both hit', async () => {
    s = await started();
    const src = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: WATCH }, breakpoints: [{ line: line('mov ebx, [counter]') }] });
    const addr = src.body.breakpoints[0].instructionReference!;
    const ib = await s.request<DebugProtocol.SetInstructionBreakpointsResponse>('setInstructionBreakpoints', { breakpoints: [{ instructionReference: addr }] });
    const r = await regs(s);
    assert.deepEqual(r.debugger.slots[0].breakpointIds, [src.body.breakpoints[0].id, ib.body.breakpoints[0].id]);
    assert.equal(r.debugger.slots[1].kind, 'vacant');
    const stop = await go(s);
    assert.deepEqual(stop.hitBreakpointIds, [src.body.breakpoints[0].id, ib.body.breakpoints[0].id]);
    assert.equal(stop.reason, 'breakpoint');
  });

  it('an unaligned region is split into aligned slots (GDB algorithm) and any of them stops it', async () => {
    s = await started();
    const bufAddr = await s.value('buf + 0'); // a bare data label shows its value; in arithmetic it is its address
    const set = await dataBp(s, '0x' + (bufAddr + 1n).toString(16), 'write', {}, { asAddress: true, bytes: 4 });
    assert.equal(set.body.breakpoints[0].message, 'DR0, DR1, DR2');
    const r = await regs(s);
    assert.deepEqual(
      r.debugger.slots.slice(0, 3).map((x) => [x.address - Number(bufAddr), x.len]),
      [
        [1, 1],
        [2, 2],
        [4, 1],
      ],
    );
    const stop = await go(s);
    assert.equal(stop.x86dbg.dr6, 0xffff0ff2, 'mov byte [buf+3] hits DR1 (buf+2, 2 bytes)');
    assert.equal((await s.topFrame()).line, line('mov word [pair+2]'));
    const stop2 = await cont(s);
    assert.equal(stop2.x86dbg.dr6, 0xffff0ff7, 'mov qword [buf] covers all three slots');
  });

  it('conditions are evaluated when the slot fires', async () => {
    s = await started();
    await s.request('setBreakpoints', { source: { path: WATCH }, breakpoints: [{ line: line('dec ecx'), condition: 'ecx == 1' }] });
    await go(s);
    assert.equal(await s.value('ecx'), 1n);
  });

  it('hit counts count the hits of the slot', async () => {
    s = await started();
    await s.request('setBreakpoints', { source: { path: WATCH }, breakpoints: [{ line: line('dec ecx'), hitCondition: '3' }] });
    await go(s);
    assert.equal(await s.value('ecx'), 1n);
  });

  it('a logpoint logs with {expr} interpolation and does not stop', async () => {
    s = await started();
    await s.request('setBreakpoints', { source: { path: WATCH }, breakpoints: [{ line: line('dec ecx'), logMessage: 'ecx={ecx}' }] });
    await s.request('configurationDone');
    await s.next('terminated');
    const logs = s.transcript.filter((e) => e.kind === 'event' && e.event === 'output').map((e) => ((e as { body?: { output?: string } }).body?.output ?? '')).filter((o) => o.startsWith('ecx='));
    assert.deepEqual(logs, ['ecx=0x3\n', 'ecx=0x2\n', 'ecx=0x1\n']);
    assert.equal(s.pending('stopped').length, 0);
  });

  it('software mode: unlimited breakpoints kept by the emulator, not in DR7', async () => {
    s = await started();
    const lines = ['mov eax, 1', 'mov dword [counter], 5', 'add dword [counter]', 'mov ebx, [counter]', 'call func', 'mov byte [buf+3]'].map((t) => ({ line: line(t), mode: 'software' }));
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: WATCH }, breakpoints: lines });
    assert.ok(set.body.breakpoints.every((b) => b.verified));
    const stop = await go(s);
    assert.equal(stop.reason, 'breakpoint');
    assert.equal(stop.x86dbg.dr6, 0);
    assert.equal(stop.x86dbg.dr7 & 0xff, 0);
    assert.match(stop.description ?? '', /software breakpoint/);
    await cont(s);
    assert.equal((await s.topFrame()).line, line('mov dword [counter], 5'));
  });

  it('hybrid launch mode: DR0–DR3 first, then software breakpoints', async () => {
    s = await started({ breakpointMode: 'hybrid' });
    const lines = ['mov eax, 1', 'mov dword [counter], 5', 'add dword [counter]', 'mov ebx, [counter]', 'call func'].map((t) => ({ line: line(t) }));
    const set = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: WATCH }, breakpoints: lines });
    assert.deepEqual(set.body.breakpoints.map((b) => b.verified), [true, true, true, true, true]);
    assert.match(set.body.breakpoints[4].message ?? '', /Software breakpoint/);
    let stop = await go(s);
    for (let i = 0; i < 4; i++) stop = await cont(s);
    assert.equal((await s.topFrame()).line, line('call func'));
    assert.match(stop.description ?? '', /software/);
  });

  it('dataBreakpointInfo with a Symbols reference from before the last stop still resolves the label (a client may ask with a row it drew then)', async () => {
    s = await started({ stopOnEntry: true });
    await go(s);
    const sc = await s.request<DebugProtocol.ScopesResponse>('scopes', { frameId: 0 });
    const oldRef = sc.body.scopes.find((x) => x.name === 'Symbols')!.variablesReference;
    await s.request('stepIn', { threadId: 1, granularity: 'instruction' });
    await s.stopped();
    const sc2 = await s.request<DebugProtocol.ScopesResponse>('scopes', { frameId: 0 });
    const refs = new Set(sc2.body.scopes.map((x) => x.variablesReference));
    const stale = [oldRef, 999_999].find((r) => !refs.has(r))!;
    const r = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: 'counter', variablesReference: stale });
    assert.ok(r.body.dataId, r.body.description);
    assert.match(r.body.description, /counter \(4 bytes/);
  });

  it('registers cannot be watched: dataBreakpointInfo says why', async () => {
    s = await started({ stopOnEntry: true });
    await go(s);
    const r = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: 'rax' });
    assert.equal(r.body.dataId, null);
    assert.match(r.body.description, /not registers/);
    const sc = await s.request<DebugProtocol.ScopesResponse>('scopes', { frameId: 0 });
    const regsRef = sc.body.scopes.find((x) => x.name === 'Registers')!.variablesReference;
    const r2 = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: 'rbx', variablesReference: regsRef });
    assert.equal(r2.body.dataId, null);
    const symRef = sc.body.scopes.find((x) => x.name === 'Symbols')!.variablesReference;
    const r3 = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: 'big', variablesReference: symRef });
    assert.match(r3.body.description, /big \(8 bytes/);
    const r4 = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: 'buf' });
    assert.match(r4.body.description, /buf \(16 bytes/);
  });
});
