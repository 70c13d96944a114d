// The one entry point the CLI and the adapter use to open a binary: sniffs the format (ELF magic,
// .com name, 55AAh boot signature, otherwise flat) unless told, and returns a Program or a message.
// Never throws. Imports ./elfReader, ./binaryLoaders and ./program (types).
import { isElf, loadElf } from './elfReader';
import { hasBootSignature, loadBootImage, loadComFile, loadFlatBinary, BOOT_SECTOR_SIZE } from './binaryLoaders';
import type { Bits, Environment, Program } from './program';

/** The binary formats loadBinary understands. */
export type BinaryFormat = 'elf' | 'com' | 'boot' | 'bin';

/** What the caller knows already (command-line flags, launch attributes). */
export interface LoadHints {
  /** Skip sniffing and read the bytes as this format. */
  format?: BinaryFormat;
  /** For flat binaries: mode (default 16) and load address (default 0). */
  bits?: Bits;
  org?: number;
  /** For flat binaries: environment (default 'bare'). */
  environment?: Environment;
}

export type LoadBinaryResult =
  | { ok: true; program: Program; format: BinaryFormat; warnings: string[] }
  | { ok: false; message: string };

const BOOT_EXTENSIONS = new Set(['img', 'ima', 'flp', 'boot', 'bin', 'raw']);

function extensionOf(fileName: string): string {
  const base = fileName.slice(Math.max(fileName.lastIndexOf('/'), fileName.lastIndexOf('\\')) + 1);
  const dot = base.lastIndexOf('.');
  return dot > 0 ? base.slice(dot + 1).toLowerCase() : '';
}

/** Which format the bytes are, judged by content first and the file name second. */
export function sniffFormat(bytes: Uint8Array, fileName: string): BinaryFormat {
  if (isElf(bytes)) return 'elf';
  const ext = extensionOf(fileName);
  if (ext === 'com') return 'com';
  if (hasBootSignature(bytes) && (bytes.length === BOOT_SECTOR_SIZE || (bytes.length % BOOT_SECTOR_SIZE === 0 && BOOT_EXTENSIONS.has(ext)))) return 'boot';
  return 'bin';
}

/** Loads a binary file into a Program; `fileName` is used for sniffing and as the origin. */
export function loadBinary(bytes: Uint8Array, fileName: string, hints: LoadHints = {}): LoadBinaryResult {
  try {
    const format = hints.format ?? sniffFormat(bytes, fileName);
    switch (format) {
      case 'elf': {
        const r = loadElf(bytes, fileName);
        return r.ok ? { ok: true, program: r.program, format, warnings: r.warnings } : r;
      }
      case 'com': {
        const r = loadComFile(bytes, fileName);
        return r.ok ? { ok: true, program: r.program, format, warnings: r.warnings } : r;
      }
      case 'boot': {
        const r = loadBootImage(bytes, fileName);
        return r.ok ? { ok: true, program: r.program, format, warnings: r.warnings } : r;
      }
      case 'bin': {
        const program = loadFlatBinary(bytes, { bits: hints.bits, org: hints.org, environment: hints.environment }, fileName);
        return { ok: true, program, format, warnings: [] };
      }
      default:
        return { ok: false, message: `unknown binary format '${String(format)}'` };
    }
  } catch (e) {
    return { ok: false, message: `cannot load ${fileName}: ${e instanceof Error ? e.message : String(e)}` };
  }
}
