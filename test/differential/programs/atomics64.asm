; atomics64: XCHG, LOCK XADD, LOCK CMPXCHG (success and failure), CMPXCHG8B-free counters; prints results.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov rax, 5
        lock xadd [counter], rax
        call print_u64                   ; old value 10
        call print_space
        mov rax, [counter]
        call print_u64                   ; 15
        call print_space
        mov rax, 15
        mov rbx, 100
        lock cmpxchg [counter], rbx
        setz al
        movzx eax, al
        call print_u64                   ; 1
        call print_space
        mov rax, 15
        mov rbx, 200
        lock cmpxchg [counter], rbx
        setz cl
        call print_u64                   ; rax = current 100
        call print_space
        movzx eax, cl
        call print_u64                   ; 0
        call print_space
        mov eax, 77
        xchg eax, [counter]
        call print_u64                   ; 100
        call print_space
        mov rax, [counter]
        call print_u64                   ; 77
        call print_space
        mov ax, 0x1234
        mov bx, 0x00FF
        xadd ax, bx
        movzx eax, ax
        call print_u64
        call print_space
        movzx eax, bx
        call print_u64
        call print_nl
        xor edi, edi
        jmp exit
section .data
counter: dq 10
