; uname64: uname(2) — prints only the sysname field ("Linux"), which is the same natively and emulated.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov eax, 63
        lea rdi, [rel uts]
        syscall
        call print_i64
        call print_nl
        lea rdi, [rel uts]
        xor eax, eax
        mov rcx, 65
        repne scasb
        lea rsi, [rel uts]
        mov rdx, rdi
        sub rdx, rsi
        dec rdx
        call print_str
        call print_nl
        xor edi, edi
        jmp exit
section .bss
uts:    resb 65 * 6
