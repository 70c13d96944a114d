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

function byLinear(a: LinearSymbol, b: LinearSymbol): number {
  return a.linear - b.linear;
}

function byAddress(a: LineEntry, b: LineEntry): number {
  return a.address - b.address;
}

/** The program's symbols and lines at linear addresses: name lookups, nearest labels, line ↔ address. */
export class SymbolIndex {
  /** Name → symbol, exact and lower-case: built on the first name lookup (a launch needs none). */
  private byName: Map<string, LinearSymbol> | null = null;
  private byNameLower: Map<string, LinearSymbol> | null = null;
  /** Every symbol at its linear address, in the program's order. */
  private readonly all: LinearSymbol[];
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
    // Built at launch for thousands of labels and lines: plain loops, one object shape, sorted only when out of order.
    const symbols = program.symbols;
    this.all = new Array<LinearSymbol>(symbols.length);
    const sorted: LinearSymbol[] = [];
    let inOrder = true;
    for (let i = 0; i < symbols.length; i++) {
      const s = symbols[i];
      const linear = s.kind === 'constant' ? s.address : s.address + bias;
      const ls: LinearSymbol = { name: s.name, address: s.address, kind: s.kind, size: s.size, elementSize: s.elementSize, section: s.section, global: s.global, location: s.location, linear };
      this.all[i] = ls;
      if (s.kind === 'constant') continue;
      if (sorted.length > 0 && sorted[sorted.length - 1].linear > linear) inOrder = false;
      sorted.push(ls);
    }
    this.sorted = inOrder ? sorted : sorted.sort(byLinear);
    // One normalised path per distinct file (a 10,000-line source has one file and 10,000 entries).
    const lines: LineEntry[] = [];
    let inAddressOrder = true;
    let lastFile: string | null = null;
    let lastPath = '';
    const lineMap = program.lineMap as LineMapEntry[];
    for (let i = 0; i < lineMap.length; i++) {
      const e = lineMap[i];
      if (!e.isInstruction) continue;
      const address = e.address + bias;
      if (lines.length > 0 && lines[lines.length - 1].address > address) inAddressOrder = false;
      const file = e.location.file;
      if (file !== lastFile) {
        lastFile = file;
        lastPath = normalizePath(file);
      }
      lines.push({ address, length: e.length, file: lastPath, line: e.location.line });
    }
    this.lines = inAddressOrder ? lines : lines.sort(byAddress);
  }

  /** Builds the name maps (first occurrence of a name wins). */
  private nameMaps(): { byName: Map<string, LinearSymbol>; byNameLower: Map<string, LinearSymbol> } {
    if (this.byName === null || this.byNameLower === null) {
      const byName = new Map<string, LinearSymbol>();
      const byNameLower = new Map<string, LinearSymbol>();
      for (const s of this.all) {
        if (!byName.has(s.name)) byName.set(s.name, s);
        const lower = s.name.toLowerCase();
        if (!byNameLower.has(lower)) byNameLower.set(lower, s);
      }
      this.byName = byName;
      this.byNameLower = byNameLower;
    }
    return { byName: this.byName, byNameLower: this.byNameLower };
  }

  /** The path form used for comparisons (absolute, normalised by the launcher). */
  normalize(p: string): string {
    return this.normalizePath(p);
  }

  /** Exact name first, then case-insensitive. */
  lookup(name: string): LinearSymbol | undefined {
    const maps = this.nameMaps();
    return maps.byName.get(name) ?? maps.byNameLower.get(name.toLowerCase());
  }

  names(): string[] {
    return [...this.nameMaps().byName.keys()];
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
