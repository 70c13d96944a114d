; sysmisc64: return values of the quieter system calls that must agree with Linux — clock_gettime,
; gettimeofday, nanosleep, getrandom, time (plausible), ioctl(TCGETS) on a pipe (-ENOTTY), arch_prctl
; FS base round trip, set_tid_address (= getpid), brk start page-aligned, munmap of nothing, lseek on a
; pipe (-ESPIPE), close(0) then read(0) (-EBADF), and an unknown call (-ENOSYS).
bits 64
global _start
%include "lib64.inc"
section .text
%macro show 0
        call print_i64
        call print_space
%endmacro
_start:
        mov eax, 228                    ; clock_gettime(CLOCK_MONOTONIC, &ts)
        mov edi, 1
        lea rsi, [rel ts]
        syscall
        show
        mov eax, 96                     ; gettimeofday(&ts, NULL)
        lea rdi, [rel ts]
        xor esi, esi
        syscall
        show
        mov qword [rel ts], 0
        mov qword [rel ts + 8], 1000
        mov eax, 35                     ; nanosleep(1 us)
        lea rdi, [rel ts]
        xor esi, esi
        syscall
        show
        mov eax, 318                    ; getrandom(buf, 16, 0)
        lea rdi, [rel buf]
        mov esi, 16
        xor edx, edx
        syscall
        show
        mov eax, 201                    ; time(NULL) after 2023?
        xor edi, edi
        syscall
        cmp rax, 1700000000
        setae al
        movzx eax, al
        show
        mov eax, 16                     ; ioctl(1, TCGETS, buf)
        mov edi, 1
        mov esi, 0x5401
        lea rdx, [rel buf]
        syscall
        show
        mov eax, 158                    ; arch_prctl(ARCH_SET_FS, &tls)
        mov edi, 0x1002
        lea rsi, [rel tls]
        syscall
        show
        mov eax, 158                    ; arch_prctl(ARCH_GET_FS, &buf)
        mov edi, 0x1003
        lea rsi, [rel buf]
        syscall
        lea rcx, [rel tls]
        cmp rcx, [rel buf]
        sete al
        movzx eax, al
        show
        mov rax, [fs:0]
        show
        mov eax, 39
        syscall
        mov r12, rax
        mov eax, 218                    ; set_tid_address(&buf) == getpid()
        lea rdi, [rel buf]
        syscall
        cmp rax, r12
        sete al
        movzx eax, al
        show
        mov eax, 12                     ; brk(0) page aligned
        xor edi, edi
        syscall
        test eax, 0xfff
        setz al
        movzx eax, al
        show
        mov eax, 11                     ; munmap of an unmapped page succeeds
        mov rdi, 0x10000000
        mov esi, 4096
        syscall
        show
        mov eax, 8                      ; lseek(1, 0, SEEK_CUR) on a pipe
        mov edi, 1
        xor esi, esi
        mov edx, 1
        syscall
        show
        mov eax, 3                      ; close(0)
        xor edi, edi
        syscall
        show
        xor eax, eax                    ; read(0, buf, 1) after close
        xor edi, edi
        lea rsi, [rel buf]
        mov edx, 1
        syscall
        show
        mov eax, 1000                   ; not a system call
        syscall
        show
        call print_nl
        xor edi, edi
        jmp exit
section .data
tls:    dq 4242
section .bss
ts:     resq 2
buf:    resb 64
