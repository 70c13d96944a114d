// The x86dbg extensions to the Debug Adapter Protocol, declared once: launch attributes, the vendor
// field of `stopped`, the custom request/event `x86dbg.debugRegisters` and the request `x86dbg.input`.
// The adapter implements them; the VS Code layer imports this file with `import type` only.
// Imports nothing but DAP types.
import type { DebugProtocol } from '@vscode/debugprotocol';

/** Name of the custom request and of the custom event sent after every stop. */
export const DEBUG_REGISTERS_REQUEST = 'x86dbg.debugRegisters';
/** Name of the custom request that feeds guest console input. */
export const INPUT_REQUEST = 'x86dbg.input';

/** How breakpoints are placed: only DR0–DR3, only emulator-side, or DR0–DR3 first then emulator-side. */
export type BreakpointModeName = 'hardware' | 'software';
export type LaunchBreakpointMode = 'hardware' | 'hybrid';

/** `launch` attributes of debug type `x86dbg` (DESIGN.md "The DAP contract"). */
export interface X86LaunchArguments extends DebugProtocol.LaunchRequestArguments {
  /** An .asm source (assembled in-process) or a flat binary / .COM / ELF executable. */
  program: string;
  environment?: 'linux' | 'dos' | 'boot' | 'bare';
  bits?: 16 | 32 | 64;
  /**
   * bare: linear address the image is loaded at, a number or a hex/decimal string ("0x7c00",
   * "7c00h", "31744"); default: the source's ORG (0 for a binary). Implies environment "bare".
   */
  org?: number | string;
  stopOnEntry?: boolean;
  args?: string[];
  cwd?: string;
  /** Guest standard input: the text itself is not accepted here, a file path is. */
  stdin?: string;
  breakpointMode?: LaunchBreakpointMode;
  /** Stop the guest (terminate the session) after this many instructions. */
  maxInstructions?: number;
  /** Log every DAP message and runtime decision as `console` output. */
  trace?: boolean;
}

/** The vendor field of a `stopped` event body: what the hardware said. */
export interface X86StopInfo {
  /** DR6 as the CPU computed it (fixed bits set), or 0 when the stop was not a #DB (pause, entry). */
  dr6: number;
  /** The debugger layer's DR7 at the stop. */
  dr7: number;
  /** Linear address execution stopped at; a hex string when wider than 2^53. */
  pc: number | string;
  /** 1 (#DB), 3 (#BP) for debug stops, the fault vector for exceptions, null otherwise. */
  exception: number | null;
}

/** `stopped` event body with the x86dbg vendor field. */
export interface X86StoppedEventBody {
  reason: string;
  description?: string;
  threadId?: number;
  text?: string;
  allThreadsStopped?: boolean;
  hitBreakpointIds?: number[];
  x86dbg: X86StopInfo;
}

/** What a debugger-layer slot is used for. */
export type SlotKind = 'vacant' | 'exec' | 'write' | 'readWrite';

/** One of the debugger layer's DR0–DR3. */
export interface DebuggerSlotInfo {
  index: 0 | 1 | 2 | 3;
  kind: SlotKind;
  /** DR7 R/Wn field (0 exec, 1 write, 3 read/write); 0 for a vacant slot. */
  rw: number;
  /** Length in bytes (1, 2, 4, 8); DR7 LENn encodes it as 00, 01, 11, 10. */
  len: number;
  /** Linear address held in DRn (0 for a vacant slot). */
  address: number;
  /** The first breakpoint holding the slot (the one a hit is reported for), or null. */
  breakpointId: number | null;
  /** Every breakpoint sharing the slot (reference count = length). */
  breakpointIds: number[];
  /** Human label of the holder(s): "main.asm:12", "counter (write, 4 bytes)", "0x401000". */
  label: string;
}

/** The guest's own architectural debug registers (what MOV DRn in the guest sees). */
export interface GuestDebugRegisters {
  dr: [number, number, number, number];
  dr6: number;
  dr7: number;
}

/** Body of the `x86dbg.debugRegisters` response and event. */
export interface DebugRegistersBody {
  debugger: {
    dr: [number, number, number, number];
    /** DR6 of the last debugger-layer stop (0xFFFF0FF0 when no slot fired). */
    dr6: number;
    dr7: number;
    slots: DebuggerSlotInfo[];
  };
  /** null before a machine exists. */
  guest: GuestDebugRegisters | null;
}

export interface DebugRegistersResponse extends DebugProtocol.Response {
  body: DebugRegistersBody;
}

/** `x86dbg.input` arguments: text (UTF-8) appended to the guest's standard input. */
export interface InputArguments {
  text: string;
  /** true closes the input (end of file) after the text. */
  eof?: boolean;
}
