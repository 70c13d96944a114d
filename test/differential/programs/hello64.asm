; hello64: the smallest Linux 64-bit program — write(1, msg, len) then exit(0).
bits 64
global _start
section .text
_start:
        mov eax, 1
        mov edi, 1
        lea rsi, [rel msg]
        mov edx, msg_len
        syscall
        mov eax, 60
        xor edi, edi
        syscall
section .data
msg:    db "Hello from 64-bit Linux!", 10
msg_len equ $ - msg
