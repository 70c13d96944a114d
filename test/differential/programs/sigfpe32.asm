; sigfpe32: divides by a zero read from memory after printing — ends like SIGFPE (exit status 136).
; expected exit status: 136 (no native 32-bit here: stdout in sigfpe32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        mov eax, 100
        xor edx, edx
        div dword [divisor]
        call print_u32
        call print_nl
        mov dword [divisor], 0
        mov eax, 100
        xor edx, edx
        div dword [divisor]
        xor ebx, ebx
        jmp exit
section .data
divisor: dd 7
