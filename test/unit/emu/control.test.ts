// Control transfer, stack and addressing in each mode: 16-bit ModRM addressing with wrap, real-mode
// segment*16 and the 1 MiB wrap (A20), INT n/IRET through the IVT, CALL/RET/ENTER/LEAVE/PUSHA,
// LOOP/JECXZ, XLAT, 64-bit RIP-relative addressing, FS base, and 64-bit immediates.
import { strict as assert } from 'assert';
import { load, prebuild, run, r32, r64 } from './helpers';
import { PERM_RW } from '../../../src/emu/memory';
import { FS } from '../../../src/emu/cpu';

describe('emu control transfer, stack and addressing', () => {
  before(() => {
    prebuild(16, [
      'mov bx, 0xffff\nmov si, 2\nmov byte [bx+si+0x10], 0x77\nhlt',
      'mov ax, 0x1234\nmov ds, ax\nmov byte [0x10], 5\nhlt',
      'mov ax, 0xffff\nmov ds, ax\nmov byte [0x10], 9\nhlt',
    ]);
  });

  it('16-bit [bx+si+disp] wraps at 64 KiB', () => {
    const { m } = run(16, 'mov bx, 0xffff\nmov si, 2\nmov byte [bx+si+0x10], 0x77\nhlt');
    assert.equal((m.readMemory(0x11, 1) as Uint8Array)[0], 0x77);
  });

  it('real mode linear address = segment * 16 + offset', () => {
    const { m } = run(16, 'mov ax, 0x1234\nmov ds, ax\nmov byte [0x10], 5\nhlt', { setup: (mm) => mm.map(0x12000, 0x1000, PERM_RW) });
    assert.equal((m.readMemory(0x12350, 1) as Uint8Array)[0], 5);
  });

  it('FFFF:0010 wraps to 0 with A20 off and reaches 0x100000 with A20 on', () => {
    const off = run(16, 'mov ax, 0xffff\nmov ds, ax\nmov byte [0x10], 9\nhlt');
    assert.equal((off.m.readMemory(0, 1) as Uint8Array)[0], 9);
    const on = run(16, 'mov ax, 0xffff\nmov ds, ax\nmov byte [0x10], 9\nhlt', { setup: (mm) => { mm.setA20(true); mm.map(0x100000, 0x1000, PERM_RW); } });
    assert.equal((on.m.readMemory(0x100000, 1) as Uint8Array)[0], 9);
    assert.equal((on.m.readMemory(0, 1) as Uint8Array)[0], 0);
  });

  it('INT n in real mode goes through the IVT and IRET returns with FLAGS restored', () => {
    const src = [
      'jmp start',
      'handler: mov ax, 0x42',
      '  iret',
      'start: mov word [0x30*4], handler',
      '  mov word [0x30*4+2], 0',
      '  sti',
      '  int 0x30',
      '  pushf',
      '  pop bx',
      '  hlt',
    ].join('\n');
    const { m, exit } = run(16, src);
    assert.equal(exit.reason, 'halted');
    assert.equal(m.regs[0] & 0xffff, 0x42);
    assert.equal(m.regs[3] & 0x200, 0x200, 'IF restored by IRET');
    assert.equal(m.regs[4] & 0xffff, 0xfffe, 'stack balanced');
  });

  it('an exception in real mode (#DE) is delivered through IVT vector 0 with IP of the faulting DIV', () => {
    const src = [
      'jmp start',
      'de: pop bx', // IP pushed by the fault
      '  mov cx, 0x99',
      '  hlt',
      'start: mov word [0], de',
      '  mov word [2], 0',
      '  xor dl, dl',
      'divat: div dl',
      '  hlt',
    ].join('\n');
    const { m, exit } = run(16, src);
    assert.equal(exit.reason, 'halted');
    assert.equal(m.regs[1] & 0xffff, 0x99);
    // The pushed IP is the DIV itself (a fault): after 'jmp start'(2) + handler(1+3+1) + 2*6 + 2.
    const code = m.readMemory((m.regs[3] & 0xffff), 2) as Uint8Array;
    assert.deepEqual([...code], [0xf6, 0xf2], 'pushed IP points at DIV DL');
  });

  it('16-bit CALL/RET, PUSHA/POPA, ENTER/LEAVE', () => {
    const src = [
      'mov ax, 1', 'mov cx, 2', 'mov dx, 3', 'mov bx, 4', 'mov bp, 5', 'mov si, 6', 'mov di, 7',
      'pusha', 'xor ax, ax', 'xor bx, bx', 'popa',
      'call f', 'hlt',
      'f: enter 4, 0', 'mov word [bp-2], 0xbeef', 'mov si, [bp-2]', 'leave', 'ret',
    ].join('\n');
    const { m } = run(16, src);
    assert.equal(m.regs[0] & 0xffff, 1);
    assert.equal(m.regs[3] & 0xffff, 4);
    assert.equal(m.regs[6] & 0xffff, 0xbeef);
    assert.equal(m.regs[5] & 0xffff, 5, 'BP restored by LEAVE');
    assert.equal(m.regs[4] & 0xffff, 0xfffe, 'SP balanced');
  });

  it('32-bit CALL/RET imm16, PUSH imm, PUSHFD/POPFD, LOOP, JECXZ, XCHG with memory, XLAT, LEA', () => {
    const src = [
      'push 0x11', 'push 0x22', 'call f', 'mov ebx, eax',
      'mov ecx, 5', 'xor edx, edx', 'l: add edx, ecx', 'loop l',
      'jecxz z', 'mov edx, 0', 'z:',
      'mov dword [0x8000], 0x55', 'mov esi, 0x66', 'xchg esi, [0x8000]',
      'mov byte [0x8010+3], 0xab', 'mov ebx, 0x8010', 'mov al, 3', 'xlatb', 'movzx edi, al',
      'lea ebp, [ebx+esi*4+0x10]',
      'stc', 'pushfd', 'pop eax',
      'hlt',
      'f: mov eax, [esp+4]', 'add eax, [esp+8]', 'ret 8',
    ].join('\n');
    const { m, exit } = run(32, src);
    assert.equal(exit.reason, 'halted');
    assert.equal(r32(m, 4), 0x20000, 'RET 8 popped the arguments');
    assert.equal(r32(m, 2), 15, 'LOOP sum 5+4+3+2+1');
    assert.equal(r32(m, 6), 0x55, 'XCHG loaded memory');
    assert.equal((m.readMemory(0x8000, 1) as Uint8Array)[0], 0x66, 'XCHG stored register');
    assert.equal(r32(m, 7), 0xab, 'XLAT');
    assert.equal(r32(m, 5), 0x8010 + 0x55 * 4 + 0x10, 'LEA');
    assert.equal(r32(m, 0) & 0x203, 0x3, 'PUSHFD: CF and bit 1, IF clear');
  });

  it('32-bit ENTER with nesting level copies frame pointers', () => {
    const src = ['mov ebp, 0x1ff00', 'mov dword [0x1ff00-4], 0xaaaa', 'enter 8, 2', 'mov eax, [ebp-4]', 'mov ebx, [ebp-8]', 'hlt'].join('\n');
    const { m } = run(32, src);
    assert.equal(r32(m, 0), 0xaaaa, 'level-1 frame pointer copied');
    assert.equal(r32(m, 3), r32(m, 5), 'current frame pointer pushed');
    assert.equal(r32(m, 4), r32(m, 5) - 8 - 8, 'ESP = EBP - 8 (two pointers) - 8 (alloc)');
  });

  it('64-bit RIP-relative addressing, MOV r64 imm64, PUSH/POP r64, CALL/RET', () => {
    const src = [
      'mov rax, [rel val]', 'lea rbx, [rel val]', 'mov rcx, 0x123456789abcdef0', 'push rcx', 'pop rdx',
      'call f', 'hlt',
      'f: mov r8, rsp', 'ret',
      'align 8', 'val: dq 0xfedcba9876543210',
    ].join('\n');
    const { m, exit } = run(64, src);
    assert.equal(exit.reason, 'halted');
    assert.equal(r64(m, 0), 0xfedcba9876543210n);
    assert.equal(r64(m, 2), 0x123456789abcdef0n);
    assert.equal(r64(m, 8), 0x20000n - 8n, 'return address pushed as 8 bytes');
    const val = r64(m, 3);
    assert.equal((m.readMemory(Number(val), 8) as Uint8Array)[0], 0x10);
  });

  it('64-bit FS segment base is added to FS-relative accesses', () => {
    const m = load(64, 'mov rax, [fs:0x10]\nhlt');
    m.segBase[FS] = 0x8000;
    m.writeMemory(0x8010, Uint8Array.of(0x21, 0x43));
    assert.equal(m.run(10).reason, 'halted');
    assert.equal(r64(m, 0), 0x4321n);
  });

  it('64-bit 32-bit operations zero-extend; 8/16-bit ones do not', () => {
    const { m } = run(64, 'mov rax, -1\nmov eax, 1\nmov rbx, -1\nmov bx, 2\nmov rcx, -1\nmov cl, 3\nhlt');
    assert.equal(r64(m, 0), 1n);
    assert.equal(r64(m, 3), 0xffffffffffff0002n);
    assert.equal(r64(m, 1), 0xffffffffffffff03n);
  });

  it('SPL/BPL/SIL/DIL with REX and AH..BH without it', () => {
    const { m } = run(64, 'mov rsi, 0x1111\nmov sil, 0x22\nmov rax, 0\nmov ah, 0x33\nhlt');
    assert.equal(r64(m, 6), 0x1122n);
    assert.equal(r64(m, 0), 0x3300n);
  });
});

