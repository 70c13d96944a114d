// A one-entry cache of the last source the adapter assembled successfully: relaunching or restarting
// an unchanged program (same path, same text, every %include/INCBIN file it read still the same
// bytes, or still missing) reuses its Program instead of assembling again. Callers copy the Program
// before changing its top-level fields; nothing changes its segments, symbols or line map.
// Node APIs allowed.
import type { Program } from '../asm/program';

/** What an assembly read through its readFile callback: path as asked → bytes, or undefined when missing. */
export type FileReads = ReadonlyMap<string, Uint8Array | undefined>;

interface Entry {
  file: string;
  source: string;
  reads: FileReads;
  program: Program;
}

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return Buffer.from(a.buffer, a.byteOffset, a.length).equals(b);
}

/** The last successful assembly, checked against the files before every reuse. */
export class AssemblyCache {
  private entry: Entry | null = null;

  /**
   * The cached Program for `file` with this exact `source` when every file the assembly read still
   * reads the same through `read` (the same callback the assembler would get); else undefined.
   */
  lookup(file: string, source: string, read: (p: string) => Uint8Array | undefined): Program | undefined {
    const e = this.entry;
    if (e === null || e.file !== file || e.source !== source) return undefined;
    for (const [p, bytes] of e.reads) if (!sameBytes(bytes, read(p))) return undefined;
    return e.program;
  }

  /** Keeps this assembly (replacing the previous one). */
  store(file: string, source: string, reads: FileReads, program: Program): void {
    this.entry = { file, source, reads, program };
  }

  /** Forgets the entry. */
  clear(): void {
    this.entry = null;
  }
}
