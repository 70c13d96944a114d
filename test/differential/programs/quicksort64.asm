; quicksort64: recursive Lomuto quicksort of 64 pseudo-random qwords from an LCG, checked and printed.
bits 64
global _start
%include "lib64.inc"
section .text
; qsort(rdi = lo index, rsi = hi index), array at arr
qsort:
        cmp rdi, rsi
        jge .ret
        push r12
        push r13
        push r14
        mov r12, rdi
        mov r13, rsi
        mov r8, [arr + r13*8]           ; pivot
        mov r14, r12                    ; i
        mov rcx, r12                    ; j
.part:  cmp rcx, r13
        jge .endp
        mov rax, [arr + rcx*8]
        cmp rax, r8
        jge .skip
        xchg rax, [arr + r14*8]
        mov [arr + rcx*8], rax
        inc r14
.skip:  inc rcx
        jmp .part
.endp:  mov rax, [arr + r14*8]
        xchg rax, [arr + r13*8]
        mov [arr + r14*8], rax
        mov rdi, r12
        lea rsi, [r14 - 1]
        call qsort
        lea rdi, [r14 + 1]
        mov rsi, r13
        call qsort
        pop r14
        pop r13
        pop r12
.ret:   ret
_start:
        mov rax, 12345
        mov rbx, 6364136223846793005
        xor ecx, ecx
.fill:  imul rax, rbx
        mov rdx, 1442695040888963407
        add rax, rdx
        mov rdx, rax
        shr rdx, 40
        mov [arr + rcx*8], rdx
        inc ecx
        cmp ecx, N
        jb .fill
        xor edi, edi
        mov esi, N - 1
        call qsort
        xor ebx, ebx
        xor r15d, r15d                  ; count of out-of-order pairs
.chk:   mov rax, [arr + rbx*8]
        call print_u64
        call print_space
        cmp ebx, N - 1
        je .last
        cmp rax, [arr + rbx*8 + 8]
        jle .inorder
        inc r15
.inorder:
        inc ebx
        jmp .chk
.last:  call print_nl
        mov rdi, r15
        jmp exit
section .bss
N       equ 64
arr:    resq N
