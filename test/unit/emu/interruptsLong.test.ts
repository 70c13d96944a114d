// IA-32e-mode IDT delivery (SDM Vol. 3 §6.14) and real-mode IVT delivery (§20.1.4) checked against
// the SDM rules: 64-bit frames with SS:RSP always pushed, RSP aligned to 16, IST and RSP0 stacks from
// the 64-bit TSS, the DPL check for INT n from ring 3, #PF with CR2, IRETQ back to ring 3, non-
// canonical handler addresses; in real mode LIDT moving and sizing the IVT.
import { strict as assert } from 'assert';
import { OUT, kernel, kernel64 } from './interruptsKernel';

describe('interrupts: IA-32e IDT delivery', () => {
  it('#GP(selector) at an unaligned RSP: frame of 6 qwords on RSP & ~15, old SS:RSP pushed', () => {
    const k = kernel(kernel64(`
  gate64 13, gp, 0x8E, 0
  mov rsp, 0x9008
  mov ax, 0x58
gp_insn:
  mov ds, ax
  hlt
gp:
  mov [${OUT}], rsp
  mov rax, [rsp]
  mov [${OUT + 8}], rax
  mov rax, [rsp+8]
  mov [${OUT + 16}], rax
  mov rax, [rsp+16]
  mov [${OUT + 24}], rax
  mov rax, [rsp+32]
  mov [${OUT + 32}], rax
  mov rax, [rsp+40]
  mov [${OUT + 40}], rax
  mov rax, [rsp+24]
  mov [${OUT + 48}], rax
  hlt`), 'long64');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x9000 - 48, 'aligned down to 16, then SS, RSP, RFLAGS, CS, RIP, error code');
    assert.equal(k.out(8), 0x58, 'error code');
    assert.equal(k.out(16), k.labels.gp_insn, 'RIP');
    assert.equal(k.out(24), 0x08, 'CS');
    assert.equal(k.out(32), 0x9008, 'old RSP (unaligned) pushed');
    assert.equal(k.out(40), 0x10, 'old SS pushed even without a privilege change');
    assert.equal(k.out(48) & 0x10000, 0x10000, 'pushed RF = 1 for a fault');
  });

  it('IST: INT n through a gate with IST1 runs on IST1 (aligned), IRETQ restores RSP', () => {
    const k = kernel(kernel64(`
  gate64 0x40, h40, 0x8E, 1
  gate64 0x41, h40, 0x8E, 2
  mov rsp, 0x8ff8
  int 0x40
  mov [${OUT + 8}], rsp
  int 0x41
  hlt
h40:
  mov rax, [rel slot]
  mov [${OUT} + rax*8 + 16], rsp
  inc qword [rel slot]
  iretq
slot: dq 0`), 'long64');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(16), 0x7000 - 40, 'IST1 = 7000h: five qwords below it');
    assert.equal(k.out(8), 0x8ff8, 'IRETQ popped the old RSP');
    assert.equal(k.out(24), 0x6800 - 40, 'IST2 = 6808h aligned down to 6800h');
  });

  it('ring 3 → DPL-3 gate: RSP0 from the TSS, SS = null selector, IRETQ back; DPL-0 gate → #GP(81h·8+2)', () => {
    const k = kernel(kernel64(`
  gate64 0x80, h80, 0xEE, 0
  gate64 0x81, h80, 0x8E, 0
  gate64 13, gp, 0x8E, 0
  push 0x23
  push 0x7000
  push 0x202
  push 0x1b
  lea rax, [rel ring3]
  push rax
  iretq
ring3:
  mov eax, 41
  int 0x80
  mov [${OUT + 24}], rax
  mov [${OUT + 32}], rsp
  mov eax, cs
  mov [${OUT + 40}], eax
int81:
  int 0x81
  jmp $
h80:
  mov [${OUT}], rsp
  mov rcx, [rsp+24]
  mov [${OUT + 8}], rcx
  mov rcx, [rsp+32]
  mov [${OUT + 16}], rcx
  mov ecx, ss
  mov [${OUT + 48}], ecx
  inc eax
  iretq
gp:
  mov rax, [rsp]
  mov [${OUT + 56}], rax
  mov rax, [rsp+8]
  mov [${OUT + 64}], rax
  hlt`), 'long64');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x8000 - 40, 'RSP0 = 8000h minus the 5-qword frame');
    assert.equal(k.out(8), 0x7000, 'old RSP');
    assert.equal(k.out(16), 0x23, 'old SS');
    assert.equal(k.out(48), 0, 'SS = null selector with RPL = 0');
    assert.equal(k.out(24), 42, 'handler result back in ring 3');
    assert.equal(k.out(32), 0x7000);
    assert.equal(k.out(40), 0x1b);
    assert.equal(k.out(56), 0x81 * 8 + 2);
    assert.equal(k.out(64), k.labels.int81);
  });

  it('#PF in long mode: error code, CR2, RIP of the faulting instruction', () => {
    const k = kernel(kernel64(`
  gate64 14, pf, 0x8E, 0
pf_insn:
  mov qword [0x300008], 1
  hlt
pf:
  mov rax, [rsp]
  mov [${OUT}], rax
  mov rax, [rsp+8]
  mov [${OUT + 8}], rax
  mov rax, cr2
  mov [${OUT + 16}], rax
  hlt`), 'long64');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 2, 'not present, write, supervisor');
    assert.equal(k.out(8), k.labels.pf_insn);
    assert.equal(k.out(16), 0x300008);
  });

  it('a gate with a non-canonical target raises #GP(EXT) for an exception (then #DF: contributory twice)', () => {
    const k = kernel(kernel64(`
  gate64 8, df, 0x8E, 0
  gate64 13, df, 0x8E, 0
  gate64 0, df, 0x8E, 0
  mov dword [idt + 0*16 + 8], 0x00012345
  xor ecx, ecx
  div ecx
  hlt
df:
  mov rax, [rsp]
  mov [${OUT}], rax
  hlt`), 'long64');
    assert.equal(k.run().reason, 'halted');
    // #DE's gate is non-canonical → #GP(EXT = 1): contributory after contributory → #DF(0).
    assert.equal(k.out(0), 0);
  });

  it('a 32-bit gate type in the 64-bit IDT is invalid: #GP(vector·8+2) for INT n', () => {
    const k = kernel(kernel64(`
  gate64 0x44, h, 0x8E, 0
  gate64 13, gp, 0x8E, 0
  mov byte [idt + 0x44*16 + 5], 0x8C
  int 0x44
  hlt
h:
  hlt
gp:
  mov rax, [rsp]
  mov [${OUT}], rax
  hlt`), 'long64');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x44 * 8 + 2);
  });
});

