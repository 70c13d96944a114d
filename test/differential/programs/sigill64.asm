; sigill64: executes UD2 after printing — ends like SIGILL (exit status 132).
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        lea rsi, [rel msg]
        mov edx, 6
        call print_str
        ud2
section .data
msg:    db "UD2 ->", 10
