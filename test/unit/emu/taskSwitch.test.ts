// Hardware task switches against SDM Vol. 3 §7.3 (Table 7-2: busy bits, NT and the back link by
// source) and §18.2.4/§18.3.1.5 (TSS T bit → #DB with DR6.BT before the new task's first
// instruction, local DR7 enables cleared): JMP to a TSS and back with the state saved and restored,
// CALL to a TSS, CALL through a task gate with T = 1, LTR's busy bit, and the faults of bad targets.
import { strict as assert } from 'assert';
import { BareEnvironment } from '../../../src/emu/environment';
import { fault, runKernel, kernel32, peek, gdtAccess, OUT } from './protectedKernel';

const GP = 13, TS = 10, UD = 6, DB = 1;

/** What task B records about itself before it leaves. */
const RECORD_B = `
  str ax
  mov [${OUT}], ax
  pushfd
  pop eax
  mov [${OUT + 4}], eax
  mov eax, [tss_b]
  mov [${OUT + 8}], eax
  mov al, [gdt + 0x28 + 5]
  mov [${OUT + 12}], al
  mov al, [gdt + 0x50 + 5]
  mov [${OUT + 13}], al
  mov eax, cr0
  mov [${OUT + 16}], eax
  mov [${OUT + 20}], esp`;

