// Whole programs against the real CPU (issue 3): every NASM program in programs/ is built with nasm +
// ld and run natively; the emulator runs the same ELF bytes (and the .asm through our assembler) in
// its linux environment; stdout and exit status (128 + signal for faults) must match. This kernel
// cannot execute 32-bit code, so 32-bit programs compare with their independently computed
// .expected output instead (and with the native run wherever 32-bit code does execute).
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { assemble } from '../../src/asm/assembler';
import * as os from 'os';
import { PROGRAM_DIR, buildNative, cliCommand, listPrograms, runCli, runElfEmulated, runEmulated, runNative, toolsAvailable, type RunOutcome } from './programsHarness';

const cases = listPrograms();

const nativeRuns = new Map<string, RunOutcome | null>();

function reference(c: (typeof cases)[number], exe: string): { truth: RunOutcome; source: string } {
  if (!nativeRuns.has(c.name)) nativeRuns.set(c.name, runNative(exe, c.stdin, c.bits));
  const native = nativeRuns.get(c.name);
  if (native) return { truth: native, source: 'native run' };
  assert.ok(c.expected, `${c.name}: cannot run natively here and has no .expected file`);
  return { truth: c.expected, source: '.expected (no native 32-bit execution on this kernel)' };
}

function same(actual: RunOutcome, truth: RunOutcome, what: string): void {
  assert.equal(actual.stdout, truth.stdout, `${what}: stdout differs${actual.detail ? ' (' + actual.detail + ')' : ''}`);
  assert.equal(actual.status, truth.status, `${what}: exit status ${actual.status} instead of ${truth.status}${actual.detail ? ' (' + actual.detail + ')' : ''}`);
}

describe('whole programs: emulator vs the real CPU (nasm + ld)', function () {
  this.timeout(60000);
  before(function () {
    if (!toolsAvailable()) throw new Error('nasm and ld are required (CI installs them)');
  });

  it('has at least 30 programs compared with native runs and both classes covered', () => {
    assert.ok(cases.filter((c) => c.bits === 64).length >= 30);
    assert.ok(cases.filter((c) => c.bits === 32).length >= 10);
    assert.ok(cases.some((c) => c.stdin.length > 0));
  });

  for (const c of cases) {
    it(`${c.name} (${c.bits}-bit ELF from nasm + ld)`, () => {
      const exe = buildNative(c);
      const { truth, source } = reference(c, exe);
      same(runElfEmulated(exe, c.bits, c.stdin, c.allowFiles), truth, `${c.name} vs ${source}`);
    });
  }
});

describe('whole programs: the same sources through our assembler', function () {
  this.timeout(60000);
  const readFile = (p: string): Uint8Array | undefined => {
    const full = path.isAbsolute(p) ? p : path.join(PROGRAM_DIR, p);
    return fs.existsSync(full) ? new Uint8Array(fs.readFileSync(full)) : undefined;
  };
  for (const c of cases) {
    it(`${c.name} assembled by x86dbg gives the native output`, () => {
      const exe = buildNative(c);
      const { truth, source } = reference(c, exe);
      const r = assemble(c.source, { fileName: path.join(PROGRAM_DIR, c.name + '.asm'), readFile, format: c.bits === 64 ? 'elf64' : 'elf32' });
      if (!r.ok) assert.fail(`assembler errors: ${r.diagnostics.filter((d) => d.severity === 'error').slice(0, 3).map((d) => `${d.line}: ${d.message}`).join('; ')}`);
      same(runEmulated(r.program, c.bits, c.stdin, c.allowFiles), truth, `${c.name} (our assembler) vs ${source}`);
    });
  }
});

