; Data accesses of every size at aligned, unaligned, overlapping and adjacent offsets of `area`,
; implicit stack accesses and REP string iterations; traced natively (drtrace) and in the emulator
; with the same DR slots by test/differential/hwdebug.test.ts. Exits with status 0. The REP string
; operations work on `rbuf`, which DR scenarios do not watch: fast-string hardware may report a data
; breakpoint at a group-of-iterations boundary (SDM Vol. 1 §7.3.9.3), the emulator after the exact one.
bits 64
global _start
section .data
align 64
area: times 64 db 0
align 64
rbuf: times 64 db 0
section .text
_start:
        mov rax, 0x1122334455667788
s0:     mov [area+0], al
s1:     mov [area+1], ax
s2:     mov [area+4], eax
s3:     mov [area+8], rax
s4:     mov rbx, [area+8]
s5:     mov cl, [area+3]
s6:     add dword [area+12], 1
s7:     mov [area+6], ax
s8:     mov [area+15], rax
s9:     xchg [area+16], rax
        lea rdi, [rbuf+20]
        mov ecx, 8
        mov al, 0x55
s10:    rep stosb
        lea rsi, [rbuf]
        lea rdi, [rbuf+32]
        mov ecx, 16
s11:    rep movsb
s12:    push qword [area+8]
s13:    pop qword [area+40]
        mov edx, 3
loop:   mov [area+48], dl
        dec edx
        jnz loop
        mov eax, 60
        xor edi, edi
s14:    syscall
