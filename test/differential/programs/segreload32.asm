; segreload32: reloading segment registers from the selectors the kernel set (MOV Sreg, PUSH/POP
; Sreg, a far return to the program's own CS) finds real descriptors, and memory through ES/FS/GS
; overrides reads the same flat data.
; expected exit status: 0 (no native 32-bit here: stdout in segreload32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .data
value:  dd 4242
section .text
_start:
        mov ax, ds
        mov es, ax
        push ds
        pop fs
        push es
        pop gs
        push cs
        push dword .back
        retf
.back:
        mov eax, [es:value]
        add eax, [fs:value]
        add eax, [gs:value]
        call print_u32
        call print_nl
        xor ebx, ebx
        jmp exit
