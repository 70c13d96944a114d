; sieve32: bit-array sieve (BTS/BT) up to 10000; prints the number of primes and the last five.
; expected exit status: 0 (no native 32-bit here: stdout in sieve32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
LIMIT equ 10000
_start:
        mov ecx, 2
.outer: mov eax, ecx
        mul ecx
        cmp eax, LIMIT
        jae .count
        bt [bits_], ecx
        jc .nextp
.mark:  bts [bits_], eax
        add eax, ecx
        cmp eax, LIMIT
        jb .mark
.nextp: inc ecx
        jmp .outer
.count: xor esi, esi
        mov ebx, 2
.c:     bt [bits_], ebx
        jc .cn
        inc esi
        mov edi, [ring_pos]
        mov [ring + edi*4], ebx
        inc edi
        and edi, 7
        mov [ring_pos], edi
.cn:    inc ebx
        cmp ebx, LIMIT
        jb .c
        mov eax, esi
        call print_u32
        call print_nl
        mov ecx, 5
        mov edi, [ring_pos]
        sub edi, 5
        and edi, 7
.p:     mov eax, [ring + edi*4]
        call print_u32
        call print_space
        inc edi
        and edi, 7
        loop .p
        call print_nl
        xor ebx, ebx
        jmp exit
section .bss
bits_:  resd (LIMIT + 31) / 32
ring:   resd 8
ring_pos: resd 1
