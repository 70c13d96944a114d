; segv64: prints a line, then stores through a null pointer — the run must end like SIGSEGV (exit status 139).
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        lea rsi, [rel msg]
        mov edx, msg_len
        call print_str
        xor ebx, ebx
        mov dword [rbx + 16], 1
        xor edi, edi
        jmp exit
section .data
msg:    db "about to fault", 10
msg_len equ $ - msg
