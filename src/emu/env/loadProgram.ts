// Program → running Machine for every environment: linux (user-mode process), dos (.COM after a PSP
// at 1000:0000), boot (sector at 0000:7C00, DL = boot drive) and bare (the image at its addresses,
// real mode for 16-bit code, flat CPL 0 protected or long mode otherwise: bareMetalLoader.ts). The one
// entry point for the CLI, the adapter and tests. Imports the Machine, the environments and Program types.
import { Machine } from '../machine';
import type { Environment } from '../environment';
import { CS, DS, ES, SSEG } from '../cpu';
import type { GuestConsole } from '../console';
import type { Bits, Environment as EnvironmentName, Program } from '../../asm/program';
import { loadLinuxProgram } from './loadLinux';
import { placeSegments } from './loadImage';
import { inferLaunch } from './inferLaunch';
import { setUpRealModeMemory, AX, BP, BX, CX, DI, DX, SI, SP } from './realMode';
import { DosEnvironment, DOS_LOAD_BASE, DOS_SEGMENT, buildPsp } from './dos';
import { BootEnvironment, BOOT_ADDRESS, DEFAULT_BOOT_DRIVE } from './boot';
import { loadBareMetal } from './bareMetalLoader';

export interface LaunchOptions {
  console: GuestConsole;
  /** Explicit choices; inferred from the program when absent (inferLaunch.ts). */
  environment?: EnvironmentName;
  bits?: Bits;
  /** Guest arguments, argv[0] first (linux argv; the DOS command tail is argv[1..] joined). */
  argv?: readonly string[];
  envp?: readonly string[];
  /** Files a linux guest may open read-only. Default none. */
  files?: ReadonlyMap<string, Uint8Array>;
  /** Bytes of guest memory that may be mapped (default 256 MiB); for bare, the RAM size (default 64 MiB). */
  memoryLimit?: number;
  /** bare only: linear address the image's first byte is loaded at (default: its ORG / own addresses). */
  org?: number;
  /** Boot drive number passed in DL (default 80h). */
  bootDrive?: number;
  /** One-line notices about the run (unsupported services); default: the console's stderr. */
  notice?: (message: string) => void;
}

export interface Launched {
  ok: true;
  machine: Machine;
  env: Environment;
  environment: EnvironmentName;
  bits: Bits;
  /** Add to a Program address to get the linear address (DOS: the load segment's base; else 0). */
  loadBase: number;
}

export type LaunchResult = Launched | { ok: false; message: string };

const DEFAULT_MEMORY_LIMIT = 256 * 1024 * 1024;

function defaultNotice(console: GuestConsole): (message: string) => void {
  return (message) => console.write('stderr', new TextEncoder().encode(`x86dbg: ${message}\n`));
}

/** Build a machine ready to run `program` (never throws; bad programs give a message). */
export function loadProgram(program: Program, options: LaunchOptions): LaunchResult {
  // A load address only makes sense for bare metal, so it implies that environment.
  const choice = inferLaunch(program, options.environment ?? (options.org !== undefined ? 'bare' : undefined), options.bits);
  if (!choice.ok) return choice;
  if (options.org !== undefined && choice.environment !== 'bare') return { ok: false, message: `a load address (org) applies to the bare environment only, not ${choice.environment}` };
  const notice = options.notice ?? defaultNotice(options.console);
  const memoryLimit = options.memoryLimit ?? DEFAULT_MEMORY_LIMIT;
  switch (choice.environment) {
    case 'linux': {
      const r = loadLinuxProgram(program, choice.bits as 32 | 64, { console: options.console, argv: options.argv, envp: options.envp, files: options.files, memoryLimit, notice });
      return r.ok ? { ok: true, machine: r.machine, env: r.env, environment: 'linux', bits: choice.bits, loadBase: 0 } : r;
    }
    case 'dos': return loadDos(program, options, memoryLimit, notice);
    case 'boot': return loadBoot(program, options, memoryLimit, notice);
    default: {
      const r = loadBareMetal(program, { console: options.console, bits: choice.bits, org: options.org, ramBytes: options.memoryLimit, notice });
      return r.ok ? { ok: true, machine: r.machine, env: r.env, environment: 'bare', bits: choice.bits, loadBase: r.layout.loadBase } : r;
    }
  }
}

