; hello64.asm: writes a greeting with the Linux write system call, then exits with status 0.
        global  _start

        section .data
message: db      "Hello from x86dbg!", 10
length  equ     $ - message
        align   8
counter: dq      0

        section .text
_start:
        mov     rax, 1          ; write(
        mov     rdi, 1          ;   stdout,
        lea     rsi, [rel message] ; message,
        mov     rdx, length     ;   length)
        syscall
        inc     qword [rel counter]
        mov     rax, 60         ; exit(
        xor     edi, edi        ;   0)
        syscall
