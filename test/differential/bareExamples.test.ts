// The bare-metal examples and the `bare` command line, through `x86dbg run`: the boot-sector guest
// that enters long mode by itself (also as the 512-byte image nasm builds, loaded with --org), the
// guest that programs its own DR0/DR7 and handles #DB (RIPs checked against the labels' addresses in
// nasm's listing), --org/--bits/--env errors, a triple fault's exit status, and --help.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { cliCommand } from './programsHarness';

const REPO = path.join(__dirname, '../..');
const example = (name: string): string => path.join(REPO, 'examples', name);

/** `x86dbg ARGS` (X86DBG_CLI names another build of the CLI, e.g. one made while the tree is busy). */
function x86dbg(args: readonly string[], input = ''): { status: number; stdout: string; stderr: string } {
  const cmd = process.env.X86DBG_CLI !== undefined ? [process.execPath, process.env.X86DBG_CLI] : cliCommand();
  const r = spawnSync(cmd[0], [...cmd.slice(1), ...args], { input, timeout: 60000, cwd: REPO });
  if (r.error) throw r.error;
  return { status: r.status ?? -1, stdout: r.stdout.toString('latin1'), stderr: r.stderr.toString('utf8') };
}

let dir: string | undefined;
function nasm(source: string, extra: string[] = []): string {
  dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bare-'));
  const out = path.join(dir, path.basename(source).replace(/\.asm$/, '.bin'));
  const r = spawnSync('nasm', ['-f', 'bin', '-o', out, ...extra, source]);
  assert.equal(r.status, 0, r.stderr?.toString());
  return out;
}

const LONG_MODE_OUTPUT = 'real mode: COM1 ready\r\nA20 off\r\nA20 on\r\nprotected mode\nlong mode: EFER=0000000000000500 CR0=00000000E0000011\n';

describe('bare metal through x86dbg run', function () {
  this.timeout(120000);

  it('examples/bare-long-mode.asm: real mode → COM1, A20 via port 92h, own GDT, protected mode, own page tables, long mode', () => {
    const r = x86dbg(['run', example('bare-long-mode.asm'), '--env', 'bare']);
    assert.deepEqual([r.stdout, r.stderr, r.status], [LONG_MODE_OUTPUT, '', 0]);
  });

  it('the same as the 512-byte image nasm builds (boot signature), loaded with --org 0x7c00 (--env bare implied)', () => {
    const img = nasm(example('bare-long-mode.asm'));
    const bytes = fs.readFileSync(img);
    assert.deepEqual([bytes.length, bytes[510], bytes[511]], [512, 0x55, 0xaa]);
    const r = x86dbg(['run', img, '--org', '0x7c00', '--bits', '16']);
    assert.deepEqual([r.stdout, r.status], [LONG_MODE_OUTPUT, 0]);
  });

  it('examples/bare-guest-dr7.asm: the guest\'s own DR0/DR7 watch fires #DB through its IDT after each write (RIP = next instruction)', () => {
    const listing = path.join(dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bare-')), 'dr7.lst');
    nasm(example('bare-guest-dr7.asm'), ['-l', listing]);
    // nasm's listing: "line offset bytes source"; labels sit on their own lines with the offset of what follows.
    const lines = fs.readFileSync(listing, 'utf8').split('\n');
    const addressOf = (label: string): number => {
      const i = lines.findIndex((l) => new RegExp(`\\s${label}:\\s*$`).test(l));
      assert.ok(i >= 0, label);
      const next = lines.slice(i + 1).find((l) => /^\s*\d+\s+[0-9A-F]{8}\s/.test(l)) as string;
      return 0x100000 + parseInt(next.trim().split(/\s+/)[1], 16);
    };
    const rip = (label: string): string => addressOf(label).toString(16).toUpperCase().padStart(8, '0');
    const r = x86dbg(['run', example('bare-guest-dr7.asm'), '--env', 'bare']);
    assert.equal(r.stdout, [
      'DR0 = &counter, DR7 = 000D0401',
      `#DB DR6=FFFF0FF1 RIP=${rip('after_write')}`,
      `#DB DR6=FFFF0FF1 RIP=${rip('after_add')}`,
      `#DB DR6=FFFF0FF1 RIP=${rip('after_byte')}`,
      'hits=3',
      '',
    ].join('\n'));
    assert.equal(r.status, 0);
  });

  it('COM1 polled receive reads the process\'s stdin; transmit goes to stdout', () => {
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bare-'));
    const src = path.join(dir, 'upcase.asm');
    fs.writeFileSync(src, [
      'bits 16', 'org 0x7c00',
      'next: mov dx, 0x3fd',
      'poll: in al, dx', ' test al, 1', ' jz poll',
      ' mov dx, 0x3f8', ' in al, dx', ' mov bl, al',
      " cmp al, 'a'", ' jb send', " cmp al, 'z'", ' ja send', ' sub al, 32',
      'send: out dx, al', ' cmp bl, 10', ' jne next',
      ' hlt', '',
    ].join('\n'));
    const r = x86dbg(['run', src, '--env', 'bare'], 'serial line 1\n');
    assert.deepEqual([r.stdout, r.status], ['SERIAL LINE 1\n', 0]);
  });

  it('a triple fault ends with a message and a non-zero status', () => {
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-bare-'));
    const src = path.join(dir, 'triple.asm');
    // An IDT whose every gate is not present: #UD → #NP → #DF → #NP again → shutdown.
    fs.writeFileSync(src, 'bits 32\norg 0x100000\nlidt [desc]\nud2\ndesc: dw 255\ndd idt\nidt: times 256 db 0\n');
    const r = x86dbg(['run', src, '--env', 'bare']);
    assert.notEqual(r.status, 0);
    assert.match(r.stderr, /triple fault/i);
  });

  it('usage: bad --org, --org with another environment, --help lists --org', () => {
    const bad = x86dbg(['run', example('bare-guest-dr7.asm'), '--org', 'lots']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--org: the load address \(org\) must be a number/);
    const dos = x86dbg(['run', example('hello-dos.asm'), '--env', 'dos', '--org', '0x100']);
    assert.equal(dos.status, 2);
    assert.match(dos.stderr, /bare environment only/);
    const help = x86dbg(['run', '--help']);
    assert.match(help.stdout, /--org ADDR/);
    assert.match(help.stdout, /bare: 16 = real mode/);
  });
});
