; The guest single-steps itself: POPFQ sets TF, so the instruction after it traps (#DB, BS). Natively
; Linux turns that into SIGTRAP at the next RIP; the emulator's guest layer must stop at the same RIP
; with BS in the guest's DR6 and the Linux environment's SIGTRAP. Used by hwdebug.test.ts.
bits 64
global _start
_start:
  pushfq
  or qword [rsp], 0x100
  popfq
  nop
  mov eax, 60
  xor edi, edi
  syscall
