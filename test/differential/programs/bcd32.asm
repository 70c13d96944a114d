; bcd32: packed and unpacked BCD arithmetic (DAA, DAS, AAA, AAS, AAM, AAD) — legal only outside 64-bit mode.
; expected exit status: 0 (no native 32-bit here: stdout in bcd32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        mov al, 0x38
        add al, 0x45
        daa
        movzx eax, al
        call print_u32           ; 0x83 = 131
        call print_space
        mov al, 0x99
        add al, 0x01
        daa
        setc bl
        movzx eax, al
        call print_u32           ; 0, CF=1
        call print_space
        movzx eax, bl
        call print_u32
        call print_space
        mov al, 0x42
        sub al, 0x17
        das
        movzx eax, al
        call print_u32           ; 0x25 = 37
        call print_nl

        mov ax, 0x0009
        add al, 0x08
        aaa
        movzx eax, ax
        call print_u32           ; 0x0107 = 263
        call print_space
        mov ax, 0x0203
        sub al, 0x05
        aas
        movzx eax, ax
        call print_u32           ; 0x0108 = 264
        call print_space
        mov al, 79
        aam
        movzx eax, ax
        call print_u32           ; 0x0709 = 1801
        call print_space
        mov ax, 0x0705
        aad
        movzx eax, ax
        call print_u32           ; 75
        call print_space
        mov al, 100
        aam 16
        movzx eax, ax
        call print_u32           ; 0x0604 = 1540
        call print_nl

        mov esi, num_a + 3       ; add two 8-digit packed BCD numbers, lowest byte first
        mov edi, num_b + 3
        mov ecx, 4
        clc
.add:   mov al, [esi]
        adc al, [edi]
        daa
        mov [esi], al
        dec esi
        dec edi
        loop .add
        mov ecx, 4
        mov esi, num_a
.p:     movzx eax, byte [esi]
        call print_u32
        call print_space
        inc esi
        loop .p
        call print_nl
        xor ebx, ebx
        jmp exit
section .data
num_a:  db 0x12, 0x34, 0x56, 0x78
num_b:  db 0x87, 0x65, 0x43, 0x29
