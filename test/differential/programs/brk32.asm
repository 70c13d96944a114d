; brk32: the 32-bit brk system call (45): allocates 10000 dwords, stores squares, prints a few and the total mod 2^32.
; expected exit status: 0 (no native 32-bit here: stdout in brk32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        mov eax, 45
        xor ebx, ebx
        int 0x80
        mov esi, eax
        lea ebx, [eax + 40000]
        mov eax, 45
        int 0x80
        sub eax, esi
        call print_u32
        call print_nl
        xor ecx, ecx
.f:     mov eax, ecx
        mul eax
        mov [esi + ecx*4], eax
        inc ecx
        cmp ecx, 10000
        jb .f
        mov eax, [esi + 9999*4]
        call print_u32
        call print_space
        mov eax, [esi + 1234*4]
        call print_u32
        call print_nl
        xor eax, eax
        xor ecx, ecx
.s:     add eax, [esi + ecx*4]
        inc ecx
        cmp ecx, 10000
        jb .s
        call print_u32
        call print_nl
        xor ebx, ebx
        jmp exit
