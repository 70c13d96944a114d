// The Program: what the assembler and every loader (flat, .COM, boot image, ELF) produce, and what
// the emulator's environments load and the adapter maps breakpoints through. Pure data, no Node.
// Imports nothing of ours.

/** Where a piece of source lives: 1-based line, 1-based column (UTF-16 units). */
export interface SourceLocation {
  /** Absolute path of the file, or the name the caller gave the source. */
  file: string;
  line: number;
  column?: number;
}

/** Memory permissions of a segment as the loader maps it. */
export interface Permissions {
  read: boolean;
  write: boolean;
  execute: boolean;
}

/** A contiguous block of the image placed at a fixed address. */
export interface Segment {
  /** Section or program-header name (".text", ".data", ".bss", "LOAD0", "image"). */
  name: string;
  /** Load address: linear for flat/ELF; for .COM and boot images the linear address (e.g. 0x7C00). */
  address: number;
  /** Initialised bytes; memSize may be larger (zero fill, like .bss or ELF p_memsz > p_filesz). */
  bytes: Uint8Array;
  memSize: number;
  permissions: Permissions;
}

/** What a symbol names; 'data' symbols can be watched with data breakpoints. */
export type SymbolKind = 'code' | 'data' | 'constant' | 'unknown';

export interface ProgramSymbol {
  name: string;
  /** Address (or value for EQU constants). May exceed 2^53 only in theory; numbers are used. */
  address: number;
  kind: SymbolKind;
  /** Bytes the defining directive emitted (db "abc",0 → 4; times 10 dd 0 → 40); 0 when unknown. */
  size: number;
  /** Element size of the defining data directive (db 1, dw 2, dd 4, dq 8, dt 10); 0 when unknown. */
  elementSize: number;
  /** Section the symbol was defined in, when known. */
  section?: string;
  /** true for labels that are global (GLOBAL directive, ELF STB_GLOBAL). */
  global?: boolean;
  /** Where it was defined, when the program came from source or has debug info. */
  location?: SourceLocation;
}

/** One entry of the line map: the bytes [address, address+length) came from `location`. */
export interface LineMapEntry {
  address: number;
  length: number;
  location: SourceLocation;
  /** true when the bytes are an instruction (false for data directives). */
  isInstruction: boolean;
}

/** Operating environment a program expects. */
export type Environment = 'linux' | 'dos' | 'boot' | 'bare';
export type Bits = 16 | 32 | 64;

export interface Program {
  /** Environment and mode inferred by the assembler or loader; undefined when unknown. */
  environment?: Environment;
  bits: Bits;
  /** Linear entry point. */
  entry: number;
  segments: Segment[];
  symbols: ProgramSymbol[];
  /** Sorted by address. Empty when the program has no line information. */
  lineMap: LineMapEntry[];
  /** The file the program came from (source or binary), when known. */
  origin?: string;
}
