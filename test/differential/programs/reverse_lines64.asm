; reverse_lines64: reads stdin in 5-byte chunks and writes each line reversed.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        xor r12d, r12d                  ; line length
.rd:    xor eax, eax
        xor edi, edi
        lea rsi, [rel chunk]
        mov edx, 5
        syscall
        test rax, rax
        jle .eof
        mov r13, rax
        xor r14d, r14d
.c:     mov al, [chunk + r14]
        inc r14
        cmp al, 10
        je .flush
        mov [line + r12], al
        inc r12
        jmp .more
.flush: call emit
        call print_nl
.more:  cmp r14, r13
        jb .c
        jmp .rd
.eof:   test r12, r12
        jz .out
        call emit
        call print_nl
.out:   xor edi, edi
        jmp exit
emit:
        test r12, r12
        jz .e
        lea rsi, [line + r12 - 1]
        lea rdi, [rel rev]
        mov rcx, r12
.l:     mov al, [rsi]
        mov [rdi], al
        dec rsi
        inc rdi
        loop .l
        lea rsi, [rel rev]
        mov rdx, r12
        call print_str
.e:     xor r12d, r12d
        ret
section .bss
chunk:  resb 8
line:   resb 256
rev:    resb 256
