// Interrupt-driven bare-metal guests (nasm-assembled) on the PC devices through the run loop's
// external-interrupt delivery: a real-mode timer counting PIT ticks through the IVT while it HLTs
// (virtual time skips to each tick: the count of retired instructions shows it), a protected-mode
// timer through the IDT while spinning, COM1 receive interrupts in long mode echoing console input,
// and PIC priorities (IRQ 0 before IRQ 4, the in-service timer holding COM1 back until its EOI).
import { strict as assert } from 'assert';
import { BufferConsole } from '../../../src/emu/console';
import { loadProgram } from '../../../src/emu/env/loadProgram';
import { loadFlatBinary } from '../../../src/asm/binaryLoaders';
import { INSTRUCTIONS_PER_PIT_TICK } from '../../../src/emu/devices/pit8254';
import type { Exit } from '../../../src/emu/exit';
import type { Machine } from '../../../src/emu/machine';
import { asm } from './helpers';

function run(bits: 16 | 32 | 64, src: string, org: number, input = '', budget = 5_000_000): { exit: Exit; out: string; m: Machine } {
  const con = new BufferConsole(input);
  const r = loadProgram(loadFlatBinary(asm(bits, src, org), { org, bits }), { console: con, environment: 'bare', bits, notice: () => undefined });
  if (!r.ok) throw new Error(r.message);
  let exit: Exit;
  do exit = r.machine.run(budget); while (exit.reason === 'budget' && r.machine.icount < budget);
  return { exit, out: con.text(), m: r.machine };
}

/** Master PIC: ICW1 (edge, cascade, ICW4), ICW2 = vector base, ICW3 = slave on IR2, ICW4 = 8086; then the mask. */
const pic = (base: number, mask: number): string => `
        mov al, 0x11
        out 0x20, al
        mov al, ${base}
        out 0x21, al
        mov al, 4
        out 0x21, al
        mov al, 1
        out 0x21, al
        mov al, ${mask}
        out 0x21, al`;

/** PIT counter 0, LSB+MSB, mode 2 (rate generator), the given count. */
const pit = (count: number): string => `
        mov al, 0x34
        out 0x43, al
        mov al, ${count & 0xff}
        out 0x40, al
        mov al, ${count >> 8}
        out 0x40, al`;

