; hanoi32: recursive Towers of Hanoi for 5 discs, prints every move ("1->3") and exits with the move count (31).
; expected exit status: 31 (no native 32-bit here: stdout in hanoi32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
hanoi:                          ; eax = n, bl = from, bh = to, dl = via (all preserved)
        test eax, eax
        jz .r
        pushad
        dec eax
        mov esi, eax
        xchg bh, dl
        call hanoi
        xchg bh, dl
        mov cl, bl
        add cl, '0'
        mov [move], cl
        mov cl, bh
        add cl, '0'
        mov [move + 3], cl
        push ecx
        push edx
        mov ecx, move
        mov edx, 5
        call print_str
        pop edx
        pop ecx
        inc dword [count]
        mov eax, esi
        xchg bl, dl
        call hanoi
        popad
.r:     ret
_start:
        mov eax, 5
        mov bl, 1
        mov bh, 3
        mov dl, 2
        call hanoi
        mov ebx, [count]
        jmp exit
section .data
move:   db "1->3", 10
count:  dd 0
