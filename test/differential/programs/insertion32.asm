; insertion32: insertion sort of 20 dwords (unsigned compare), then prints min, max and the sum.
; expected exit status: 0 (no native 32-bit here: stdout in insertion32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        mov esi, 1
.outer: cmp esi, COUNT
        jae .done
        mov eax, [data + esi*4]
        mov edi, esi
.shift: test edi, edi
        jz .place
        mov edx, [data + edi*4 - 4]
        cmp edx, eax
        jbe .place
        mov [data + edi*4], edx
        dec edi
        jmp .shift
.place: mov [data + edi*4], eax
        inc esi
        jmp .outer
.done:  xor esi, esi
        xor ebp, ebp
.print: mov eax, [data + esi*4]
        add ebp, eax
        call print_u32
        call print_space
        inc esi
        cmp esi, COUNT
        jb .print
        call print_nl
        mov eax, [data]
        call print_u32
        call print_nl
        mov eax, [data + (COUNT-1)*4]
        call print_u32
        call print_nl
        mov eax, ebp
        call print_u32
        call print_nl
        mov ebx, 0
        jmp exit
section .data
data:   dd 31, 4, 159, 26, 5, 35, 89, 79, 3, 23, 84, 62, 64, 33, 83, 27, 950, 28, 8, 4000000000
COUNT   equ ($ - data) / 4