describe('bare environment: interrupt-driven guests', () => {
  it('real mode: the PIT interrupts a HLT loop through the IVT; five ticks take five periods of virtual time', () => {
    const src = `
        xor ax, ax
        mov ds, ax
        mov word [8 * 4], timer
        mov word [8 * 4 + 2], 0
        ${pic(0x08, 0xfe)}
        ${pit(100)}
        sti
idle:   hlt
        cmp word [ticks], 5
        jb idle
        cli
        mov al, '0'
        add al, [ticks]
        out 0xe9, al
        hlt
timer:  inc word [ticks]
        push ax
        mov al, 0x20
        out 0x20, al             ; non-specific EOI
        pop ax
        iret
ticks:  dw 0`;
    const r = run(16, src, 0x7c00);
    assert.deepEqual([r.out, r.exit], ['5', { reason: 'exited', code: 0 }]);
    // IRQ 0 rises when the count reloads: ticks 1 + 100k, k = 1..5 (counting started after the write).
    assert.ok(r.m.icount >= (1 + 5 * 100) * INSTRUCTIONS_PER_PIT_TICK, `icount ${r.m.icount}`);
    assert.ok(r.m.icount < (1 + 6 * 100) * INSTRUCTIONS_PER_PIT_TICK, `icount ${r.m.icount}`);
  });

  it('protected mode: timer interrupts through a 32-bit interrupt gate while the guest spins', () => {
    const src = `
        mov eax, timer
        mov [idt + 0x20 * 8], ax
        mov word [idt + 0x20 * 8 + 2], 0x08
        mov word [idt + 0x20 * 8 + 4], 0x8e00
        shr eax, 16
        mov [idt + 0x20 * 8 + 6], ax
        lidt [idtr]
        ${pic(0x20, 0xfe)}
        ${pit(50)}
        sti
spin:   cmp dword [ticks], 3
        jb spin
        cli
        mov al, '0'
        add al, [ticks]
        out 0xe9, al
        pushfd
        pop eax
        hlt
timer:  inc dword [ticks]
        push eax
        pushfd
        pop eax
        and eax, 0x200
        shr eax, 9
        add al, 'a'              ; 'a': IF clear inside an interrupt gate
        out 0xe9, al
        mov al, 0x20
        out 0x20, al
        pop eax
        iretd
ticks:  dd 0
idtr:   dw 256 * 8 - 1
        dd idt
idt:    times 256 * 8 db 0`;
    const r = run(32, src, 0x100000);
    assert.deepEqual([r.out, r.exit], ['aaa3', { reason: 'exited', code: 0 }]);
    assert.ok(r.m.icount >= (1 + 3 * 50) * INSTRUCTIONS_PER_PIT_TICK);
  });

  it('long mode: COM1 receive interrupts (IER bit 0, MCR.OUT2, IRQ 4) echo console input upper-cased', () => {
    const src = `
        lea rax, [rel serial]
        mov [rel idt + 0x24 * 16], ax
        mov word [rel idt + 0x24 * 16 + 2], 0x08
        mov word [rel idt + 0x24 * 16 + 4], 0x8e00
        shr rax, 16
        mov [rel idt + 0x24 * 16 + 6], ax
        shr rax, 16
        mov [rel idt + 0x24 * 16 + 8], eax
        lidt [rel idtr]
        ${pic(0x20, 0xef)}
        mov dx, 0x3fc
        mov al, 0x0b             ; DTR, RTS, OUT2 (IRQ gate)
        out dx, al
        mov dx, 0x3f9
        mov al, 1                ; received-data interrupt
        out dx, al
        sti
idle:   hlt
        cmp byte [rel done], 0
        je idle
        cli
        hlt
serial: push rax
        push rdx
.more:  mov dx, 0x3fd
        in al, dx
        test al, 1
        jz .eoi
        mov dx, 0x3f8
        in al, dx
        cmp al, 10
        jne .char
        mov byte [rel done], 1
.char:  cmp al, 'a'
        jb .send
        sub al, 32
.send:  out dx, al
        jmp .more
.eoi:   mov al, 0x20
        out 0x20, al
        pop rdx
        pop rax
        iretq
done:   db 0
        align 8
idtr:   dw 256 * 16 - 1
        dq idt
        align 16
idt:    times 256 * 16 db 0`;
    const r = run(64, src, 0x100000, 'echo me\n');
    assert.deepEqual([r.out, r.exit], ['ECHO ME\n', { reason: 'exited', code: 0 }]);
  });

  it('PIC priorities: with IRQ 0 and IRQ 4 both pending, IRQ 0 is served first, and IRQ 4 waits for its EOI', () => {
    // COM1's THR-empty interrupt is pending as soon as it is enabled; the one-shot timer fires
    // while IF = 0, so both requests wait; STI then takes IRQ 0 first. The timer handler re-enables
    // interrupts (STI) but IRQ 4 stays blocked behind IRQ 0 in service until the EOI.
    const src = `
        xor ax, ax
        mov ds, ax
        mov word [0x20 * 4], timer
        mov word [0x20 * 4 + 2], 0
        mov word [0x24 * 4], serial
        mov word [0x24 * 4 + 2], 0
        ${pic(0x20, 0xee)}
        mov al, 0x30             ; PIT counter 0, mode 0: OUT rises at terminal count and stays high
        out 0x43, al
        mov al, 10
        out 0x40, al
        xor al, al
        out 0x40, al
        mov dx, 0x3fc
        mov al, 0x08
        out dx, al
        mov dx, 0x3f9
        mov al, 2                ; THR-empty interrupt: pending at once
        out dx, al
        mov cx, 20000
delay:  loop delay               ; let the timer fire while IF = 0 (11 PIT clocks = 9218 instructions)
        sti
        nop
        nop
        cli
        hlt
timer:  mov al, 'T'
        out 0xe9, al
        sti
        nop
        nop
        mov al, 't'
        out 0xe9, al
        mov al, 0x20
        out 0x20, al
        nop
        iret
serial: mov al, 'S'
        out 0xe9, al
        mov dx, 0x3f9
        xor al, al
        out dx, al               ; no more THR-empty interrupts
        mov al, 0x20
        out 0x20, al
        iret`;
    const r = run(16, src, 0x7c00);
    assert.deepEqual([r.out, r.exit], ['TtS', { reason: 'exited', code: 0 }]);
  });
});
