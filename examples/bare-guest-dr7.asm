; bare-guest-dr7.asm — a 64-bit bare-metal guest that uses the x86 debug registers itself: it installs
; its own IDT, points DR0 at its variable `counter` and enables it in DR7 as a 4-byte write watchpoint,
; then writes and reads the variable. Each write raises #DB (a trap: the pushed RIP is the next
; instruction); the handler prints DR6 (B0 set: slot 0 fired) and the return address, counts the hit,
; clears DR6 as software must, and returns with IRETQ. Reads, writes elsewhere and writes after DR7 is
; cleared do not fire. Output goes to port E9h.
; Run it:      x86dbg run examples/bare-guest-dr7.asm --env bare
;              (bare 64-bit: long mode at CPL 0, identity paging, flat GDT with code at 08h, no IDT)
; Debug it:    the debugger's own breakpoints and watchpoints live in a separate DR0–DR7 set, so a
;              gutter breakpoint in the #DB handler or a watch on `hits` works beside the guest's own.

        bits 64
        org 100000h

DR7_VALUE equ 000D0001h         ; L0 = 1, R/W0 = 01 (data writes), LEN0 = 11 (4 bytes)

start:
        ; IDT: every exception vector → `unexpected`, then #DB (vector 1) → `debug_handler`.
        lea rdi, [rel idt]
        mov ebx, 32
.fill:  lea rax, [rel unexpected]
        call set_gate
        add rdi, 16
        dec ebx
        jnz .fill
        lea rdi, [rel idt + 1 * 16]
        lea rax, [rel debug_handler]
        call set_gate
        lidt [rel idt_descriptor]

        lea rax, [rel counter]
        mov dr0, rax
        mov eax, DR7_VALUE
        mov dr7, rax
        lea rsi, [rel msg_armed]
        call print
        mov rax, dr7
        mov ecx, 8
        call hex
        call newline

        mov dword [rel counter], 1      ; write: #DB
after_write:
        mov eax, [rel counter]          ; read: R/W0 = 01 ignores reads
        add dword [rel counter], 2      ; read-modify-write: #DB
after_add:
        inc dword [rel other]           ; another variable: nothing
        mov byte [rel counter + 3], 7   ; one byte inside the watched dword: #DB
after_byte:
        xor eax, eax
        mov dr7, rax                    ; disarm
        mov dword [rel counter], 9      ; nothing

        lea rsi, [rel msg_hits]
        call print
        mov rax, [rel hits]
        mov ecx, 1
        call hex
        call newline
        cli
        hlt                             ; interrupts off: exit code 0

; #DB: print DR6 and the pushed RIP, count, clear DR6's status bits, return.
debug_handler:
        push rax
        push rcx
        push rsi
        lea rsi, [rel msg_db]
        call print
        mov rax, dr6
        mov ecx, 8
        call hex
        lea rsi, [rel msg_rip]
        call print
        mov rax, [rsp + 24]             ; the interrupt frame's RIP, above the three pushes
        mov ecx, 8
        call hex
        call newline
        inc qword [rel hits]
        mov eax, 0FFFF0FF0h             ; B0–B3 are sticky on hardware: the handler clears them
        mov dr6, rax
        pop rsi
        pop rcx
        pop rax
        iretq

unexpected:
        lea rsi, [rel msg_unexpected]
        call print
        cli
        hlt

; RDI = 16-byte IDT entry, RAX = handler: a present 64-bit interrupt gate, DPL 0, selector 08h.
set_gate:
        mov [rdi], ax
        mov word [rdi + 2], 08h
        mov word [rdi + 4], 8E00h
        shr rax, 16
        mov [rdi + 6], ax
        shr rax, 16
        mov [rdi + 8], eax
        mov dword [rdi + 12], 0
        ret

; RSI = zero-terminated string → port E9h.
print:
        lodsb
        test al, al
        jz .done
        out 0E9h, al
        jmp print
.done:  ret

newline:
        mov al, 10
        out 0E9h, al
        ret

; The low ECX hex digits of RAX → port E9h.
hex:
        push rdx
        mov rdx, rax
        mov eax, 16
        sub eax, ecx
        shl eax, 2
        xchg eax, ecx
        rol rdx, cl                     ; skip the digits not printed
        mov ecx, eax
.digit: rol rdx, 4
        mov eax, edx
        and eax, 0Fh
        add al, '0'
        cmp al, '9'
        jbe .out
        add al, 'A' - '9' - 1
.out:   out 0E9h, al
        loop .digit
        pop rdx
        ret

msg_armed:      db "DR0 = &counter, DR7 = ", 0
msg_db:         db "#DB DR6=", 0
msg_rip:        db " RIP=", 0
msg_hits:       db "hits=", 0
msg_unexpected: db "unexpected exception", 10, 0

        align 8
counter:        dd 0
other:          dd 0
hits:           dq 0
idt_descriptor: dw 32 * 16 - 1
                dq idt
        align 16
idt:    times 32 * 16 db 0
