// The debugger layer against the real CPU: test/differential/native-dr/drtrace.c arms the real DR0–DR7
// of a native process through ptrace (PTRACE_POKEUSER into u_debugreg) or single-steps it, and prints
// DR6 and RIP at every SIGTRAP; the emulator runs the same ELF with the same slots in setGuestDebug.
// Which Bn/BS fired and where execution stopped must agree. If this machine's hypervisor does not
// deliver hardware breakpoints (probed first), the DR scenarios are skipped and only single-step runs.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { execFileSync } from 'child_process';
import { Machine } from '../../src/emu/machine';
import { CONTINUE, type Environment, type EnvResult } from '../../src/emu/environment';
import { loadBinary } from '../../src/asm/loadBinary';
import type { Program } from '../../src/asm/program';
import { loadLinuxProgram } from '../../src/emu/env/loadLinux';
import { BufferConsole } from '../../src/emu/console';
import { encodeSlot, type SlotKind, type SlotLength } from '../../src/emu/debug/registers';

const NATIVE_DIR = path.join(__dirname, 'native-dr');
/** DR6 bits compared: B0–B3 and BS. */
const COMPARED = 0x400f;

interface Trap {
  bits: number;
  pc: number;
}

interface Trace {
  traps: Trap[];
  end: string;
}

/** Exit-only Linux stand-in: SYSCALL exit/exit_group ends the run; nothing else is needed here. */
class ExitOnlyEnvironment implements Environment {
  softwareInterrupt(): EnvResult {
    return { kind: 'stop', exit: { reason: 'fault', vector: 13, pc: 0, message: 'INT in test program' } };
  }
  systemCall(m: Machine): EnvResult {
    const nr = m.regs[0];
    if (nr === 60 || nr === 231) return { kind: 'stop', exit: { reason: 'exited', code: m.regs[7] & 0xff } };
    return CONTINUE;
  }
  portIn(): number {
    return 0;
  }
  portOut(): EnvResult {
    return CONTINUE;
  }
  halt(): EnvResult {
    return { kind: 'stop', exit: { reason: 'halted' } };
  }
  exception(_m: Machine, e: { vector: number; pc: number; message: string }): EnvResult {
    return { kind: 'stop', exit: { reason: 'fault', vector: e.vector, pc: e.pc, message: e.message } };
  }
}

function emulate(program: Program, singleStep: boolean, dr7: number, addr: number[]): Trace {
  const m = new Machine({ env: new ExitOnlyEnvironment() });
  m.start('long64', 3);
  for (const seg of program.segments) {
    const start = seg.address & ~0xfff;
    const end = (seg.address + seg.memSize + 0xfff) & ~0xfff;
    assert.ok(m.map(start, end - start, 7).ok);
    m.writeMemory(seg.address, seg.bytes);
  }
  assert.ok(m.map(0x7ffe0000, 0x20000, 3).ok);
  m.regs[4] = 0x7fff0000;
  m.setRip(program.entry);
  m.setGuestDebug(singleStep || dr7 ? { singleStep, hw: dr7 ? { dr7, addr } : null } : null);
  const traps: Trap[] = [];
  for (let i = 0; i < 100000; i++) {
    const exit = m.run(1_000_000);
    if (exit.reason === 'debug') {
      traps.push({ bits: exit.dr6 & COMPARED, pc: exit.pc });
      continue;
    }
    return { traps, end: exit.reason === 'exited' ? `exit ${exit.code}` : JSON.stringify(exit) };
  }
  return { traps, end: 'too many traps' };
}

function native(drtrace: string, binary: string, singleStep: boolean, dr7: number, addr: number[]): Trace {
  const args = [singleStep ? '1' : '0', dr7.toString(16), ...addr.map((a) => a.toString(16)), binary];
  const out = execFileSync(drtrace, args, { encoding: 'utf8' });
  const traps: Trap[] = [];
  let end = '';
  for (const line of out.trim().split('\n')) {
    const parts = line.split(' ');
    if (parts[0] === 'trap') traps.push({ bits: parseInt(parts[1], 16) & COMPARED, pc: parseInt(parts[2], 16) });
    else end = line;
  }
  return { traps, end };
}

function show(t: Trace): string[] {
  return [...t.traps.map((x) => `${x.bits.toString(16)}@${x.pc.toString(16)}`), t.end];
}

interface Slot {
  kind: SlotKind;
  length: SlotLength;
  /** A label of watch64.asm, plus a byte offset. */
  at: string;
  offset?: number;
}

