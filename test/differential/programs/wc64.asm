; wc64: counts lines, words and bytes of stdin like `wc`, using readv into two 16-byte buffers.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        xor r12d, r12d          ; lines
        xor r13d, r13d          ; words
        xor r14d, r14d          ; bytes
        xor r15d, r15d          ; in a word
.read:  mov eax, 19             ; readv(0, iov, 2)
        xor edi, edi
        lea rsi, [rel iov]
        mov edx, 2
        syscall
        test rax, rax
        jle .done
        add r14, rax
        mov rcx, rax
        lea rbx, [rel buf]
.scan:  mov al, [rbx]
        cmp al, 10
        jne .notnl
        inc r12
.notnl: cmp al, ' '
        je .space
        cmp al, 10
        je .space
        cmp al, 9
        je .space
        test r15d, r15d
        jnz .next
        mov r15d, 1
        inc r13
        jmp .next
.space: xor r15d, r15d
.next:  inc rbx
        dec rcx
        jnz .scan
        jmp .read
.done:  mov rax, r12
        call print_u64
        call print_space
        mov rax, r13
        call print_u64
        call print_space
        mov rax, r14
        call print_u64
        call print_nl
        xor edi, edi
        jmp exit
section .data
iov:    dq buf, 16, buf + 16, 16
section .bss
buf:    resb 32
