; matrix32: 4x4 signed integer matrix product with IMUL, printed row by row.
; expected exit status: 0 (no native 32-bit here: stdout in matrix32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        xor esi, esi                    ; i
.i:     xor edi, edi                    ; j
.j:     xor ebx, ebx                    ; sum
        xor ecx, ecx                    ; k
.k:     mov eax, esi
        shl eax, 2
        add eax, ecx
        mov eax, [ma + eax*4]
        mov edx, ecx
        shl edx, 2
        add edx, edi
        imul eax, [mb + edx*4]
        add ebx, eax
        inc ecx
        cmp ecx, 4
        jb .k
        mov eax, ebx
        call print_i32
        call print_space
        inc edi
        cmp edi, 4
        jb .j
        call print_nl
        inc esi
        cmp esi, 4
        jb .i
        xor ebx, ebx
        jmp exit
section .data
ma:     dd 1, 2, 3, 4,   -5, 6, -7, 8,   9, 10, 11, 12,   0, -1, 1000, 3
mb:     dd 2, 0, -1, 1,   3, 1, 4, 1,   -5, 9, 2, 6,   5, 3, 5, -8
