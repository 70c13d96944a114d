; boot.asm — a boot sector: the BIOS loads these 512 bytes at 0000:7C00 and jumps here with DL = the
; boot drive. It prints with the BIOS teletype (INT 10h, AH = 0Eh), then stops with interrupts off.
; Run it:      x86dbg run examples/boot.asm
; Or:          nasm -f bin -o boot.img boot.asm && x86dbg run boot.img   (qemu-system-i386 boot.img too)

        org 7C00h
        bits 16

start:
        xor ax, ax
        mov ds, ax              ; our data is addressed from segment 0
        mov si, message
        mov ah, 0Eh             ; teletype output
.next:  lodsb                   ; AL = [DS:SI], SI += 1
        test al, al
        jz .done
        int 10h
        jmp .next
.done:  cli                     ; interrupts off...
        hlt                     ; ...and halt: the run ends as "halted"

message: db "Hello, world from the boot sector!", 13, 10, 0

        times 510 - ($ - $$) db 0
        dw 0AA55h               ; the signature the BIOS looks for
