// Why Machine.run()/step() returned: a discriminated union, modelled on KVM_RUN's exit reasons
// (KVM_EXIT_DEBUG for the debugger's own slots). There is no "proceed" value: running on is not an exit.
// Imports nothing.

/** What a data or I/O breakpoint hit touched, so a debugger can explain the stop. */
export interface DebugAccess {
  /** Linear address (or port number for I/O). */
  address: number;
  size: number;
  kind: 'read' | 'write' | 'io-read' | 'io-write';
  /** Bytes of the watched range before and after the access (little-endian values as bigint-free numbers when ≤ 6 bytes, else byte arrays). */
  before: Uint8Array;
  after: Uint8Array;
  /** Linear address of the instruction that made the access. */
  by: number;
}

export type Exit =
  /** The debugger layer fired (KVM_EXIT_DEBUG). dr6 = hit bits | 0xFFFF0FF0; pc is linear (CS base + RIP):
   *  the instruction not yet run for an instruction breakpoint, the next one for data/single-step.
   *  emulatorBreakpoint: an emulator breakpoint (DebugUnit.setEmulatorBreakpoints) at pc fired too (it has no DR6 bit). */
  | { reason: 'debug'; dr6: number; dr7: number; pc: number; exception: 1 | 3; access?: DebugAccess[]; emulatorBreakpoint?: boolean }
  /** The guest ended itself (exit system call, INT 21h/4Ch, INT 20h, HLT in bare/boot with IF=0 is 'halted'). */
  | { reason: 'exited'; code: number }
  | { reason: 'halted' }
  /** The guest waits for console input that is not there yet; run again after input arrives. */
  | { reason: 'input' }
  /** A guest exception nothing in the guest handles. signal is the Linux signal the environment maps it to. */
  | { reason: 'fault'; vector: number; errorCode?: number; address?: number; pc: number; message: string; signal?: number }
  /** The instruction budget ran out (or pause was requested). */
  | { reason: 'budget' };
