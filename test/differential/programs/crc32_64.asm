; crc32_64: table-driven CRC-32 (table built at start) of a string, printed in decimal; exit status is the low byte.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        xor ecx, ecx                     ; build the 256-entry table
.t:     mov eax, ecx
        mov edx, 8
.tb:    shr eax, 1
        jnc .tn
        xor eax, 0xEDB88320
.tn:    dec edx
        jnz .tb
        mov [table + rcx*4], eax
        inc ecx
        cmp ecx, 256
        jb .t
        lea rsi, [rel data]
        mov ecx, data_len
        mov eax, 0xFFFFFFFF
.b:     movzx edx, byte [rsi]
        xor dl, al
        shr eax, 8
        xor eax, [table + rdx*4]
        inc rsi
        dec ecx
        jnz .b
        not eax
        mov r12d, eax
        call print_u64
        call print_nl
        movzx edi, r12b
        jmp exit
section .data
data:   db "The quick brown fox jumps over the lazy dog"
data_len equ $ - data
section .bss
table:  resd 256
