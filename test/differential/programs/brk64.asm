; brk64: grows the heap with brk, fills 64 KiB with a pattern, sums it back, then shrinks the break again.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov eax, 12
        xor edi, edi
        syscall                          ; current break
        mov r12, rax
        lea rdi, [rax + 65536]
        mov eax, 12
        syscall
        mov r13, rax
        sub rax, r12
        call print_u64                   ; 65536
        call print_nl
        mov rdi, r12
        xor ecx, ecx
.fill:  mov [rdi + rcx], cl
        inc ecx
        cmp ecx, 65536
        jb .fill
        xor eax, eax
        xor ebx, ebx
        xor ecx, ecx
.sum:   movzx edx, byte [r12 + rcx]
        add rbx, rdx
        inc ecx
        cmp ecx, 65536
        jb .sum
        mov rax, rbx
        call print_u64
        call print_nl
        mov eax, 12
        mov rdi, r12
        syscall
        sub rax, r12
        call print_u64                   ; 0: the break went back
        call print_nl
        xor edi, edi
        jmp exit
