// The debug unit's public contract types: what it needs from the CPU (DebugCpuPort), the debugger
// layer's configuration (GuestDebugConfig, KVM_SET_GUEST_DEBUG style), the boundary and MOV DRn
// results, and the register views. Re-exported by ./debugUnit. Imports nothing.

/** What the unit needs from the CPU; the Machine provides one object implementing it. */
export interface DebugCpuPort {
  /** Set (true) or clear (false) EFLAGS.RF. */
  setResumeFlag(on: boolean): void;
  /** Current CR4 (DE decides DR4/DR5 aliasing and I/O breakpoints). */
  getCr4(): number;
  /** Current privilege level, 3 in virtual-8086 mode, 0 in real mode. */
  getCpl(): number;
  /** Linear address (CS base + RIP) of the instruction being executed. */
  instructionAddress(): number;
  /** Copy linear memory into `out` with no faults, hooks or side effects; false if any byte is unmapped. */
  peekLinear(address: number, out: Uint8Array): boolean;
  /** 64-bit mode (REX prefixes exist); read only for the debugger layer's general detect. */
  readonly mode64?: boolean;
}

/** The debugger's slots, as KVM_SET_GUEST_DEBUG: `hw` null = no hardware slots. */
export interface GuestDebugConfig {
  singleStep: boolean;
  hw: { dr7: number; addr: readonly number[] } | null;
}

/**
 * What the CPU does at an instruction boundary:
 * 'execute' — run the instruction; 'exit' — end run() with `takeExit()`;
 * 'guest-db' — deliver #DB (vector 1, no error code) to the guest now, RIP unchanged: the unit has
 * already updated the guest's DR6 and cleared DR7.GD; push EFLAGS as they are (RF included).
 */
export type BoundaryAction = 'execute' | 'exit' | 'guest-db';

/** Result of MOV to/from DRn: the value (reads), or the exception to raise instead of executing. */
export type DrAccessResult =
  | { kind: 'ok'; lo: number; hi: number }
  /** #UD (6), #GP(0) (13), or #DB (1) for general detect: a fault with RIP = the MOV and RF NOT set. */
  | { kind: 'exception'; vector: 1 | 6 | 13; errorCode?: number };

/** The guest's debug registers as a debugger (or saved state) sees them. */
export interface GuestDebugRegisters {
  /** DR0–DR3 as linear-address numbers, folded to 48 bits like the CPU's addresses (MOV from DRn gives all 64). */
  dr: number[];
  dr6: number;
  dr7: number;
}

/** The debugger layer's registers. */
export interface HostDebugRegisters {
  dr: number[];
  dr7: number;
  singleStep: boolean;
}
