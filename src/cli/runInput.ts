// Turning the FILE of `x86dbg run` into a Program: NASM sources (.asm/.s/.nasm/.inc) through the
// built-in assembler (diagnostics as file:line:col), everything else through the binary loaders
// (ELF, .com, boot image, flat). Node APIs allowed; never imports the VS Code layer.
import * as fs from 'fs';
import * as path from 'path';
import type { Bits, Environment as EnvironmentName, Program } from '../asm/program';
import { assemble } from '../asm/assembler';
import { loadBinary, sniffFormat, type BinaryFormat } from '../asm/loadBinary';
import { formatDiagnostic, readFileForAssembler } from './asmCommand';

export type ProgramInput = { ok: true; program: Program; warnings: string[] } | { ok: false; message: string };

const SOURCE_EXTENSIONS = new Set(['.asm', '.s', '.nasm', '.inc']);

/** True when FILE is assembly source rather than a binary. */
export function isSourceFile(file: string): boolean {
  return SOURCE_EXTENSIONS.has(path.extname(file).toLowerCase());
}

/** Read and load or assemble `file`. */
export function loadProgramFile(file: string, hints: { environment?: EnvironmentName; bits?: Bits }): ProgramInput {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(file));
  } catch (err) {
    return { ok: false, message: `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? String(err)}` };
  }
  const full = path.resolve(file);
  if (isSourceFile(file)) {
    const r = assemble(new TextDecoder().decode(bytes), { fileName: full, readFile: readFileForAssembler });
    const warnings = r.diagnostics.filter((d) => d.severity === 'warning').map(formatDiagnostic);
    if (!r.ok) return { ok: false, message: r.diagnostics.map(formatDiagnostic).join('\n') || `cannot assemble ${file}` };
    r.program.origin ??= full;
    return { ok: true, program: r.program, warnings };
  }
  // A flat file run with --env dos / boot is read as a .COM / boot image.
  let format: BinaryFormat | undefined;
  if (sniffFormat(bytes, full) === 'bin') format = hints.environment === 'dos' ? 'com' : hints.environment === 'boot' ? 'boot' : undefined;
  const r = loadBinary(bytes, full, { format, environment: hints.environment, bits: hints.bits });
  if (!r.ok) return { ok: false, message: `${file}: ${r.message}` };
  return { ok: true, program: r.program, warnings: r.warnings };
}