/** The scenarios: watch lengths 1/2/4/8 (aligned, overlapping, adjacent), exec slots, several slots at once. */
const scenarios: { name: string; slots: Slot[] }[] = [];
for (const length of [1, 2, 4, 8] as SlotLength[]) {
  for (const kind of ['write', 'readwrite'] as SlotKind[]) {
    for (const offset of [0, 8, 16, 40]) scenarios.push({ name: `${kind} ${length} at area+${offset}`, slots: [{ kind, length, at: 'area', offset }] });
  }
}
scenarios.push({ name: 'write 2 at area+2 (adjacent to the dword at 4, overlapped by the word at 1)', slots: [{ kind: 'write', length: 2, at: 'area', offset: 2 }] });
scenarios.push({ name: 'readwrite 4 at area+4 and write 2 at area+6 (overlapping slots)', slots: [{ kind: 'readwrite', length: 4, at: 'area', offset: 4 }, { kind: 'write', length: 2, at: 'area', offset: 6 }] });
scenarios.push({ name: 'write 8 at area+16 and write 8 at area+24 (adjacent)', slots: [{ kind: 'write', length: 8, at: 'area', offset: 16 }, { kind: 'write', length: 8, at: 'area', offset: 24 }] });
scenarios.push({ name: 'four slots: rw1, w2, rw4, w8', slots: [{ kind: 'readwrite', length: 1, at: 'area', offset: 3 }, { kind: 'write', length: 2, at: 'area', offset: 12 }, { kind: 'readwrite', length: 4, at: 'area', offset: 32 }, { kind: 'write', length: 8, at: 'area', offset: 48 }] });
scenarios.push({ name: 'exec slots on s3, s10 (a REP), loop', slots: [{ kind: 'exec', length: 1, at: 's3' }, { kind: 'exec', length: 1, at: 's10' }, { kind: 'exec', length: 1, at: 'loop' }] });

describe('debugger layer vs the real CPU (ptrace DR0–DR7, single-step)', function () {
  this.timeout(60000);
  let dir = '';
  let drtrace = '';
  let binary = '';
  let program: Program;
  let hardwareFires = false;
  let available = true;

  before(function () {
    if (process.platform !== 'linux' || process.arch !== 'x64') {
      available = false;
      this.skip();
    }
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-hwdebug-'));
    drtrace = path.join(dir, 'drtrace');
    binary = path.join(dir, 'watch64');
    execFileSync('gcc', ['-O1', '-o', drtrace, path.join(NATIVE_DIR, 'drtrace.c')]);
    execFileSync('nasm', ['-f', 'elf64', path.join(NATIVE_DIR, 'watch64.asm'), '-o', binary + '.o']);
    execFileSync('ld', ['-o', binary, binary + '.o']);
    const loaded = loadBinary(new Uint8Array(fs.readFileSync(binary)), binary);
    assert.ok(loaded.ok);
    program = loaded.program;
    try {
      execFileSync(drtrace, ['--probe'], { encoding: 'utf8' });
      hardwareFires = true;
    } catch {
      hardwareFires = false;
    }
  });

  it('single-step: the same stop after every instruction and every REP iteration', () => {
    const hw = native(drtrace, binary, true, 0, [0, 0, 0, 0]);
    const emu = emulate(program, true, 0, [0, 0, 0, 0]);
    assert.ok(hw.traps.length > 40, 'native run traced');
    assert.deepEqual(show(emu), show(hw));
  });

  it('guest layer: a program that sets TF itself stops at the same RIP with BS (SIGTRAP)', () => {
    const tf = path.join(dir, 'guesttf64');
    execFileSync('nasm', ['-f', 'elf64', path.join(NATIVE_DIR, 'guesttf64.asm'), '-o', tf + '.o']);
    execFileSync('ld', ['-o', tf, tf + '.o']);
    const hw = native(drtrace, tf, false, 0, [0, 0, 0, 0]);
    assert.ok(hw.traps.length > 0, 'native SIGTRAP');
    const loaded = loadBinary(new Uint8Array(fs.readFileSync(tf)), tf);
    assert.ok(loaded.ok);
    const launched = loadLinuxProgram(loaded.program, 64, { console: new BufferConsole() });
    assert.ok(launched.ok);
    const exit = launched.machine.run(1000);
    assert.ok(exit.reason === 'fault', JSON.stringify(exit));
    assert.deepEqual([exit.vector, exit.signal, exit.pc], [1, 5, hw.traps[0].pc]);
    assert.equal(launched.machine.debug.guestRegisters().dr6 & COMPARED, hw.traps[0].bits);
  });

  for (const scenario of scenarios) {
    it(`DR slots: ${scenario.name}`, function () {
      if (!available || !hardwareFires) this.skip(); // the hypervisor of this machine does not deliver DR hits
      const addr = [0, 0, 0, 0];
      let dr7 = 0;
      scenario.slots.forEach((s, n) => {
        const symbol = program.symbols.find((x) => x.name === s.at);
        assert.ok(symbol, s.at);
        addr[n] = symbol.address + (s.offset ?? 0);
        dr7 = encodeSlot(dr7, n, s.kind, s.length);
      });
      const hw = native(drtrace, binary, false, dr7, addr);
      const emu = emulate(program, false, dr7, addr);
      assert.deepEqual(show(emu), show(hw));
    });
  }
});
