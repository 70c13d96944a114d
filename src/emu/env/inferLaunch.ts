// Which environment and mode a Program runs in when the user did not say: what the assembler or
// loader inferred (ELF → linux and its class, .com → dos, a 55AAh boot image → boot, a source by its
// BITS and how it talks), else the entry point (0100h → dos, 7C00h → boot); explicit choices win,
// and impossible combinations are refused with a reason. Imports Program types only.
import type { Bits, Environment as EnvironmentName, Program } from '../../asm/program';

export type LaunchChoice = { ok: true; environment: EnvironmentName; bits: Bits } | { ok: false; message: string };

/** Decide environment and bits for `program`; `environment`/`bits` are the user's explicit choices. */
export function inferLaunch(program: Program, environment?: EnvironmentName, bits?: Bits): LaunchChoice {
  const env: EnvironmentName = environment ?? program.environment ?? (program.entry === 0x100 && program.bits === 16 ? 'dos' : program.entry === 0x7c00 ? 'boot' : program.bits === 16 ? 'bare' : 'linux');
  switch (env) {
    case 'linux': {
      const b = bits ?? program.bits;
      if (b === 16) return { ok: false, message: 'a linux program is 32- or 64-bit (use --bits 32 or 64, or --env dos/boot/bare for 16-bit code)' };
      return { ok: true, environment: env, bits: b };
    }
    case 'dos':
    case 'boot':
      if (bits !== undefined && bits !== 16) return { ok: false, message: `a ${env} program starts in real mode: --bits must be 16` };
      return { ok: true, environment: env, bits: 16 };
    case 'bare':
      return { ok: true, environment: env, bits: bits ?? program.bits };
    default:
      return { ok: false, message: `unknown environment '${String(env)}'` };
  }
}
