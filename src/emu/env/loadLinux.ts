// Starting a Program as a Linux process: user mode (CPL 3) in 64-bit long mode or flat 32-bit
// protected mode, non-executable pages enforced, the image mapped, the stack with argc/argv/envp/auxv,
// registers as the kernel leaves them at _start. Imports the Machine, the linux environment pieces
// and Program types.
import { Machine } from '../machine';
import { PERM_RW } from '../memory';
import type { GuestConsole } from '../console';
import type { Program } from '../../asm/program';
import { LinuxEnvironment } from './linux';
import { LAYOUT_32, LAYOUT_64 } from './linuxMemory';
import { buildInitialStack } from './linuxStack';
import { placeSegments } from './loadImage';
import { installFlatGdt } from '../protected/flatGdt';

/**
 * Where the kernel's GDT lives: a page the process cannot touch (no permissions: a user access
 * faults as it would on kernel memory), above the 32-bit user space or in the guard page at the top
 * of the 64-bit one.
 */
const GDT_32 = 0xfffff000;
const GDT_64 = 0x7ffffffff000;

export interface LinuxLaunch {
  console: GuestConsole;
  argv?: readonly string[];
  envp?: readonly string[];
  files?: ReadonlyMap<string, Uint8Array>;
  memoryLimit?: number;
  notice?: (message: string) => void;
}

export type LinuxLoadResult = { ok: true; machine: Machine; env: LinuxEnvironment } | { ok: false; message: string };

/** Build a machine running `program` as a Linux process of its class (bits 32 or 64). */
export function loadLinuxProgram(program: Program, bits: 32 | 64, launch: LinuxLaunch): LinuxLoadResult {
  const m = new Machine({ memoryLimit: launch.memoryLimit });
  m.start(bits === 64 ? 'long64' : 'protected32', 3);
  m.enforceExec = true;
  // A GDT behind the start-mode selectors, so MOV ES, AX / PUSH DS; POP ES / far returns to the
  // program's own CS load the descriptors a Linux kernel would have (and null selectors fault).
  const gdt = bits === 64 ? GDT_64 : GDT_32;
  const gdtMapped = m.map(gdt, 4096, 0, 'gdt');
  if (!gdtMapped.ok || !installFlatGdt(m, gdt)) return { ok: false, message: 'cannot place the GDT' };
  const placed = placeSegments(m, program);
  if (!placed.ok) return placed;
  const layout = bits === 64 ? LAYOUT_64 : LAYOUT_32;
  if (placed.end > layout.mmapTop) return { ok: false, message: `the image ends at 0x${placed.end.toString(16)}, above the ${bits}-bit user address space` };
  const env = new LinuxEnvironment(m, { console: launch.console, layout, imageEnd: placed.end, files: launch.files, notice: launch.notice });
  const stackBase = layout.stackTop - layout.stackSize;
  const mapped = m.map(stackBase, layout.stackSize, PERM_RW, 'stack');
  if (!mapped.ok) return { ok: false, message: `cannot map the stack: ${mapped.message}` };
  const argv = launch.argv && launch.argv.length > 0 ? launch.argv : [program.origin ?? 'program'];
  const stack = buildInitialStack({
    wordSize: bits === 64 ? 8 : 4, top: layout.stackTop, argv, envp: launch.envp ?? [], entry: program.entry,
    uid: env.identity.uid, gid: env.identity.gid, random: env.random.bytes(16),
  });
  m.writeMemory(stack.sp, stack.bytes);
  m.env = env;
  for (let r = 0; r < 16; r++) m.set64(r, 0, 0);
  m.set64(4, stack.sp | 0, Math.floor(stack.sp / 4294967296) | 0);
  m.setRip(program.entry);
  m.setRflags(0x202);
  return { ok: true, machine: m, env };
}
