; SYNTAX TEST "source.x86asm" "directives, data, numbers, strings, preprocessor"
        bits 64
;       ^^^^ keyword.control.directive.x86asm
;            ^^ constant.numeric.decimal.x86asm
        section .data
;       ^^^^^^^ keyword.control.directive.x86asm
message db      "Hello", 10, 0
; <------- entity.name.function.label.x86asm
;       ^^ storage.type.data.x86asm
;               ^^^^^^^ string.quoted.double.x86asm
length  equ     $ - message
; <------ entity.name.function.label.x86asm
;       ^^^ keyword.control.directive.x86asm
;               ^ variable.language.location.x86asm
table:  times 4 dd 0
;       ^^^^^ keyword.control.directive.x86asm
;               ^^ storage.type.data.x86asm
        dw      0x7c00, 7c00h, 0h7c00, $7c00
;               ^^^^^^ constant.numeric.hex.x86asm
;                       ^^^^^ constant.numeric.hex.x86asm
;                              ^^^^^^ constant.numeric.hex.x86asm
;                                      ^^^^^ constant.numeric.hex.x86asm
        db      0b1010_0101, 1010b, 0y11, 11y
;               ^^^^^^^^^^^ constant.numeric.binary.x86asm
;                            ^^^^^ constant.numeric.binary.x86asm
;                                   ^^^^ constant.numeric.binary.x86asm
;                                         ^^^ constant.numeric.binary.x86asm
        db      0o17, 17o, 17q, 0q17
;               ^^^^ constant.numeric.octal.x86asm
;                     ^^^ constant.numeric.octal.x86asm
;                          ^^^ constant.numeric.octal.x86asm
;                               ^^^^ constant.numeric.octal.x86asm
        dd      0d99, 99d, 0t99, 1_000
;               ^^^^ constant.numeric.decimal.x86asm
;                     ^^^ constant.numeric.decimal.x86asm
;                          ^^^^ constant.numeric.decimal.x86asm
;                                ^^^^^ constant.numeric.decimal.x86asm
        dq      1.5e3, 0x1.8p3, __float64__(2.5)
;               ^^^^^ constant.numeric.float.x86asm
;                      ^^^^^^^ constant.numeric.float.x86asm
;                               ^^^^^^^^^^^ constant.numeric.float.x86asm
        mov     al, 'A'
;                   ^^^ constant.character.x86asm
        db      'it''s', `tab\there`
;               ^^^^ string.quoted.single.x86asm
;                        ^^^^ string.quoted.other.backtick.x86asm
;                            ^^ constant.character.escape.x86asm
%define COUNT 10
; <------- keyword.control.directive.preprocessor.x86asm
%macro print 2
; <------ keyword.control.directive.preprocessor.x86asm
        mov     rsi, %1
;                    ^^ variable.parameter.macro.x86asm
%%skip: jmp     %%skip
;               ^^^^^^ variable.parameter.macro.x86asm
%endmacro
; <--------- keyword.control.directive.preprocessor.x86asm
[bits 16]
; <- punctuation.definition.directive.begin.x86asm
;^^^^ keyword.control.directive.x86asm
        org     0x7c00
;       ^^^ keyword.control.directive.x86asm
