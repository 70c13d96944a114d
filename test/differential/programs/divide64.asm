; divide64: signed and unsigned division in 8/16/32/64-bit forms (IDIV/DIV, CQO/CDQ/CWD/CBW), quotients and remainders.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov rax, -1000000000007
        cqo
        mov rcx, 97
        idiv rcx
        push rdx
        call print_i64
        call print_space
        pop rax
        call print_i64
        call print_nl

        mov eax, -77
        cdq
        mov ecx, -5
        idiv ecx
        movsxd rax, eax
        movsxd rdx, edx
        push rdx
        call print_i64
        call print_space
        pop rax
        call print_i64
        call print_nl

        mov ax, -300
        cwd
        mov cx, 7
        idiv cx
        movsx rbx, dx
        movsx rax, ax
        call print_i64
        call print_space
        mov rax, rbx
        call print_i64
        call print_nl

        mov al, -100
        cbw
        mov cl, 9
        idiv cl
        movsx ebx, ah
        movsxd rbx, ebx
        movsx rax, al
        call print_i64
        call print_space
        mov rax, rbx
        call print_i64
        call print_nl

        mov rdx, 5
        mov rax, 0x123456789
        mov rcx, 0xFFFFFFFFF
        div rcx                 ; 128-by-64 divide
        push rdx
        call print_u64
        call print_space
        pop rax
        call print_u64
        call print_nl

        mov eax, 1000
        mov ecx, 3
        mul ecx
        imul eax, eax, -7
        movsxd rax, eax
        call print_i64
        call print_nl
        mov rax, -3
        mov rcx, 5
        imul rcx                ; signed 64x64 -> 128
        push rdx
        call print_i64
        call print_space
        pop rax
        call print_i64
        call print_nl
        xor edi, edi
        jmp exit
