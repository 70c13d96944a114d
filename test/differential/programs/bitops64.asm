; bitops64: BSF/BSR, BT/BTS/BTR/BTC, SETcc, CMOVcc, TEST, NOT, NEG and the flags they leave, printed as numbers.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov rbx, 0x0000010000000100
        bsf rax, rbx
        call print_u64
        call print_space
        bsr rax, rbx
        call print_u64
        call print_space
        mov rbx, 0xF0
        bts rbx, 2
        btr rbx, 7
        btc rbx, 63
        setc al
        movzx eax, al
        call print_u64
        call print_space
        mov rax, rbx
        call print_u64
        call print_nl

        mov r13d, 10                     ; for i in -5..4: signed and unsigned comparisons with 0 and CMOV
        mov r12, -5
.cmp:   xor eax, eax
        cmp r12, 0
        setl al
        shl eax, 1
        setbe dl
        or al, dl
        shl eax, 1
        setg dl
        or al, dl
        shl eax, 1
        sete dl
        or al, dl
        mov rdx, r12
        neg rdx
        cmovs rdx, r12
        push rdx
        call print_u64
        call print_space
        pop rax
        call print_i64
        call print_nl
        inc r12
        dec r13d
        jnz .cmp

        mov rax, 0x7FFFFFFFFFFFFFFF
        add rax, 1
        seto al
        movzx eax, al
        call print_u64
        mov al, 0xFF
        add al, 1
        setc al
        setz bl
        add al, bl
        movzx eax, al
        call print_u64
        mov eax, 0b1011
        test eax, 0b0100
        setnz al
        setpe bl
        movzx eax, al
        call print_u64
        movzx eax, bl
        call print_u64
        mov rax, 12345
        not rax
        call print_i64
        call print_nl
        xor edi, edi
        jmp exit
