; watchpoint-demo.asm — a buffer overrun that a data breakpoint (a watchpoint in DR0-DR3) catches.
;
; The program copies a name into `buffer` (16 bytes). Right after the buffer lives `limit`, the
; number of greetings to print (3). The name is longer than 16 bytes, so the copy runs past the end
; of the buffer and silently changes `limit`: the program prints 10 lines (its cap) instead of 3.
;
; What to do:
;   1. Run it and notice it prints far too many greetings:
;        x86dbg run examples/watchpoint-demo.asm
;   2. Ask the CPU to stop whenever something WRITES to `limit` (8 bytes), using a debug register:
;        x86dbg run examples/watchpoint-demo.asm --watch limit:8:w
;      Each hit prints one JSON line on stderr: "slots":[0] says DR0 fired, "dr6" has bit B0 set,
;      "access" gives the address written, the old and new bytes, and "by" — the address of the
;      instruction that did it. Look that address up (x86dbg disasm, or the Disassembly view): it is
;      the `mov [rdi], al` inside copy_name, not the code that is supposed to change `limit`.
;   3. In VS Code: start debugging, right-click `limit` in the Variables view → "Break on Value
;      Change". The Debug Registers view shows DR0 = &limit, DR7 with L0 set, R/W0 = 01 (write),
;      LEN0 = 10 (8 bytes); when it stops, DR6.B0 = 1.
;   4. Fix: stop copying at the buffer size (see the commented hint in copy_name), and run again.

        bits 64
        global _start

        section .text
_start:
        lea rsi, [rel name]
        lea rdi, [rel buffer]
        call copy_name
        mov rbx, [rel limit]    ; how many greetings (should be 3)
        cmp rbx, 10             ; print at most 10, so the bug stays visible but short
        jbe .greet
        mov ebx, 10
.greet: test rbx, rbx
        jz .done
        mov eax, 1              ; write(1, hello, hello_len)
        mov edi, 1
        lea rsi, [rel hello]
        mov edx, hello_len
        syscall
        dec rbx
        jmp .greet
.done:  mov eax, 60
        xor edi, edi
        syscall

; copy_name: copies the zero-terminated string at RSI to RDI — with no size check (the bug).
; Hint for the fix: count the bytes in RCX and stop when RCX reaches 15.
copy_name:
.copy:  mov al, [rsi]
        mov [rdi], al           ; <-- the write the watchpoint catches when RDI reaches `limit`
        inc rsi
        inc rdi
        test al, al
        jnz .copy
        ret

        section .data
name:   db "Alexandria-Constantinople", 0
hello:  db "Hello!", 10
hello_len equ $ - hello
        align 8
buffer: times 16 db 0           ; room for 15 characters and the terminating zero
limit:  dq 3                    ; the variable the overrun destroys
