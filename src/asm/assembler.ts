// The assembler's public entry: NASM source → Program (segments, entry, symbols with sizes, line
// map), diagnostics and a listing. Runs preprocessor → parser → pass engine → layout, infers the
// format/bits/environment when the caller does not say. Never throws: any internal failure becomes
// a diagnostic. Imports only src/asm modules (and src/isa through them); no Node built-ins.
import { DiagnosticSink, type Diagnostic } from './diagnostics';
import { preprocessStreaming } from './preprocessor';
import { LineParser } from './parser';
import { PassEngine, symbolAddress, type SectionState } from './passEngine';
import { isMnemonic, isPrefix, isRegister } from './isaBridge';
import { emptyTraits, scanStatement, inferFormat, defaultBits, inferEnvironment, type SourceTraits } from './infer';
import { EarlyEncoder } from './earlyEncoding';
import { ParsedLineCache } from './parsedLineCache';
import { Statement } from './statements';
import { buildLineMap } from './lineMapBuilder';
import type { OutputFormat } from './layout';
import type { Bits, LineMapEntry, Program, ProgramSymbol, Segment } from './program';

export type { Diagnostic } from './diagnostics';
export type { OutputFormat } from './layout';

/** How to assemble. */
export interface AssembleOptions {
  /** Absolute path of the source (or a name); diagnostics and the line map use it. */
  fileName: string;
  /** Reads %include and INCBIN files (absolute or joined paths); undefined when missing. */
  readFile?: (path: string) => Uint8Array | undefined;
  /** Section layout; inferred from the source when absent (ORG → bin/com, `_start`/syscall → elf). */
  format?: OutputFormat;
  /** Predefined single-line macros, like nasm -D NAME=VALUE. */
  defines?: Record<string, string>;
}

/** One line of the listing: the bytes a source line produced at an address. */
export interface ListingLine {
  file: string;
  line: number;
  address: number;
  bytes: Uint8Array;
  isInstruction: boolean;
}

/** A successful assembly. `image` is the flat file for bin/com (what nasm -f bin writes). */
export type AssembleResult =
  | { ok: true; program: Program; diagnostics: Diagnostic[]; listing: ListingLine[]; format: OutputFormat; image: Uint8Array }
  | { ok: false; diagnostics: Diagnostic[] };

/** Assembles NASM source. Never throws. */
export function assemble(source: string, options: AssembleOptions): AssembleResult {
  const sink = new DiagnosticSink();
  try {
    return assembleInner(source, options, sink);
  } catch (e) {
    sink.error({ file: options.fileName, line: 1, column: 1, endColumn: 2 }, `internal assembler error: ${e instanceof Error ? e.message : String(e)}`);
    return { ok: false, diagnostics: sink.finish() };
  }
}

function assembleInner(source: string, options: AssembleOptions, sink: DiagnosticSink): AssembleResult {
  // lines are parsed as the preprocessor produces them, so their tokens die young
  const parser = new LineParser({ isMnemonic, isRegister, isPrefix }, sink);
  const stmts: Statement[] = [];
  const traits = emptyTraits();
  const early = new EarlyEncoder(options.format ? defaultBits(options.format) : undefined);
  const parsed = new ParsedLineCache();
  const pre = preprocessStreaming(typeof source === 'string' ? source : '', { fileName: options.fileName, readFile: options.readFile, defines: options.defines, bits: options.format ? defaultBits(options.format) : undefined }, sink, (l) => {
    // a token array seen before: the same body again (traits were scanned the first time)
    if (l.stable) {
      const p = parsed.get(l.tokens, early.mode);
      if (p !== undefined) {
        const st = new Statement(l.file, l.line, l.fromMacro, p.labelTok !== undefined ? parser.relabel(p.labelTok) : undefined, p.times, p.timesTok, p.body, p.firstTok);
        if (p.labelTok !== undefined) scanStatement(traits, st);
        stmts.push(st);
        return;
      }
    }
    const reported = sink.reported;
    const s = parser.parse(l);
    if (!s) return;
    scanStatement(traits, s);
    early.take(s, l.tokens);
    stmts.push(s);
    if (l.stable && sink.reported === reported) parsed.offer(l.tokens, s, early.mode);
  });
  if (pre.aborted) return { ok: false, diagnostics: sink.finish() };
  const format = options.format ?? inferFormat(traits);
  const bits = defaultBits(format);
  const engine = new PassEngine(stmts, { format, bits, readFile: options.readFile });
  if (format === 'com' && traits.org === undefined) engine.org = 0x100;
  else if (traits.org !== undefined && (format === 'bin' || format === 'com')) engine.org = Number(BigInt.asUintN(64, traits.org));
  const settled = engine.run();
  for (const d of engine.sink.items) sink.add(d.severity, { file: d.file, line: d.line, column: d.column, endColumn: d.endColumn }, d.message);
  if (!settled) sink.error({ file: options.fileName, line: 1, column: 1, endColumn: 2 }, 'jump and displacement sizes did not settle after 40 passes');
  if (sink.errors > 0) return { ok: false, diagnostics: sink.finish() };
  return buildResult(engine, stmts, format, traits, options, sink);
}

