// The options of `x86dbg run` (everything except the debugger flags, which runDebug.ts takes first):
// FILE, --env, --bits, --max-instructions, --stdin, --state, --initial-state, --arg, --allow-file,
// --boot-drive, --memory, --org, and guest arguments after `--`. Pure parsing: returns options or a message.
// Never imports the VS Code layer.
import type { Bits, Environment as EnvironmentName } from '../asm/program';
import { parseLoadAddress } from '../emu/env/bareMetalLoader';

export interface RunOptions {
  file: string;
  environment?: EnvironmentName;
  bits?: Bits;
  /** Instruction budget for the whole run; undefined = unlimited. */
  maxInstructions?: number;
  stdinPath?: string;
  statePath?: string;
  initialStatePath?: string;
  /** Guest arguments after argv[0]. */
  guestArgs: string[];
  /** Host files a linux guest may open read-only (by the same path). */
  allowFiles: string[];
  bootDrive?: number;
  /** Guest memory limit in MiB (bare: the RAM size). */
  memoryMiB?: number;
  /** bare: linear load address of the image. */
  org?: number;
}

export const RUN_USAGE = [
  'usage: x86dbg run FILE [options] [-- GUEST-ARGS...]',
  '  FILE                     flat binary, .com, boot image, static ELF32/ELF64, or NASM source (.asm/.s/.nasm)',
  '  --env linux|dos|boot|bare   environment (inferred: ELF → linux, .com → dos, 55AAh image → boot, source → how it talks)',
  '  --bits 16|32|64          code size (inferred from the file); bare: 16 = real mode, 32 = flat protected',
  '                           mode, 64 = long mode with the first 4 GiB identity-mapped, all at CPL 0',
  '  --org ADDR               bare: linear load address of the image (hex 0x7c00 / 7c00h or decimal;',
  '                           default: the source\'s ORG, 0 for a binary)',
  '  --max-instructions N     stop after N instructions (exit status 124)',
  '  --stdin FILE             guest input from FILE instead of standard input',
  '  --state OUT.json         write the final machine state (registers, flags, memory ranges)',
  '  --initial-state IN.json  load a machine state before running',
  '  --arg TEXT               one more guest argument (or put them after --)',
  '  --allow-file PATH        let a linux guest open PATH read-only (none by default)',
  '  --boot-drive N           DL for boot images (default 0x80)',
  '  --memory MIB             guest memory limit (default 256; bare: RAM size, default 64)',
].join('\n');

export type RunOptionsResult = { ok: true; options: RunOptions } | { ok: false; message: string };

function parseInteger(text: string | undefined): number | undefined {
  if (text === undefined || !/^(0x[0-9a-f]+|[0-9]+)$/i.test(text.replace(/_/g, ''))) return undefined;
  const n = Number(text.replace(/_/g, ''));
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Parse the arguments after `run` (debug flags already removed). */
export function parseRunOptions(args: readonly string[]): RunOptionsResult {
  let file: string | undefined;
  const o: Omit<RunOptions, 'file'> = { guestArgs: [], allowFiles: [] };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const value = (): string | undefined => args[++i];
    switch (a) {
      case '--env': {
        const v = value();
        if (v !== 'linux' && v !== 'dos' && v !== 'boot' && v !== 'bare') return { ok: false, message: `--env must be linux, dos, boot or bare (got ${v ?? 'nothing'})` };
        o.environment = v;
        break;
      }
      case '--bits': {
        const v = value();
        if (v !== '16' && v !== '32' && v !== '64') return { ok: false, message: `--bits must be 16, 32 or 64 (got ${v ?? 'nothing'})` };
        o.bits = Number(v) as Bits;
        break;
      }
      case '--max-instructions': {
        const v = parseInteger(value());
        if (v === undefined || v <= 0) return { ok: false, message: '--max-instructions needs a positive number' };
        o.maxInstructions = v;
        break;
      }
      case '--boot-drive': {
        const v = parseInteger(value());
        if (v === undefined || v > 0xff) return { ok: false, message: '--boot-drive needs a drive number 0-255' };
        o.bootDrive = v;
        break;
      }
      case '--memory': {
        const v = parseInteger(value());
        if (v === undefined || v < 2 || v > 4096) return { ok: false, message: '--memory needs a size in MiB (2-4096)' };
        o.memoryMiB = v;
        break;
      }
      case '--org': {
        const r = parseLoadAddress(value());
        if (!r.ok) return { ok: false, message: `--org: ${r.message}` };
        o.org = r.org;
        break;
      }
      case '--stdin':
      case '--state':
      case '--initial-state':
      case '--arg':
      case '--allow-file': {
        const v = value();
        if (v === undefined) return { ok: false, message: `${a} needs a value` };
        if (a === '--stdin') o.stdinPath = v;
        else if (a === '--state') o.statePath = v;
        else if (a === '--initial-state') o.initialStatePath = v;
        else if (a === '--arg') o.guestArgs.push(v);
        else o.allowFiles.push(v);
        break;
      }
      case '--':
        o.guestArgs.push(...args.slice(i + 1));
        i = args.length;
        break;
      default:
        if (a.startsWith('-') && a !== '-') return { ok: false, message: `unknown option '${a}'` };
        if (file !== undefined) return { ok: false, message: `more than one FILE ('${file}' and '${a}'); put guest arguments after --` };
        file = a;
    }
  }
  if (file === undefined) return { ok: false, message: 'no FILE to run' };
  return { ok: true, options: { file, ...o } };
}
