// IA-32e privilege transfers against SDM Vol. 3 §5.8.3.1 / §5.8.5.1 (64-bit call gates: 16-byte
// descriptor, target must be a 64-bit code segment, new SS = null selector with RPL = new CPL,
// RSP from the 64-bit TSS, SS, RSP, CS, RIP pushed as quadwords, no parameter copy) and Vol. 2 RET
// (64-bit far return to an outer level pops RIP, CS, RSP, SS), LTR of a 16-byte TSS descriptor,
// SYSENTER/SYSEXIT with the IA32_SYSENTER_* MSRs.
import { strict as assert } from 'assert';
import { fault, runKernel, peek, OUT } from './protectedKernel';

/** 64-bit kernel: GDT 08 code64, 10 data, 18 code64 DPL3, 20 data DPL3, 28 TSS (16 bytes), 38 call gate DPL3 (16 bytes), 48 code32 DPL0. */
const KERNEL64 = (body: string, gate: string): string => `bits 64
  lgdt [rel gdt_ptr]
  mov ax, 0x28
  ltr ax
  jmp test_body
align 8
gdt:
  dq 0
  dq 0x00af9a000000ffff
  dq 0x00cf92000000ffff
  dq 0x00affa000000ffff
  dq 0x00cff2000000ffff
  dw 0x67, tss, 0x8900, 0, 0, 0, 0, 0
  dw gate_entry, 0x08, 0xec00, 0, 0, 0, 0, 0
  dq 0x00cf9a000000ffff
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dq gdt
align 8
tss:
  dd 0
  dq 0x8000, 0, 0
  dq 0
  dq 0x5000, 0, 0, 0, 0, 0, 0
  dw 0, 0, 0x68
test_body:
${body}
gate_entry:
${gate}
`;

const TO_RING3 = `
  push qword 0x23
  push qword 0x7000
  push qword 0x1b
  lea rax, [rel ring3]
  push rax
  o64 retf
ring3:`;

