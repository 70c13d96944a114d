; fib_rec32: recursive Fibonacci with a cdecl stack frame (ENTER/LEAVE) for n = 0..20.
; expected exit status: 0 (no native 32-bit here: stdout in fib_rec32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
fib:                            ; [ebp+8] = n -> eax
        enter 4, 0
        mov eax, [ebp+8]
        cmp eax, 2
        jb .done
        dec eax
        push eax
        call fib
        add esp, 4
        mov [ebp-4], eax
        mov eax, [ebp+8]
        sub eax, 2
        push eax
        call fib
        add esp, 4
        add eax, [ebp-4]
.done:  leave
        ret
_start:
        xor esi, esi
.next:  push esi
        call fib
        add esp, 4
        call print_u32
        call print_nl
        inc esi
        cmp esi, 21
        jb .next
        xor ebx, ebx
        jmp exit
