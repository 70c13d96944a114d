; loops32: LOOP, LOOPE, LOOPNE, JECXZ and JCXZ-style control flow; prints iteration counts.
; expected exit status: 55 (no native 32-bit here: stdout in loops32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        mov ecx, 10
        xor eax, eax
.a:     add eax, ecx
        loop .a
        call print_u32                   ; 55
        call print_space
        mov esi, arr
        mov ecx, 8
.b:     lodsb
        cmp al, 0
        loopne .b
        mov eax, 8
        sub eax, ecx
        call print_u32                   ; position of the zero
        call print_space
        mov esi, arr2
        mov ecx, 8
.c:     lodsb
        cmp al, 5
        loope .c
        mov eax, ecx
        call print_u32                   ; remaining when the run of 5s ended
        call print_space
        xor ecx, ecx
        mov eax, 123
        jecxz .z
        mov eax, 456
.z:     call print_u32
        call print_nl
        mov ebx, 55
        jmp exit
section .data
arr:    db 3, 1, 4, 0, 5, 9, 2, 6
arr2:   db 5, 5, 5, 7, 5, 5, 5, 5
