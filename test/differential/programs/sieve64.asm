; sieve64: sieve of Eratosthenes up to 2000 in a byte array; prints the primes below 200 and the count below 2000.
bits 64
global _start
%include "lib64.inc"
section .text
LIMIT equ 2000
_start:
        mov ecx, 2
.outer: mov eax, ecx
        imul eax, ecx
        cmp eax, LIMIT
        jae .count
        cmp byte [composite + rcx], 0
        jne .nextp
.mark:  mov byte [composite + rax], 1
        add eax, ecx
        cmp eax, LIMIT
        jb .mark
.nextp: inc ecx
        jmp .outer
.count: mov ebx, 2
        xor r12d, r12d
.c:     cmp byte [composite + rbx], 0
        jne .cn
        inc r12
        cmp ebx, 200
        jae .cn
        mov eax, ebx
        call print_u64
        call print_space
.cn:    inc ebx
        cmp ebx, LIMIT
        jb .c
        call print_nl
        mov rax, r12
        call print_u64
        call print_nl
        xor edi, edi
        jmp exit
section .bss
composite: resb LIMIT
