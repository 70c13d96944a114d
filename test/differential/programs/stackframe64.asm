; stackframe64: ENTER/LEAVE frames with locals, PUSHFQ/POPFQ, PUSH imm, indirect calls through a table, RET imm16.
bits 64
global _start
%include "lib64.inc"
section .text
sum3:                                   ; three stack args, pops them
        enter 16, 0
        mov rax, [rbp + 16]
        add rax, [rbp + 24]
        mov [rbp - 8], rax
        mov rax, [rbp + 32]
        add rax, [rbp - 8]
        leave
        ret 24
twice:
        lea rax, [rdi + rdi]
        ret
_start:
        push 300
        push 20
        push 1
        call sum3
        call print_u64                   ; 321
        call print_space
        mov edi, 21
        lea rbx, [rel table]
        call [rbx + 8]
        call print_u64                   ; 42
        call print_space
        stc
        pushfq
        pop rax
        and eax, 1                      ; CF only: the other flags depend on the stack address
        call print_u64                   ; 1
        call print_space
        push qword 0x8C1
        popfq
        seto al
        sets bl
        setc cl
        add al, bl
        add al, cl
        movzx eax, al
        call print_u64                   ; 3
        call print_space
        mov rax, rsp
        push rsp
        pop rbx
        sub rax, rbx
        call print_u64                   ; push rsp pushes the old value: 0
        call print_nl
        xor edi, edi
        jmp exit
section .data
table:  dq sum3, twice
