; strings64: strlen with REPNE SCASB, copy with REP MOVSB/MOVSQ, compare with REPE CMPSB, reverse in place, fill with REP STOSD.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        cld
        lea rdi, [rel src]
        xor eax, eax
        mov rcx, -1
        repne scasb
        not rcx
        dec rcx
        mov r12, rcx                    ; strlen(src)
        mov rax, r12
        call print_u64
        call print_nl

        lea rsi, [rel src]
        lea rdi, [rel dst]
        mov rcx, r12
        rep movsb
        mov byte [rdi], 0
        lea rsi, [rel dst]
        mov rdx, r12
        call print_str
        call print_nl

        lea rsi, [rel src]
        lea rdi, [rel other]
        mov rcx, r12
        repe cmpsb
        mov rax, r12
        sub rax, rcx
        call print_u64                  ; index just after the first difference
        call print_nl

        lea rsi, [rel dst]              ; reverse dst in place
        lea rdi, [rsi + r12 - 1]
.rev:   cmp rsi, rdi
        jae .revd
        mov al, [rsi]
        mov bl, [rdi]
        mov [rsi], bl
        mov [rdi], al
        inc rsi
        dec rdi
        jmp .rev
.revd:  lea rsi, [rel dst]
        mov rdx, r12
        call print_str
        call print_nl

        lea rdi, [rel fill]
        mov eax, 0x2a2b2c2d
        mov ecx, 4
        rep stosd
        lea rsi, [rel fill]
        lea rdi, [rel fill2]
        mov ecx, 2
        rep movsq
        lea rsi, [rel fill2]
        mov edx, 16
        call print_str
        call print_nl

        std                              ; backwards copy with overlap
        lea rsi, [rel src + 9]
        lea rdi, [rel src + 12]
        mov ecx, 10
        rep movsb
        cld
        lea rsi, [rel src]
        mov rdx, r12
        call print_str
        call print_nl
        xor edi, edi
        jmp exit
section .data
src:    db "The quick brown fox jumps over the lazy dog", 0
other:  db "The quick brown cat", 0
section .bss
dst:    resb 64
fill:   resb 16
fill2:  resb 16
