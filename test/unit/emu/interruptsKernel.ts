// Test rig for the interrupt-delivery tests: small kernels assembled with Debian's nasm (label
// addresses from its symbol map) that load their own GDT, TSS and IDT (IVT in real mode), run on a
// Machine with 0..1 MiB mapped and the default BareEnvironment (everything delivered to the guest),
// and leave what their handlers saw at OUT for the test to read. Not a test file.
import { Machine } from '../../../src/emu/machine';
import type { Environment } from '../../../src/emu/environment';
import type { Exit } from '../../../src/emu/exit';
import { nasm } from '../../conformance/harness';

/** Where the kernels write what they observed. */
export const OUT = 0x6000;

export interface Kernel {
  m: Machine;
  labels: Record<string, number>;
  /** Run until an exit other than 'budget' or `budget` instructions. */
  run(budget?: number): Exit;
  /** Little-endian value of `size` bytes at OUT + `offset`. */
  out(offset: number, size?: number): number;
}

/** Load `source` (own BITS; org 0x1000 added) at 0x1000 in `mode` at CPL 0 with 0..1 MiB mapped RWX. */
export function kernel(source: string, mode: 'real' | 'protected32' | 'long64', env?: Environment): Kernel {
  const a = nasm(`org 0x1000\n${source}`);
  const m = new Machine({ env });
  m.start(mode, 0);
  const r = m.map(0, 0x100000, 7, 'low');
  if (!r.ok) throw new Error(r.message);
  m.writeMemory(0x1000, a.bytes);
  m.rip = 0x1000;
  m.regs[4] = 0x9000;
  const run = (budget = 200000): Exit => {
    let exit = m.run(budget);
    while (exit.reason === 'budget' && budget > 0) {
      budget = 0;
      exit = m.run(0);
    }
    return exit;
  };
  const out = (offset: number, size = 4): number => {
    const b = m.readMemory(OUT + offset, size);
    if (!b) throw new Error('OUT not mapped');
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + b[i];
    return v;
  };
  return { m, labels: a.labels, run, out };
}

/**
 * A 32-bit protected-mode kernel: GDT 08 code0, 10 data0, 18 code3 (1Bh), 20 data3 (23h), 28 TSS
 * (SS0:ESP0 = 10h:8000h), ESP 9000h, an empty 256-entry IDT loaded, then `body`. `gate V, handler,
 * attr` fills IDT entry V (attr: 8E00h interrupt gate DPL 0, 8F00h trap gate, EE00h DPL 3, 0E00h not
 * present, 8600h 16-bit interrupt gate). `extraGdt` (NASM data) follows the TSS descriptor, from 30h.
 */
export function kernel32(body: string, extraGdt = ''): string {
  return `bits 32
%macro gate 3
  mov eax, %2
  mov [idt + %1*8], ax
  mov word [idt + %1*8 + 2], 0x08
  mov word [idt + %1*8 + 4], %3
  shr eax, 16
  mov [idt + %1*8 + 6], ax
%endmacro
; TSS B in GDT slot 30h: EIP = task_b, EFLAGS = 2, ESP = 7800h, flat ring-0 segments (for task gates).
%macro task_b_tss 0
  mov eax, tssb
  mov [gdt + 0x30 + 2], ax
  shr eax, 16
  mov [gdt + 0x30 + 4], al
  mov [gdt + 0x30 + 7], ah
  mov dword [tssb + 32], task_b
  mov dword [tssb + 36], 2
  mov dword [tssb + 56], 0x7800
  mov dword [tssb + 72], 0x10
  mov dword [tssb + 76], 0x08
  mov dword [tssb + 80], 0x10
  mov dword [tssb + 84], 0x10
  mov dword [tssb + 88], 0x10
  mov dword [tssb + 92], 0x10
%endmacro
start:
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
  mov eax, tss
  mov [gdt + 0x28 + 2], ax
  shr eax, 16
  mov [gdt + 0x28 + 4], al
  mov [gdt + 0x28 + 7], ah
  mov dword [tss + 4], 0x8000
  mov word [tss + 8], 0x10
  mov ax, 0x28
  ltr ax
  lidt [idt_ptr]
${body}
  hlt
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff
  dq 0x00cf92000000ffff
  dq 0x00cffa000000ffff
  dq 0x00cff2000000ffff
  dw 0x67, 0
  db 0, 0x89, 0, 0
${extraGdt}
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
idt_ptr:
  dw 256*8 - 1
  dd idt
align 16
tss:
  times 104 db 0
align 16
idt:
  times 256*8 db 0
`;
}

/**
 * A 64-bit kernel (long mode, paging as the start mode leaves it: linear = physical): GDT 08 code64,
 * 10 data, 18 code64 DPL 3 (1Bh), 20 data3 (23h), 28 TSS64 (RSP0 = 8000h, IST1 = 7000h, IST2 = 6808h),
 * RSP 9000h, an empty 256-entry IDT, then `body`. `gate64 V, handler, type, ist` fills entry V
 * (type 8Eh interrupt gate, 8Fh trap gate, EEh DPL 3 interrupt gate, 0Eh not present). `extraGdt`
 * (NASM data) follows the 16-byte TSS descriptor, from 38h.
 */
export function kernel64(body: string, extraGdt = ''): string {
  return `bits 64
%macro gate64 4
  mov rax, %2
  mov [idt + %1*16], ax
  mov word [idt + %1*16 + 2], 0x08
  mov byte [idt + %1*16 + 4], %4
  mov byte [idt + %1*16 + 5], %3
  shr rax, 16
  mov [idt + %1*16 + 6], ax
  shr rax, 16
  mov [idt + %1*16 + 8], eax
  mov dword [idt + %1*16 + 12], 0
%endmacro
start:
  lgdt [gdt_ptr]
  push 0x08
  lea rax, [rel .flush]
  push rax
  retfq
.flush:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov rsp, 0x9000
  mov rax, tss
  mov [gdt + 0x28 + 2], ax
  shr rax, 16
  mov [gdt + 0x28 + 4], al
  mov [gdt + 0x28 + 7], ah
  mov qword [tss + 4], 0x8000
  mov qword [tss + 36], 0x7000
  mov qword [tss + 44], 0x6808
  mov ax, 0x28
  ltr ax
  lidt [idt_ptr]
${body}
  hlt
align 8
gdt:
  dq 0
  dq 0x00af9a000000ffff
  dq 0x00cf92000000ffff
  dq 0x00affa000000ffff
  dq 0x00cff2000000ffff
  dw 0x67, 0
  db 0, 0x89, 0, 0
  dq 0
${extraGdt}
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dq gdt
idt_ptr:
  dw 256*16 - 1
  dq idt
align 16
tss:
  times 104 db 0
align 16
idt:
  times 256*16 db 0
`;
}
