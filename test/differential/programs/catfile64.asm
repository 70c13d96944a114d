; catfile64: open/read/lseek/close on a file the launch allows (this source, by its path relative to
; the repository root) — prints its first line and last 20 bytes, the offsets and results.
; allow-file: test/differential/programs/catfile64.asm
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov eax, 2                      ; open(path, O_RDONLY)
        lea rdi, [rel path]
        xor esi, esi
        syscall
        mov r12, rax
        call print_i64
        call print_nl
        xor eax, eax                    ; read(fd, buf, 64)
        mov rdi, r12
        lea rsi, [rel buf]
        mov edx, 64
        syscall
        mov rdx, rax
        lea rsi, [rel buf]
        call print_str
        call print_nl
        mov eax, 8                      ; lseek(fd, -20, SEEK_END)
        mov rdi, r12
        mov rsi, -20
        mov edx, 2
        syscall
        call print_i64
        call print_nl
        xor eax, eax
        mov rdi, r12
        lea rsi, [rel buf]
        mov edx, 64
        syscall
        mov rdx, rax
        lea rsi, [rel buf]
        call print_str
        xor eax, eax                    ; at end of file: read returns 0
        mov rdi, r12
        lea rsi, [rel buf]
        mov edx, 64
        syscall
        call print_i64
        call print_space
        mov eax, 3                      ; close twice: 0 then -EBADF
        mov rdi, r12
        syscall
        call print_i64
        call print_space
        mov eax, 3
        mov rdi, r12
        syscall
        call print_i64
        call print_space
        mov eax, 2                      ; a file nobody allowed: -ENOENT
        lea rdi, [rel missing]
        xor esi, esi
        syscall
        call print_i64
        call print_nl
        xor edi, edi
        jmp exit
section .data
path:    db "test/differential/programs/catfile64.asm", 0
missing: db "/nonexistent/x86dbg-file", 0
section .bss
buf:     resb 64
; end of catfile64
