// The CPUID-gated and hint-space rows executed by the emulator: XGETBV (#UD without CR4.OSXSAVE, XCR0,
// #GP for another XCR), MONITOR/MWAIT (#UD: CPUID reports no MONITOR), RDPID, RDRAND/RDSEED memory and
// F2/F3 forms (#UD), and the prefetch hint space 0F 0D /0–7 and 0F 18 /0–7 (NOPs that touch no memory;
// 0F 0D with a register operand is #UD). The hint-space and #UD cases are also run natively on this CPU
// (64-bit Linux, nasm + ld), which must agree: exit status 0 for a NOP, SIGILL for #UD.
import { strict as assert } from 'assert';
import { execFileSync, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { prebuild, run } from '../emu/helpers';

const UD = 6;
const GP = 13;
const CR4_OSXSAVE = 1 << 18;

/** Run `body` in 64-bit mode; the fault vector, or 'halted'. */
function outcome(body: string, cr4 = 0): { result: number | 'halted'; rax: number; rdx: number } {
  const { m, exit } = run(64, `${body}\nhlt`, { setup: (mm) => { mm.cr4 |= cr4; } });
  const result = exit.reason === 'fault' ? exit.vector : exit.reason === 'halted' ? 'halted' : -1;
  return { result, rax: m.regs[0] >>> 0, rdx: m.regs[2] >>> 0 };
}

/** Unmapped in the test machine (and in a Linux process): a real access would fault. */
const UNMAPPED = 'mov rax, 0xdead00000000';

/** Byte sequences and what this CPU does with them (observed: exit 0 = ran as NOP, SIGILL = #UD). */
const HINT_CASES: { bytes: string; ud: boolean }[] = [
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((r) => ({ bytes: `0x0f, 0x0d, 0x${(r << 3).toString(16)}`, ud: false })), // 0F 0D /r [rax]
  ...[0, 1, 2, 3, 4, 5, 6, 7].map((r) => ({ bytes: `0x0f, 0x18, 0x${(r << 3).toString(16)}`, ud: false })), // 0F 18 /r [rax]
  ...[0, 4, 7].map((r) => ({ bytes: `0x0f, 0x18, 0x${(0xc0 | (r << 3)).toString(16)}`, ud: false })), // 0F 18 /r eax
  { bytes: '0x0f, 0x0d, 0xc0', ud: true }, { bytes: '0x0f, 0x0d, 0xe0', ud: true }, // 0F 0D with a register
  { bytes: '0x0f, 0xc7, 0x30', ud: true }, { bytes: '0x0f, 0xc7, 0x38', ud: true }, // RDRAND/RDSEED [rax]: VMPTRLD/VMPTRST, no VMX
  { bytes: '0x0f, 0x01, 0xc8', ud: true }, { bytes: '0x0f, 0x01, 0xc9', ud: true }, // MONITOR, MWAIT
];

describe('isa: CPUID-gated and hint-space instructions on the emulator', () => {
  it('XGETBV: #UD while CR4.OSXSAVE = 0; XCR0 = 1 (x87) with it; #GP(0) for ECX ≠ 0', () => {
    assert.equal(outcome('xor ecx, ecx\nxgetbv').result, UD);
    const ok = outcome('mov rax, -1\nmov rdx, -1\nxor ecx, ecx\nxgetbv', CR4_OSXSAVE);
    assert.deepEqual(ok, { result: 'halted', rax: 1, rdx: 0 });
    assert.equal(outcome('mov ecx, 1\nxgetbv', CR4_OSXSAVE).result, GP);
  });

  it('MONITOR and MWAIT are #UD (CPUID.01H:ECX.MONITOR = 0)', () => {
    assert.equal(outcome('monitor').result, UD);
    assert.equal(outcome('mwait').result, UD);
  });

  it('RDPID gives IA32_TSC_AUX (0 at reset, then what WRMSR wrote); RDRAND/RDSEED with memory or an F2/F3 prefix are #UD', () => {
    assert.deepEqual(outcome('mov rax, -1\nrdpid rax').result, 'halted');
    assert.equal(outcome('mov rax, -1\nrdpid rax').rax, 0);
    assert.equal(outcome('mov ecx, 0xc0000103\nmov eax, 0x12345\nxor edx, edx\nwrmsr\nmov rax, -1\nrdpid rax').rax, 0x12345, 'WRMSR IA32_TSC_AUX is what RDPID reads');
    assert.equal(outcome('db 0x0f, 0xc7, 0x30').result, UD);
    assert.equal(outcome('db 0x0f, 0xc7, 0x38').result, UD);
    assert.equal(outcome('db 0xf2, 0x0f, 0xc7, 0xf0').result, UD);
    assert.equal(outcome('rdrand eax').result, 'halted');
  });

  it('the prefetch hint space runs as NOPs without touching memory, 0F 0D with a register is #UD — as on this CPU', () => {
    prebuild(64, HINT_CASES.map((c) => `${UNMAPPED}\ndb ${c.bytes}\nhlt`));
    const emu = HINT_CASES.map((c) => outcome(`${UNMAPPED}\ndb ${c.bytes}`).result);
    assert.deepEqual(emu, HINT_CASES.map((c) => (c.ud ? UD : 'halted')));
  });

  it('this CPU agrees on the hint-space and #UD cases (native run)', function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') this.skip();
    // 0F 0D /1 is PREFETCHW: CPUs without it (cpuinfo flag 3dnowprefetch) may fault on the 0F 0D hints.
    if (!/\b3dnowprefetch\b/.test(fs.readFileSync('/proc/cpuinfo', 'utf8'))) this.skip();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-isa-hint-'));
    try {
      // One binary: case k runs when started with k arguments (argc = k + 1 at [rsp]).
      const cases = HINT_CASES.map((c, i) => `case${i}:\n${UNMAPPED}\ndb ${c.bytes}\njmp done`);
      const src = path.join(dir, 'h.asm');
      fs.writeFileSync(src, `bits 64\nglobal _start\n_start:\nmov rcx, [rsp]\nlea rdx, [rel cases]\njmp [rdx+rcx*8-8]\n${cases.join('\n')}\n` +
        `done:\nmov eax, 60\nxor edi, edi\nsyscall\ncases: dq ${HINT_CASES.map((_, i) => `case${i}`).join(', ')}\n`);
      execFileSync('nasm', ['-f', 'elf64', src, '-o', src + '.o']);
      execFileSync('ld', ['-o', src + '.x', src + '.o']);
      const native = HINT_CASES.map((_, i) => {
        const r = spawnSync(src + '.x', Array.from({ length: i }, () => 'x'));
        return r.signal === 'SIGILL' ? 'ud' : r.status === 0 ? 'nop' : `other ${r.status} ${r.signal}`;
      });
      assert.deepEqual(native, HINT_CASES.map((c) => (c.ud ? 'ud' : 'nop')));
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
