; strings32: 32-bit string instructions — LODSB/STOSB ROT13, XLAT hex digits, SCASW, REPNE SCASD, MOVSW backwards.
; expected exit status: 0 (no native 32-bit here: stdout in strings32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        cld
        mov esi, text
        mov edi, out
        mov ecx, text_len
.rot:   lodsb
        mov ah, al
        or ah, 32
        cmp ah, 'a'
        jb .st
        cmp ah, 'z'
        ja .st
        cmp ah, 'n'
        jb .add
        sub al, 13
        jmp .st
.add:   add al, 13
.st:    stosb
        loop .rot
        mov ecx, out
        mov edx, text_len
        call print_str
        call print_nl

        mov ebx, hexdigits
        mov esi, text
        mov edi, out
        mov ecx, 8
.x:     lodsb
        mov ah, al
        shr al, 4
        xlatb
        stosb
        mov al, ah
        and al, 15
        xlatb
        stosb
        loop .x
        mov ecx, out
        mov edx, 16
        call print_str
        call print_nl

        mov edi, words
        mov ax, 0x4444
        mov ecx, 8
        repne scasw
        mov eax, 8
        sub eax, ecx
        call print_u32
        call print_nl

        mov edi, dwords
        mov eax, 77
        mov ecx, 6
        repne scasd
        sete al
        movzx eax, al
        call print_u32
        call print_space
        mov eax, ecx
        call print_u32
        call print_nl

        std
        mov esi, words + 14
        mov edi, words2 + 14
        mov ecx, 8
        rep movsw
        cld
        mov esi, words2
        mov ecx, 8
.pw:    xor eax, eax
        lodsw
        call print_u32
        call print_space
        loop .pw
        call print_nl
        xor ebx, ebx
        jmp exit
section .data
text:   db "Hello, World! Assembly is FUN."
text_len equ $ - text
hexdigits: db "0123456789ABCDEF"
words:  dw 0x1111, 0x2222, 0x3333, 0x4444, 0x5555, 0x6666, 0x7777, 0x8888
dwords: dd 1, 2, 77, 4, 5, 6
section .bss
out:    resb 64
words2: resw 8
