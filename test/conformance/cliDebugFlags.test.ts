// `x86dbg run` with the debugger-layer flags end to end (issue 5 "Command line"): a static ELF built
// by nasm + ld runs to completion, each debug exit is one JSON line in the --exits file, and the run
// continues after each. The CLI is called in-process through main().
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { main } from '../../src/cli/main';

const SOURCE = `bits 64
global _start
section .data
area: dq 0x1111111111111111
section .text
_start:
        mov eax, 0x12345678
s0:     mov [area], eax
s1:     mov rbx, [area]
s2:     nop
        mov eax, 60
        xor edi, edi
        syscall
`;

describe('x86dbg run --break/--watch/--step/--exits (end to end)', function () {
  this.timeout(60000);
  let dir = '';
  let exe = '';
  const labels: Record<string, number> = {};

  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-cli-debug-'));
    fs.writeFileSync(path.join(dir, 'w.asm'), SOURCE);
    execFileSync('nasm', ['-f', 'elf64', path.join(dir, 'w.asm'), '-o', path.join(dir, 'w.o')]);
    exe = path.join(dir, 'w');
    execFileSync('ld', ['-o', exe, path.join(dir, 'w.o')]);
    const nm = execFileSync('nm', [exe], { encoding: 'utf8' });
    for (const line of nm.trim().split('\n')) {
      const [value, , name] = line.split(' ');
      labels[name] = parseInt(value, 16);
    }
  });


  async function runCli(args: string[]): Promise<{ code: number; lines: Record<string, unknown>[] }> {
    const exits = path.join(dir, `exits-${Date.now()}-${Math.random().toString(36).slice(2)}.jsonl`);
    const code = await main(['run', exe, ...args, '--exits', exits]);
    const text = fs.existsSync(exits) ? fs.readFileSync(exits, 'utf8') : '';
    return { code, lines: text.trim() === '' ? [] : text.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>) };
  }

  it('--watch and --break by label: one JSON line per exit, the run continues to exit 0', async () => {
    const { code, lines } = await runCli(['--watch', 'area:8:rw', '--break', 's2']);
    assert.equal(code, 0);
    const hex = (n: number): string => '0x' + n.toString(16);
    assert.deepEqual(lines, [
      {
        exception: 1,
        dr6: '0xffff0ff1',
        dr7: '0xb0405',
        pc: hex(labels.s1),
        slots: [0],
        access: { address: hex(labels.area), size: 4, kind: 'write', old: '0x11111111', new: '0x12345678', by: hex(labels.s0) },
      },
      // The read's trap and the instruction breakpoint on the next instruction merge into one exit.
      {
        exception: 1,
        dr6: '0xffff0ff3',
        dr7: '0xb0405',
        pc: hex(labels.s2),
        slots: [0, 1],
        access: { address: hex(labels.area), size: 8, kind: 'read', old: '0x1111111112345678', new: '0x1111111112345678', by: hex(labels.s1) },
      },
    ]);
  });

  it('--step prints one line per instruction, with BS', async () => {
    const { code, lines } = await runCli(['--step']);
    assert.equal(code, 0);
    assert.equal(lines.length, 6, 'six instructions before the exit system call completes');
    assert.ok(lines.every((l) => l.dr6 === '0xffff4ff0' && l.step === true));
  });

  it('a fifth slot is an error naming the four in use', async () => {
    const chunks: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((c: string | Uint8Array): boolean => {
      chunks.push(String(c));
      return true;
    }) as typeof process.stderr.write;
    let code: number;
    try {
      code = await main(['run', exe, '--break', 's0', '--break', 's1', '--break', 's2', '--watch', 'area:8:w', '--break', '_start']);
    } finally {
      process.stderr.write = write;
    }
    assert.equal(code, 2);
    assert.match(chunks.join(''), /DR0: --break s0, DR1: --break s1, DR2: --break s2, DR3: --watch area:8:w/);
  });
});