describe('emu 64-bit effective addresses', () => {
  it('LEA with a negative displacement carries into bits 63:32', () => {
    const { m } = run(64, 'mov rsi, 0x402040\nmov r12, 43\nlea rdi, [rsi + r12 - 1]\nxor r14, r14\nlea rax, [r14 - 1]\nmov rbx, 0x100000000\nlea rcx, [rbx - 1]\nhlt');
    assert.equal(r64(m, 7), 0x402040n + 42n);
    assert.equal(r64(m, 0), 0xffffffffffffffffn);
    assert.equal(r64(m, 1), 0xffffffffn);
  });
  it('a memory operand with a negative displacement below a 4 GiB boundary', () => {
    const { m } = run(64, 'mov rbx, 0x9010\nmov rax, [rbx - 0x10]\nhlt', { setup: (mm) => mm.writeMemory(0x9000, Uint8Array.of(0x5a)) });
    assert.equal(r64(m, 0), 0x5an);
  });
});

describe('emu 64-bit stack pointer arithmetic', () => {
  it('PUSH with RSP = 0x80000000 writes just below it and borrows nothing from bits 63:32', () => {
    const { m, exit } = run(64, 'mov rsp, 0x80000000\nmov rbx, 0x1122334455667788\npush rbx\npop rcx\npush rbx\nhlt', {
      setup: (mm) => mm.map(0x7fff0000, 0x10000, PERM_RW, 'stack'),
    });
    assert.equal(exit.reason, 'halted');
    assert.equal(r64(m, 4), 0x7ffffff8n);
    assert.equal(r64(m, 1), 0x1122334455667788n);
  });
  it('PUSH with RSP = 0x100000000 borrows from the high half', () => {
    const { m } = run(64, 'mov rsp, 0x100000000\npush rax\nhlt', { setup: (mm) => mm.map(0xffff0000, 0x10000, PERM_RW, 'stack') });
    assert.equal(r64(m, 4), 0xfffffff8n);
  });
});

describe('emu control-transfer hook', () => {
  it('reports CALL and RET with addresses and stack pointer', () => {
    const m = load(32, 'call f\nhlt\nf: ret');
    const seen: string[] = [];
    m.controlTransferHook = (kind, from, to, sp) => seen.push(`${kind} ${from.toString(16)}->${to.toString(16)} sp=${sp.toString(16)}`);
    assert.equal(m.run(10).reason, 'halted');
    assert.deepEqual(seen, ['call 1000->1006 sp=1fffc', 'ret 1006->1005 sp=20000']);
  });
});
