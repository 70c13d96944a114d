// Creating the machine for a Program: the environment layer (src/emu/env) does this for linux, dos and
// boot programs; this file is the adapter's one call into it, and sets up 'bare' programs itself
// (segments mapped with their permissions, entry, a stack, HLT ends the run). Imports src/emu.
import type { Program } from '../asm/program';
import type { GuestConsole } from '../emu/console';
import { Machine } from '../emu/machine';
import { PERM_R, PERM_W, PERM_X, PERM_RW } from '../emu/memory';
import { Reg } from '../isa/registers';
import { loadLinuxProgram } from '../emu/env/loadLinux';

export interface GuestOptions {
  args: string[];
  console: GuestConsole;
}

export type GuestResult = { ok: true; machine: Machine } | { ok: false; message: string };

const BARE_STACK_TOP_32 = 0x00800000;
const BARE_STACK_SIZE = 0x10000;

/** A bare machine: the program's segments mapped, CPU at the entry point, CPL 0, no services. */
export function createBareMachine(program: Program): GuestResult {
  const m = new Machine({ memoryLimit: 256 * 1024 * 1024 });
  m.start(program.bits === 64 ? 'long64' : program.bits === 32 ? 'protected32' : 'real', 0);
  for (const seg of program.segments) {
    const perm = (seg.permissions.read ? PERM_R : 0) | (seg.permissions.write ? PERM_W : 0) | (seg.permissions.execute ? PERM_X : 0);
    const r = m.map(seg.address, Math.max(seg.memSize, seg.bytes.length, 1), perm || PERM_R);
    if (!r.ok) return { ok: false, message: `cannot map ${seg.name} at 0x${seg.address.toString(16)}: ${r.message}` };
    if (!m.writeMemory(seg.address, seg.bytes)) return { ok: false, message: `cannot load ${seg.name} at 0x${seg.address.toString(16)}` };
  }
  if (program.bits === 16) {
    const r = m.map(0, 0x1000, PERM_RW);
    if (!r.ok) return { ok: false, message: r.message };
    m.setRegister(Reg.SP, 0x0ffe);
    m.setRegister(Reg.IP, program.entry & 0xffff);
  } else {
    const r = m.map(BARE_STACK_TOP_32 - BARE_STACK_SIZE, BARE_STACK_SIZE, PERM_RW);
    if (!r.ok) return { ok: false, message: r.message };
    m.setRegister(program.bits === 64 ? Reg.RSP : Reg.ESP, BARE_STACK_TOP_32 - 16);
    m.setRip(program.entry);
  }
  return { ok: true, machine: m };
}

/** The machine for a program in its environment (program.environment, set or inferred). */
export function createGuestMachine(program: Program, options: GuestOptions): GuestResult {
  const env = program.environment ?? 'bare';
  switch (env) {
    case 'linux': {
      if (program.bits === 16) return { ok: false, message: 'a Linux program must be 32- or 64-bit' };
      const r = loadLinuxProgram(program, program.bits, { console: options.console, argv: [program.origin ?? 'program', ...options.args] });
      return r.ok ? { ok: true, machine: r.machine } : r;
    }
    case 'bare':
      return createBareMachine(program);
    default:
      return { ok: false, message: `the ${env} environment is not available in the debugger yet` };
  }
}
