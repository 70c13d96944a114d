; hanoi64: recursive Towers of Hanoi for 6 discs with arguments in registers; prints the moves and exits with 63.
bits 64
global _start
%include "lib64.inc"
section .text
hanoi:                          ; edi = n, esi = from, edx = to, r8d = via
        test edi, edi
        jz .r
        push rdi
        push rsi
        push rdx
        push r8
        dec edi
        xchg edx, r8d
        call hanoi
        xchg edx, r8d
        lea eax, [rsi + '0']
        mov [move], al
        lea eax, [rdx + '0']
        mov [move + 3], al
        push rsi
        push rdx
        lea rsi, [rel move]
        mov edx, 5
        call print_str
        pop rdx
        pop rsi
        inc qword [count]
        xchg esi, r8d
        call hanoi
        pop r8
        pop rdx
        pop rsi
        pop rdi
.r:     ret
_start:
        mov edi, 6
        mov esi, 1
        mov edx, 3
        mov r8d, 2
        call hanoi
        mov rdi, [count]
        jmp exit
section .data
move:   db "1->3", 10
count:  dq 0
