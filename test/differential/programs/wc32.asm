; wc32: counts lines, words and bytes of stdin like `wc`, reading 64 bytes at a time through int 0x80.
; expected exit status: 0 (no native 32-bit here: stdout in wc32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        xor esi, esi            ; lines
        xor edi, edi            ; words
        xor ebp, ebp            ; bytes
        mov byte [inword], 0
.read:  mov eax, 3
        xor ebx, ebx
        mov ecx, buf
        mov edx, 64
        int 0x80
        test eax, eax
        jle .done
        add ebp, eax
        mov ecx, eax
        mov ebx, buf
.scan:  mov al, [ebx]
        cmp al, 10
        jne .notnl
        inc esi
.notnl: cmp al, ' '
        je .space
        cmp al, 10
        je .space
        cmp al, 9
        je .space
        cmp byte [inword], 0
        jne .next
        mov byte [inword], 1
        inc edi
        jmp .next
.space: mov byte [inword], 0
.next:  inc ebx
        loop .scan
        jmp .read
.done:  mov eax, esi
        call print_u32
        call print_space
        mov eax, edi
        call print_u32
        call print_space
        mov eax, ebp
        call print_u32
        call print_nl
        xor ebx, ebx
        jmp exit
section .bss
inword: resb 1
buf:    resb 64
