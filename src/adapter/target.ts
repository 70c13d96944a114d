// The adapter's view of a running guest: the narrow port the runtime, variables, evaluate and
// disassembly code use, so the emulator's own API can change without touching them. machineTarget.ts
// binds it to src/emu's Machine. Imports only shared types.
import type { Exit } from '../emu/exit';
import type { GuestDebugRegisters } from './protocol';

/** A segment register as a debugger shows it. */
export interface SegmentView {
  selector: number;
  base: number;
  limit: number;
  /** Hidden access rights in the VMX layout: type(0-3) S(4) DPL(5-6) P(7) AVL(12) L(13) D/B(14) G(15). */
  attributes: number;
}

/** A descriptor-table register (GDTR/IDTR) or a system segment register (LDTR/TR with its hidden part). */
export interface TableRegisterView {
  selector?: number;
  base: number;
  limit: number;
}

/** GDTR, IDTR, LDTR and TR. */
export interface SystemTablesView {
  gdtr: TableRegisterView;
  idtr: TableRegisterView;
  ldtr: TableRegisterView;
  tr: TableRegisterView;
}

/** The debugger layer's slots as handed to the emulator (KVM_SET_GUEST_DEBUG with USE_HW_BP). */
export interface HostDebugSetting {
  singleStep: boolean;
  dr7: number;
  addr: [number, number, number, number];
}

/** One machine the adapter drives. Addresses are linear. Nothing here throws on bad input. */
export interface DebugTarget {
  /** Current code size (16, 32 or 64) — may change when the guest switches modes. */
  mode(): 16 | 32 | 64;
  /** A register by any name the evaluator accepts (rax, eax, ax, al, ah, r8d, rip, rflags, cs, cr0, efer...). */
  getRegister(name: string): bigint | undefined;
  /** Write a register; false when the name is unknown or read-only. */
  setRegister(name: string, value: bigint): boolean;
  segment(name: 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss'): SegmentView;
  /** GDTR, IDTR, LDTR and TR (the last two with the hidden base/limit loaded with them). */
  systemTables(): SystemTablesView;
  /** Current privilege level (0–3). */
  cpl(): number;
  /** The guest's own DR0–DR3, DR6, DR7 (never the debugger's). */
  guestDebugRegisters(): GuestDebugRegisters;
  /** Linear address of the next instruction (CS base + RIP). */
  pc(): number;
  /** Linear stack pointer (SS base + RSP/ESP/SP). */
  sp(): number;
  /** The stack pointer register itself at the stack's address size (SP, ESP or RSP), not linear. */
  stackPointer(): number;
  read(address: number, length: number): Uint8Array | null;
  write(address: number, bytes: Uint8Array): boolean;
  setHostDebug(setting: HostDebugSetting): void;
  /**
   * Emulator breakpoints: linear addresses checked before each instruction like an exec slot but
   * invisible to DR7/DR6 and to the guest (a hit is a 'debug' exit with `emulatorBreakpoint`);
   * null clears them. Absent on targets without them: software breakpoints then fall back to spare
   * DR slots and straight-line stretches.
   */
  setEmulatorBreakpoints?(addresses: ReadonlySet<number> | null): void;
  /** Run at most `budget` instructions. */
  run(budget: number): Exit;
  /**
   * run(budget), but a run that delivers an interrupt or exception to a guest handler (IVT/IDT, a
   * device interrupt, a fault the guest handles) returns 'budget' before the handler's first
   * instruction executes, so a caller counting instructions never passes an address unseen.
   */
  runStraight(budget: number): Exit;
  /** Changes whenever decoded code may have changed (self-modifying code, a mode switch). */
  codeEpoch(): number;
  /** Append guest input; eof closes it. */
  feedInput(bytes: Uint8Array, eof: boolean): void;
}
