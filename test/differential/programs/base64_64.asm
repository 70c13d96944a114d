; base64_64: base64-encodes stdin (read in one go) with table lookups and shifts; prints the encoding.
bits 64
global _start
%include "lib64.inc"
section .text
_start:
        xor eax, eax
        xor edi, edi
        lea rsi, [rel inbuf]
        mov edx, 3000
        syscall
        mov r12, rax                     ; input length
        xor ecx, ecx                     ; in index
        xor r8d, r8d                     ; out index
        lea r9, [rel alphabet]
.grp:   mov rax, r12
        sub rax, rcx
        jle .done
        xor ebx, ebx
        movzx edx, byte [inbuf + rcx]
        shl edx, 16
        or ebx, edx
        cmp rax, 1
        je .pad2
        movzx edx, byte [inbuf + rcx + 1]
        shl edx, 8
        or ebx, edx
        cmp rax, 2
        je .pad1
        movzx edx, byte [inbuf + rcx + 2]
        or ebx, edx
        mov r10d, 4
        jmp .emit
.pad2:  mov r10d, 2
        jmp .emit
.pad1:  mov r10d, 3
.emit:  mov r11d, 18
        xor edx, edx
.ch:    mov eax, ebx
        push rcx
        mov ecx, r11d
        shr eax, cl
        pop rcx
        and eax, 63
        mov al, [r9 + rax]
        cmp edx, r10d
        jb .put
        mov al, '='
.put:   mov [outbuf + r8], al
        inc r8
        sub r11d, 6
        inc edx
        cmp edx, 4
        jb .ch
        add rcx, 3
        jmp .grp
.done:  mov byte [outbuf + r8], 10
        inc r8
        lea rsi, [rel outbuf]
        mov rdx, r8
        call print_str
        xor edi, edi
        jmp exit
section .data
alphabet: db "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
section .bss
inbuf:  resb 3000
outbuf: resb 4100
