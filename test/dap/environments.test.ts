// DAP tests of the other environments and modes: a DOS .COM (16-bit, load segment ≠ 0, so program
// addresses are shifted by the load base), a boot sector (BIOS output, HLT ends the session), and
// the stand-alone server `x86dbg dap --port`.
import { strict as assert } from 'assert';
import * as cp from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { ADAPTER, TestSession, fixture, lineOf } from './harness';
import type { X86StoppedEventBody } from '../../src/adapter/protocol';

function stdout(s: TestSession): string {
  return s.transcript
    .filter((e): e is Extract<typeof e, { kind: 'event' }> => e.kind === 'event' && e.event === 'output' && (e.body as { category?: string }).category === 'stdout')
    .map((e) => (e.body as { output: string }).output)
    .join('');
}

describe('DAP: environments', function () {
  this.timeout(20000);
  let s: TestSession | undefined;
  afterEach(async () => {
    await s?.stop();
    s = undefined;
  });

  it('DOS .COM: breakpoint by line, 16-bit registers, a watch on a dw, output and exit code', async () => {
    const file = fixture('hello-dos.asm');
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: file });
    assert.ok(r.success, r.message);
    const bp = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: file }, breakpoints: [{ line: lineOf('hello-dos.asm', 'int 21h') }] });
    assert.equal(bp.body.breakpoints[0].verified, true);
    const info = await s.request<DebugProtocol.DataBreakpointInfoResponse>('dataBreakpointInfo', { name: 'count' });
    assert.match(info.body.description, /count \(2 bytes/);
    await s.request('setDataBreakpoints', { breakpoints: [{ dataId: info.body.dataId, accessType: 'write' }] });
    await s.request('configurationDone');
    const st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'breakpoint');
    assert.equal((await s.topFrame()).line, lineOf('hello-dos.asm', 'int 21h'));
    const regs = await s.scope('Registers');
    assert.deepEqual(regs.map((v) => v.name).slice(0, 4), ['ax', 'bx', 'cx', 'dx']);
    assert.ok(regs.some((v) => v.name === 'ip') && regs.some((v) => v.name === 'flags'));
    assert.equal(await s.value('ah'), 9n);
    assert.equal(await s.value('dx + cs * 16'), await s.value('msg + 0'), 'DX holds the offset; labels evaluate to linear addresses');
    await s.request('continue', { threadId: 1 });
    const st2 = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st2.reason, 'data breakpoint');
    assert.match(st2.description ?? '', /DR1 write watchpoint/);
    assert.match((st2 as { text?: string }).text ?? '', /0x0029 → 0x002a/);
    await s.request('continue', { threadId: 1 });
    const exited = await s.next('exited');
    assert.equal((exited.body as { exitCode: number }).exitCode, 2);
    assert.equal(stdout(s), 'dos hi\r\n');
  });

  it('boot sector: BIOS teletype output, breakpoint, HLT with IF=0 ends the session', async () => {
    const file = fixture('boot.asm');
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: file });
    assert.ok(r.success, r.message);
    await s.request('setBreakpoints', { source: { path: file }, breakpoints: [{ line: lineOf('boot.asm', 'cli') }] });
    await s.request('configurationDone');
    await s.stopped();
    assert.equal(await s.value('byte [flag]'), 1n);
    assert.equal(await s.value('ip'), await s.value('flag - 2'));
    await s.request('continue', { threadId: 1 });
    await s.next('terminated');
    assert.equal(stdout(s), 'B');
  });

  it('an ELF built by nasm + ld: DWARF lines give source breakpoints, .symtab gives labels', async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-dap-elf-'));
    const src = path.join(dir, 'hello64.asm');
    fs.copyFileSync(fixture('hello64.asm'), src);
    try {
      cp.execFileSync('nasm', ['-f', 'elf64', '-g', '-F', 'dwarf', '-o', path.join(dir, 'hello64.o'), src]);
      cp.execFileSync('ld', ['-o', path.join(dir, 'hello64'), path.join(dir, 'hello64.o')]);
    } catch {
      this.skip();
    }
    s = new TestSession();
    await s.start();
    const r = await s.launch({ program: path.join(dir, 'hello64') });
    assert.ok(r.success, r.message);
    const line = lineOf('hello64.asm', 'add qword [total], rdi');
    const bp = await s.request<DebugProtocol.SetBreakpointsResponse>('setBreakpoints', { source: { path: src }, breakpoints: [{ line }] });
    assert.equal(bp.body.breakpoints[0].verified, true, bp.body.breakpoints[0].message);
    await s.request('configurationDone');
    const st = (await s.stopped()).body as X86StoppedEventBody;
    assert.equal(st.reason, 'breakpoint');
    const top = await s.topFrame();
    assert.equal(top.line, line);
    assert.equal(top.source?.path, src);
    assert.match(top.name, /^addone/);
    await s.request('setBreakpoints', { source: { path: src }, breakpoints: [] });
    await s.request('continue', { threadId: 1 });
    const exited = await s.next('exited');
    assert.equal((exited.body as { exitCode: number }).exitCode, 3);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('a message that is not JSON is reported and the session answers the next request', async () => {
    const child = cp.spawn(process.execPath, [ADAPTER], { stdio: ['pipe', 'pipe', 'ignore'] });
    try {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
      const frame = (body: string): string => `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`;
      child.stdin!.write(frame('{not json'));
      child.stdin!.write(frame(JSON.stringify({ seq: 1, type: 'request', command: 'initialize', arguments: { adapterID: 'x86dbg', pathFormat: 'path' } })));
      const deadline = Date.now() + 10000;
      while (!out.includes('"command":"initialize"') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      assert.match(out, /ignored a malformed message/);
      assert.match(out, /"command":"initialize","success":true/);
    } finally {
      child.kill();
    }
  });

  it('x86dbg dap --port serves sessions on a loopback port', async () => {
    const cli = path.resolve(__dirname, '../../dist/cli.js');
    const child = cp.spawn(process.execPath, [cli, 'dap', '--port', '0'], { stdio: ['ignore', 'ignore', 'pipe'] });
    try {
      const port = await new Promise<number>((resolve, reject) => {
        let err = '';
        child.stderr!.on('data', (d: Buffer) => {
          err += d.toString();
          const m = /listening on 127\.0\.0\.1:(\d+)/.exec(err);
          if (m) resolve(Number(m[1]));
        });
        child.on('exit', (code) => reject(new Error(`x86dbg dap exited with ${code}: ${err}`)));
      });
      const dc = new DebugClient('node', '', 'x86dbg');
      await dc.start(port);
      const init = await dc.initializeRequest();
      assert.equal(init.body?.supportsDataBreakpoints, true);
      const stopped = dc.waitForEvent('stopped');
      await dc.launchRequest({ program: fixture('watch64.asm'), environment: 'bare', stopOnEntry: true } as DebugProtocol.LaunchRequestArguments);
      await dc.configurationDoneRequest();
      assert.equal(((await stopped).body as X86StoppedEventBody).reason, 'entry');
      await dc.stop();
    } finally {
      child.kill();
    }
  });
});
