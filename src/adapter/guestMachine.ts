// Creating the machine for a Program: the adapter's one call into the environment layer
// (src/emu/env/loadProgram.ts: linux, dos, boot and bare, inferred when the launch does not say).
// Imports src/emu.
import type { Program, Environment, Bits } from '../asm/program';
import type { GuestConsole } from '../emu/console';
import type { Machine } from '../emu/machine';
import { loadProgram } from '../emu/env/loadProgram';

export interface GuestOptions {
  args: string[];
  console: GuestConsole;
  environment?: Environment;
  bits?: Bits;
  /** bare: linear load address of the image. */
  org?: number;
}

export type GuestResult = { ok: true; machine: Machine; environment: Environment; bits: Bits; loadBase: number } | { ok: false; message: string };

/** The machine for a program in its environment. loadBase: add to program addresses for linear ones. */
export function createGuestMachine(program: Program, options: GuestOptions): GuestResult {
  const r = loadProgram(program, {
    console: options.console,
    environment: options.environment,
    bits: options.bits,
    org: options.org,
    argv: [program.origin ?? 'program', ...options.args],
  });
  if (!r.ok) return r;
  return { ok: true, machine: r.machine, environment: r.environment, bits: r.bits, loadBase: r.loadBase };
}
