; sigfpe64: IDIV overflow (INT64_MIN / -1) raises #DE — ends like SIGFPE (exit status 136).
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov rax, 1000
        cqo
        mov rcx, -7
        idiv rcx
        call print_i64
        call print_nl
        mov rax, 0x8000000000000000
        cqo
        mov rcx, -1
        idiv rcx
        xor edi, edi
        jmp exit
