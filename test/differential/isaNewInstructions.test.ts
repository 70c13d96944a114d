// Instructions added to the table after the first round (ADCX/ADOX, CRC32), executed by the emulator and
// compared with this machine's CPU: one nasm program computes every vector; natively (nasm -f elf64 + ld,
// results written to stdout) and on the emulator (flat binary, results read from memory) — the
// result words must be identical. Plus the standard CRC-32C check value (RFC 3720 B.4: "123456789" →
// 0xE3069283) that needs no CPU. Skips the native half without nasm/ld or on a CPU without SSE4.2 and ADX.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { run } from '../unit/emu/helpers';

/** Deterministic 64-bit values (xorshift64*), as hex literals. */
function vectors(n: number, seed: bigint): bigint[] {
  let x = seed;
  const out: bigint[] = [];
  for (let i = 0; i < n; i++) {
    x ^= x >> 12n; x ^= (x << 25n) & 0xffffffffffffffffn; x ^= x >> 27n;
    out.push((x * 0x2545f4914f6cdd1dn) & 0xffffffffffffffffn);
  }
  return out;
}

const FORMS = [
  'adcx eax, ebx', 'adcx rax, rbx', 'adcx eax, dword [r15+12288]', 'adcx rax, qword [r15+12288]', 'adcx r10d, r9d',
  'adox eax, ebx', 'adox rax, rbx', 'adox eax, dword [r15+12288]', 'adox rax, qword [r15+12288]', 'adox r10, r9',
  'crc32 eax, bl', 'crc32 eax, bx', 'crc32 eax, ebx', 'crc32 rax, rbx', 'crc32 rax, bl', 'crc32 eax, r9b', 'crc32 r10d, r9w',
  'crc32 eax, byte [r15+12288]', 'crc32 eax, word [r15+12288]', 'crc32 eax, dword [r15+12288]', 'crc32 rax, qword [r15+12288]',
];

/**
 * The program body: for each vector and form, with OSZAPC set from the vector, the destination (RAX or
 * R10) and the OSZAPC flags after the instruction are stored at [r15 + 8*k] (k counts both words).
 */
function body(): { text: string; count: number } {
  const v = vectors(72, 0x1234567n);
  const lines: string[] = [];
  let k = 0;
  for (let i = 0; i + 2 < v.length; i += 3) {
    for (const form of FORMS) {
      const dst = form.includes('r10') ? 'r10' : 'rax';
      // Some vectors make the sum carry for sure (all-ones destination).
      const d = i % 9 === 0 ? 0xffffffffffffffffn : v[i];
      lines.push(`mov ${dst}, 0x${d.toString(16)}`, `mov rbx, 0x${v[i + 1].toString(16)}`, 'mov r9, rbx', 'mov [r15+12288], rbx',
        `mov rcx, 0x${(v[i + 2] & 0x8d5n).toString(16)}`, 'push rcx', 'popfq', form, 'pushfq', 'pop rcx', 'and ecx, 0x8d5',
        `mov [r15+${8 * k}], ${dst}`, `mov [r15+${8 * k + 8}], rcx`);
      k += 2;
    }
  }
  return { text: lines.join('\n'), count: k };
}

/** Emulator address of the results (after the code at 0x1000, below the helper's stack at 0x20000). */
const RESULTS = 0x10000;

function hasTool(t: string): boolean {
  try { execFileSync('sh', ['-c', `command -v ${t}`], { stdio: 'ignore' }); return true; } catch { return false; }
}

describe('isa: newly added instructions on the emulator and on this CPU', function () {
  this.timeout(60000);

  it('CRC32 gives the CRC-32C check value for "123456789" (RFC 3720)', () => {
    const bytes = [...'123456789'].map((c) => `mov bl, ${c.charCodeAt(0)}\ncrc32 eax, bl`);
    const { m, exit } = run(64, `mov eax, -1\n${bytes.join('\n')}\nnot eax\nhlt`);
    assert.equal(exit.reason, 'halted');
    assert.equal(m.regs[0] >>> 0, 0xe3069283);
    assert.equal(m.regsHi[0], 0);
  });

  it('ADCX/ADOX and CRC32 r/m8/16/32/64 forms: emulator results and flags equal the CPU\'s', function () {
    if (process.platform !== 'linux' || process.arch !== 'x64' || !hasTool('nasm') || !hasTool('ld')) this.skip();
    const cpuinfo = fs.readFileSync('/proc/cpuinfo', 'utf8');
    if (!/\bsse4_2\b/.test(cpuinfo) || !/\badx\b/.test(cpuinfo)) this.skip();
    const { text, count } = body();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-isa-new-'));
    try {
      const src = path.join(dir, 'p.asm');
      fs.writeFileSync(src, `bits 64\nglobal _start\nsection .text\n_start:\nlea r15, [rel buf]\n${text}\n` +
        `mov eax, 1\nmov edi, 1\nlea rsi, [rel buf]\nmov edx, ${count * 8}\nsyscall\nmov eax, 60\nxor edi, edi\nsyscall\n` +
        'section .bss\nbuf: resb 16384\n');
      execFileSync('nasm', ['-f', 'elf64', src, '-o', path.join(dir, 'p.o')]);
      execFileSync('ld', ['-o', path.join(dir, 'p'), path.join(dir, 'p.o')]);
      const cpu = new Uint8Array(execFileSync(path.join(dir, 'p')));
      assert.equal(cpu.length, count * 8);
      const { m, exit } = run(64, `${text}\nhlt`, { setup: (mm) => { mm.set64(15, RESULTS, 0); } });
      assert.equal(exit.reason, 'halted', JSON.stringify(exit));
      const emu = m.readMemory(RESULTS, count * 8);
      assert.ok(emu);
      const diffs: string[] = [];
      for (let k = 0; k < count; k++) {
        const a = Buffer.from(cpu.subarray(k * 8, k * 8 + 8)).toString('hex');
        const b = Buffer.from(emu.subarray(k * 8, k * 8 + 8)).toString('hex');
        if (a !== b) diffs.push(`${FORMS[(k >> 1) % FORMS.length]} #${Math.floor(k / 2 / FORMS.length)} ${k & 1 ? 'flags' : 'result'}: cpu ${a} emu ${b}`);
      }
      process.stdout.write(`\n      [isa new instructions] ADCX/ADOX/CRC32: ${count} words (results and flags) compared with the CPU\n`);
      assert.deepEqual(diffs, []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
