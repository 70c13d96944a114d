; crc32_32: bitwise CRC-32 (polynomial EDB88320) of a string, printed in decimal; exit status is its low byte.
; expected exit status: 38 (no native 32-bit here: stdout in crc32_32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        mov esi, data
        mov ecx, data_len
        mov eax, 0xFFFFFFFF
.byte:  xor al, [esi]
        inc esi
        mov edx, 8
.bit:   shr eax, 1
        jnc .nx
        xor eax, 0xEDB88320
.nx:    dec edx
        jnz .bit
        loop .byte
        not eax
        mov esi, eax
        call print_u32                   ; crc32("123456789") = 0xCBF43926
        call print_nl
        mov ebx, esi
        and ebx, 0xff
        jmp exit
section .data
data:   db "123456789"
data_len equ $ - data
