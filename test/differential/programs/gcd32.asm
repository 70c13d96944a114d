; gcd32: Euclid's GCD and LCM with DIV for several pairs; exit status is gcd(462, 1071) = 21.
; expected exit status: 21 (no native 32-bit here: stdout in gcd32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
gcd:                            ; eax, ebx -> eax
        test ebx, ebx
        jz .r
        xor edx, edx
        div ebx
        mov eax, ebx
        mov ebx, edx
        jmp gcd
.r:     ret
_start:
        xor esi, esi
.next:  mov eax, [pairs + esi*8]
        mov ebx, [pairs + esi*8 + 4]
        call gcd
        mov edi, eax
        call print_u32
        call print_space
        mov eax, [pairs + esi*8]
        xor edx, edx
        div edi
        mul dword [pairs + esi*8 + 4]
        call print_u32
        call print_nl
        inc esi
        cmp esi, NPAIRS
        jb .next
        mov eax, 462
        mov ebx, 1071
        call gcd
        mov ebx, eax
        jmp exit
section .data
pairs:  dd 12, 18,  100, 75,  17, 5,  1071, 462,  65536, 4096,  999999, 333333,  7, 7,  1, 1000000
NPAIRS  equ ($ - pairs) / 8
