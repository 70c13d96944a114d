; SYNTAX TEST "source.x86asm" "instructions, prefixes, registers and labels"
_start:
; <------ entity.name.function.label.x86asm
;     ^ punctuation.separator.label.x86asm
        mov     rax, 1
;       ^^^ keyword.other.instruction.x86asm
;               ^^^ variable.language.register.x86asm
;                    ^ constant.numeric.decimal.x86asm
        MOV     EAX, [rbx + rcx*4 + 8]
;       ^^^ keyword.other.instruction.x86asm
;               ^^^ variable.language.register.x86asm
;                    ^ punctuation.definition.memory.x86asm
;                     ^^^ variable.language.register.x86asm
;                              ^ keyword.operator.x86asm
.loop:  dec     ecx
; <----- entity.name.function.label.local.x86asm
;       ^^^ keyword.other.instruction.x86asm
        rep movsb
;       ^^^ storage.modifier.prefix.x86asm
;           ^^^^^ keyword.other.instruction.x86asm
        lock xadd [counter], eax
;       ^^^^ storage.modifier.prefix.x86asm
;            ^^^^ keyword.other.instruction.x86asm
;                  ^^^^^^^ variable.other.x86asm
        mov     dr7, rax
;               ^^^ variable.language.register.debug.x86asm
        mov     dword [rbp - 8], 0x1F
;               ^^^^^ storage.type.size.x86asm
;                                ^^^^ constant.numeric.hex.x86asm
        jmp     short .loop
;       ^^^ keyword.other.instruction.x86asm
;               ^^^^^ storage.modifier.x86asm
;                     ^^^^^ variable.other.local.x86asm
again:  syscall ; back to the kernel
; <----- entity.name.function.label.x86asm
;       ^^^^^^^ keyword.other.instruction.x86asm
;               ^^^^^^^^^^^^^^^^^^^^ comment.line.semicolon.x86asm
        loop    again
;       ^^^^ keyword.other.instruction.x86asm
;               ^^^^^ variable.other.x86asm
        jz      again
;       ^^ keyword.other.instruction.x86asm
        cmovnae eax, ebx
;       ^^^^^^^ keyword.other.instruction.x86asm
