; stackflags32: PUSHFD/POPFD, PUSHAD/POPAD, PUSH imm, CALL through a register and the memory table, RET imm16.
; expected exit status: 0 (no native 32-bit here: stdout in stackflags32.expected, computed independently)
bits 32
global _start
%include "lib32.inc"
section .text
add3:                                   ; stdcall: three args, returns their sum, pops them
        mov eax, [esp + 4]
        add eax, [esp + 8]
        add eax, [esp + 12]
        ret 12
mul2:
        mov eax, [esp + 4]
        add eax, eax
        ret 4
_start:
        push 30
        push 20
        push 10
        call add3
        call print_u32                   ; 60
        call print_space
        mov ebx, table
        push 21
        call [ebx + 4]
        call print_u32                   ; 42
        call print_space
        mov edx, add3
        push 1
        push 2
        push 3
        call edx
        call print_u32                   ; 6
        call print_space
        stc
        pushfd
        pop eax
        and eax, 1                      ; CF only: the other flags depend on the stack address
        call print_u32                   ; CF set -> bit 0
        call print_space
        push dword 0x8C1                 ; set OF SF CF via POPFD
        popfd
        seto al
        sets bl
        setc cl
        add al, bl
        add al, cl
        movzx eax, al
        call print_u32                   ; 3
        call print_space
        mov eax, 1
        mov ebx, 2
        mov ecx, 3
        mov edx, 4
        mov esi, 5
        mov edi, 6
        pushad
        xor eax, eax
        xor ebx, ebx
        xor ecx, ecx
        xor edx, edx
        xor esi, esi
        xor edi, edi
        popad
        add eax, ebx
        add eax, ecx
        add eax, edx
        add eax, esi
        add eax, edi
        call print_u32                   ; 21
        call print_nl
        xor ebx, ebx
        jmp exit
section .data
table:  dd add3, mul2
