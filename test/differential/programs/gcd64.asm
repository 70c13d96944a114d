; gcd64: Euclid's GCD with 64-bit DIV on large pairs, plus LCM; exit status is gcd(1071, 462) = 21.
bits 64
global _start
%include "lib64.inc"
section .text
gcd:                            ; rax, rbx -> rax (clobbers rdx)
        test rbx, rbx
        jz .r
        xor edx, edx
        div rbx
        mov rax, rbx
        mov rbx, rdx
        jmp gcd
.r:     ret
_start:
        xor r12d, r12d
.next:  mov rax, [pairs + r12*8]
        mov rbx, [pairs + r12*8 + 8]
        call gcd
        mov r13, rax
        call print_u64
        call print_space
        mov rax, [pairs + r12*8]
        xor edx, edx
        div r13
        mul qword [pairs + r12*8 + 8]
        call print_u64
        call print_nl
        add r12, 2
        cmp r12, NPAIRS * 2
        jb .next
        mov eax, 1071
        mov ebx, 462
        call gcd
        mov edi, eax
        jmp exit
section .data
pairs:  dq 12, 18,  1071, 462,  123456789012, 9876543210,  2305843009213693951, 618970019642690137,  4294967296, 65536,  99991, 99989
NPAIRS  equ ($ - pairs) / 16
