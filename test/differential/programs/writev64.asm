; writev64: gathers three buffers with writev (20) and reports the byte count; also write to fd 2 is allowed.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov eax, 20
        mov edi, 1
        lea rsi, [rel iov]
        mov edx, 3
        syscall
        call print_u64
        call print_nl
        mov eax, 1                       ; write to a closed descriptor: -EBADF
        mov edi, 9
        lea rsi, [rel a]
        mov edx, 1
        syscall
        call print_i64
        call print_nl
        xor edi, edi
        jmp exit
section .data
a:      db "gather "
b:      db "these "
c:      db "pieces", 10
iov:    dq a, 7, b, 6, c, 7
