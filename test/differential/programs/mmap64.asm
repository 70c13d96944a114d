; mmap64: anonymous mmap of 3 pages, writes to each, mprotect and munmap; prints the results (0 = success).
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        mov eax, 9
        xor edi, edi
        mov esi, 3 * 4096
        mov edx, 3                       ; PROT_READ | PROT_WRITE
        mov r10d, 0x22                   ; MAP_PRIVATE | MAP_ANONYMOUS
        mov r8, -1
        xor r9d, r9d
        syscall
        mov r12, rax
        test rax, 0xFFF
        setz al
        movzx eax, al
        call print_u64                   ; page aligned
        call print_space
        mov rax, [r12 + 4096]
        call print_u64                   ; zero filled
        call print_space
        mov qword [r12], 11
        mov qword [r12 + 4096], 22
        mov qword [r12 + 8192], 33
        mov rax, [r12]
        add rax, [r12 + 4096]
        add rax, [r12 + 8192]
        call print_u64
        call print_space
        mov eax, 10
        mov rdi, r12
        mov esi, 4096
        mov edx, 1                       ; PROT_READ
        syscall
        call print_i64
        call print_space
        mov rax, [r12]
        call print_u64
        call print_space
        mov eax, 11
        mov rdi, r12
        mov esi, 3 * 4096
        syscall
        call print_i64
        call print_space
        mov eax, 9                       ; a mapping with a bad length fails with -EINVAL
        xor edi, edi
        xor esi, esi
        mov edx, 3
        mov r10d, 0x22
        mov r8, -1
        xor r9d, r9d
        syscall
        call print_i64
        call print_nl
        xor edi, edi
        jmp exit
