; sum_stdin64: parses signed decimal numbers from stdin (one read of up to 4 KiB), prints each running sum.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        xor eax, eax
        xor edi, edi
        lea rsi, [rel buf]
        mov edx, 4096
        syscall
        mov r12, rax            ; length
        xor r13d, r13d          ; index
        xor r14d, r14d          ; running sum
.skip:  cmp r13, r12
        jge .done
        movzx eax, byte [buf + r13]
        cmp al, '-'
        je .num
        cmp al, '0'
        jb .adv
        cmp al, '9'
        jbe .num
.adv:   inc r13
        jmp .skip
.num:   xor r15d, r15d          ; negative?
        cmp al, '-'
        jne .digits
        mov r15d, 1
        inc r13
.digits:
        xor ebx, ebx
.d:     cmp r13, r12
        jge .got
        movzx eax, byte [buf + r13]
        sub eax, '0'
        cmp eax, 9
        ja .got
        imul rbx, rbx, 10
        add rbx, rax
        inc r13
        jmp .d
.got:   test r15d, r15d
        jz .pos
        neg rbx
.pos:   add r14, rbx
        mov rax, r14
        call print_i64
        call print_nl
        jmp .skip
.done:  mov rax, r14
        and eax, 0x7f
        mov edi, eax
        jmp exit
section .bss
buf:    resb 4096