function buildResult(engine: PassEngine, stmts: Statement[], format: OutputFormat, traits: SourceTraits, options: AssembleOptions, sink: DiagnosticSink): AssembleResult {
  const sections = engine.sections;
  const flat = format === 'bin' || format === 'com';
  const segments: Segment[] = [];
  let image = new Uint8Array(0);
  if (flat) {
    const prog = sections.filter((s) => !s.nobits && (s.len > 0 || s.index === 0));
    const start = Math.min(...prog.map((s) => s.base));
    const end = Math.max(start, ...prog.map((s) => s.base + s.len));
    const memEnd = Math.max(end, ...sections.map((s) => s.base + s.len));
    image = new Uint8Array(end - start);
    for (const s of prog) image.set(s.buf.subarray(0, s.len), s.base - start);
    segments.push({ name: 'image', address: start, bytes: image, memSize: memEnd - start, permissions: { read: true, write: true, execute: true } });
  } else {
    // one segment per ld program header: exec, read-only, then writable progbits + nobits together
    const groups: SectionState[][] = [[], [], []];
    for (const s of sections) {
      if (s.len === 0 && s.index !== 0) continue;
      groups[s.exec ? 0 : s.write || s.nobits ? 2 : 1].push(s);
    }
    for (const g of groups) {
      if (g.length === 0) continue;
      g.sort((a, b) => a.base - b.base);
      const start = g[0].base;
      const fileEnd = Math.max(start, ...g.filter((s) => !s.nobits).map((s) => s.base + s.len));
      const memEnd = Math.max(fileEnd, ...g.map((s) => s.base + s.len));
      const bytes = new Uint8Array(fileEnd - start);
      for (const s of g) if (!s.nobits) bytes.set(s.buf.subarray(0, s.len), s.base - start);
      const exec = g.some((s) => s.exec);
      const write = g.some((s) => s.write || s.nobits);
      segments.push({ name: g[0].name, address: start, bytes, memSize: memEnd - start, permissions: { read: true, write, execute: exec } });
    }
    segments.sort((a, b) => a.address - b.address);
  }
  const symbols: ProgramSymbol[] = [];
  for (const s of engine.symbols.values()) {
    if (s.name.startsWith('..@')) continue;
    const sect: SectionState | undefined = s.section >= 0 ? sections[s.section] : undefined;
    symbols.push({
      name: s.name,
      address: symbolAddress(s, sections),
      kind: s.kind,
      size: s.size,
      elementSize: s.elementSize,
      section: sect?.name,
      global: engine.globals.has(s.name) || undefined,
      location: { file: s.file, line: s.line, column: s.col },
    });
  }
  for (const [name, tok] of engine.globals) {
    if (!engine.symbols.has(name)) sink.warning({ file: options.fileName, line: 1, column: tok.col, endColumn: tok.end }, `GLOBAL '${name}' is never defined`);
  }
  // symbols come in definition order, often already in address order: sort only when they are not
  let inOrder = true;
  for (let i = 1; i < symbols.length && inOrder; i++) inOrder = compareSymbols(symbols[i - 1], symbols[i]) <= 0;
  if (!inOrder) symbols.sort(compareSymbols);
  const rec = engine.records;
  let lineMap: LineMapEntry[] | undefined;
  const start = engine.symbols.get('_start') ?? engine.symbols.get('..start');
  const text = sections[0];
  const entry = start && start.section >= 0 ? symbolAddress(start, sections) : flat ? Math.min(...segments.map((s) => s.address)) : text.base;
  // BITS at the entry point: the mode of the statement that produced the entry's first byte
  let entryBits: Bits = defaultBits(format);
  let entryRecord = -1;
  for (let i = 0; i < rec.count && entryRecord < 0; i++) if (rec.instruction[i] === 1 && sections[rec.section[i]].base + rec.offset[i] === entry) entryRecord = i;
  if (entryRecord >= 0) entryBits = engine.bitsAt[rec.stmt[entryRecord]] as Bits;
  else if (traits.firstBits === 16 || traits.firstBits === 32 || traits.firstBits === 64) entryBits = traits.firstBits;
  const program: Program = {
    environment: inferEnvironment(traits, format),
    bits: entryBits,
    entry,
    segments,
    symbols,
    // built when first read (the Problems panel and `x86dbg asm` never read it)
    get lineMap(): LineMapEntry[] {
      lineMap ??= buildLineMap(rec, sections, stmts);
      return lineMap;
    },
    set lineMap(entries: LineMapEntry[]) {
      lineMap = entries;
    },
    origin: options.fileName,
  };
  // the listing is built when asked for: most callers (the debugger) never read it
  let listing: ListingLine[] | undefined;
  const listingOf = (): ListingLine[] => {
    if (listing) return listing;
    listing = [];
    for (let i = 0; i < rec.count; i++) {
      const o = stmts[rec.stmt[i]].origin;
      const sec = sections[rec.section[i]];
      const off = rec.offset[i];
      listing.push({ file: o.file, line: o.line, address: sec.base + off, bytes: sec.buf.subarray(off, off + rec.length[i]), isInstruction: rec.instruction[i] === 1 });
    }
    return listing;
  };
  return {
    ok: true,
    program,
    diagnostics: sink.finish(),
    get listing() {
      return listingOf();
    },
    format,
    image,
  };
}

/** Program symbols by address, then name. */
function compareSymbols(a: ProgramSymbol, b: ProgramSymbol): number {
  return a.address - b.address || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
}
