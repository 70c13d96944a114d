; collatz64: the longest Collatz chain for starting values below 10000 (steps and start).
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        xor r12d, r12d          ; best steps
        xor r13d, r13d          ; best start
        mov rbx, 1
.start: mov rax, rbx
        xor ecx, ecx
.step:  cmp rax, 1
        je .end
        inc ecx
        test al, 1
        jz .even
        lea rax, [rax + rax*2 + 1]
        jmp .step
.even:  shr rax, 1
        jmp .step
.end:   cmp rcx, r12
        jbe .nb
        mov r12, rcx
        mov r13, rbx
.nb:    inc rbx
        cmp rbx, 10000
        jb .start
        mov rax, r13
        call print_u64
        call print_space
        mov rax, r12
        call print_u64
        call print_nl
        xor edi, edi
        jmp exit
