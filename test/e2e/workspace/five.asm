; five.asm: five instruction lines for five breakpoints; only four hardware slots exist.
        global  _start
        section .text
_start:
        mov     eax, 1
        mov     ebx, 2
        mov     ecx, 3
        mov     edx, 4
        mov     esi, 5
        mov     eax, 60
        xor     edi, edi
        syscall
