// BMI1/BMI2 (ANDN, BEXTR, BLSI, BLSMSK, BLSR, BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX) executed by
// the emulator and by this machine's CPU: one nasm program loops over a table of input vectors (edge
// cases first: zero, all-ones, sign bits, BEXTR start/len and BZHI indexes at and past the width, shift
// counts past the width, PDEP/PEXT masks of all-ones and zero; then pseudo-random ones) and runs every
// form on each, storing RAX, R10 and OSZAPC. Natively (nasm -f elf64 + ld) and on the emulator (flat
// binary) the stored words must be identical — undefined flags included, since the emulator copies
// this CPU's choice (src/emu/ops/bmi.ts). Skips the native half without nasm/ld or BMI1/BMI2.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync, spawnSync } from 'child_process';
import { prebuild, run, PERM_RW } from '../unit/emu/helpers';

/** Every form, with RAX/R10 (destinations), RBX (source), RCX/R9 (second source/control/mask), RDX (MULX) and [r12] = RBX. */
const FORMS = [
  'andn eax, ecx, ebx', 'andn rax, rcx, rbx', 'andn rax, rcx, qword [r12]', 'andn r10d, r9d, dword [r12]',
  'bextr eax, ebx, ecx', 'bextr rax, rbx, rcx', 'bextr eax, dword [r12], ecx', 'bextr r10, qword [r12], r9',
  'blsi eax, ebx', 'blsi rax, rbx', 'blsi r10, qword [r12]', 'blsmsk eax, ebx', 'blsmsk rax, rbx', 'blsmsk rax, qword [r12]',
  'blsr eax, ebx', 'blsr rax, rbx', 'blsr r10d, dword [r12]',
  'bzhi eax, ebx, ecx', 'bzhi rax, rbx, rcx', 'bzhi rax, qword [r12], r9', 'bzhi r10d, dword [r12], r9d',
  'mulx rax, r10, rbx', 'mulx eax, r10d, ebx', 'mulx eax, r10d, dword [r12]', 'mulx rax, r10, qword [r12]', 'mulx rax, rax, rbx', 'mulx r10d, r10d, ecx',
  'pdep eax, ebx, ecx', 'pdep rax, rbx, rcx', 'pdep rax, rcx, qword [r12]', 'pext eax, ebx, ecx', 'pext rax, rbx, rcx', 'pext r10, rcx, qword [r12]',
  'rorx eax, ebx, 0', 'rorx eax, ebx, 13', 'rorx eax, ebx, 45', 'rorx rax, rbx, 1', 'rorx rax, rbx, 40', 'rorx rax, qword [r12], 63', 'rorx r10d, dword [r12], 31',
  'sarx eax, ebx, ecx', 'sarx rax, rbx, rcx', 'sarx r10, qword [r12], r9', 'shlx eax, ebx, ecx', 'shlx rax, qword [r12], rcx', 'shlx r10d, ebx, r9d',
  'shrx eax, dword [r12], ecx', 'shrx rax, rbx, rcx', 'shrx r10, rbx, r9',
];

/** Deterministic 64-bit values (xorshift64*). */
function randoms(n: number, seed: bigint): bigint[] {
  let x = seed;
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    x ^= x >> 12n; x ^= (x << 25n) & 0xffffffffffffffffn; x ^= x >> 27n;
    out.push((x * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn);
  }
  return out;
}

const M64 = 0xffffffffffffffffn;

/** Vectors [rbx, rcx, rdx, rax/r10 before, flags before]. */
function vectors(): bigint[][] {
  const specials = [0n, M64, 1n, 0x80000000n, 0x8000000000000000n, 0xffffffffn, 0x100000000n, 0x00f0f0f0f0f0f0f0n];
  // Controls: BEXTR start/len (incl. start/len >= 32 and >= 64), BZHI indexes, shift counts past the width, masks.
  const controls = [0n, 0x0000n, 0x2000n, 0x4000n, 0xff00n, 0x00ffn, 0x201fn, 0x1020n, 0x0820n, 0x0840n, 0x3f3fn, 0x2020n, 0x0810n,
    1n, 31n, 32n, 33n, 63n, 64n, 65n, 255n, 0x1234_5678_0000_0120n, M64, 0xaaaaaaaaaaaaaaaan, 0x00000000ffff0000n, 0x8000000000000001n];
  const r = randoms(160, 0xb3a1n);
  const out: bigint[][] = [];
  let k = 0;
  for (const b of specials) for (const c of [controls[(k * 5) % controls.length], controls[(k * 5 + 2) % controls.length], M64, 0n]) {
    out.push([b, c, r[k % r.length], r[(k + 7) % r.length], (r[(k + 3) % r.length] & 0x8d5n)]);
    k++;
  }
  for (const c of controls) { out.push([r[k % r.length], c, r[(k + 1) % r.length], r[(k + 2) % r.length], r[(k + 3) % r.length] & 0x8d5n]); k++; }
  for (let i = 0; i + 4 < r.length; i += 5) out.push([r[i], r[i + 1] & (i % 10 === 0 ? 0xffffn : M64), r[i + 2], r[i + 3], r[i + 4] & 0x8d5n]);
  return out;
}