function realModeMachine(memoryLimit: number): Machine | string {
  const m = new Machine({ memoryLimit });
  m.start('real');
  const r = setUpRealModeMemory(m);
  return r.ok ? m : r.message;
}

function loadDos(program: Program, options: LaunchOptions, memoryLimit: number, notice: (message: string) => void): LaunchResult {
  const m = realModeMachine(memoryLimit);
  if (typeof m === 'string') return { ok: false, message: m };
  for (const s of program.segments) {
    if (s.address < 0x100 || s.address + Math.max(s.memSize, s.bytes.length) > 0xfffe) return { ok: false, message: `a .COM program lives in offsets 0100h-FFFDh of one segment; segment ${s.name} is at 0x${s.address.toString(16)}` };
  }
  const placed = placeSegments(m, program, DOS_LOAD_BASE, false);
  if (!placed.ok) return placed;
  const tail = (options.argv ?? []).slice(1).map((a) => ' ' + a).join('');
  m.writeMemory(DOS_LOAD_BASE, buildPsp(tail));
  const env = new DosEnvironment(m, options.console, notice);
  m.env = env;
  for (const s of [CS, DS, ES, SSEG]) m.loadRealSegment(s, DOS_SEGMENT);
  m.set16(AX, 0); m.set16(BX, 0); m.set16(CX, 0x00ff); m.set16(DX, DOS_SEGMENT);
  m.set16(SI, 0x0100); m.set16(DI, 0xfffe); m.set16(BP, 0x091c); m.set16(SP, 0xfffe);
  m.writeMemory(DOS_LOAD_BASE + 0xfffe, new Uint8Array(2));  // RET → PSP:0000 (INT 20h)
  m.setRip(program.entry);
  m.setRflags(0x202);
  return { ok: true, machine: m, env, environment: 'dos', bits: 16, loadBase: DOS_LOAD_BASE };
}

/** The disk image a boot Program came from: its bytes laid out from 7C00h. */
function bootImage(program: Program): Uint8Array | string {
  let end = BOOT_ADDRESS;
  for (const s of program.segments) {
    if (s.address < BOOT_ADDRESS) return `a boot image starts at 7C00h; segment ${s.name} is at 0x${s.address.toString(16)}`;
    end = Math.max(end, s.address + s.bytes.length);
  }
  if (end - BOOT_ADDRESS > 64 * 1024 * 1024) return 'the boot image is larger than 64 MiB';
  const image = new Uint8Array(end - BOOT_ADDRESS);
  for (const s of program.segments) image.set(s.bytes, s.address - BOOT_ADDRESS);
  return image;
}

function loadBoot(program: Program, options: LaunchOptions, memoryLimit: number, notice: (message: string) => void): LaunchResult {
  const image = bootImage(program);
  if (typeof image === 'string') return { ok: false, message: image };
  const m = realModeMachine(memoryLimit);
  if (typeof m === 'string') return { ok: false, message: m };
  m.writeMemory(BOOT_ADDRESS, image.subarray(0, 512));
  const drive = options.bootDrive ?? DEFAULT_BOOT_DRIVE;
  const env = new BootEnvironment(m, options.console, image, drive, notice);
  m.env = env;
  for (const s of [CS, DS, ES, SSEG]) m.loadRealSegment(s, 0);
  m.set16(SP, BOOT_ADDRESS);
  m.set16(DX, drive);
  m.setRip(program.entry >= BOOT_ADDRESS && program.entry < BOOT_ADDRESS + 512 ? program.entry : BOOT_ADDRESS);
  m.setRflags(0x202);
  return { ok: true, machine: m, env, environment: 'boot', bits: 16, loadBase: 0 };
}
