; bare-long-mode.asm — a boot-sector-style bare-metal guest that goes from real mode to 64-bit long
; mode by itself: it sets up COM1, turns the A20 gate on through port 92h, loads its own GDT, enters
; protected mode, builds identity page tables (first 1 GiB in 2 MiB pages), sets CR4.PAE, EFER.LME
; and CR0.PG, and far-jumps into a 64-bit code segment — printing on the way, first through the
; 16550 UART at 3F8h, then through the debug port E9h.
; Run it:      x86dbg run examples/bare-long-mode.asm --env bare
;              (the bare machine starts in real mode at the ORG, 0000:7C00, interrupts off, A20 off)
; Or:          nasm -f bin -o lm.img bare-long-mode.asm && x86dbg run lm.img --env bare --org 0x7c00
;              (qemu-system-x86_64 -drive format=raw,file=lm.img -serial stdio boots it too)

        org 7C00h
        bits 16

COM1    equ 3F8h
PML4    equ 10000h              ; page tables: PML4, PDPT and one page directory, 4 KiB each
PDPT    equ 11000h
PD      equ 12000h
EFER    equ 0C0000080h

start:
        cli
        xor ax, ax
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov sp, 7C00h

        ; COM1: no interrupts, DLAB on, divisor 1 (115200 baud), 8N1 (DLAB off), FIFOs on and cleared.
        mov si, uart_setup
.uart:  lodsw                   ; AL = register offset, AH = value
        test al, al
        js .uart_done
        movzx dx, al
        add dx, COM1
        mov al, ah
        out dx, al
        jmp .uart
.uart_done:
        mov si, msg_real
        call serial_print

        ; A20: off at entry, so FFFF:0510 is the same byte as 0000:0500 (the 1 MiB wrap).
        mov ax, 0FFFFh
        mov fs, ax
        call check_a20
        in al, 92h              ; fast A20: set bit 1, never bit 0 (that resets the machine)
        or al, 2
        and al, 0FEh
        out 92h, al
        call check_a20

        lgdt [gdt_descriptor]
        mov eax, cr0
        or al, 1                ; CR0.PE
        mov cr0, eax
        jmp 08h:protected

; Print "A20 on" or "A20 off" to COM1: does a byte written at 1 MiB + 500h show up at 500h?
check_a20:
        mov byte [500h], 0
        mov byte [fs:510h], 1
        mov si, msg_a20
        call serial_print
        mov si, msg_on
        cmp byte [500h], 0
        je .print
        mov si, msg_off
.print: ; fall through to serial_print

; SI = zero-terminated string → COM1, waiting for THR empty (LSR bit 5) before each byte.
serial_print:
        mov dx, COM1 + 5
.wait:  in al, dx
        test al, 20h
        jz .wait
        lodsb
        test al, al
        jz .done
        mov dl, COM1 & 0FFh
        out dx, al
        mov dl, (COM1 + 5) & 0FFh
        jmp .wait
.done:  ret

        bits 32
protected:
        mov ax, 10h
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov esp, 7C00h
        mov esi, msg_protected
        call print32

        ; Identity-map the first GiB: PML4[0] → PDPT, PDPT[0] → PD, PD[i] = i * 2 MiB | PS | RW | P.
        mov edi, PML4
        xor eax, eax
        mov ecx, 3 * 1024
        rep stosd
        mov dword [PML4], PDPT | 3
        mov dword [PDPT], PD | 3
        mov edi, PD
        mov eax, 83h
        mov ecx, 512
.pde:   mov [edi], eax
        add eax, 200000h
        add edi, 8
        loop .pde

        mov eax, PML4
        mov cr3, eax
        mov eax, cr4
        or eax, 20h             ; CR4.PAE
        mov cr4, eax
        mov ecx, EFER
        rdmsr
        or eax, 100h            ; EFER.LME
        wrmsr
        mov eax, cr0
        or eax, 80000000h       ; CR0.PG: IA-32e mode is active now (EFER.LMA = 1), still 32-bit code
        mov cr0, eax
        jmp 18h:long_mode       ; a code segment with L = 1: 64-bit mode

; ESI = zero-terminated string → port E9h.
print32:
        lodsb
        test al, al
        jz .done
        out 0E9h, al
        jmp print32
.done:  ret

        bits 64
long_mode:
        mov ax, 10h
        mov ds, ax
        mov es, ax
        mov ss, ax
        mov rsp, 7C00h
        lea rsi, [rel msg_long]
        call print64
        mov ecx, EFER
        rdmsr
        call hex64              ; EFER: LME | LMA
        lea rsi, [rel msg_cr0]
        call print64
        mov rax, cr0
        call hex64
        mov al, 10
        out 0E9h, al
        cli
        hlt                     ; interrupts off: the run ends with exit code 0

print64:
        lodsb
        test al, al
        jz .done
        out 0E9h, al
        jmp print64
.done:  ret

; RAX → 16 hex digits on port E9h.
hex64:
        mov rdx, rax
        mov ecx, 16
.digit: rol rdx, 4
        mov eax, edx
        and eax, 0Fh
        add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'A' - '9' - 1
.out:   out 0E9h, al
        loop .digit
        ret

gdt:    dq 0                            ; null
        dq 00CF9A000000FFFFh            ; 08h: 32-bit code, base 0, 4 GiB
        dq 00CF92000000FFFFh            ; 10h: data, base 0, 4 GiB
        dq 00AF9A000000FFFFh            ; 18h: 64-bit code (L = 1)
gdt_descriptor:
        dw $ - gdt - 1
        dd gdt

uart_setup:     db 1, 0, 3, 80h, 0, 1, 1, 0, 3, 03h, 2, 0C7h, -1, 0
msg_real:       db "real mode: COM1 ready", 13, 10, 0
msg_a20:        db "A20 ", 0
msg_on:         db "on", 13, 10, 0
msg_off:        db "off", 13, 10, 0
msg_protected:  db "protected mode", 10, 0
msg_long:       db "long mode: EFER=", 0
msg_cr0:        db " CR0=", 0

        times 510 - ($ - $$) db 0
        dw 0AA55h
