// How a CPU exception that the Linux environment does not hand to the guest ends the process: the
// signal Linux would send for it (arch/x86/kernel/traps.c, fault.c). The CLI turns it into exit
// status 128 + signal. Imports the exception vector numbers only.
import { AC, BP, BR, DB, DE, GP, NP, OF, PF, SS, UD } from '../exceptions';

/** Linux signal numbers used for faults. */
export const SIGILL = 4;
export const SIGTRAP = 5;
export const SIGBUS = 7;
export const SIGFPE = 8;
export const SIGSEGV = 11;

export const SIGNAL_NAMES: Readonly<Record<number, string>> = { 4: 'SIGILL', 5: 'SIGTRAP', 7: 'SIGBUS', 8: 'SIGFPE', 11: 'SIGSEGV' };

/**
 * The signal for exception `vector`: #DE → SIGFPE, #DB/#BP → SIGTRAP, #UD → SIGILL, #SS and #AC →
 * SIGBUS, #PF/#GP/#NP/#OF/#BR → SIGSEGV, x87/SIMD errors → SIGFPE, anything else SIGSEGV.
 */
export function signalForException(vector: number): number {
  switch (vector) {
    case DE: return SIGFPE;
    case DB:
    case BP: return SIGTRAP;
    case UD: return SIGILL;
    case SS:
    case AC: return SIGBUS;
    case PF:
    case GP:
    case NP:
    case OF:
    case BR: return SIGSEGV;
    case 16:
    case 19: return SIGFPE;
    default: return SIGSEGV;
  }
}
