// DAP sessions in the bare environment: `environment: "bare"` with the image's own ORG, `org` as a
// hex string for a flat binary (bare implied), a bad `org` refused at launch; the guest that
// programs its own DR0/DR7 debugged with a debugger breakpoint in its #DB handler — both layers
// shown by x86dbg.debugRegisters (the guest's DR0 = &counter, DR7 = 000D0401h, DR6 with B0; the
// debugger's DR0 = the breakpoint), the guest's #DB not a stop of its own, and the exit code.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { TestSession } from './harness';
import type { DebugRegistersBody, X86StoppedEventBody } from '../../src/adapter/protocol';

const EXAMPLES = path.resolve(__dirname, '../../examples');
const DR7_EXAMPLE = path.join(EXAMPLES, 'bare-guest-dr7.asm');
const LONG_MODE_EXAMPLE = path.join(EXAMPLES, 'bare-long-mode.asm');

function lineIn(file: string, text: string): number {
  const i = fs.readFileSync(file, 'utf8').split('\n').findIndex((l) => l.includes(text));
  assert.ok(i >= 0, text);
  return i + 1;
}

function stdout(s: TestSession): string {
  return s.transcript
    .filter((e): e is Extract<typeof e, { kind: 'event' }> => e.kind === 'event' && e.event === 'output' && (e.body as { category?: string }).category === 'stdout')
    .map((e) => (e.body as { output: string }).output)
    .join('');
}

describe('DAP: bare metal', function () {
  this.timeout(30000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('a breakpoint in the guest\'s own #DB handler: both DR layers in x86dbg.debugRegisters, three hits, exit 0', async () => {
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: DR7_EXAMPLE, environment: 'bare' });
    assert.ok(r.success, r.message);
    const line = lineIn(DR7_EXAMPLE, 'inc qword [rel hits]');
    const bp = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: DR7_EXAMPLE }, breakpoints: [{ line }] });
    assert.equal(bp.body.breakpoints[0].verified, true);
    await s.request('configurationDone');
    const counter = Number(await s.value('counter + 0'));
    for (let hit = 1; hit <= 3; hit++) {
      const st = (await s.stopped()).body as X86StoppedEventBody;
      assert.equal(st.reason, 'breakpoint', `stop ${hit}: the debugger's slot, not the guest's #DB`);
      assert.equal((await s.topFrame()).line, line);
      const regs: DebugProtocol.Response & { body: DebugRegistersBody } = await s.request('x86dbg.debugRegisters');
      const guest: DebugRegistersBody['guest'] = regs.body.guest;
      assert.ok(guest !== null);
      assert.deepEqual([guest.dr[0], guest.dr7 >>> 0, guest.dr6 >>> 0], [counter, 0x000d0401, 0xffff0ff1], `stop ${hit}: the guest's DR0/DR7 and the DR6 its handler reads`);
      assert.equal(regs.body.debugger.slots[0].kind, 'exec');
      assert.equal(regs.body.debugger.dr6 >>> 0, 0xffff0ff1, 'the debugger layer\'s own DR6: B0 of its DR0');
      assert.equal(await s.value('hits'), BigInt(hit - 1));
      await s.request('continue', { threadId: 1 });
    }
    const exited = await s.next('exited');
    assert.equal((exited.body as { exitCode: number }).exitCode, 0);
    assert.match(stdout(s), /hits=3\n$/);
  });

  it('a flat binary with org "0x7c00" (bare implied), bits 16: stops on entry at 0000:7C00, runs to long mode', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-dap-bare-'));
    const img = path.join(dir, 'lm.img');
    assert.equal(spawnSync('nasm', ['-f', 'bin', '-o', img, LONG_MODE_EXAMPLE]).status, 0);
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: img, org: '0x7c00', bits: 16, stopOnEntry: true });
    assert.ok(r.success, r.message);
    await s.request('configurationDone');
    const st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'entry');
    assert.equal(st.x86dbg.pc, 0x7c00);
    assert.equal(await s.value('cs'), 0n);
    assert.equal(await s.value('ip'), 0x7c00n);
    await s.request('continue', { threadId: 1 });
    const exited = await s.next('exited');
    assert.equal((exited.body as { exitCode: number }).exitCode, 0);
    assert.match(stdout(s), /protected mode\nlong mode: EFER=0000000000000500/);
  });

  it('a guest waiting in HLT for a COM1 receive interrupt gets its bytes from x86dbg.input', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-dap-bare-'));
    const src = path.join(dir, 'serial.asm');
    fs.writeFileSync(src, [
      'bits 16', 'org 0x7c00',
      ' xor ax, ax', ' mov ds, ax',
      ' mov word [0x24 * 4], serial', ' mov word [0x24 * 4 + 2], 0',
      ' mov al, 0x11', ' out 0x20, al', ' mov al, 0x20', ' out 0x21, al', ' mov al, 4', ' out 0x21, al', ' mov al, 1', ' out 0x21, al',
      ' mov al, 0xef', ' out 0x21, al',
      ' mov dx, 0x3fc', ' mov al, 0x08', ' out dx, al',
      ' mov dx, 0x3f9', ' mov al, 1', ' out dx, al',
      ' sti',
      'idle: hlt', ' cmp byte [done], 0', ' je idle',
      ' cli', ' hlt',
      'serial: push ax', ' push dx',
      'more: mov dx, 0x3fd', ' in al, dx', ' test al, 1', ' jz eoi',
      ' mov dx, 0x3f8', ' in al, dx', ' cmp al, 10', ' jne echo', ' mov byte [done], 1',
      'echo: out 0xe9, al', ' jmp more',
      'eoi: mov al, 0x20', ' out 0x20, al', ' pop dx', ' pop ax', ' iret',
      'done: db 0', '',
    ].join('\n'));
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: src, environment: 'bare', bits: 16, console: 'debugConsole' });
    assert.ok(r.success, r.message);
    await s.request('configurationDone');
    await new Promise((resolve) => setTimeout(resolve, 300));
    assert.equal(s.pending('exited').length, 0, 'still waiting for input');
    const sent = await s.request('x86dbg.input', { text: 'typed\n' });
    assert.ok(sent.success, sent.message);
    const exited = await s.next('exited');
    assert.equal((exited.body as { exitCode: number }).exitCode, 0);
    assert.equal(stdout(s), 'typed\n');
  });

  it('a bad org is refused at launch with a message', async () => {
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: DR7_EXAMPLE, environment: 'bare', org: 'far away' });
    assert.equal(r.success, false);
    assert.match(r.message ?? '', /org.*must be a number/);
  });
});
