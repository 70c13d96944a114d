// DOS and boot-sector programs (test/fixtures/dos, test/fixtures/boot) built with `nasm -f bin` and
// run in the dos/boot environments; the expected output and ending of each is written by hand from
// what the services must do (INT 21h echo rules, BIOS teletype, INT 13h reads, A20 wrap, E820).
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadBinary } from '../../../../src/asm/loadBinary';
import { BufferConsole } from '../../../../src/emu/console';
import type { Exit } from '../../../../src/emu/exit';
import { loadProgram } from '../../../../src/emu/env/loadProgram';

const FIXTURES = path.join(__dirname, '../../../fixtures');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-realmode-'));

function build(dir: 'dos' | 'boot', name: string): string {
  const out = path.join(tmp, `${name}.${dir === 'dos' ? 'com' : 'img'}`);
  const r = spawnSync('nasm', ['-f', 'bin', '-o', out, path.join(FIXTURES, dir, name + '.asm')], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`nasm: ${r.stderr}`);
  return out;
}

function run(file: string, input = '', budget = 10_000_000): { exit: Exit; stdout: string; stderr: string; environment: string } {
  const loaded = loadBinary(new Uint8Array(fs.readFileSync(file)), file);
  if (!loaded.ok) throw new Error(loaded.message);
  const con = new BufferConsole(input);
  const l = loadProgram(loaded.program, { console: con });
  if (!l.ok) throw new Error(l.message);
  const exit = l.machine.run(budget);
  return { exit, stdout: con.text(), stderr: con.text('stderr'), environment: l.environment };
}

describe('dos environment (.COM programs, expected output by hand)', function () {
  this.timeout(30000);
  it('hello: INT 21h/09h then 4Ch', () => {
    const r = run(build('dos', 'hello'));
    assert.equal(r.environment, 'dos');
    assert.equal(r.stdout, 'Hello, DOS!\r\n');
    assert.deepEqual(r.exit, { reason: 'exited', code: 0 });
  });
  it('lineinput: 0Ah echoes the line and a CR, stores count and chars; status = count', () => {
    const r = run(build('dos', 'lineinput'), 'hello\nignored');
    assert.equal(r.stdout, 'hello\r\nolleh/5');
    assert.deepEqual(r.exit, { reason: 'exited', code: 5 });
  });
  it('lineinput: a line longer than the buffer keeps max-1 characters', () => {
    const r = run(build('dos', 'lineinput'), 'abcdefghijklmnop\n');
    assert.equal(r.stdout, 'abcdefghi\r\nihgfedcba/9');
    assert.deepEqual(r.exit, { reason: 'exited', code: 9 });
  });
  it('keys: 01h echoes, 08h does not, 0Bh sees the next key, 06h/FFh polls it', () => {
    const r = run(build('dos', 'keys'), 'hi.xy');
    assert.equal(r.stdout, 'hi.[xy]!');
    assert.deepEqual(r.exit, { reason: 'exited', code: 3 });
  });
  it('keys: 06h with nothing left sets ZF (polled stays "-"), 0Bh says 00h', () => {
    const r = run(build('dos', 'keys'), 'a.b');
    assert.equal(r.stdout, 'a.[b-]');
    assert.deepEqual(r.exit, { reason: 'exited', code: 2 });
  });
  it('keys: with no input yet the run ends with "input" and continues when input arrives', () => {
    const file = build('dos', 'keys');
    const loaded = loadBinary(new Uint8Array(fs.readFileSync(file)), file);
    assert.ok(loaded.ok);
    const con = new BufferConsole('', true);
    const l = loadProgram(loaded.program, { console: con });
    assert.ok(l.ok);
    assert.deepEqual(l.machine.run(1000), { reason: 'input' });
    con.feed('z.');
    assert.deepEqual(l.machine.run(1000), { reason: 'input' });
    con.feed('12');
    assert.deepEqual(l.machine.run(1000), { reason: 'exited', code: 2 });
    assert.equal(con.text(), 'z.[12]!');
  });
  it('services: version 5.0, the virtual date 2024-01-01 00:00, vectors, INT 10h cursor, INT 16h scan code, RET to INT 20h', () => {
    const r = run(build('dos', 'services'), 'q');
    // "V": INT 21h's vector is the BIOS's (F000h); "H": the INT 60h handler installed with 25h;
    // "2": cursor column after "VH"; "q" and 16 = its scan code.
    assert.equal(r.stdout, '5.0\r\n2024-1-1 0:0\r\nVH2q16\r\n');
    assert.deepEqual(r.exit, { reason: 'exited', code: 0 });
  });
  it('tail: the PSP holds the command tail built from the guest arguments; RET ends through INT 20h', () => {
    const file = build('dos', 'tail');
    const loaded = loadBinary(new Uint8Array(fs.readFileSync(file)), file);
    assert.ok(loaded.ok);
    const con = new BufferConsole();
    const l = loadProgram(loaded.program, { console: con, argv: ['TAIL.COM', 'one', 'two'] });
    assert.ok(l.ok);
    assert.deepEqual(l.machine.run(10000), { reason: 'exited', code: 0 });
    assert.equal(con.text(), '[ one two]');
  });
  it('divide: a handler installed with 25h gets #DE', () => {
    const r = run(build('dos', 'divide'));
    assert.equal(r.stdout, 'divide error caught');
    assert.deepEqual(r.exit, { reason: 'exited', code: 7 });
  });
  it('unhandled: #UD with no handler ends the run as a fault at the UD2', () => {
    const r = run(build('dos', 'unhandled'));
    assert.equal(r.stdout, 'u');
    assert.equal(r.exit.reason, 'fault');
    if (r.exit.reason === 'fault') {
      assert.equal(r.exit.vector, 6);
      assert.equal(r.exit.pc, 0x10000 + 0x106);
    }
  });
});

describe('boot environment (boot sectors, expected output by hand)', function () {
  this.timeout(30000);
  it('hello: INT 10h teletype, CLI + HLT → halted', () => {
    const r = run(build('boot', 'hello'));
    assert.equal(r.environment, 'boot');
    assert.equal(r.stdout, 'Booted!\r\n');
    assert.deepEqual(r.exit, { reason: 'halted' });
  });
  it('twostage: INT 13h CHS read of sector 2, ports E9h and COM1, extended read, DL = 80h', () => {
    const r = run(build('boot', 'twostage'));
    assert.equal(r.stdout, 'stage2 via E9\nand COM1\nX8\n');
    assert.deepEqual(r.exit, { reason: 'halted' });
  });
  it('bios: A20 wrap then port 92h, INT 12h = 639, four E820 entries, AH=13h string on row 1, key + scan code', () => {
    const r = run(build('boot', 'bios'), 'k');
    assert.equal(r.stdout, 'WA639 4\nstring k37\r\n');
    assert.deepEqual(r.exit, { reason: 'halted' });
  });
});
