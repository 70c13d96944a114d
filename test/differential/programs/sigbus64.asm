; sigbus64: a push through a non-canonical stack pointer raises #SS — Linux ends the process with SIGBUS (135).
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov eax, 135
        call print_u64
        call print_nl
        mov rsp, 0x8000000000000000
        push rax
        xor edi, edi
        jmp exit