/** The loop over the vector table at `vectors` (5 qwords each); results at [r15], scratch at [r12]. */
function program(count: number): string {
  const lines = ['lea r14, [rel vectors]', `mov r13d, ${count}`, 'vloop:'];
  for (const form of FORMS) {
    lines.push('mov rbx, [r14]', 'mov rcx, [r14+8]', 'mov r9, rcx', 'mov rdx, [r14+16]', 'mov rax, [r14+24]', 'mov r10, rax', 'mov [r12], rbx',
      'push qword [r14+32]', 'popfq', form, 'pushfq', 'pop r11', 'and r11d, 0x8d5', 'mov [r15], rax', 'mov [r15+8], r10', 'mov [r15+16], r11', 'add r15, 24');
  }
  lines.push('add r14, 40', 'dec r13d', 'jnz vloop');
  return lines.join('\n');
}

function table(vs: bigint[][]): string {
  return 'vectors:\n' + vs.map((v) => 'dq ' + v.map((x) => '0x' + x.toString(16)).join(', ')).join('\n');
}

function hasTool(t: string): boolean {
  try { execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }); return true; } catch { return false; }
}

const RESULTS = 0x100000;
const SCRATCH = 0x1f0000;

describe('isa: BMI1/BMI2 on the emulator and on this CPU', function () {
  this.timeout(120000);

  it('VEX forms are #UD in real-address mode (SDM Vol. 2 §2.8)', () => {
    // IVT entry 6 → a handler that marks SI and halts; the faulting instruction must not execute.
    for (const insn of ['andn eax, ebx, ecx', 'rorx eax, ebx, 3', 'mulx eax, ebx, ecx']) {
      const { m, exit } = run(16, `xor ax, ax\nmov ds, ax\nmov word [6*4], ud\nmov word [6*4+2], 0\nmov eax, 0x1111\n${insn}\nhlt\nud: mov si, 0x5555\nhlt`);
      assert.equal(exit.reason, 'halted', insn);
      assert.equal(m.regs[6] & 0xffff, 0x5555, `${insn}: #UD handler ran`);
      assert.equal(m.regs[0] >>> 0, 0x1111, `${insn}: did not execute`);
    }
  });

  it('32-bit protected mode: VEX.W1 and vvvv[3] are ignored, results are the 32-bit ones (SDM)', () => {
    const { m, exit } = run(32, [
      'mov ebx, 0x0f0f', 'mov ecx, 0x0303', 'mov edx, 0xffffffff',
      'db 0xc4, 0xe2, 0xf0, 0xf2, 0xc3', // andn eax, ecx, ebx with VEX.W = 1
      'mov esi, eax',
      'db 0xc4, 0xe2, 0xb3, 0xf6, 0xfb', // mulx edi, ecx, ebx with VEX.W = 1 and vvvv = 1001b (ecx)
      'mov ebp, 0x0804', 'bextr ebp, ebx, ebp', 'hlt',
    ].join('\n'));
    assert.equal(exit.reason, 'halted', JSON.stringify(exit));
    assert.equal(m.regs[6] >>> 0, 0x0c0c); // ~0x303 & 0xf0f
    assert.equal(m.regs[7] >>> 0, 0x0f0e); // high half of 0xffffffff * 0x0f0f
    assert.equal(m.regs[1] >>> 0, 0xfffff0f1); // low half
    assert.equal(m.regs[5] >>> 0, 0xf0); // bits 4..11 of 0x0f0f
  });

  it('#UD encodings (VEX.L = 1, unused vvvv ≠ 1111b, pp without a row, 66/REX before VEX) fault on the emulator and on this CPU', function () {
    const cases: { bytes: string; ud: boolean }[] = [
      { bytes: '0xc4, 0xe2, 0x60, 0xf2, 0xc1', ud: false }, // andn eax, ebx, ecx
      { bytes: '0xc4, 0xe2, 0x64, 0xf2, 0xc1', ud: true }, // ... with VEX.L = 1
      { bytes: '0xc4, 0xe2, 0x7c, 0xf3, 0xdb', ud: true }, // blsi with VEX.L = 1
      { bytes: '0xc4, 0xe3, 0x7b, 0xf0, 0xc3, 0x05', ud: false }, // rorx eax, ebx, 5
      { bytes: '0xc4, 0xe3, 0x3b, 0xf0, 0xc3, 0x05', ud: true }, // ... with vvvv = 1000b
      { bytes: '0xc4, 0xe3, 0x78, 0xf0, 0xc3, 0x05', ud: true }, // ... with pp = NP
      { bytes: '0xc4, 0xe2, 0x61, 0xf2, 0xc1', ud: true }, // andn with pp = 66
      { bytes: '0xc4, 0xe2, 0x78, 0xf3, 0xc3', ud: true }, // F3 /0: no BLS form
      { bytes: '0x66, 0xc4, 0xe2, 0x60, 0xf2, 0xc1', ud: true }, // 66 before VEX
      { bytes: '0x40, 0xc4, 0xe2, 0x60, 0xf2, 0xc1', ud: true }, // REX before VEX
      { bytes: '0xf0, 0xc4, 0xe2, 0x60, 0xf2, 0x01', ud: true }, // LOCK before VEX
    ];
    prebuild(64, cases.map((c) => `lea rcx, [rel $]\ndb ${c.bytes}\nhlt`));
    const emu = cases.map((c) => { const { exit } = run(64, `lea rcx, [rel $]\ndb ${c.bytes}\nhlt`); return exit.reason === 'fault' && exit.vector === 6 ? 'ud' : exit.reason; });
    assert.deepEqual(emu, cases.map((c) => (c.ud ? 'ud' : 'halted')));
    if (process.platform !== 'linux' || process.arch !== 'x64' || !hasTool('nasm') || !hasTool('ld')) this.skip();
    if (!/\bbmi1\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'))) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-isa-bmi-ud-'));
    try {
      // One binary: case k runs when started with k arguments (argc = k + 1 at [rsp]).
      const src = path.join(dir, 'u.asm');
      fs.writeFileSync(src, `bits 64\nglobal _start\n_start:\nmov rcx, [rsp]\nlea rdx, [rel cases]\njmp [rdx+rcx*8-8]\n` +
        cases.map((c, i) => `case${i}:\nlea rcx, [rel $]\ndb ${c.bytes}\njmp done`).join('\n') +
        `\ndone:\nmov eax, 60\nxor edi, edi\nsyscall\ncases: dq ${cases.map((_, i) => `case${i}`).join(', ')}\n`);
      execFileSync('nasm', ['-f', 'elf64', src, '-o', src + '.o']);
      execFileSync('ld', ['-o', src + '.x', src + '.o']);
      const native = cases.map((_, i) => {
        const r = spawnSync(src + '.x', Array.from({ length: i }, () => 'x'));
        return r.signal === 'SIGILL' ? 'ud' : r.status === 0 ? 'halted' : `other ${r.status} ${r.signal}`;
      });
      assert.deepEqual(native, cases.map((c) => (c.ud ? 'ud' : 'halted')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('every BMI form: results and OSZAPC (undefined flags included) equal the CPU\'s', function () {
    if (process.platform !== 'linux' || process.arch !== 'x64' || !hasTool('nasm') || !hasTool('ld')) this.skip();
    const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
    if (!/\bbmi1\b/.test(cpuinfo) || !/\bbmi2\b/.test(cpuinfo)) this.skip();
    const vs = vectors();
    const words = vs.length * FORMS.length * 3;
    const body = program(vs.length);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-isa-bmi-'));
    try {
      const src = path.join(dir, 'p.asm');
      fs.writeFileSync(src, `bits 64\nglobal _start\nsection .text\n_start:\nlea r15, [rel buf]\nlea r12, [rel scratch]\n${body}\n` +
        `mov eax, 1\nmov edi, 1\nlea rsi, [rel buf]\nmov edx, ${words * 8}\nsyscall\nmov eax, 60\nxor edi, edi\nsyscall\n${table(vs)}\n` +
        `section .bss\nbuf: resb ${words * 8}\nscratch: resb 64\n`);
      execFileSync('nasm', ['-f', 'elf64', src, '-o', path.join(dir, 'p.o')]);
      execFileSync('ld', ['-o', path.join(dir, 'p'), path.join(dir, 'p.o')]);
      const cpu = new Uint8Array(execFileSync(path.join(dir, 'p'), { maxBuffer: 1 << 24 }));
      assert.equal(cpu.length, words * 8);
      const { m, exit } = run(64, `${body}\nhlt\n${table(vs)}`, {
        budget: 10_000_000,
        setup: (mm) => {
          mm.map(RESULTS, 0x100000, PERM_RW, 'results');
          mm.set64(15, RESULTS, 0);
          mm.set64(12, SCRATCH, 0);
        },
      });
      assert.equal(exit.reason, 'halted', JSON.stringify(exit));
      const emu = m.readMemory(RESULTS, words * 8);
      assert.ok(emu);
      const diffs: string[] = [];
      const what = ['rax', 'r10', 'flags'];
      for (let k = 0; k < words; k++) {
        const a = Buffer.from(cpu.subarray(k * 8, k * 8 + 8)).reverse().toString('hex');
        const b = Buffer.from(emu.subarray(k * 8, k * 8 + 8)).reverse().toString('hex');
        if (a === b) continue;
        const t = Math.floor(k / 3);
        const v = vs[Math.floor(t / FORMS.length)].map((x) => x.toString(16));
        diffs.push(`${FORMS[t % FORMS.length]} [rbx=${v[0]} rcx=${v[1]} rdx=${v[2]}] ${what[k % 3]}: cpu ${a} emu ${b}`);
      }
      process.stdout.write(`\n      [isa BMI] ${FORMS.length} forms × ${vs.length} vectors: ${words} words (RAX, R10, OSZAPC) compared with the CPU\n`);
      assert.deepEqual(diffs.slice(0, 30), [], `${diffs.length} differences`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
