// Assembling a source file the way a launch does (%include and INCBIN paths relative to the file's
// folder), through one process-wide AssemblyCache: a relaunch of an unchanged source reuses its
// Program, and so does a launch after the extension assembled the same file text in the same
// process (F5 assembles once to infer the environment; the editor's diagnostics assemble as you type).
// Node APIs allowed.
import * as fs from 'fs';
import * as path from 'path';
import type { Program } from '../asm/program';
import { assemble, type AssembleResult } from '../asm/assembler';
import { AssemblyCache, type FileReads } from './assemblyCache';

/** The last source assembled (or offered) in this process. */
const assemblies = new AssemblyCache();

/** A source assembled: its Program (shared with the cache: never change it, copy it first), or the diagnostics as `file:line:col: severity: message` lines. */
export type AssembledSource =
  | { ok: true; program: Program; /** true when an unchanged source's earlier Program was reused. */ reused: boolean }
  | { ok: false; message: string; diagnostics: string[] };

/** Reads a file an assembly of `file` asks for (relative to `file`'s folder), or undefined when it cannot be read. */
export function includeReader(file: string): (p: string) => Uint8Array | undefined {
  return (p) => {
    try {
      return new Uint8Array(fs.readFileSync(path.resolve(path.dirname(file), p)));
    } catch {
      return undefined;
    }
  };
}

/** Assembles `source` as the text of `file`, recording every %include/INCBIN read (path as asked → bytes, or undefined when missing) for the cache. */
export function assembleRecordingReads(file: string, source: string): { result: AssembleResult; reads: Map<string, Uint8Array | undefined> } {
  const read = includeReader(file);
  const reads = new Map<string, Uint8Array | undefined>();
  const result = assemble(source, {
    fileName: file,
    readFile: (p: string) => {
      const got = read(p);
      reads.set(p, got);
      return got;
    },
  });
  return { result, reads };
}

/** Assembles `source` as the text of `file` (an absolute path), or finds it unchanged since the last assembly in this process. */
export function assembleSource(file: string, source: string): AssembledSource {
  const known = assemblies.lookup(file, source, includeReader(file));
  if (known !== undefined) return { ok: true, program: known, reused: true };
  const { result: r, reads } = assembleRecordingReads(file, source);
  if (!r.ok) {
    const lines = r.diagnostics.map((d) => `${d.file}:${d.line}:${d.column}: ${d.severity}: ${d.message}`);
    const errors = r.diagnostics.filter((d) => d.severity === 'error').length;
    return { ok: false, message: `${path.basename(file)} does not assemble (${errors} error${errors === 1 ? '' : 's'}; see the output)`, diagnostics: lines };
  }
  assemblies.store(file, source, reads, r.program);
  return { ok: true, program: r.program, reused: false };
}

/**
 * Reads and assembles a source file as a launch would (the F5 configuration provider calls this to
 * infer the environment, so the launch that follows reuses the assembly). Never throws.
 */
export function assembleSourceFile(file: string): AssembledSource {
  const absolute = path.resolve(file);
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(fs.readFileSync(absolute));
  } catch (e) {
    return { ok: false, message: `cannot read ${absolute}: ${e instanceof Error ? e.message : String(e)}`, diagnostics: [] };
  }
  return assembleSource(absolute, new TextDecoder().decode(bytes));
}

/**
 * Offers an assembly made elsewhere in this process (the editor's diagnostics, of the buffer's text)
 * to the next launch of `file`: used when the launch reads the same text and every file in `reads`
 * (path as the assembler asked → bytes, or undefined when missing) still reads the same relative to
 * `file`'s folder. `program` must not be changed afterwards.
 */
export function offerAssembly(file: string, source: string, reads: FileReads, program: Program): void {
  assemblies.store(path.resolve(file), source, reads, program);
}
