// DAP tests of bare-metal state in the views: a guest that enters protected mode with its own GDT
// and IDT — the Segments scope decodes the descriptor attributes (type, S, DPL, P, L, D/B, G), the
// Control scope CR0/CR4/EFER bit by bit with GDTR/IDTR/LDTR/TR, a #UD the guest handles is not a
// stop, and the guest's own DR0/DR7 writes show in the Debug scope and x86dbg.debugRegisters.
// A 64-bit bare start shows long mode (CS.L, EFER.LME/LMA, CR0.PG, CR4.PAE).
import { strict as assert } from 'assert';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TestSession, fixture, lineOf } from './harness';
import type { DebugRegistersBody, X86StoppedEventBody } from '../../src/adapter/protocol';

const PM = fixture('barepm.asm');

describe('DAP: bare-metal state in the scopes', function () {
  this.timeout(20000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  /** Children of a named variable of a scope, as name → value. */
  async function children(scope: string, name: string): Promise<Record<string, string>> {
    const v = (await s!.scope(scope)).find((x) => x.name === name);
    assert.ok(v && v.variablesReference > 0, `${scope}/${name} has children`);
    const r = await s!.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: v.variablesReference });
    return Object.fromEntries(r.body.variables.map((x) => [x.name, x.value]));
  }

  it('protected mode with its own GDT/IDT: segment attributes, CR0 bits, GDTR/IDTR, a handled #UD, the guest DR7', async () => {
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: PM, environment: 'bare' });
    assert.ok(r.success, r.message);
    await s.request('setBreakpoints', { source: { path: PM }, breakpoints: [{ line: lineOf('barepm.asm', 'ready:') }] });
    await s.request('configurationDone');
    const st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'breakpoint', 'the #UD went to the guest handler, no exception stop');
    assert.equal(await s.value('dword [ud_count]'), 1n);

    const cs = await children('Segments', 'cs');
    assert.equal(cs.selector, '0x0008');
    assert.equal(cs.index, '1');
    assert.equal(cs.RPL, '0');
    assert.match(cs.type, /^1[01]1[01] \(code, execute\/read/);
    assert.deepEqual([cs.S, cs.DPL, cs.P, cs.L, cs['D/B'], cs.G], ['1', '0', '1', '0', '1', '1']);
    assert.equal(cs.limit, '0xffffffff');
    const ds = await children('Segments', 'ds');
    assert.match(ds.type, /data, read\/write/);
    const segs = await s.scope('Segments');
    assert.match(segs.find((x) => x.name === 'ss')!.value, /^0x0010 .*data, read\/write.* · DPL 0 · 32-bit/);

    const control = await s.scope('Control');
    assert.match(control.find((x) => x.name === 'cr0')!.value, /\(PE.*\)/);
    const cr0 = await children('Control', 'cr0');
    assert.deepEqual([cr0.PE, cr0.PG], ['1', '0']);
    const gdtr = await children('Control', 'GDTR');
    assert.equal(gdtr.base, '0x' + (await s.value('gdt + 0')).toString(16));
    assert.equal(gdtr.limit, '0x17');
    const idtr = await children('Control', 'IDTR');
    assert.equal(idtr.base, '0x' + (await s.value('idt + 0')).toString(16));
    assert.equal(idtr.limit, '0x7ff');
    assert.equal(control.find((x) => x.name === 'CPL')!.value, '0');

    const dr = (await s.request('x86dbg.debugRegisters')).body as DebugRegistersBody;
    assert.equal(dr.guest?.dr[0], Number(await s.value('watched + 0')));
    assert.equal((dr.guest?.dr7 ?? 0) >>> 0, 0x000d0401);
    assert.equal(dr.debugger.slots[0].kind, 'exec', "the debugger's own slot holds the breakpoint");
    const debug = await s.scope('Debug');
    const guestRef = debug.find((x) => x.name === 'guest')!.variablesReference;
    const guest = await s.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: guestRef });
    assert.equal(guest.body.variables.find((x) => x.name === 'DR7')!.value, '0x000d0401');
  });

  it('a 64-bit bare start: CS.L, EFER LME/LMA, CR0.PG, CR4.PAE, and setting a CR4 bit through its field', async () => {
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: fixture('fault64.asm'), environment: 'bare', stopOnEntry: true });
    assert.ok(r.success, r.message);
    await s.request('configurationDone');
    await s.stopped();
    const cs = await children('Segments', 'cs');
    assert.deepEqual([cs.L, cs['D/B']], ['1', '0']);
    const efer = await children('Control', 'efer');
    assert.deepEqual([efer.LME, efer.LMA], ['1', '1']);
    const cr0 = await children('Control', 'cr0');
    assert.deepEqual([cr0.PE, cr0.PG], ['1', '1']);
    const cr4 = await children('Control', 'cr4');
    assert.equal(cr4.PAE, '1');
    assert.equal(cr4.DE, '0');
    const ref = (await s.scope('Control')).find((x) => x.name === 'cr4')!.variablesReference;
    const set = await s.request<DebugProtocol.SetVariableResponse>('setVariable', { variablesReference: ref, name: 'DE', value: '1' });
    assert.ok(set.success, set.message);
    assert.equal(set.body.value, '1');
    assert.equal((await s.value('cr4')) & 8n, 8n);
  });

  it('paging on: the evaluator, readMemory and writeMemory use linear addresses (an alias mapping shows the same bytes)', async () => {
    const file = fixture('barepaging.asm');
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: file, environment: 'bare', bits: 32 });
    assert.ok(r.success, r.message);
    await s.request('setBreakpoints', { source: { path: file }, breakpoints: [{ line: lineOf('barepaging.asm', 'paged:') }] });
    await s.request('configurationDone');
    await s.stopped();
    const cr0 = await children('Control', 'cr0');
    assert.equal(cr0.PG, '1');
    const magic = Number(await s.value('magic + 0'));
    const alias = 0x400000 + (magic & 0x3fffff);
    assert.notEqual(alias, magic);
    assert.equal(await s.value('ebx'), 0xcafef00dn, 'the guest read it through the alias');
    assert.equal(await s.value(`dword [0x${alias.toString(16)}]`), 0xcafef00dn);
    const rm = await s.request<DebugProtocol.ReadMemoryResponse>('readMemory', { memoryReference: '0x' + alias.toString(16), count: 4 });
    assert.deepEqual([...Buffer.from(rm.body!.data!, 'base64')], [0x0d, 0xf0, 0xfe, 0xca]);
    const wm = await s.request('writeMemory', { memoryReference: '0x' + alias.toString(16), data: Buffer.from([0x11, 0x22, 0x33, 0x44]).toString('base64') });
    assert.ok(wm.success, wm.message);
    assert.equal(await s.value('magic'), 0x44332211n, 'written through the alias, read at the label');
    const unmapped = await s.request<DebugProtocol.ReadMemoryResponse>('readMemory', { memoryReference: '0x800000', count: 4 });
    assert.equal(unmapped.body!.unreadableBytes, 4, 'linear 8 MiB has no page table entry');
  });
});
