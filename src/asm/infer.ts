// Infers how a source program expects to run before it is assembled: the output layout (flat
// binary vs Linux ELF placement), the default BITS, and the environment (linux: `_start` with
// syscall / int 0x80; dos: org 100h or int 21h; boot: org 7C00h). Imports only ./statements types.
import type { Statement } from './statements';
import type { Bits, Environment } from './program';
import type { OutputFormat } from './layout';

/** What a first look at the statements tells. */
export interface SourceTraits {
  org?: bigint;
  firstBits?: number;
  hasStart: boolean;
  hasSections: boolean;
  usesSyscall: boolean;
  usesInt80: boolean;
  usesInt21: boolean;
  usesBios: boolean;
  uses64BitRegs: boolean;
}

const REG64 = new Set(['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rsp', 'rbp', 'spl', 'bpl', 'sil', 'dil']);
for (let n = 8; n <= 15; n++) for (const suffix of ['', 'd', 'w', 'b']) REG64.add(`r${n}${suffix}`);

function constOf(e: unknown): bigint | undefined {
  const x = e as { k?: string; v?: bigint };
  return x && x.k === 'num' ? x.v : undefined;
}

/** Traits of a source with nothing seen yet. */
export function emptyTraits(): SourceTraits {
  return { hasStart: false, hasSections: false, usesSyscall: false, usesInt80: false, usesInt21: false, usesBios: false, uses64BitRegs: false };
}

/** Scans parsed statements for the traits inference needs. */
export function scanTraits(stmts: readonly Statement[]): SourceTraits {
  const t = emptyTraits();
  for (const s of stmts) scanStatement(t, s);
  return t;
}

/** Adds what one statement tells to `t` (statements are scanned in source order, as parsed). */
export function scanStatement(t: SourceTraits, s: Statement): void {
  if (s.label?.name === '_start') t.hasStart = true;
  const b = s.body;
  switch (b.k) {
    case 'org':
      t.org ??= constOf(b.addr);
      break;
    case 'bits':
      if (t.firstBits === undefined) {
        const v = constOf(b.bits);
        if (v !== undefined) t.firstBits = Number(v);
      }
      break;
    case 'section':
      t.hasSections = true;
      break;
    case 'global':
      if (b.names.some((n) => n.text === '_start')) t.hasStart = true;
      break;
    case 'insn': {
      if (b.mnemonic === 'syscall') t.usesSyscall = true;
      if (b.mnemonic === 'int' && b.operands[0]?.kind === 'imm') {
        const v = constOf(b.operands[0].expr);
        if (v === 0x80n) t.usesInt80 = true;
        else if (v === 0x21n) t.usesInt21 = true;
        else if (v === 0x10n || v === 0x13n || v === 0x16n || v === 0x15n || v === 0x1an) t.usesBios = true;
      }
      for (const o of b.operands) {
        if (o.kind === 'reg' && REG64.has(o.reg)) t.uses64BitRegs = true;
      }
      break;
    }
  }
}

/** The layout to use when the caller did not name a format. */
export function inferFormat(t: SourceTraits): OutputFormat {
  if (t.org !== undefined) return t.org === 0x100n ? 'com' : 'bin';
  const linux = t.hasStart || t.usesSyscall || t.usesInt80;
  if (!linux && !t.hasSections) return t.usesInt21 ? 'com' : 'bin';
  if (t.firstBits === 32) return 'elf32';
  if (t.firstBits === 64) return 'elf64';
  if (t.usesInt80 && !t.usesSyscall && !t.uses64BitRegs) return 'elf32';
  return t.firstBits === 16 ? 'bin' : 'elf64';
}

/** BITS in effect at the start of the source for a format (nasm's defaults). */
export function defaultBits(format: OutputFormat): Bits {
  return format === 'elf64' ? 64 : format === 'elf32' ? 32 : 16;
}

/** The environment the program talks to. */
export function inferEnvironment(t: SourceTraits, format: OutputFormat): Environment {
  if (format === 'elf32' || format === 'elf64') return 'linux';
  if (t.org === 0x7c00n || t.usesBios) return 'boot';
  if (format === 'com' || t.org === 0x100n || t.usesInt21) return 'dos';
  if (t.usesSyscall || t.usesInt80) return 'linux';
  return 'bare';
}
