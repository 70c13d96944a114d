; noncanonical64: a load from a non-canonical address raises #GP(0) — Linux ends the process with SIGSEGV (139).
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov eax, 139
        call print_u64
        call print_nl
        mov rbx, 0x0000800000000000
        mov rax, [rbx]
        xor edi, edi
        jmp exit
