// The CPU's architectural and run-loop state as plain fields: the register file (64-bit GPRs as
// int32 lo/hi halves in typed arrays), RIP, lazy RFLAGS, segment registers with their hidden parts,
// control and descriptor-table registers, MSRs, the derived mode, the instruction clock, and the
// GPR accessors. Cpu (cpu.ts) adds the access paths (TLB, data accesses, stack) on top.
// Imports types only.
import type { Exit } from './exit';
import type { Environment } from './environment';

/** The state half of Cpu (see cpu.ts for the access paths). */
export class CpuState {
  /** Low 32 bits of RAX..R15 (int32). */
  readonly regs = new Int32Array(16);
  /** High 32 bits of RAX..R15 (int32). */
  readonly regsHi = new Int32Array(16);
  /** RIP/EIP/IP: in 64-bit mode a 48-bit value (canonical, bits 63:48 implied by bit 47). */
  rip = 0;
  /** RIP of the instruction being executed (faults restart here). */
  insnStart = 0;

  // RFLAGS: non-lazy bits and the lazy-flag record (see flags.ts).
  flagsRest = 2;
  lfOp = 0;
  lfRes = 0;
  lfA = 0;
  lfB = 0;
  lfResHi = 0;
  lfAHi = 0;
  lfBHi = 0;

  /** Segment selectors and hidden parts (base: 48-bit folded linear; limit: byte granular). */
  readonly segSel = new Uint16Array(6);
  readonly segBase = new Float64Array(6);
  readonly segLimit = new Float64Array(6).fill(0xffff);
  readonly segAttr = new Int32Array(6);
  /** Limit-check class per segment register (0, or pagingAccess.ts segmentClass's expand-down / unusable), kept by segmentLoaded(). */
  readonly segFlags = new Uint8Array(6);

  cr0 = 0x60000010;
  cr2 = 0;
  cr3 = 0;
  cr4 = 0;
  cr8 = 0;
  efer = 0;
  gdtrBase = 0;
  gdtrLimit = 0xffff;
  idtrBase = 0;
  idtrLimit = 0x3ff;
  ldtrSel = 0;
  trSel = 0;
  /** Model-specific registers other than EFER/FS/GS base (STAR, LSTAR, ...), by number. */
  readonly msrs = new Map<number, bigint>();
  kernelGsBase = 0;
  tsc = 0;

  // Mode, derived from CR0/EFER/CS (see Machine.updateMode).
  /** Code size of CS: 16, 32 or 64. */
  codeBits: 16 | 32 | 64 = 16;
  /** True in 64-bit mode (IA-32e with CS.L = 1). */
  mode64 = false;
  /** True when CR0.PE = 0. */
  real = true;
  /** Stack address size in bytes (SS.B or 64-bit mode): 2, 4 or 8. */
  stackSize = 2;
  cpl = 0;
  /** Real-mode linear address mask: 0xFFFFF with A20 off, 0x1FFFFF with A20 on. */
  a20Mask = 0xfffff;
  /** Instruction fetches need PERM_X (set by environments that model NX, e.g. Linux). */
  enforceExec = false;

  /** Instructions retired since creation (also the run loop's clock). */
  icount = 0;
  /** The run loop stops when icount reaches this; handlers set it to 0 to end a run early. */
  stopAt = 0;
  /** Exit to report when a handler or hook ended the run, else null. */
  pendingExit: Exit | null = null;
  /** Interrupt shadow after MOV SS/POP SS/STI: instructions left. */
  shadow = 0;

  /** The environment (syscalls, INT n, ports, HLT, unhandled exceptions). */
  env: Environment | null = null;

  /** High 32 bits of the last 64-bit read (read64 returns the low half). */
  hi = 0;

  /** The decode cache (it registers itself): its current code page is forgotten when translations change. */
  codeCache: { forgetCurrentPage(): void } | null = null;

  // ---- registers ----------------------------------------------------------------------------

  /** 8-bit register: 0..15 = AL..R15B (SPL.. with REX), 16..19 = AH..BH. */
  get8(r: number): number {
    return r < 16 ? this.regs[r] & 0xff : (this.regs[r - 16] >> 8) & 0xff;
  }
  set8(r: number, v: number): void {
    if (r < 16) this.regs[r] = (this.regs[r] & ~0xff) | (v & 0xff);
    else this.regs[r - 16] = (this.regs[r - 16] & ~0xff00) | ((v & 0xff) << 8);
  }
  get16(r: number): number {
    return this.regs[r] & 0xffff;
  }
  set16(r: number, v: number): void {
    this.regs[r] = (this.regs[r] & ~0xffff) | (v & 0xffff);
  }
  /** 32-bit write zero-extends into bits 63:32 (SDM Vol. 1 §3.4.1.1). */
  set32(r: number, v: number): void {
    this.regs[r] = v;
    this.regsHi[r] = 0;
  }
  set64(r: number, lo: number, hi: number): void {
    this.regs[r] = lo;
    this.regsHi[r] = hi;
  }
  /** Read a GPR of `size` bytes as a number (size 8: low half; high half in this.hi). */
  getReg(r: number, size: number): number {
    switch (size) {
      case 1: return this.get8(r);
      case 2: return this.regs[r] & 0xffff;
      case 4: return this.regs[r];
      default: this.hi = this.regsHi[r]; return this.regs[r];
    }
  }
  /** Write a GPR of `size` bytes (size 8 takes the high half from `hi`). */
  setReg(r: number, size: number, v: number, hi = 0): void {
    switch (size) {
      case 1: this.set8(r, v); break;
      case 2: this.set16(r, v); break;
      case 4: this.regs[r] = v; this.regsHi[r] = 0; break;
      default: this.regs[r] = v; this.regsHi[r] = hi; break;
    }
  }
}
