; bubblesort64: bubble sort of 16 signed qwords, printed before and after.
bits 64
global _start
%include "lib64.inc"
section .text
print_array:
        xor ebx, ebx
.p:     mov rax, [array + rbx*8]
        call print_i64
        call print_space
        inc ebx
        cmp ebx, COUNT
        jb .p
        jmp print_nl
_start:
        call print_array
        mov ecx, COUNT - 1
.outer: xor esi, esi
        xor edx, edx
.inner: mov rax, [array + rsi*8]
        mov rbx, [array + rsi*8 + 8]
        cmp rax, rbx
        jle .ok
        mov [array + rsi*8], rbx
        mov [array + rsi*8 + 8], rax
        mov edx, 1
.ok:    inc esi
        cmp esi, ecx
        jb .inner
        test edx, edx
        jz .sorted
        loop .outer
.sorted:
        call print_array
        xor edi, edi
        jmp exit
section .data
array:  dq 5, -3, 99, 0, 17, -100, 42, 7, 7, 1000000000000, -9, 3, 88, -1, 2, 64
COUNT   equ ($ - array) / 8
