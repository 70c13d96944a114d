; hello64.asm — a 64-bit Linux program: write(2) a greeting, then exit(2) with status 0.
; Run it:      x86dbg run examples/hello64.asm
; Build it natively too, and compare:  nasm -f elf64 hello64.asm && ld -o hello64 hello64.o && ./hello64
; In VS Code: open this file, click in the gutter next to `syscall`, press F5.

        bits 64
        global _start

        section .text
_start:
        mov eax, 1              ; system call 1 = write
        mov edi, 1              ; fd 1 = standard output
        lea rsi, [rel message]  ; the bytes
        mov edx, length         ; how many
        syscall
        mov eax, 60             ; system call 60 = exit
        xor edi, edi            ; status 0
        syscall

        section .data
message: db "Hello, world from 64-bit x86!", 10
length  equ $ - message
