; loops64: LOOP/LOOPE/LOOPNE/JRCXZ with 64-bit counters, a nested loop table of squares, and a computed jump table.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov ecx, 100
        xor ebx, ebx
.a:     add rbx, rcx
        loop .a
        mov rax, rbx
        call print_u64                   ; 5050
        call print_space
        lea rsi, [rel arr]
        mov ecx, 8
.b:     lodsb
        cmp al, 9
        loopne .b
        mov rax, rcx
        call print_u64
        call print_space
        xor ecx, ecx
        mov eax, 1
        jrcxz .z
        mov eax, 2
.z:     call print_u64
        call print_nl
        xor r12d, r12d
.sw:    mov rax, r12
        and eax, 3
        lea rdx, [rel jt]
        movsxd rax, dword [rdx + rax*4]
        add rax, rdx
        jmp rax
.c0:    lea rsi, [rel s0]
        jmp .pr
.c1:    lea rsi, [rel s1]
        jmp .pr
.c2:    lea rsi, [rel s2]
        jmp .pr
.c3:    lea rsi, [rel s3]
.pr:    mov edx, 4
        call print_str
        inc r12
        cmp r12, 10
        jb .sw
        call print_nl
        mov edi, 5
        jmp exit
section .data
arr:    db 3, 1, 4, 1, 5, 9, 2, 6
jt:     dd _start.c0 - jt, _start.c1 - jt, _start.c2 - jt, _start.c3 - jt
s0:     db "zero"
s1:     db "one "
s2:     db "two "
s3:     db "thr "