describe('interrupts: IA-32e from compatibility mode', () => {
  it('INT n in 32-bit compatibility code lands in the 64-bit handler with an 8-byte frame; IRETQ returns to compat', () => {
    const k = kernel(kernel64(`
  gate64 0x40, h40, 0x8E, 0
  mov rsp, 0x8ffc
  push 0x38
  lea rax, [rel compat]
  push rax
  retfq
bits 32
compat:
  mov esi, 7
int40:
  int 0x40
after40:
  mov [${OUT + 32}], esi
  mov [${OUT + 40}], esp
  hlt
bits 64
h40:
  mov [${OUT}], rsp
  mov rax, [rsp]
  mov [${OUT + 8}], rax
  mov rax, [rsp+8]
  mov [${OUT + 16}], rax
  mov rax, [rsp+24]
  mov [${OUT + 24}], rax
  inc esi
  iretq`, '  dq 0x00cf9a000000ffff'), 'long64');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x8ff0 - 40, 'RSP aligned down to 16, five qwords');
    assert.equal(k.out(8), k.labels.after40, 'RIP');
    assert.equal(k.out(16), 0x38, 'CS of the compatibility-mode code');
    assert.equal(k.out(24), 0x8ffc, 'old RSP (unaligned) pushed');
    assert.equal(k.out(32), 8, 'handler ran once, back in compat mode');
    assert.equal(k.out(40), 0x8ffc, 'IRETQ restored RSP');
    assert.equal(k.m.modeName(), 'compat32');
  });
});

describe('interrupts: real-mode IVT', () => {
  it('LIDT moves the IVT: INT 21h uses the entry at the new base, IRET returns', () => {
    const k = kernel(`bits 16
  mov word [0x21*4], wrong
  mov word [0x21*4+2], 0
  mov word [0x3000 + 0x21*4], right
  mov word [0x3000 + 0x21*4 + 2], 0
  lidt [ivt]
  mov ax, 5
  int 0x21
  mov [${OUT + 4}], ax
  hlt
wrong:
  mov word [${OUT}], 0xbad
  iret
right:
  mov word [${OUT}], 0x600d
  inc ax
  iret
ivt: dw 0x3ff
  dd 0x3000`, 'real');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0, 2), 0x600d);
    assert.equal(k.out(4, 2), 6);
  });

  it('an IVT limit that excludes the vector raises #GP (vector 13 through the same IVT)', () => {
    const k = kernel(`bits 16
  mov word [0x3000 + 13*4], gp
  mov word [0x3000 + 13*4 + 2], 0
  lidt [ivt]
int21:
  int 0x21
  hlt
gp:
  mov bp, sp
  mov ax, [bp]
  mov [${OUT}], ax
  hlt
ivt: dw 0x83
  dd 0x3000`, 'real');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0, 2), k.labels.int21, 'IP pushed = the INT (a fault during its delivery)');
  });

  it('IVT limit 0: INT n → #GP → #GP → #DF → triple fault', () => {
    const k = kernel(`bits 16
  lidt [ivt]
  int 0x21
  hlt
ivt: dw 0
  dd 0`, 'real');
    const exit = k.run();
    assert.equal(exit.reason, 'fault');
    if (exit.reason === 'fault') assert.match(exit.message, /^triple fault: INT 0x21 .*#GP.*#DF/);
  });
});
