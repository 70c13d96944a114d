// x86dbg asm FILE -o OUT [--format bin|com|elf32|elf64] [--listing FILE] [-D NAME=VALUE]:
// assembles NASM source with the built-in assembler and writes a flat binary, .COM or a static
// ELF executable (through the formats writers). Diagnostics go to stderr as file:line:col.
// Node APIs allowed; never imports the VS Code layer.
import * as fs from 'fs';
import * as path from 'path';
import { assemble, type Diagnostic, type OutputFormat } from '../asm/assembler';
import { formatListing } from '../asm/listing';
import { writeElf } from '../asm/elfWriter';

const USAGE = 'usage: x86dbg asm FILE -o OUT [--format bin|com|elf32|elf64] [--listing FILE] [-D NAME=VALUE]';

/** Formats a diagnostic the way compilers do (file:line:col: severity: message). */
export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`;
}

/** Reads a file for %include / INCBIN; undefined when it cannot be read. */
export function readFileForAssembler(p: string): Uint8Array | undefined {
  try {
    return new Uint8Array(fs.readFileSync(p));
  } catch {
    return undefined;
  }
}

export async function asmCommand(args: string[]): Promise<number> {
  let file: string | undefined;
  let out: string | undefined;
  let format: OutputFormat | undefined;
  let listing: string | undefined;
  const defines: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '-o') out = args[++i];
    else if (a === '--format' || a === '-f') {
      const f = args[++i];
      if (f !== 'bin' && f !== 'com' && f !== 'elf32' && f !== 'elf64') {
        process.stderr.write(`x86dbg asm: unknown format '${f}' (use bin, com, elf32 or elf64)\n`);
        return 2;
      }
      format = f;
    } else if (a === '--listing' || a === '-l') listing = args[++i];
    else if (a.startsWith('-D')) {
      const def = a.length > 2 ? a.slice(2) : args[++i];
      const eq = def.indexOf('=');
      if (eq < 0) defines[def] = '';
      else defines[def.slice(0, eq)] = def.slice(eq + 1);
    } else if (a === '--help' || a === '-h') {
      process.stdout.write(USAGE + '\n');
      return 0;
    } else if (a.startsWith('-')) {
      process.stderr.write(`x86dbg asm: unknown option '${a}'\n${USAGE}\n`);
      return 2;
    } else file = a;
  }
  if (!file) {
    process.stderr.write(USAGE + '\n');
    return 2;
  }
  const abs = path.resolve(file);
  let source: string;
  try {
    source = fs.readFileSync(abs, 'utf8');
  } catch (e) {
    process.stderr.write(`x86dbg asm: cannot read '${file}': ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  const result = assemble(source, { fileName: abs, readFile: readFileForAssembler, format, defines });
  for (const d of result.diagnostics) process.stderr.write(formatDiagnostic(d) + '\n');
  if (!result.ok) return 1;
  const fmt = result.format;
  let bytes: Uint8Array;
  if (fmt === 'bin' || fmt === 'com') bytes = result.image;
  else {
    const w = writeElf(result.program, { elfClass: fmt === 'elf32' ? 32 : 64 });
    if (!w.ok) {
      process.stderr.write(`x86dbg asm: cannot write ELF: ${w.message}\n`);
      return 1;
    }
    bytes = w.bytes;
  }
  const target = out ?? abs.replace(/\.[^./\\]*$/, '') + (fmt === 'bin' ? '.bin' : fmt === 'com' ? '.com' : '');
  try {
    fs.writeFileSync(target, bytes);
    if (fmt === 'elf32' || fmt === 'elf64') fs.chmodSync(target, 0o755);
    if (listing) fs.writeFileSync(listing, formatListing(result.listing, abs, source));
  } catch (e) {
    process.stderr.write(`x86dbg asm: cannot write output: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  return 0;
}
