; fib_rec64: naive recursive Fibonacci for n = 0..24, one number per line.
bits 64
global _start
%include "lib64.inc"
section .text
fib:                            ; rdi = n -> rax = fib(n)
        cmp rdi, 2
        jb .base
        push rbx
        push rdi
        dec rdi
        call fib
        mov rbx, rax
        pop rdi
        push rdi
        sub rdi, 2
        call fib
        add rax, rbx
        pop rdi
        pop rbx
        ret
.base:  mov rax, rdi
        ret
_start:
        xor r12d, r12d
.next:  mov rdi, r12
        call fib
        call print_u64
        call print_nl
        inc r12
        cmp r12, 25
        jb .next
        xor edi, edi
        jmp exit