describe('hardware task switching', () => {
  it('LTR marks the TSS busy; a second LTR of it → #GP(sel)', () => {
    const k = runKernel(kernel32('mov ax, 0x28\nltr ax\nmov bl, [gdt + 0x28 + 5]\nltr ax\nhlt'), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, GP, JSON.stringify(k.exit));
    assert.equal(f.errorCode, 0x28);
    assert.equal(k.m.regs[3] & 0xff, 0x8b, 'type 9 → 11 (busy) after the first LTR');
    assert.equal(k.m.trSel, 0x28);
  });

  it('JMP to a TSS and JMP back: state saved and restored, busy bits moved, no NT, no back link, CR0.TS', () => {
    const k = runKernel(kernel32(`
  mov ax, 0x28
  ltr ax
  mov eax, 0xaaaa
  mov ebx, 0xbbbb
  mov esi, 0x5151
  jmp 0x50:0
back_in_a:
  hlt`, { taskB: `${RECORD_B}
  mov ecx, 0x1234
  jmp 0x28:0
b_after_jmp:
  ud2` }), 'protected32');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    const m = k.m;
    // In task B.
    assert.equal(peek(m, OUT, 2), 0x50, 'TR = TSS B inside task B');
    assert.equal(peek(m, OUT + 4) & 0x4000, 0, 'JMP does not set NT');
    assert.equal(peek(m, OUT + 8), 0, 'JMP does not write the back link');
    assert.equal(peek(m, OUT + 12, 1), 0x89, 'TSS A not busy after JMP away from it');
    assert.equal(peek(m, OUT + 13, 1), 0x8b, 'TSS B busy');
    assert.equal(peek(m, OUT + 16) & 8, 8, 'CR0.TS set by the switch');
    assert.equal(peek(m, OUT + 20), 0x7800 - 4 + 4, 'ESP from TSS B');
    // Back in task A.
    assert.equal(m.trSel, 0x28);
    assert.equal(m.regs[0] >>> 0, 0xaaaa);
    assert.equal(m.regs[3] >>> 0, 0xbbbb);
    assert.equal(m.regs[6] >>> 0, 0x5151);
    assert.equal(m.regs[1] >>> 0, 0, 'ECX is task A\'s, not B\'s 0x1234');
    assert.equal(m.regs[4] >>> 0, 0x9000);
    assert.equal(m.rip, k.labels['back_in_a'] + 1, 'halted after resuming at the instruction after the JMP');
    assert.equal(gdtAccess(m, k, 0x28), 0x8b);
    assert.equal(gdtAccess(m, k, 0x50), 0x89);
    // Task B's TSS holds its state at the JMP.
    const b = k.labels['tss_b'];
    assert.equal(peek(m, b + 32), k.labels['b_after_jmp'], 'saved EIP = after B\'s JMP');
    assert.equal(peek(m, b + 44), 0x1234, 'saved ECX');
    assert.equal(peek(m, b + 76, 2), 0x08, 'saved CS');
  });

  it('CALL to a TSS: NT set in the new task, back link = old TR, both TSSs busy', () => {
    const k = runKernel(kernel32(`
  mov ax, 0x28
  ltr ax
  call 0x50:0
  hlt`, { taskB: `${RECORD_B}\n  ud2` }), 'protected32');
    assert.equal(fault(k).vector, UD, JSON.stringify(k.exit));
    const m = k.m;
    assert.equal(peek(m, OUT, 2), 0x50);
    assert.equal(peek(m, OUT + 4) & 0x4000, 0x4000, 'NT set');
    assert.equal(peek(m, OUT + 8, 2), 0x28, 'back link = TSS A');
    assert.equal(peek(m, OUT + 12, 1), 0x8b, 'TSS A stays busy (nested)');
    assert.equal(peek(m, OUT + 13, 1), 0x8b, 'TSS B busy');
    assert.equal(peek(m, k.labels['tss_a'] + 36) & 0x4000, 0, 'A\'s saved EFLAGS has NT clear');
  });

  it('CALL through a task gate to a TSS with T = 1: #DB before its first instruction with DR6.BT, local DR7 enables cleared', () => {
    const k = runKernel(kernel32(`
  mov ax, 0x28
  ltr ax
  call 0x58:0
  hlt`, { taskC: '  mov eax, 1\n  ud2' }), 'protected32', (m) => {
      m.debug.setGuestRegister(0, 0x50000);
      m.debug.setGuestRegister(1, 0x50010);
      m.debug.setGuestRegister(2, 0x50020);
      m.debug.setGuestRegister(7, 0x425);
    });
    const f = fault(k);
    assert.equal(f.vector, DB, JSON.stringify(k.exit));
    assert.equal(f.pc, k.labels['task_c'], '#DB before task C executes anything');
    const g = k.m.debug.guestRegisters();
    assert.equal(g.dr6 & 0x8000, 0x8000, 'DR6.BT');
    assert.equal(g.dr6 & 0xf, 0, 'no B0-B3');
    assert.equal(g.dr7 & 0xff, 0x20, 'L0 and L1 cleared, G2 kept');
    assert.equal(k.m.trSel, 0x78);
    assert.equal(k.m.regs[0] >>> 0, 0, 'EAX is task C\'s (its first instruction did not run)');
  });

  it('JMP to the busy current TSS → #GP(sel)', () => {
    const k = runKernel(kernel32('mov ax, 0x28\nltr ax\njmp 0x28:0\nhlt'), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, GP);
    assert.equal(f.errorCode, 0x28);
  });

  it('a TSS limit below 67h → #TS(sel), old task unchanged', () => {
    const k = runKernel(kernel32('mov ax, 0x28\nltr ax\nmov word [gdt + 0x50], 0x60\njmp 0x50:0\nhlt'), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, TS, JSON.stringify(k.exit));
    assert.equal(f.errorCode, 0x50);
    assert.equal(k.m.trSel, 0x28);
    assert.equal(gdtAccess(k.m, k, 0x50), 0x89);
  });

  it('a new task whose CS is a data segment → #TS(CS) after the commit point (TR already switched)', () => {
    const k = runKernel(kernel32('mov ax, 0x28\nltr ax\nmov word [tss_b + 76], 0x10\njmp 0x50:0\nhlt'), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, TS, JSON.stringify(k.exit));
    assert.equal(f.errorCode, 0x10);
    assert.equal(f.pc, k.labels['task_b'], 'raised in the new task, at its first instruction');
    assert.equal(k.m.trSel, 0x50);
  });

  it('IRET with NT = 1 returns to the calling task: B freed, A resumed, NT cleared in B\'s saved EFLAGS', () => {
    const k = runKernel(kernel32(`
  mov ax, 0x28
  ltr ax
  mov esi, 0x5151
  call 0x50:0
after_call:
  hlt`, { taskB: '  mov esi, 0x7777\n  iret\nb_after_iret:\n  ud2' }), 'protected32');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    const m = k.m;
    assert.equal(m.trSel, 0x28);
    assert.equal(m.regs[6] >>> 0, 0x5151);
    assert.equal(m.rip, k.labels['after_call'] + 1);
    assert.equal(m.getRflags() & 0x4000, 0, 'A runs with NT clear');
    assert.equal(gdtAccess(m, k, 0x28), 0x8b, 'A busy');
    assert.equal(gdtAccess(m, k, 0x50), 0x89, 'B available again');
    const b = k.labels['tss_b'];
    assert.equal(peek(m, b + 32), k.labels['b_after_iret'], 'B saved at the instruction after its IRET');
    assert.equal(peek(m, b + 36) & 0x4000, 0, 'NT cleared in B\'s saved EFLAGS');
    assert.equal(peek(m, b + 56), 0x7800, 'B saved its ESP');
  });

  it('INT n through a task gate in the IDT: NT and back link in the handler task, IRET back', () => {
    const k = runKernel(kernel32(`
  mov ax, 0x28
  ltr ax
  mov dword [0x3000 + 0x40 * 8], 0x00500000
  mov dword [0x3000 + 0x40 * 8 + 4], 0x8500
  lidt [idt_ptr]
  int 0x40
after_int:
  hlt
idt_ptr:
  dw 0x41 * 8 - 1
  dd 0x3000`, { taskB: `${RECORD_B}\n  iret` }), 'protected32', (m) => { m.env = new BareEnvironment(); });
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(peek(k.m, OUT + 4) & 0x4000, 0x4000, 'NT in the handler task');
    assert.equal(peek(k.m, OUT + 8, 2), 0x28, 'back link');
    assert.equal(k.m.rip, k.labels['after_int'] + 1);
    assert.equal(k.m.trSel, 0x28);
  });

  it('an exception through a task gate pushes its error code on the new task\'s stack', () => {
    const k = runKernel(kernel32(`
  mov ax, 0x28
  ltr ax
  mov dword [0x3000 + 13 * 8], 0x00500000
  mov dword [0x3000 + 13 * 8 + 4], 0x8500
  lidt [idt_ptr]
  mov ax, 0x80
faulting:
  mov ds, ax
  hlt
idt_ptr:
  dw 14 * 8 - 1
  dd 0x3000`, { taskB: `  pop eax\n  mov [${OUT}], eax\n  mov [${OUT + 4}], esp\n  hlt` }), 'protected32', (m) => { m.env = new BareEnvironment(); });
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(peek(k.m, OUT), 0x80, '#GP(0x80) error code on task B\'s stack');
    assert.equal(peek(k.m, OUT + 4), 0x7800);
    assert.equal(peek(k.m, k.labels['tss_a'] + 32), k.labels['faulting'], 'A saved the faulting EIP');
  });

  it('JMP to a 16-bit (286) TSS and back: 16-bit fields loaded and saved, FS/GS null, T bit absent', () => {
    const k = runKernel(kernel32(`
  mov word [gdt + 0x68], 0x2b
  mov word [gdt + 0x6a], tss16
  mov dword [gdt + 0x6c], 0x8100
  mov ax, 0x28
  ltr ax
  mov edi, 0x4444
  jmp 0x68:0
back16:
  hlt
tss16:
  dw 0, 0x8000, 0x10, 0, 0, 0, 0
  dw task16, 2
  dw 0x1111, 0, 0, 0, 0x7800, 0, 0, 0
  dw 0x10, 0x08, 0x10, 0x10
  dw 0
task16:
  mov [${OUT}], eax
  mov ax, fs
  mov [${OUT + 4}], ax
  str ax
  mov [${OUT + 6}], ax
  mov cx, 0x2222
  jmp 0x28:0
t16_after:
  ud2`), 'protected32');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    const m = k.m;
    assert.equal(peek(m, OUT, 2), 0x1111, 'AX from the 16-bit TSS');
    assert.equal(peek(m, OUT + 4, 2), 0, 'FS is null in a 16-bit task');
    assert.equal(peek(m, OUT + 6, 2), 0x68);
    assert.equal(m.regs[7] >>> 0, 0x4444, 'task A restored');
    assert.equal(m.trSel, 0x28);
    const t = k.labels['tss16'];
    assert.equal(peek(m, t + 14, 2), k.labels['t16_after'], 'saved IP');
    assert.equal(peek(m, t + 20, 2), 0x2222, 'saved CX');
    assert.equal(peek(m, k.labels['gdt'] + 0x68 + 5, 1), 0x81, 'the 16-bit TSS is available again');
  });

  it('a TSS whose EFLAGS has VM = 1 starts a virtual-8086 task: segments base = sel·16, CPL 3', () => {
    const k = runKernel(kernel32(`
  mov ax, 0x28
  ltr ax
  mov dword [tss_b + 36], 0x20002
  mov dword [tss_b + 32], v86_code - 0x1000
  mov dword [tss_b + 76], 0x100
  mov dword [tss_b + 80], 0x700
  mov dword [tss_b + 84], 0x600
  mov dword [tss_b + 56], 0xffe
  jmp 0x50:0
  hlt
bits 16
v86_code:
  mov ax, [0]
  mov bx, cs
  push ax
  pop cx
v86_hlt:
  hlt
bits 32`), 'protected32', (m) => { m.writeMemory(0x6000, new Uint8Array([0x34, 0x12])); });
    const f = fault(k);
    assert.equal(f.vector, GP, 'HLT in virtual-8086 mode → #GP(0)');
    assert.equal(f.errorCode, 0);
    assert.equal(f.pc, k.labels['v86_hlt'], 'linear = CS·16 + IP');
    const m = k.m;
    assert.equal(m.getRflags() & 0x20000, 0x20000, 'VM');
    assert.equal(m.cpl, 3);
    assert.equal(m.regs[0] & 0xffff, 0x1234, 'DS = 600h reads linear 6000h');
    assert.equal(m.regs[3] & 0xffff, 0x100);
    assert.equal(m.regs[1] & 0xffff, 0x1234, 'SS = 700h stack works');
    assert.equal(m.segBase[2], 0x7000);
  });
});
