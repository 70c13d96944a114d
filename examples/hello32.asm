; hello32.asm — a 32-bit Linux program using the classic int 0x80 system calls.
; Run it:      x86dbg run examples/hello32.asm
; (native:     nasm -f elf32 hello32.asm && ld -m elf_i386 -o hello32 hello32.o — needs a kernel with
;              32-bit support)

        bits 32
        global _start

        section .text
_start:
        mov eax, 4              ; system call 4 = write
        mov ebx, 1              ; fd 1 = standard output
        mov ecx, message
        mov edx, length
        int 0x80
        mov eax, 1              ; system call 1 = exit
        xor ebx, ebx
        int 0x80

        section .data
message: db "Hello, world from 32-bit x86!", 10
length  equ $ - message