describe('IA-32e: 64-bit call gates, far returns, LTR, SYSENTER/SYSEXIT', () => {
  it('LTR of a 16-byte TSS descriptor marks it busy', () => {
    const k = runKernel(KERNEL64('hlt', 'ud2'), 'long64');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.trSel, 0x28);
    assert.equal(peek(k.m, k.labels['gdt'] + 0x28 + 5, 1), 0x8b);
  });

  it('ring 3 → 64-bit call gate → ring 0 (RSP0, null SS, quadword frame) → o64 RETF back to ring 3', () => {
    const k = runKernel(KERNEL64(`${TO_RING3}
  mov ax, cs
  mov [${OUT + 0x40}], ax
  call far qword [rel gate_ptr]
back:
  mov [${OUT + 0x48}], rsp
  mov ax, ss
  mov [${OUT + 0x50}], ax
  ud2
gate_ptr:
  dq 0
  dw 0x3b`, `
  mov [${OUT}], rsp
  mov ax, ss
  mov [${OUT + 8}], ax
  mov ax, cs
  mov [${OUT + 10}], ax
  mov rax, [rsp]
  mov [${OUT + 16}], rax
  mov rax, [rsp + 8]
  mov [${OUT + 24}], rax
  mov rax, [rsp + 16]
  mov [${OUT + 32}], rax
  mov rax, [rsp + 24]
  mov [${OUT + 0x28}], rax
  o64 retf`), 'long64');
    const f = fault(k);
    assert.equal(f.vector, 6, JSON.stringify(k.exit));
    const m = k.m;
    assert.equal(peek(m, OUT + 0x40, 2), 0x1b, 'ring 3 reached by the outer far return');
    assert.equal(peek(m, OUT), 0x8000 - 32, 'RSP0 from the 64-bit TSS minus four quadwords');
    assert.equal(peek(m, OUT + 8, 2), 0, 'SS = null selector with RPL 0');
    assert.equal(peek(m, OUT + 10, 2), 0x08);
    assert.equal(peek(m, OUT + 16), k.labels['back'], 'return RIP');
    assert.equal(peek(m, OUT + 24, 2), 0x1b, 'return CS');
    assert.equal(peek(m, OUT + 32), 0x7000, 'caller RSP');
    assert.equal(peek(m, OUT + 0x28, 2), 0x23, 'caller SS');
    assert.equal(peek(m, OUT + 0x48), 0x7000, 'RSP restored');
    assert.equal(peek(m, OUT + 0x50, 2), 0x23, 'SS restored');
    assert.equal(m.cpl, 3);
  });

  it('a 64-bit call gate whose target is a 32-bit code segment → #GP(target selector)', () => {
    const k = runKernel(KERNEL64(`
  mov word [rel gdt + 0x38 + 2], 0x48
  call far qword [rel gate_ptr]
  hlt
gate_ptr:
  dq 0
  dw 0x38`, 'hlt'), 'long64');
    const f = fault(k);
    assert.equal(f.vector, 13, JSON.stringify(k.exit));
    assert.equal(f.errorCode, 0x48);
  });

  it('a far JMP to a TSS in IA-32e mode → #GP(sel)', () => {
    const k = runKernel(KERNEL64(`
  jmp far qword [rel p]
p:
  dq 0
  dw 0x28`, 'hlt'), 'long64');
    const f = fault(k);
    assert.equal(f.vector, 13, JSON.stringify(k.exit));
    assert.equal(f.errorCode, 0x28);
  });

  it('SYSENTER to ring 0 and SYSEXIT (64-bit) back to ring 3 with the selectors the MSR implies', () => {
    const k = runKernel(KERNEL64(`
  mov ecx, 0x174
  mov eax, 0x08
  xor edx, edx
  wrmsr
  mov ecx, 0x175
  mov eax, 0x8800
  wrmsr
  mov ecx, 0x176
  lea rax, [rel kernel_entry]
  wrmsr
  lea rdx, [rel user]
  mov rcx, 0x7100
  o64 sysexit
user:
  mov ax, cs
  mov [${OUT}], ax
  mov ax, ss
  mov [${OUT + 2}], ax
  mov [${OUT + 8}], rsp
  sysenter
kernel_entry:
  mov ax, cs
  mov [${OUT + 16}], ax
  mov ax, ss
  mov [${OUT + 18}], ax
  mov [${OUT + 24}], rsp
  hlt`, 'hlt'), 'long64');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    const m = k.m;
    assert.equal(peek(m, OUT, 2), 0x08 + 32 + 3, 'SYSEXIT 64: CS = SYSENTER_CS + 32 | 3');
    assert.equal(peek(m, OUT + 2, 2), 0x08 + 40 + 3, 'SS = SYSENTER_CS + 40 | 3');
    assert.equal(peek(m, OUT + 8), 0x7100, 'RSP = RCX');
    assert.equal(peek(m, OUT + 16, 2), 0x08, 'SYSENTER: CS = SYSENTER_CS');
    assert.equal(peek(m, OUT + 18, 2), 0x10, 'SS = SYSENTER_CS + 8');
    assert.equal(peek(m, OUT + 24), 0x8800, 'RSP = SYSENTER_ESP');
    assert.equal(m.cpl, 0);
    assert.ok(m.mode64);
  });

  it('LAR/LSL in IA-32e mode use the 64-bit type tables: call gate and TSS valid, task gate and 16-bit TSS not', () => {
    const k = runKernel(KERNEL64(`
  mov cx, 0x38
  lar eax, cx
  setz r8b
  mov cx, 0x28
  lsl ebx, cx
  setz r9b
  mov dword [rel gdt + 0x38 + 4], 0x8500
  mov cx, 0x38
  lar esi, cx
  setz r10b
  mov dword [rel gdt + 0x38 + 4], 0x8100
  lsl edi, cx
  setz r11b
  hlt`, 'hlt'), 'long64');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    const m = k.m;
    assert.equal(m.regs[8] & 0xff, 1, 'LAR of a 64-bit call gate');
    assert.equal(m.regs[0] >>> 0, 0xec00);
    assert.equal(m.regs[9] & 0xff, 1, 'LSL of a 64-bit TSS');
    assert.equal(m.regs[3] >>> 0, 0x67);
    assert.equal(m.regs[10] & 0xff, 0, 'LAR of a task gate is invalid in IA-32e mode');
    assert.equal(m.regs[11] & 0xff, 0, 'LSL of a 16-bit TSS is invalid in IA-32e mode');
    assert.equal(m.regs[6] >>> 0, 0, 'destination untouched (ESI was 0)');
  });
});
