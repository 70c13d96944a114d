; reverse_lines32: reads stdin one byte at a time and writes each line reversed (LODSB with DF=1).
; expected exit status: 0 (no native 32-bit here: stdout in reverse_lines32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
_start:
        xor ebp, ebp                    ; line length
.rd:    mov eax, 3
        xor ebx, ebx
        mov ecx, ch_
        mov edx, 1
        int 0x80
        test eax, eax
        jle .eof
        mov al, [ch_]
        cmp al, 10
        je .flush
        mov [line + ebp], al
        inc ebp
        cmp ebp, 200
        jb .rd
.flush: call emit
        call print_nl
        jmp .rd
.eof:   test ebp, ebp
        jz .out
        call emit
        call print_nl
.out:   xor ebx, ebx
        jmp exit
emit:                                   ; writes line[0..ebp) backwards, resets ebp
        mov ecx, ebp
        jecxz .e
        lea esi, [line + ebp - 1]
        mov edi, rev
        std
.l:     lodsb
        mov [edi], al
        inc edi
        loop .l
        cld
        mov ecx, rev
        mov edx, ebp
        call print_str
.e:     xor ebp, ebp
        ret
section .bss
ch_:    resb 1
line:   resb 256
rev:    resb 256
