// The program's symbols and line map as the adapter uses them: name → symbol, address → nearest
// label, source line ↔ address, all shifted by the load bias (a .COM's labels are offsets from its
// segment; linear = program address + bias). Imports only the shared Program types.
import type { LineMapEntry, Program, ProgramSymbol } from '../asm/program';

/** A symbol at its linear address. */
export interface LinearSymbol extends ProgramSymbol {
  linear: number;
}

/** One instruction's source location, linear. */
export interface LineEntry {
  address: number;
  length: number;
  file: string;
  line: number;
}

export class SymbolIndex {
  private readonly byName = new Map<string, LinearSymbol>();
  private readonly byNameLower = new Map<string, LinearSymbol>();
  /** Code and data labels sorted by address (constants excluded). */
  private readonly sorted: LinearSymbol[];
  /** Instruction line entries sorted by address. */
  readonly lines: LineEntry[];
  private readonly linesByFile = new Map<string, { line: number; address: number }[]>();

  constructor(
    readonly program: Program,
    readonly bias: number,
    private readonly normalizePath: (p: string) => string = (p) => p,
  ) {
    const syms = program.symbols.map((s) => ({ ...s, linear: s.kind === 'constant' ? s.address : s.address + bias }));
    for (const s of syms) {
      if (!this.byName.has(s.name)) this.byName.set(s.name, s);
      const lower = s.name.toLowerCase();
      if (!this.byNameLower.has(lower)) this.byNameLower.set(lower, s);
    }
    this.sorted = syms.filter((s) => s.kind !== 'constant').sort((a, b) => a.linear - b.linear);
    // One normalised path per distinct file (a 10,000-line source has one file and 10,000 entries).
    const paths = new Map<string, string>();
    const normalized = (file: string): string => {
      let p = paths.get(file);
      if (p === undefined) paths.set(file, (p = normalizePath(file)));
      return p;
    };
    const lines: LineEntry[] = [];
    let sorted = true;
    for (const e of program.lineMap as LineMapEntry[]) {
      if (!e.isInstruction) continue;
      const address = e.address + bias;
      if (lines.length > 0 && lines[lines.length - 1].address > address) sorted = false;
      lines.push({ address, length: e.length, file: normalized(e.location.file), line: e.location.line });
    }
    this.lines = sorted ? lines : lines.sort((a, b) => a.address - b.address);
  }

  /** The path form used for comparisons (absolute, normalised by the launcher). */
  normalize(p: string): string {
    return this.normalizePath(p);
  }

  /** Exact name first, then case-insensitive. */
  lookup(name: string): LinearSymbol | undefined {
    return this.byName.get(name) ?? this.byNameLower.get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.byName.keys()];
  }

  /** Data labels (watchable), in address order. */
  dataSymbols(): LinearSymbol[] {
    return this.sorted.filter((s) => s.kind === 'data');
  }

  codeSymbols(): LinearSymbol[] {
    return this.sorted.filter((s) => s.kind === 'code');
  }

  /** The nearest label at or below an address (code labels preferred for code addresses). */
  labelFor(address: number, kind?: 'code' | 'data'): LinearSymbol | undefined {
    let lo = 0;
    let hi = this.sorted.length - 1;
    let best = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.sorted[mid].linear <= address) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    for (let i = best; i >= 0; i--) {
      const s = this.sorted[i];
      if (kind === undefined || s.kind === kind) return s;
    }
    return undefined;
  }

  /** "label" or "label+0x12" for an address, or undefined when no label precedes it. */
  describe(address: number, kind?: 'code' | 'data'): string | undefined {
    const s = this.labelFor(address, kind);
    if (!s) return undefined;
    if (kind === 'data' && s.size > 0 && address >= s.linear + s.size) return undefined;
    const off = address - s.linear;
    return off === 0 ? s.name : `${s.name}+0x${off.toString(16)}`;
  }

  /** The data symbol whose bytes contain an address. */
  dataAt(address: number): LinearSymbol | undefined {
    const s = this.labelFor(address, 'data');
    if (!s) return undefined;
    const size = Math.max(s.size, 1);
    return address < s.linear + size ? s : undefined;
  }

  /** The line entry containing an address. */
  lineAt(address: number): LineEntry | undefined {
    let lo = 0;
    let hi = this.lines.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.lines[mid];
      if (address < e.address) hi = mid - 1;
      else if (address >= e.address + Math.max(e.length, 1)) lo = mid + 1;
      else return e;
    }
    return undefined;
  }

  /** Is an address the first byte of some source line's instruction? */
  isLineStart(address: number): boolean {
    const e = this.lineAt(address);
    return e !== undefined && e.address === address;
  }

  /** Lines of a file that have instructions, sorted, each with its lowest address (computed once per file). */
  instructionLines(file: string): { line: number; address: number }[] {
    const f = this.normalizePath(file);
    const cached = this.linesByFile.get(f);
    if (cached) return cached;
    const best = new Map<number, number>();
    for (const e of this.lines) {
      if (e.file !== f) continue;
      const cur = best.get(e.line);
      if (cur === undefined || e.address < cur) best.set(e.line, e.address);
    }
    const list = [...best.entries()].map(([line, address]) => ({ line, address })).sort((a, b) => a.line - b.line);
    this.linesByFile.set(f, list);
    return list;
  }

  /** A source line → the first instruction at or after it in the same file (binary search). */
  resolveLine(file: string, line: number): { line: number; address: number } | undefined {
    const list = this.instructionLines(file);
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid].line < line) lo = mid + 1;
      else hi = mid;
    }
    return list[lo];
  }

  /** Files that have line information. */
  files(): string[] {
    return [...new Set(this.lines.map((l) => l.file))];
  }
}
