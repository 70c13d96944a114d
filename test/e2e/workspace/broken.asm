; broken.asm: two mistakes the assembler must point at (the Problems panel shows them as you type).
        section .text
        global  _start
_start:
        mov     rax, nosuchlabel
        frobnicate eax
