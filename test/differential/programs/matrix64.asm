; matrix64: 5x5 signed 64-bit matrix product with IMUL r64, r/m64 and scaled-index addressing.
bits 64
global _start
%include "lib64.inc"
section .text
N equ 5
_start:
        xor r12d, r12d                  ; i
.i:     xor r13d, r13d                  ; j
.j:     xor ebx, ebx
        xor r14d, r14d                  ; k
.k:     imul rax, r12, N
        add rax, r14
        mov rax, [ma + rax*8]
        imul rdx, r14, N
        add rdx, r13
        imul rax, [mb + rdx*8]
        add rbx, rax
        inc r14
        cmp r14, N
        jb .k
        mov rax, rbx
        call print_i64
        call print_space
        inc r13
        cmp r13, N
        jb .j
        call print_nl
        inc r12
        cmp r12, N
        jb .i
        xor edi, edi
        jmp exit
section .data
ma:     dq 1, 2, 3, 4, 5,  -6, 7, -8, 9, -10,  100000, 0, 0, 0, 1,  3, 1, 4, 1, 5,  -1, -1, -1, -1, -1
mb:     dq 9, 8, 7, 6, 5,  4, 3, 2, 1, 0,  -1, -2, -3, -4, -5,  1000000000, 0, 1, 0, 1,  2, 7, 1, 8, 2
