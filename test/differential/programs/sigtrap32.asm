; sigtrap32: INT3 with no debugger attached — ends like SIGTRAP (exit status 133).
; expected exit status: 133 (no native 32-bit here: stdout in sigtrap32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        mov eax, 7
        call print_u32
        call print_nl
        int3
        xor ebx, ebx
        jmp exit
