; shout.asm: prompts, reads one line from standard input (fd 0), writes it back in upper case
; after "You said: ", then exits with the number of bytes read as its status.
        global  _start

        section .data
prompt: db      "Say something: "
promptLength equ $ - prompt
reply:  db      "You said: "
replyLength equ $ - reply

        section .bss
buffer: resb    64

        section .text
_start:
        mov     rax, 1          ; write(stdout, prompt, promptLength)
        mov     rdi, 1
        lea     rsi, [rel prompt]
        mov     rdx, promptLength
        syscall
        xor     eax, eax        ; read(stdin, buffer, 64)
        xor     edi, edi
        lea     rsi, [rel buffer]
        mov     rdx, 64
        syscall
        mov     r12, rax        ; bytes read
        xor     ecx, ecx
upcase:
        cmp     rcx, r12
        jae     .done
        mov     al, [rsi + rcx]
        cmp     al, 'a'
        jb      .next
        cmp     al, 'z'
        ja      .next
        sub     al, 'a' - 'A'
        mov     [rsi + rcx], al
.next:
        inc     rcx
        jmp     upcase
.done:
        mov     rax, 1          ; write(stdout, reply, replyLength)
        mov     rdi, 1
        lea     rsi, [rel reply]
        mov     rdx, replyLength
        syscall
        mov     rax, 1          ; write(stdout, buffer, bytes read)
        mov     rdi, 1
        lea     rsi, [rel buffer]
        mov     rdx, r12
        syscall
        mov     rax, 60         ; exit(bytes read)
        mov     rdi, r12
        syscall
