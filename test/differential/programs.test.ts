// Whole programs against the real CPU (issue 3): every NASM program in programs/ is built with nasm +
// ld and run natively; the emulator runs the same ELF bytes (and the .asm through our assembler) in
// its linux environment; stdout and exit status (128 + signal for faults) must match. This kernel
// cannot execute 32-bit code, so 32-bit programs compare with their independently computed
// .expected output instead (and with the native run wherever 32-bit code does execute).
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import { assemble } from '../../src/asm/assembler';
import { PROGRAM_DIR, buildNative, listPrograms, runElfEmulated, runEmulated, runNative, toolsAvailable, type RunOutcome } from './programsHarness';

const cases = listPrograms();

function reference(c: (typeof cases)[number], exe: string): { truth: RunOutcome; source: string } {
  const native = runNative(exe, c.stdin, c.bits);
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
      same(runElfEmulated(exe, c.bits, c.stdin), truth, `${c.name} vs ${source}`);
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
      same(runEmulated(r.program, c.bits, c.stdin), truth, `${c.name} (our assembler) vs ${source}`);
    });
  }
});
