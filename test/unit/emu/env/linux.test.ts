// The linux environment's system calls and process setup, each checked with a small program
// (assembled by nasm -f bin at 0x401000) against what the Linux kernel does: initial stack layout,
// brk, mmap/munmap, ioctl, open policy, arch_prctl, virtual time, -ENOSYS reporting, input waits,
// RCX/R11 after SYSCALL, the 32-bit int 0x80 ABI and faults ending like signals.
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import type { Program } from '../../../../src/asm/program';
import { BufferConsole } from '../../../../src/emu/console';
import type { Exit } from '../../../../src/emu/exit';
import type { Machine } from '../../../../src/emu/machine';
import { loadProgram, type LaunchOptions } from '../../../../src/emu/env/loadProgram';
import { VIRTUAL_EPOCH_SECONDS } from '../../../../src/emu/env/virtualClock';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-linux-'));
let counter = 0;
const BASE = 0x401000;

function assembleSnippet(source: string, bits: 32 | 64): Uint8Array {
  const n = counter++;
  const src = path.join(tmp, `s${n}.asm`);
  const out = path.join(tmp, `s${n}.bin`);
  fs.writeFileSync(src, `bits ${bits}\norg 0x${(bits === 64 ? BASE : 0x8049000).toString(16)}\n${source}\n`);
  const r = spawnSync('nasm', ['-f', 'bin', '-o', out, src], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(r.stderr);
  return new Uint8Array(fs.readFileSync(out));
}

interface Ran { exit: Exit; m: Machine; con: BufferConsole }

function start(source: string, options: Partial<LaunchOptions> & { input?: string; endless?: boolean; bits?: 32 | 64 } = {}): { m: Machine; con: BufferConsole } {
  const bits = options.bits ?? 64;
  const bytes = assembleSnippet(source, bits);
  const base = bits === 64 ? BASE : 0x8049000;
  const program: Program = {
    environment: 'linux', bits, entry: base, symbols: [], lineMap: [],
    segments: [{ name: 'image', address: base, bytes, memSize: bytes.length + 0x2000, permissions: { read: true, write: true, execute: true } }],
  };
  const con = new BufferConsole(options.input ?? '', options.endless ?? false);
  const l = loadProgram(program, { console: con, ...options, bits });
  if (!l.ok) throw new Error(l.message);
  return { m: l.machine, con };
}

function run(source: string, options: Parameters<typeof start>[1] = {}): Ran {
  const { m, con } = start(source, options);
  return { exit: m.run(1_000_000), m, con };
}

const reg64 = (m: Machine, i: number): bigint => (BigInt(m.regsHi[i] >>> 0) << 32n) | BigInt(m.regs[i] >>> 0);
const EXIT = 'mov eax, 60\nxor edi, edi\nsyscall';

describe('linux environment', function () {
  this.timeout(30000);

  it('builds the initial stack: argc, argv, NULL, envp, NULL, auxv (AT_PAGESZ, AT_ENTRY, AT_RANDOM), RSP 16-aligned', () => {
    const { m } = start(EXIT, { argv: ['prog', 'one', 'two'], envp: ['A=1'] });
    const sp = Number(reg64(m, 4));
    assert.equal(sp % 16, 0);
    const word = (a: number): number => Number(new DataView(m.readMemory(a, 8)!.buffer).getBigUint64(0, true));
    const str = (a: number): string => {
      let s = '';
      for (let i = a; ; i++) {
        const b = m.readMemory(i, 1)![0];
        if (b === 0) return s;
        s += String.fromCharCode(b);
      }
    };
    assert.equal(word(sp), 3);
    assert.deepEqual([1, 2, 3].map((i) => str(word(sp + i * 8))), ['prog', 'one', 'two']);
    assert.equal(word(sp + 32), 0);
    assert.equal(str(word(sp + 40)), 'A=1');
    assert.equal(word(sp + 48), 0);
    const aux = new Map<number, number>();
    for (let a = sp + 56; ; a += 16) {
      const k = word(a);
      if (k === 0) break;
      aux.set(k, word(a + 8));
    }
    assert.equal(aux.get(6), 4096);
    assert.equal(aux.get(9), BASE);
    assert.ok(m.readMemory(aux.get(25)!, 16) !== null);
    assert.equal(str(aux.get(31)!), 'prog');
  });

  it('an unknown system call returns -ENOSYS and is reported once on stderr', () => {
    const r = run('mov eax, 999\nsyscall\nmov r12, rax\nmov eax, 999\nsyscall\n' + EXIT);
    assert.deepEqual(r.exit, { reason: 'exited', code: 0 });
    assert.equal(reg64(r.m, 12), BigInt.asUintN(64, -38n));
    assert.equal(r.con.text('stderr').trim().split('\n').length, 1);
    assert.match(r.con.text('stderr'), /999.*ENOSYS/);
  });

  it('SYSCALL leaves RCX = the next RIP and R11 = RFLAGS, like SYSRET', () => {
    const r = run('stc\nmov eax, 39\nsyscall\nafter: mov r12, rcx\n' + EXIT);
    assert.equal(reg64(r.m, 12), BigInt(BASE + 8));
    assert.equal(Number(reg64(r.m, 11)) & 0x203, 0x203);
  });

  it('brk: brk(0) reports the page after the image; growing maps exactly up to the page holding the new break', () => {
    const r = run(`mov eax, 12\nxor edi, edi\nsyscall\nmov r12, rax\nlea rdi, [rax + 10]\nmov eax, 12\nsyscall\nmov r13, rax\nmov byte [r12 + 9], 7\nmov byte [r12 + 4095], 8\nmov byte [r12 + 4096], 9\n${EXIT}`);
    const start0 = Number(reg64(r.m, 12));
    assert.equal(start0 % 4096, 0);
    assert.ok(start0 >= BASE + 0x2000);
    assert.equal(Number(reg64(r.m, 13)), start0 + 10);
    assert.equal(r.exit.reason, 'fault');
    if (r.exit.reason === 'fault') {
      assert.equal(r.exit.signal, 11);
      assert.equal(r.exit.address, start0 + 4096);
    }
  });

  it('mmap anonymous memory is zeroed and usable; after munmap an access ends like SIGSEGV at that address', () => {
    const r = run(`mov eax, 9\nxor edi, edi\nmov esi, 8192\nmov edx, 3\nmov r10d, 0x22\nmov r8, -1\nxor r9d, r9d\nsyscall\nmov r12, rax\nmov r13, [rax + 4100]\nmov qword [rax], 5\nmov eax, 11\nmov rdi, r12\nmov esi, 8192\nsyscall\nmov r14, rax\nmov rax, [r12]\n${EXIT}`);
    assert.equal(reg64(r.m, 13), 0n);
    assert.equal(reg64(r.m, 14), 0n);
    assert.equal(r.exit.reason, 'fault');
    if (r.exit.reason === 'fault') {
      assert.equal(r.exit.signal, 11);
      assert.equal(BigInt(r.exit.address!), reg64(r.m, 12));
      assert.match(r.exit.message, /SIGSEGV/);
    }
  });

  it('guest memory is bounded: mmap beyond the limit gives -ENOMEM and brk keeps the old break', () => {
    const r = run(`mov eax, 9\nxor edi, edi\nmov esi, 0x4000000\nmov edx, 3\nmov r10d, 0x22\nmov r8, -1\nxor r9d, r9d\nsyscall\nmov r12, rax\nmov eax, 12\nxor edi, edi\nsyscall\nmov r13, rax\nlea rdi, [rax + 0x4000000]\nmov eax, 12\nsyscall\nmov r14, rax\n${EXIT}`, { memoryLimit: 32 * 1024 * 1024 });
    assert.equal(reg64(r.m, 12), BigInt.asUintN(64, -12n));
    assert.equal(reg64(r.m, 14), reg64(r.m, 13));
  });

  it('ioctl(TCGETS) on the console answers -ENOTTY; on a closed fd -EBADF', () => {
    const r = run(`mov eax, 16\nmov edi, 1\nmov esi, 0x5401\nlea rdx, [rel buf]\nsyscall\nmov r12, rax\nmov eax, 16\nmov edi, 7\nmov esi, 0x5401\nsyscall\nmov r13, rax\n${EXIT}\nbuf: times 64 db 0`);
    assert.equal(reg64(r.m, 12), BigInt.asUintN(64, -25n));
    assert.equal(reg64(r.m, 13), BigInt.asUintN(64, -9n));
  });

  const openAndRead = `mov eax, 2\nlea rdi, [rel path]\nxor esi, esi\nsyscall\nmov r12, rax\nmov edi, eax\nxor eax, eax\nlea rsi, [rel buf]\nmov edx, 64\nsyscall\nmov r13, rax\nmov eax, 1\nmov edi, 1\nlea rsi, [rel buf]\nmov rdx, r13\nsyscall\n${EXIT}\npath: db "/data/input.txt", 0\nbuf: times 64 db 0`;
  it('open: no host file is reachable by default (-ENOENT)', () => {
    const r = run(openAndRead);
    assert.equal(reg64(r.m, 12), BigInt.asUintN(64, -2n));
    assert.equal(r.con.text(), '');
  });
  it('open: a file the launch allows is readable (read-only)', () => {
    const r = run(openAndRead, { files: new Map([['/data/input.txt', new TextEncoder().encode('allowed bytes')]]) });
    assert.equal(reg64(r.m, 12), 3n);
    assert.equal(r.con.text(), 'allowed bytes');
  });

  it('arch_prctl(ARCH_SET_FS) sets the FS base that FS: accesses use', () => {
    const r = run(`mov eax, 158\nmov edi, 0x1002\nlea rsi, [rel tls]\nsyscall\nmov r12, [fs:8]\n${EXIT}\ntls: dq 1, 0x1122334455667788`);
    assert.equal(reg64(r.m, 12), 0x1122334455667788n);
  });

  it('clock_gettime(CLOCK_REALTIME) and time() start at the virtual epoch; getrandom is deterministic', () => {
    const src = `mov eax, 228\nxor edi, edi\nlea rsi, [rel ts]\nsyscall\nmov r12, [rel ts]\nmov eax, 201\nxor edi, edi\nsyscall\nmov r13, rax\nmov eax, 318\nlea rdi, [rel rnd]\nmov esi, 8\nxor edx, edx\nsyscall\nmov r14, [rel rnd]\n${EXIT}\nts: dq 0, 0\nrnd: dq 0`;
    const a = run(src);
    const b = run(src);
    assert.equal(reg64(a.m, 12), BigInt(VIRTUAL_EPOCH_SECONDS));
    assert.equal(reg64(a.m, 13), BigInt(VIRTUAL_EPOCH_SECONDS));
    assert.notEqual(reg64(a.m, 14), 0n);
    assert.equal(reg64(a.m, 14), reg64(b.m, 14));
  });

  it('read on stdin with no data yet ends the run with "input" and the call is retried when data arrives', () => {
    const { m, con } = start(`xor eax, eax\nxor edi, edi\nlea rsi, [rel buf]\nmov edx, 16\nsyscall\nmov rdi, rax\nmov eax, 60\nsyscall\nbuf: times 16 db 0`, { endless: true });
    assert.deepEqual(m.run(1000), { reason: 'input' });
    assert.deepEqual(m.run(1000), { reason: 'input' });
    con.feed('four');
    assert.deepEqual(m.run(1000), { reason: 'exited', code: 4 });
  });

  it('write from an unmapped buffer returns -EFAULT; to a closed descriptor -EBADF', () => {
    const r = run(`mov eax, 1\nmov edi, 1\nmov rsi, 0x10\nmov edx, 4\nsyscall\nmov r12, rax\nmov eax, 1\nmov edi, 5\nlea rsi, [rel $]\nmov edx, 1\nsyscall\nmov r13, rax\n${EXIT}`);
    assert.equal(reg64(r.m, 12), BigInt.asUintN(64, -14n));
    assert.equal(reg64(r.m, 13), BigInt.asUintN(64, -9n));
  });

  it('the 32-bit int 0x80 ABI: getpid, uname machine "i686", write, exit status', () => {
    const r = run(`mov eax, 20\nint 0x80\nmov esi, eax\nmov eax, 122\nmov ebx, uts\nint 0x80\nmov eax, 4\nmov ebx, 1\nmov ecx, uts + 65 * 4\nmov edx, 4\nint 0x80\nmov eax, 1\nmov ebx, 77\nint 0x80\nuts: times 65 * 6 db 0`, { bits: 32 });
    assert.equal(r.m.regs[6], 1000);
    assert.equal(r.con.text(), 'i686');
    assert.deepEqual(r.exit, { reason: 'exited', code: 77 });
  });

  it('faults end like the matching signal: HLT → SIGSEGV, UD2 → SIGILL, INT3 → SIGTRAP, DIV 0 → SIGFPE, other INT n → SIGSEGV', () => {
    const cases: Array<[string, number]> = [['hlt', 11], ['ud2', 4], ['int3', 5], ['xor ecx, ecx\ndiv ecx', 8], ['int 0x21', 11]];
    for (const [code, signal] of cases) {
      const r = run(code);
      assert.equal(r.exit.reason, 'fault', code);
      if (r.exit.reason === 'fault') assert.equal(r.exit.signal, signal, code);
    }
  });

  it('code runs only from executable pages (NX): jumping into a data mapping faults', () => {
    const r = run(`mov eax, 9\nxor edi, edi\nmov esi, 4096\nmov edx, 3\nmov r10d, 0x22\nmov r8, -1\nxor r9d, r9d\nsyscall\nmov byte [rax], 0xc3\ncall rax\n${EXIT}`);
    assert.equal(r.exit.reason, 'fault');
    if (r.exit.reason === 'fault') assert.equal(r.exit.signal, 11);
  });
});
