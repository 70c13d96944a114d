; factorial64: n! for n = 0..20 with 64-bit MUL, then 21! overflow shown by the carry flag.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov eax, 1
        xor ebx, ebx
.loop:  mov r13, rax
        mov rax, rbx
        call print_u64
        lea rsi, [rel bang]
        mov edx, 4
        call print_str
        mov rax, r13
        call print_u64
        call print_nl
        inc rbx
        cmp rbx, 21
        je .over
        mov rax, r13
        mul rbx
        jmp .loop
.over:  mov rax, r13
        mul rbx                 ; 21! does not fit: CF = OF = 1, rdx != 0
        setc al
        movzx eax, al
        call print_u64
        call print_nl
        mov rax, rdx
        call print_u64
        call print_nl
        xor edi, edi
        jmp exit
section .data
bang:   db "! = "
