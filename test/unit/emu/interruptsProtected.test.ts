// Protected-mode IDT delivery checked against the SDM (Vol. 3 §6.12-6.15, Vol. 2 INT n / IRET):
// small kernels that load their own GDT/TSS/IDT record what their handlers see (frame, error code,
// CR2, EFLAGS.IF, stacks) and the test compares it with the values the SDM rules give.
import { strict as assert } from 'assert';
import { OUT, kernel, kernel32 } from './interruptsKernel';

const RF = 0x10000;
const IF = 0x200;

describe('interrupts: protected-mode IDT delivery', () => {
  it('#DE: frame EIP = the DIV, CS = 08h, pushed RF = 1 (fault), no error code', () => {
    const k = kernel(kernel32(`
  gate 0, de, 0x8E00
  xor edx, edx
  xor ecx, ecx
  mov eax, 1
div_insn:
  div ecx
  hlt
de:
  mov eax, [esp]
  mov [${OUT}], eax
  mov eax, [esp+4]
  mov [${OUT + 4}], eax
  mov eax, [esp+8]
  mov [${OUT + 8}], eax
  mov [${OUT + 12}], esp
  pushfd
  pop eax
  mov [${OUT + 16}], eax
  hlt`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), k.labels.div_insn);
    assert.equal(k.out(4), 0x08);
    assert.equal(k.out(8) & RF, RF, 'pushed RF of a fault is 1');
    assert.equal(k.out(12), 0x9000 - 12, 'three dwords pushed on the same-privilege stack');
    assert.equal(k.out(16) & (RF | IF | 0x100), 0, 'handler runs with RF, IF, TF clear');
  });

  it('#GP(selector) from MOV DS beyond the GDT limit, EIP = the MOV; IRET after fixing AX resumes', () => {
    const k = kernel(kernel32(`
  gate 13, gp, 0x8E00
  mov ax, 0x58
gp_insn:
  mov ds, ax
  mov [${OUT + 8}], eax
  hlt
gp:
  mov eax, [esp]
  mov [${OUT}], eax
  mov eax, [esp+4]
  mov [${OUT + 4}], eax
  mov eax, 0x10
  add esp, 4
  iretd`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x58, '#GP error code = selector');
    assert.equal(k.out(4), k.labels.gp_insn);
    assert.equal(k.out(8), 0x10, 'the MOV ran again after IRET with AX = 10h');
  });

  it('#UD from UD2 and #PF with error code and CR2 for an unmapped read', () => {
    const k = kernel(kernel32(`
  gate 6, ud, 0x8E00
  gate 14, pf, 0x8E00
ud_insn:
  ud2
pf_insn:
  mov eax, [0x200004]
  hlt
ud:
  mov eax, [esp]
  mov [${OUT}], eax
  add dword [esp], 2
  iretd
pf:
  mov eax, [esp]
  mov [${OUT + 4}], eax
  mov eax, [esp+4]
  mov [${OUT + 8}], eax
  mov eax, cr2
  mov [${OUT + 12}], eax
  hlt`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), k.labels.ud_insn);
    assert.equal(k.out(4), 0, '#PF error code: not present, read, supervisor');
    assert.equal(k.out(8), k.labels.pf_insn);
    assert.equal(k.out(12), 0x200004, 'CR2 = the faulting linear address');
  });

  it('interrupt gate clears IF, trap gate keeps it; INT n pushes RF = 0 and the next EIP', () => {
    const k = kernel(kernel32(`
  gate 0x40, h40, 0x8E00
  gate 0x41, h41, 0x8F00
  sti
  int 0x40
after40:
  int 0x41
  hlt
h40:
  pushfd
  pop eax
  mov [${OUT}], eax
  mov eax, [esp+8]
  mov [${OUT + 4}], eax
  mov eax, [esp]
  mov [${OUT + 8}], eax
  iretd
h41:
  pushfd
  pop eax
  mov [${OUT + 12}], eax
  iretd`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0) & IF, 0, 'interrupt gate: IF = 0 in the handler');
    assert.equal(k.out(4) & (IF | RF), IF, 'pushed EFLAGS: IF = 1, RF = 0');
    assert.equal(k.out(8), k.labels.after40);
    assert.equal(k.out(12) & IF, IF, 'trap gate: IF stays 1');
    assert.equal(k.m.getRflags() & IF, IF, 'IRET restored IF');
  });

  it('16-bit interrupt gate pushes a 16-bit frame (6 bytes) and the handler returns with IRET (o16)', () => {
    const k = kernel(kernel32(`
  gate 0x42, h42, 0x8600
  int 0x42
after42:
  mov [${OUT + 4}], esp
  hlt
h42:
  mov [${OUT}], esp
  movzx eax, word [esp]
  mov [${OUT + 8}], eax
  o16 iret`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x9000 - 6);
    assert.equal(k.out(8), k.labels.after42 & 0xffff);
    assert.equal(k.out(4), 0x9000);
  });

  it('INT n from ring 3 to a DPL-3 gate switches to SS0:ESP0 and IRET returns to ring 3; a DPL-0 gate gives #GP(n·8+2)', () => {
    const k = kernel(kernel32(`
  gate 0x80, h80, 0xEE00
  gate 0x81, h80, 0x8E00
  gate 13, gp, 0x8E00
  push 0x23
  push 0x7000
  push 0x202
  push 0x1b
  push ring3
  iretd
ring3:
  mov eax, ds
  mov [ss:${OUT + 40}], eax
  mov ax, 0x23
  mov ds, ax
  mov es, ax
  mov eax, 0x1234
  int 0x80
  mov [${OUT + 20}], eax
  mov [${OUT + 24}], esp
  mov eax, cs
  mov [${OUT + 28}], eax
int81:
  int 0x81
  jmp $
h80:
  mov [${OUT}], esp
  mov ecx, [esp+12]
  mov [${OUT + 4}], ecx
  mov ecx, [esp+16]
  mov [${OUT + 8}], ecx
  mov ecx, [esp+4]
  mov [${OUT + 12}], ecx
  mov ecx, ss
  mov [${OUT + 16}], ecx
  add eax, 1
  iretd
gp:
  mov eax, [esp]
  mov [${OUT + 32}], eax
  mov eax, [esp+4]
  mov [${OUT + 36}], eax
  hlt`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(40), 0, 'IRET to ring 3 nulled DS (DPL 0 < CPL 3)');
    assert.equal(k.out(0), 0x8000 - 20, 'handler stack = ESP0 - (SS, ESP, EFLAGS, CS, EIP)');
    assert.equal(k.out(4), 0x7000, 'old ESP pushed');
    assert.equal(k.out(8), 0x23, 'old SS pushed');
    assert.equal(k.out(12), 0x1b, 'old CS pushed');
    assert.equal(k.out(16), 0x10, 'SS = SS0 from the TSS');
    assert.equal(k.out(20), 0x1235, 'handler result seen back in ring 3');
    assert.equal(k.out(24), 0x7000, 'ring-3 ESP restored');
    assert.equal(k.out(28), 0x1b, 'back at CPL 3');
    assert.equal(k.out(32), 0x81 * 8 + 2, '#GP error code: IDT entry 81h, IDT bit, EXT = 0');
    assert.equal(k.out(36), k.labels.int81, '#GP EIP = the INT instruction');
  });

  it('#PF with a not-present #PF gate becomes #DF (error code 0) — contributory after page fault', () => {
    const k = kernel(kernel32(`
  gate 14, never, 0x0E00
  gate 11, never, 0x8E00
  gate 8, df, 0x8E00
pf_insn:
  mov eax, [0x200000]
  hlt
never:
  mov dword [${OUT + 8}], 1
  hlt
df:
  mov eax, [esp]
  mov [${OUT}], eax
  mov eax, [esp+4]
  mov [${OUT + 4}], eax
  hlt`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0, '#DF pushes error code 0');
    assert.equal(k.out(4), k.labels.pf_insn);
    assert.equal(k.out(8), 0, 'the #NP handler did not run');
  });

  it('a serial (benign-first) fault: INT 0x50 through a not-present gate delivers #NP(50h·8+2)', () => {
    const k = kernel(kernel32(`
  gate 0x50, never, 0x6E00
  gate 11, np, 0x8E00
int50:
  int 0x50
  hlt
never:
  hlt
np:
  mov eax, [esp]
  mov [${OUT}], eax
  mov eax, [esp+4]
  mov [${OUT + 4}], eax
  hlt`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x50 * 8 + 2, '#NP(IDT entry, EXT = 0 for INT n)');
    assert.equal(k.out(4), k.labels.int50);
  });

  it('a fault while delivering #DF is a triple fault: the run ends with vector 8 and the chain', () => {
    const k = kernel(kernel32(`
  gate 14, never, 0x0E00
  gate 8, never, 0x0E00
  mov eax, [0x200000]
  hlt
never:
  hlt`), 'protected32');
    const exit = k.run();
    assert.equal(exit.reason, 'fault');
    if (exit.reason !== 'fault') return;
    assert.equal(exit.vector, 8);
    assert.match(exit.message, /^triple fault: #PF\(0x0\) at 0x[0-9a-f]+ .*→ #NP\(0x73\).* → #DF\(0x0\) → #NP\(0x43\)/);
  });

  it('external events set EXT: an IRQ through a gate beyond the IDT limit gives #GP(vector·8+3)', () => {
    const k = kernel(kernel32(`
  gate 13, gp, 0x8E00
  mov word [idt_ptr], 0x30*8 - 1
  lidt [idt_ptr]
  sti
  jmp $
gp:
  mov eax, [esp]
  mov [${OUT}], eax
  hlt`), 'protected32');
    let delivered = false;
    k.m.interrupts = {
      nextEventAt: () => (delivered ? Infinity : 200),
      advance: () => undefined,
      pending: () => !delivered && k.m.icount >= 200,
      acknowledge: () => { delivered = true; return { kind: 'vector', vector: 0x30 }; },
      idleUntilNextEvent: () => false,
    };
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x30 * 8 + 3);
  });
});

describe('interrupts: conforming handler', () => {
  it('a gate to a conforming DPL-0 code segment runs the handler at CPL 3 on the ring-3 stack', () => {
    const k = kernel(kernel32(`
  gate 0x80, h80, 0xEE00
  mov word [idt + 0x80*8 + 2], 0x30
  push 0x23
  push 0x7000
  push 0x202
  push 0x1b
  push ring3
  iretd
ring3:
  mov ax, 0x23
  mov ds, ax
  int 0x80
  mov [${OUT + 12}], esp
  jmp $
h80:
  mov [${OUT}], esp
  mov eax, cs
  mov [${OUT + 4}], eax
  mov eax, ss
  mov [${OUT + 8}], eax
  iretd`, '  dq 0x00cf9e000000ffff'), 'protected32');
    k.run(2000);
    assert.equal(k.out(0), 0x7000 - 12, 'same stack: EFLAGS, CS, EIP only');
    assert.equal(k.out(4), 0x33, 'CS = conforming selector with RPL = CPL 3');
    assert.equal(k.out(8), 0x23, 'SS unchanged');
    assert.equal(k.out(12), 0x7000, 'IRET back at the same privilege');
  });
});

describe('interrupts: IRET and POPF privilege rules', () => {
  it('INT through a task gate switches tasks (back link, NT, busy); IRET with NT returns to the caller task', () => {
    const k = kernel(kernel32(`
  task_b_tss
  mov word [idt + 0x60*8 + 2], 0x30
  mov word [idt + 0x60*8 + 4], 0x8500
  mov esi, 0x5555
  int 0x60
  mov [${OUT + 16}], esp
  mov [${OUT + 20}], esi
  pushfd
  pop eax
  mov [${OUT + 24}], eax
  movzx eax, byte [gdt + 0x30 + 5]
  mov [${OUT + 28}], eax
  int 0x60
  mov eax, [${OUT + 32}]
  mov [${OUT + 36}], eax
  jmp done
task_b:
  mov eax, [tssb]
  mov [${OUT}], eax
  pushfd
  pop eax
  mov [${OUT + 4}], eax
  movzx eax, byte [gdt + 0x30 + 5]
  mov [${OUT + 8}], eax
  mov [${OUT + 12}], esp
  mov esi, 0x7777
  iretd
  mov dword [${OUT + 32}], 0xb2
  iretd
done:`, `  dw 0x67, 0
  db 0, 0x89, 0, 0
align 16
tssb:
  times 104 db 0`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x28, 'back link = the interrupted task (TSS A)');
    assert.equal(k.out(4) & 0x4000, 0x4000, 'NT set in the called task');
    assert.equal(k.out(8), 0x8b, 'TSS B busy while it runs');
    assert.equal(k.out(12), 0x7800, 'task B runs on its own stack (no frame pushed)');
    assert.equal(k.out(16), 0x9000, 'task A stack untouched');
    assert.equal(k.out(20), 0x5555, "task A's registers restored");
    assert.equal(k.out(24) & 0x4000, 0, 'NT clear back in task A');
    assert.equal(k.out(28), 0x89, 'TSS B no longer busy after IRET');
    assert.equal(k.out(36), 0xb2, 'the second INT resumed task B after its IRET');
  });

  it('#UD from ring 3 whose handler needs a stack from a TSS with a null SS0: #TS(EXT = 1) delivered serially through a task gate, error code on the new task stack', () => {
    const k = kernel(kernel32(`
  task_b_tss
  gate 6, never, 0x8E00
  mov word [idt + 10*8 + 2], 0x30
  mov word [idt + 10*8 + 4], 0x8500
  mov word [tss + 8], 0
  push 0x23
  push 0x7000
  push 0x202
  push 0x1b
  push ring3
  iretd
ring3:
ud_insn:
  ud2
never:
  hlt
task_b:
  mov eax, [esp]
  mov [${OUT}], eax
  mov [${OUT + 4}], esp
  mov eax, [tss + 32]
  mov [${OUT + 8}], eax
  hlt`, `  dw 0x67, 0
  db 0, 0x89, 0, 0
align 16
tssb:
  times 104 db 0`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 1, '#TS error code: null selector with EXT = 1');
    assert.equal(k.out(4), 0x7800 - 4, 'the error code was pushed on the new task stack');
    assert.equal(k.out(8), k.labels.ud_insn, 'the outgoing task saved EIP = the faulting UD2');
  });

  it('IRET to ring 3 with an SS whose RPL differs from CS.RPL → #GP(SS selector), nothing changed', () => {
    const k = kernel(kernel32(`
  gate 13, gp, 0x8E00
  push 0x20
  push 0x7000
  push 0x202
  push 0x1b
  push 0
iret_insn:
  iretd
gp:
  mov eax, [esp]
  mov [${OUT}], eax
  mov eax, [esp+4]
  mov [${OUT + 4}], eax
  mov eax, cs
  mov [${OUT + 8}], eax
  lea eax, [esp+16]
  mov [${OUT + 12}], eax
  hlt`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x20, '#GP(SS selector)');
    assert.equal(k.out(4), k.labels.iret_insn);
    assert.equal(k.out(8), 0x08, 'still ring 0');
    assert.equal(k.out(12), 0x9000 - 20, 'the IRET frame was not popped');
  });

  it('POPF at ring 3 (IOPL 0) changes neither IF, IOPL nor RF; IRET at ring 0 loads IOPL and IF; IRET at ring 3 loads IF only when CPL <= IOPL', () => {
    const k = kernel(kernel32(`
  gate 0x80, h80, 0xEE00
  push 0x23
  push 0x7000
  push 0x202
  push 0x1b
  push ring3
  iretd
ring3:
  push 0x13000
  popfd
  pushfd
  pop eax
  mov [ss:${OUT}], eax
  int 0x80
  pushfd
  pop eax
  mov [ss:${OUT + 4}], eax
  push 0x202
  push 0x1b
  push after_iret
  iretd
after_iret:
  pushfd
  pop eax
  mov [ss:${OUT + 8}], eax
  int 0x80
h80:
  cmp dword [ss:${OUT + 12}], 0
  jne .second
  mov dword [ss:${OUT + 12}], 1
  and dword [esp + 8], ~0x200
  or dword [esp + 8], 0x3000
  iretd
.second:
  hlt`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0) & (0x10000 | 0x3000 | 0x200), 0x200, 'POPF at CPL 3, IOPL 0: RF and IOPL not set, IF kept');
    assert.equal(k.out(4) & (0x3000 | 0x200), 0x3000, 'IRET at CPL 0 loaded IOPL = 3 and IF = 0');
    assert.equal(k.out(8) & (0x3000 | 0x200), 0x3200, 'IRET at CPL 3 with IOPL 3: IF loaded, IOPL kept');
  });
});

describe('interrupts: virtual-8086 mode', () => {
  it('INT n with IOPL < 3 → #GP(0) at ring 0 on ESP0 with the v86 frame (GS FS DS ES SS ESP EFLAGS CS EIP), data segments nulled; IRETD returns to v86', () => {
    const k = kernel(kernel32(`
  gate 13, gp, 0x8E00
  push 0x0
  push 0x0
  push 0x0
  push 0x0
  push 0x0
  push 0x7000
  push 0x20002
  push 0x100
  push v86code - 0x1000
  iretd
bits 16
v86code:
  mov bx, 0x1234
v86int:
  int 0x21
  mov [${OUT + 0x40}], bx
v86hlt:
  hlt
bits 32
gp:
  cmp dword [ss:${OUT + 0x80}], 0
  jne .second
  mov dword [ss:${OUT + 0x80}], 1
  mov [ss:${OUT}], esp
  mov eax, [esp]
  mov [ss:${OUT + 4}], eax
  mov eax, [esp+4]
  mov [ss:${OUT + 8}], eax
  mov eax, [esp+8]
  mov [ss:${OUT + 12}], eax
  mov eax, [esp+12]
  mov [ss:${OUT + 16}], eax
  mov eax, [esp+16]
  mov [ss:${OUT + 20}], eax
  mov eax, ds
  mov [ss:${OUT + 24}], eax
  add dword [esp+4], 2
  add esp, 4
  iretd
.second:
  mov eax, [esp+4]
  mov [ss:${OUT + 28}], eax
  hlt`), 'protected32');
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0x8000 - 40, 'ESP0 minus 9 dwords and the error code');
    assert.equal(k.out(4), 0, 'error code 0');
    assert.equal(k.out(8), k.labels.v86int - 0x1000, 'IP of the INT');
    assert.equal(k.out(12), 0x100, 'v86 CS');
    assert.equal(k.out(16) & 0x20000, 0x20000, 'pushed EFLAGS has VM');
    assert.equal(k.out(20), 0x7000, 'v86 SP');
    assert.equal(k.out(24), 0, 'DS nulled in the handler');
    assert.equal(k.out(0x40, 2), 0x1234, 'back in v86 after IRETD: DS base 0 store');
    assert.equal(k.out(28), k.labels.v86hlt - 0x1000, 'HLT at CPL 3 in v86 → #GP at its IP');
  });
});
