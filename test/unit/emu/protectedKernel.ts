// Test rig for the protected/long-mode system tests: assembles a small kernel with Debian's nasm
// (outside truth for the bytes and labels), runs it on a Machine with the low 1 MiB mapped, and stops
// at the first exception (a 'fault' exit with vector and error code) instead of delivering it, so a
// test sees exactly the fault the SDM rules give. Also the GDT/TSS text the 32-bit kernels share.
import { Machine, type StartMode } from '../../../src/emu/machine';
import { BareEnvironment, type EnvResult, type GuestException } from '../../../src/emu/environment';
import type { Exit } from '../../../src/emu/exit';
import { nasm } from '../../conformance/harness';

/** Bare environment whose exceptions end the run as 'fault' exits (no IDT needed). */
export class StopOnFault extends BareEnvironment {
  override exception(_m: Machine, e: GuestException): EnvResult {
    const exit: Exit = { reason: 'fault', vector: e.vector, pc: e.pc, message: e.message };
    if (e.errorCode !== undefined) exit.errorCode = e.errorCode;
    return { kind: 'stop', exit };
  }
}

export interface Kernel {
  m: Machine;
  labels: Record<string, number>;
  exit: Exit;
}

/** Scratch area the kernels write results to. */
export const OUT = 0x6000;

/** kernel32: enter ring 3 at `label` with SS:ESP = 23:7000 (outer-privilege far RET), after LTR of TSS A. */
export const TO_RING3 = (label: string): string => `
  mov ax, 0x28
  ltr ax
  push dword 0x23
  push dword 0x7000
  push dword 0x1b
  push dword ${label}
  retf`;

/** The fault a kernel run ended with (vector, error code, pc); throws when it ended otherwise. */
export function fault(k: Kernel): { vector: number; errorCode?: number; pc: number } {
  if (k.exit.reason !== 'fault') throw new Error(`expected a fault, got ${JSON.stringify(k.exit)}`);
  return { vector: k.exit.vector, errorCode: k.exit.errorCode, pc: k.exit.pc };
}

/**
 * Assemble `source` (it sets its own `bits`; org 0x1000 is added) and run it from 0x1000 in
 * `start` mode at CPL 0 with 0..1 MiB mapped RWX and the stack at 0x9000.
 */
export function runKernel(source: string, start: StartMode, setup?: (m: Machine) => void, budget = 100000): Kernel {
  const { m, labels } = loadKernel(source, start);
  setup?.(m);
  const exit = m.run(budget);
  return { m, labels, exit };
}

/** Assemble and load a kernel as runKernel does, without running it. */
export function loadKernel(source: string, start: StartMode): { m: Machine; labels: Record<string, number> } {
  const a = nasm(`org 0x1000\n${source}`);
  const m = new Machine({ env: new StopOnFault() });
  m.start(start, 0);
  const r = m.map(0, 0x100000, 7, 'low');
  if (!r.ok) throw new Error(r.message);
  m.writeMemory(0x1000, a.bytes);
  m.rip = 0x1000;
  m.regs[4] = 0x9000;
  return { m, labels: a.labels };
}

/** Read a little-endian value of `size` bytes at linear `addr` of the machine's memory. */
export function peek(m: Machine, addr: number, size = 4): number {
  const b = m.readMemory(addr, size);
  if (!b) throw new Error(`unmapped 0x${addr.toString(16)}`);
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + b[i];
  return v;
}

/** The access byte (byte 5) of GDT entry `sel`. */
export function gdtAccess(m: Machine, k: Kernel, sel: number): number {
  return peek(m, k.labels.gdt + (sel & 0xfff8) + 5, 1);
}

/**
 * A 32-bit kernel: `lgdt`, far jump to 0x08, flat data segments 0x10, ESP 0x9000, then `body`.
 * GDT: 08 code0, 10 data0 (accessed clear), 18 code3, 20 data3, 28 TSS A, 30 call gate DPL3 → 08:gate_entry
 * (2 dword params), 38 conforming code DPL0, 40 data not present, 48 execute-only code, 50 TSS B,
 * 58 task gate → 78 (TSS C, T = 1), 60 LDT, 68 read-only data, 70 data DPL1, 78 TSS C.
 * LDT: 04 flat data DPL0, 0C data base 5000h limit FFFh. TSS A/B/C: SS0:ESP0 = 10:8000;
 * TSS B/C start at task_b / task_c with ESP 7800h, flat ring-0 segments. `parts` are the code at
 * gate_entry, task_b and task_c (default: UD2).
 */
export function kernel32(body: string, parts: { gate?: string; taskB?: string; taskC?: string } = {}): string {
  return `bits 32
  lgdt [gdt_ptr]
  jmp 0x08:.flush
.flush:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov fs, ax
  mov gs, ax
  mov esp, 0x9000
  jmp test_body
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff
  dq 0x00cf92000000ffff
  dq 0x00cffa000000ffff
  dq 0x00cff2000000ffff
  dw 0x67, tss_a, 0x8900, 0
  dw gate_entry, 0x08, 0xec02, 0
  dq 0x00cf9e000000ffff
  dq 0x00cf12000000ffff
  dq 0x00cf98000000ffff
  dw 0x67, tss_b, 0x8900, 0
  dw 0, 0x78, 0x8500, 0
  dw ldt_end - ldt - 1, ldt, 0x8200, 0
  dq 0x00cf90000000ffff
  dq 0x00cfb2000000ffff
  dw 0x67, tss_c, 0x8900, 0
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
align 8
ldt:
  dq 0x00cf92000000ffff
  dw 0x0fff, 0x5000, 0x9200, 0x0040
ldt_end:
align 4
tss_a:
  dd 0, 0x8000, 0x10
  times 23 dd 0
tss_b:
  dd 0, 0x8000, 0x10, 0, 0, 0, 0, 0
  dd task_b, 2
  dd 0, 0, 0, 0, 0x7800, 0, 0, 0
  dd 0x10, 0x08, 0x10, 0x10, 0x10, 0x10
  dd 0
  dw 0, 0x68
tss_c:
  dd 0, 0x8000, 0x10, 0, 0, 0, 0, 0
  dd task_c, 2
  dd 0, 0, 0, 0, 0x7800, 0, 0, 0
  dd 0x10, 0x08, 0x10, 0x10, 0x10, 0x10
  dd 0
  dw 1, 0x68
test_body:
${body}
gate_entry:
${parts.gate ?? '  ud2'}
task_b:
${parts.taskB ?? '  ud2'}
task_c:
${parts.taskC ?? '  ud2'}
`;
}
