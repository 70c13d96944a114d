// The interface a guest environment (linux, dos, boot, bare) implements so the CPU can hand it
// what is not CPU semantics: INT n, SYSCALL/SYSENTER, port I/O, HLT, exceptions nothing in the
// guest handles, and ending the run with an Exit. Results are shared constants or small objects.
// Imports only types.
import type { Exit } from './exit';
import type { Machine } from './machine';

/**
 * What the environment decided.
 * - `continue`: the environment did the work; the instruction completes normally.
 * - `deliver`: let the CPU deliver the interrupt/exception architecturally (real mode: through the
 *   IVT; protected/long mode: through the IDT once that exists, otherwise it becomes a 'fault' Exit).
 * - `stop`: end run() with `exit`. With `retry` the instruction is not completed: RIP stays on it
 *   and it runs again on the next run() (e.g. waiting for console input: exit {reason:'input'}).
 */
export type EnvResult =
  | { readonly kind: 'continue' }
  | { readonly kind: 'deliver' }
  | { readonly kind: 'stop'; readonly exit: Exit; readonly retry?: boolean };

/** Shared result constants (no allocation on the common paths). */
export const CONTINUE: EnvResult = Object.freeze({ kind: 'continue' });
export const DELIVER: EnvResult = Object.freeze({ kind: 'deliver' });

/** Result of a port read: the value, or stop the run (retry re-executes the IN later). */
export type PortReadResult = number | { readonly kind: 'stop'; readonly exit: Exit; readonly retry?: boolean };

/** How an INT-class instruction was written (they differ in privilege checks and in #DB/#BP details). */
export type SoftwareInterruptKind = 'int' | 'int3' | 'into' | 'int1';

export interface Environment {
  /**
   * INT n / INT3 / INTO (when OF=1) / INT1 executed at `m.cpu.insnStart`; RIP already points past
   * it. Registers and memory are the guest's (read them through `m`).
   */
  softwareInterrupt(m: Machine, vector: number, kind: SoftwareInterruptKind): EnvResult;
  /** SYSCALL (64-bit Linux ABI) or SYSENTER; RIP already past the instruction. 'deliver' means #UD. */
  systemCall(m: Machine, kind: 'syscall' | 'sysenter'): EnvResult;
  /** IN/INS from `port` of `size` bytes (1, 2, 4). Unhandled ports conventionally read all ones. */
  portIn(m: Machine, port: number, size: number): PortReadResult;
  /** OUT/OUTS of `value` (size 1, 2, 4 bytes) to `port`. */
  portOut(m: Machine, port: number, size: number, value: number): EnvResult;
  /** HLT executed (RIP already past it): typically stop with {reason:'halted'} or an exit code. */
  halt(m: Machine): EnvResult;
  /**
   * An exception raised by the instruction at `pc` (RIP of the faulting instruction, or past it for
   * traps such as #BP/#OF). 'deliver' lets the CPU deliver it (IVT in real mode); otherwise stop
   * with a 'fault' Exit, e.g. SIGSEGV for #PF in the Linux environment.
   */
  exception(m: Machine, e: GuestException): EnvResult;
}

/** An exception on its way to the guest or the environment. */
export interface GuestException {
  vector: number;
  errorCode?: number;
  /** #PF: the faulting linear address (also in CR2). */
  address?: number;
  /** RIP that will be pushed (faulting instruction for faults, next instruction for traps). */
  rip: number;
  /** Linear address of the instruction that raised it. */
  pc: number;
  /** Human-readable description ("#PF(0x6) at 0x0: unmapped address"). */
  message: string;
}

/**
 * A minimal environment for tests and bare code: INT n, exceptions and HLT go the architectural
 * way (IVT in real mode; a 'fault' Exit where the CPU cannot deliver), ports read 0xFF.. and
 * discard writes, HLT stops as 'halted'.
 */
export class BareEnvironment implements Environment {
  softwareInterrupt(_m: Machine, _vector: number, _kind: SoftwareInterruptKind): EnvResult {
    return DELIVER;
  }
  systemCall(_m: Machine, _kind: 'syscall' | 'sysenter'): EnvResult {
    return DELIVER;
  }
  portIn(_m: Machine, _port: number, size: number): PortReadResult {
    return size === 1 ? 0xff : size === 2 ? 0xffff : -1;
  }
  portOut(_m: Machine, _port: number, _size: number, _value: number): EnvResult {
    return CONTINUE;
  }
  halt(_m: Machine): EnvResult {
    return HALTED;
  }
  exception(_m: Machine, _e: GuestException): EnvResult {
    return DELIVER;
  }
}

const HALTED: EnvResult = Object.freeze({ kind: 'stop', exit: Object.freeze({ reason: 'halted' }) });
