; hello32: the smallest Linux 32-bit program — int 0x80 write then exit with status 3.
; expected exit status: 3 (no native 32-bit here: stdout in hello32.expected, computed independently)
bits 32
global _start
section .text
_start:
        mov eax, 4
        mov ebx, 1
        mov ecx, msg
        mov edx, msg_len
        int 0x80
        mov eax, 1
        mov ebx, 3
        int 0x80
section .data
msg:    db "Hello from 32-bit Linux!", 10
msg_len equ $ - msg
