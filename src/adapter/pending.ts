// Stand-ins for APIs of other layers that have not landed yet (src/asm/assembler.ts assemble(),
// src/isa/format.ts). Each is replaced by the real import as soon as it lands; until then sources
// fail to launch with a clear message and instructions are shown as their mnemonic.
import type { Program } from '../asm/program';
import type { Instruction } from '../isa/instruction';

export interface PendingDiagnostic {
  severity: 'error' | 'warning';
  message: string;
  file: string;
  line: number;
  column: number;
}

export type PendingAssembleResult = { ok: true; program: Program; diagnostics: PendingDiagnostic[] } | { ok: false; diagnostics: PendingDiagnostic[] };

/** Until src/asm/assembler.ts lands: every source fails with one diagnostic. */
export function assemble(_source: string, options: { fileName: string; readFile?: (p: string) => Uint8Array | undefined }): PendingAssembleResult {
  return { ok: false, diagnostics: [{ severity: 'error', message: 'the in-process assembler is not available in this build yet', file: options.fileName, line: 1, column: 1 }] };
}

/** Until src/isa/format.ts lands: the mnemonic alone. */
export function formatInstruction(insn: Instruction, _address: number, _options?: { symbolizer?: (a: number) => string | undefined }): string {
  return insn.mnemonic;
}
