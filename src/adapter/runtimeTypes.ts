// What the runtime reports and consumes, without the runtime itself: decoded instructions for
// stepping and disassembly, stop reports (reason, DR6/DR7, text), guest fault reports and the events
// the session receives. Imports adapter types only.
import type { EvalContext } from './evaluate';
import type { FaultDecision, FaultFacts } from './exceptions';

/** What an instruction does to control flow, for stepping. */
export type FlowKind = 'call' | 'int' | 'rep' | 'loop' | 'ret' | 'iret' | 'other';

/** One decoded instruction as the runtime needs it. */
export interface InstructionInfo {
  address: number;
  length: number;
  /** NASM text, e.g. "mov dword [0x402000], 0x1". */
  text: string;
  flow: FlowKind;
  /** The semantic operation (src/isa ExecName), e.g. 'mov', 'add'. */
  exec: string;
}

/** Decodes the instruction at a linear address, or null when it cannot. */
export type InstructionDecoder = (address: number) => InstructionInfo | null;

export type StopReason =
  | 'breakpoint'
  | 'function breakpoint'
  | 'instruction breakpoint'
  | 'data breakpoint'
  | 'step'
  | 'pause'
  | 'entry'
  | 'exception'
  | 'goto';

/** A stop as the session reports it. */
export interface StopReport {
  reason: StopReason;
  description: string;
  text?: string;
  hitBreakpointIds: number[];
  /** DR6 of a debugger-layer #DB (0 when the stop was not one). */
  dr6: number;
  dr7: number;
  pc: number;
  exception: number | null;
}

/** A guest fault, for exceptionInfo. */
export interface ExceptionReport {
  vector: number;
  name: string;
  errorCode?: number;
  address?: number;
  pc: number;
  message: string;
  /** The exit code the guest ends with if it continues. */
  exitCode: number;
}

/** What the runtime tells the session. */
export interface RuntimeEvents {
  stopped(stop: StopReport): void;
  output(category: 'stdout' | 'stderr' | 'console', text: string): void;
  /** The guest ended; the session sends `exited` and `terminated`. */
  ended(exitCode: number, message: string): void;
}

/** Whether a guest fault stops the session (exception filters with their conditions, exceptionOptions), with the fault's registers and memory at hand. */
export type FaultPolicy = (fault: FaultFacts, context: EvalContext) => FaultDecision;
