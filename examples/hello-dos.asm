; hello-dos.asm — a DOS .COM program: loaded at CS:0100h after its PSP, prints with INT 21h.
; Run it:      x86dbg run examples/hello-dos.asm
; Or build the .COM first:  nasm -f bin -o hello.com hello-dos.asm && x86dbg run hello.com

        org 100h                ; .COM programs start at offset 100h

        mov dx, message         ; DS:DX = the '$'-terminated string
        mov ah, 09h             ; INT 21h function 09h: print string
        int 21h
        mov ax, 4C00h           ; function 4Ch: exit with status AL = 0
        int 21h

message: db "Hello, world from DOS!", 13, 10, "$"
