; hexdump64: prints values in hex with shifts and rotates (SHL/SHR/SAR/ROL/ROR/RCL/SHLD/SHRD/BSWAP).
bits 64
global _start
%include "lib64.inc"
section .text
print_hex:                      ; rax -> 16 hex digits and a newline
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
        mov byte [rsi], 10
        lea rsi, [rel hexbuf]
        mov edx, 17
        call print_str
        pop rsi
        pop rdx
        pop rbx
        ret
_start:
        mov rax, 0x0123456789ABCDEF
        call print_hex
        mov rax, 0x0123456789ABCDEF
        shl rax, 4
        call print_hex
        mov rax, 0x8123456789ABCDEF
        sar rax, 12
        call print_hex
        mov rax, 0x8123456789ABCDEF
        shr rax, 12
        call print_hex
        mov rax, 0x8123456789ABCDEF
        ror rax, 8
        call print_hex
        mov rax, 0x8123456789ABCDEF
        stc
        rcl rax, 3
        call print_hex
        mov rax, 0x1111222233334444
        mov rdx, 0xAAAABBBBCCCCDDDD
        shld rax, rdx, 20
        call print_hex
        mov rax, 0x1111222233334444
        mov rdx, 0xAAAABBBBCCCCDDDD
        mov cl, 36
        shrd rax, rdx, cl
        call print_hex
        mov rax, 0x0102030405060708
        bswap rax
        call print_hex
        mov eax, 0x11223344
        bswap eax
        call print_hex
        mov rax, -1
        mov eax, 5              ; writing a 32-bit register zero-extends
        call print_hex
        mov rax, -1
        mov ax, 5               ; a 16-bit write keeps the upper bits
        call print_hex
        xor edi, edi
        jmp exit
section .data
digits: db "0123456789abcdef"
section .bss
hexbuf: resb 17
