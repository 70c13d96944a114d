; upper_stdin64: copies stdin to stdout in 7-byte reads, upper-casing ASCII letters; exits with the byte count mod 256.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        xor r12d, r12d
.read:  xor eax, eax
        xor edi, edi
        lea rsi, [rel buf]
        mov edx, 7
        syscall
        test rax, rax
        jle .eof
        add r12, rax
        mov rcx, rax
        lea rdi, [rel buf]
.up:    mov al, [rdi]
        cmp al, 'a'
        jb .keep
        cmp al, 'z'
        ja .keep
        sub al, 32
        mov [rdi], al
.keep:  inc rdi
        dec rcx
        jnz .up
        lea rsi, [rel buf]
        mov rdx, rdi
        sub rdx, rsi
        call print_str
        jmp .read
.eof:   movzx edi, r12b
        jmp exit
section .bss
buf:    resb 16
