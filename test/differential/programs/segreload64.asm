; segreload64: in 64-bit mode a program may reload DS/ES from SS's selector, load null selectors
; into DS/ES, and still address its data (bases are ignored); exit status and output compared with
; this CPU.
bits 64
global _start
%include "lib64.inc"
section .data
value:  dq 4242
section .text
_start:
        mov ax, ss
        mov ds, ax
        mov es, ax
        mov rax, [es:value]
        xor ecx, ecx
        mov ds, cx
        mov es, cx
        add rax, [value]
        call print_u64
        call print_nl
        xor edi, edi
        jmp exit
