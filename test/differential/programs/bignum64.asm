; bignum64: 256-bit arithmetic with carry chains — ADC/SBB across qwords, a 256x64 MUL chain, 16-bit
; and 8-bit ADC/SBB with high-byte registers — printed as hex.
bits 64
global _start
%include "lib64.inc"
section .text
print_hex64:                    ; rax
        push rbx
        push rdx
        push rsi
        mov rbx, rax
        mov ecx, 16
        lea rsi, [rel hexbuf]
.h:     rol rbx, 4
        mov eax, ebx
        and eax, 15
        mov al, [digits + rax]
        mov [rsi], al
        inc rsi
        loop .h
        lea rsi, [rel hexbuf]
        mov edx, 16
        call print_str
        pop rsi
        pop rdx
        pop rbx
        ret
print_num:                      ; rsi = 4 qwords, most significant printed first
        push rbx
        mov ebx, 3
.q:     mov rax, [rsi + rbx*8]
        call print_hex64
        dec ebx
        jns .q
        call print_nl
        pop rbx
        ret
_start:
        mov rax, [a]                    ; c = a + b
        add rax, [b]
        mov [c], rax
        mov rax, [a + 8]
        adc rax, [b + 8]
        mov [c + 8], rax
        mov rax, [a + 16]
        adc rax, [b + 16]
        mov [c + 16], rax
        mov rax, [a + 24]
        adc rax, [b + 24]
        mov [c + 24], rax
        setc r15b
        lea rsi, [rel c]
        call print_num
        mov rax, [a]                    ; d = b - a
        mov rdx, [b]
        sub rdx, rax
        mov [d], rdx
        mov rdx, [b + 8]
        sbb rdx, [a + 8]
        mov [d + 8], rdx
        mov rdx, [b + 16]
        sbb rdx, [a + 16]
        mov [d + 16], rdx
        mov rdx, [b + 24]
        sbb rdx, [a + 24]
        mov [d + 24], rdx
        lea rsi, [rel d]
        call print_num
        mov r8, 0xFEDCBA9876543210      ; e = a * r8 (low 256 bits)
        xor r9d, r9d                    ; carry
        xor ecx, ecx
.mul:   mov rax, [a + rcx*8]
        mul r8
        add rax, r9
        adc rdx, 0
        mov [e + rcx*8], rax
        mov r9, rdx
        inc ecx
        cmp ecx, 4
        jb .mul
        lea rsi, [rel e]
        call print_num
        mov ax, 0xFFF0                  ; 16-bit and 8-bit carries, high bytes
        mov bx, 0x0011
        add ax, bx
        adc bh, 0x7F
        sbb ah, bl
        rcr bx, 3
        movzx eax, ax
        movzx ebx, bx
        shl rax, 16
        or rax, rbx
        shl rax, 8
        mov al, r15b
        call print_hex64
        call print_nl
        xor edi, edi
        jmp exit
section .data
a:      dq 0xFFFFFFFFFFFFFFFF, 0x123456789ABCDEF0, 0xFFFFFFFFFFFFFFFF, 0x8000000000000001
b:      dq 0x0000000000000001, 0xFEDCBA9876543210, 0x0000000000000000, 0x8000000000000000
digits: db "0123456789abcdef"
section .bss
c:      resq 4
d:      resq 4
e:      resq 4
hexbuf: resb 16