describe('x86dbg run (the command line) on the same programs', function () {
  this.timeout(120000);
  const byName = (n: string): (typeof cases)[number] => cases.find((c) => c.name === n) as (typeof cases)[number];
  const tmpFile = (name: string): string => path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-cli-')), name);

  it('an ELF64 from nasm + ld: stdout and status equal the native run', () => {
    const c = byName('sum_stdin64');
    const exe = buildNative(c);
    const native = runNative(exe, c.stdin, 64);
    const r = runCli(['run', exe], c.stdin);
    assert.equal(r.stdout, native?.stdout);
    assert.equal(r.status, native?.status);
  });

  it('guest stdin from --stdin FILE instead of the process stdin', () => {
    const c = byName('upper_stdin64');
    const exe = buildNative(c);
    const native = runNative(exe, c.stdin, 64);
    const r = runCli(['run', exe, '--stdin', path.join(PROGRAM_DIR, 'upper_stdin64.stdin')], 'ignored');
    assert.equal(r.stdout, native?.stdout);
    assert.equal(r.status, native?.status);
  });

  it('a fault: status 128 + signal, the fault described on stderr (SIGSEGV with the address)', () => {
    const exe = buildNative(byName('segv64'));
    const r = runCli(['run', exe]);
    assert.equal(r.status, 139);
    assert.equal(r.stdout, 'about to fault\n');
    assert.match(r.stderr, /SIGSEGV.*0x10\b/);
  });

  it('a 32-bit ELF and a NASM source run with the same output (class and environment inferred)', () => {
    const c = byName('hello32');
    const exe = buildNative(c);
    const fromElf = runCli(['run', exe]);
    const fromSource = runCli(['run', path.join(PROGRAM_DIR, 'hello64.asm')]);
    assert.deepEqual([fromElf.stdout, fromElf.status], [c.expected?.stdout, 3]);
    assert.deepEqual([fromSource.stdout, fromSource.status], ['Hello from 64-bit Linux!\n', 0]);
  });

  it('--max-instructions stops a run with status 124; --state writes the machine state; --initial-state resumes it', () => {
    const exe = buildNative(byName('collatz64'));
    const native = runNative(exe, Buffer.alloc(0), 64);
    const state = tmpFile('state.json');
    const stopped = runCli(['run', exe, '--max-instructions', '5000', '--state', state]);
    assert.equal(stopped.status, 124);
    assert.equal(stopped.stdout, '');
    const json = JSON.parse(fs.readFileSync(state, 'utf8')) as { registers: Record<string, string> };
    assert.ok(BigInt(json.registers.rip) >= 0x401000n);
    const resumed = runCli(['run', exe, '--initial-state', state]);
    assert.equal(resumed.stdout, native?.stdout);
    assert.equal(resumed.status, native?.status);
  });

  it('guest arguments after -- reach the guest (a .COM\'s command tail); --env dos reads a flat file as .COM', () => {
    const out = tmpFile('tail.bin');
    const nasm = spawnSync('nasm', ['-f', 'bin', '-o', out, path.join(__dirname, '../fixtures/dos/tail.asm')]);
    assert.equal(nasm.status, 0);
    const r = runCli(['run', out, '--env', 'dos', '--', 'A:', 'x y']);
    assert.deepEqual([r.stdout, r.status], ['[ A: x y]', 0]);
  });

  it('flat binaries: linux code with --env linux --bits 64, and bare 32-bit code whose final state --state records', () => {
    const src = tmpFile('flat.asm');
    fs.writeFileSync(src, 'bits 64\ndefault rel\nmov eax, 1\nmov edi, 1\nlea rsi, [msg]\nmov edx, 3\nsyscall\nmov eax, 60\nmov edi, 9\nsyscall\nmsg: db "ok", 10\n');
    const bin = src.replace(/asm$/, 'bin');
    assert.equal(spawnSync('nasm', ['-f', 'bin', '-o', bin, src]).status, 0);
    const r = runCli(['run', bin, '--env', 'linux', '--bits', '64']);
    assert.deepEqual([r.stdout, r.status], ['ok\n', 9]);
    fs.writeFileSync(src, 'bits 32\nmov eax, 0x1234\nmov ebx, eax\nshl ebx, 4\nhlt\n');
    assert.equal(spawnSync('nasm', ['-f', 'bin', '-o', bin, src]).status, 0);
    const state = tmpFile('bare.json');
    const b = runCli(['run', bin, '--bits', '32', '--state', state]);
    assert.equal(b.status, 0);
    const json = JSON.parse(fs.readFileSync(state, 'utf8')) as { registers: Record<string, string> };
    assert.deepEqual([BigInt(json.registers.rax), BigInt(json.registers.rbx)], [0x1234n, 0x12340n]);
  });

  it('--allow-file lets a linux guest open exactly that file; without it open fails like a missing file', () => {
    const c = byName('catfile64');
    const exe = buildNative(c);
    const native = runNative(exe, Buffer.alloc(0), 64);
    const allowed = runCli(['run', exe, '--allow-file', c.allowFiles[0]]);
    assert.deepEqual([allowed.stdout, allowed.status], [native?.stdout, native?.status]);
    const denied = runCli(['run', exe]);
    assert.match(denied.stdout, /^-2\n/);
  });

  it('a terminal on stdin (a pty from script(1)): a guest polling INT 16h/01h keeps running until the key is typed', function () {
    if (spawnSync('script', ['--version']).status !== 0) this.skip();
    const img = tmpFile('poll.img');
    assert.equal(spawnSync('nasm', ['-f', 'bin', '-o', img, path.join(__dirname, '../fixtures/boot/poll.asm')]).status, 0);
    const cli = cliCommand().map((a) => `'${a}'`).join(' ');
    const r = spawnSync('sh', ['-c', `(sleep 1; printf 'q\\n') | script -qfec "${cli} run '${img}'" /dev/null`], { timeout: 60000, encoding: 'latin1' });
    // The terminal echoes the typed line ("q\r\n"); the guest prints the key, '+' (it polled and
    // found nothing first, so polling did not block) and '!'.
    assert.equal(r.stdout.replace(/^q\r\n/, ''), 'q+!');
    assert.equal(r.status, 0);
  });

  it('usage errors: unknown option, bad --bits, impossible environment, missing file → status 2 with a message', () => {
    const exe = buildNative(byName('hello64'));
    for (const args of [['run', exe, '--frobnicate'], ['run', exe, '--bits', '12'], ['run', exe, '--env', 'dos', '--bits', '32'], ['run', '/nonexistent/x.bin'], ['run']]) {
      const r = runCli(args);
      assert.equal(r.status, 2, args.join(' '));
      assert.match(r.stderr, /x86dbg run: /, args.join(' '));
    }
  });
});
