// Loaders for the formats that carry no headers: a flat binary (placed at an origin, in a given
// mode), a DOS .COM program (offset 100h of its segment, 16-bit, environment dos) and a BIOS boot
// image (0000:7C00, 16-bit, environment boot, 55AAh signature). Imports ./program (types) only.
import type { Bits, Environment, Program } from './program';

/** A loader's answer: a Program, or a message saying why the bytes cannot be one. */
export type LoadResult = { ok: true; program: Program; warnings: string[] } | { ok: false; message: string };

/** Where a flat binary goes and how it runs. */
export interface FlatBinaryOptions {
  /** Load address of the first byte (nasm's ORG); default 0. */
  org?: number;
  /** Code size; default 16, as `nasm -f bin` assumes without a BITS directive. */
  bits?: Bits;
  /** Default 'bare'. */
  environment?: Environment;
  /** Entry point; default the origin. */
  entry?: number;
}

/** Offset of a .COM program in its segment (after the 256-byte PSP). */
export const COM_ORIGIN = 0x100;
/** Largest .COM program: the 64 KiB segment minus the PSP (the stack needs some of it too). */
export const COM_MAX_SIZE = 0x10000 - COM_ORIGIN;
/** Linear address the BIOS loads a boot sector to (0000:7C00). */
export const BOOT_ORIGIN = 0x7c00;
/** Size of a boot sector. */
export const BOOT_SECTOR_SIZE = 512;
/** Largest boot image accepted (the env reads further sectors of it through INT 13h). */
export const BOOT_MAX_SIZE = 1474560;

const RWX = { read: true, write: true, execute: true };

/** true when a 512-byte sector ends in the 55h AAh boot signature. */
export function hasBootSignature(bytes: Uint8Array): boolean {
  return bytes.length >= BOOT_SECTOR_SIZE && bytes[510] === 0x55 && bytes[511] === 0xaa;
}

/** A flat binary as one read/write/execute segment at `org`. Never fails. */
export function loadFlatBinary(bytes: Uint8Array, options: FlatBinaryOptions = {}, origin?: string): Program {
  const org = options.org ?? 0;
  const program: Program = {
    environment: options.environment ?? 'bare',
    bits: options.bits ?? 16,
    entry: options.entry ?? org,
    segments: [{ name: 'image', address: org, bytes: bytes.slice(), memSize: bytes.length, permissions: { ...RWX } }],
    symbols: [],
    lineMap: [],
  };
  if (origin !== undefined) program.origin = origin;
  return program;
}

/**
 * A DOS .COM program: 16-bit, environment dos, its bytes at offset 100h. Segment addresses are
 * offsets within the program's segment (the dos environment chooses the PSP segment), as the
 * assembler produces them for `org 100h`.
 */
export function loadComFile(bytes: Uint8Array, origin?: string): LoadResult {
  if (bytes.length === 0) return { ok: false, message: 'the .COM file is empty' };
  if (bytes.length > COM_MAX_SIZE) return { ok: false, message: `a .COM program is at most ${COM_MAX_SIZE} bytes (64 KiB minus the 256-byte PSP); this one is ${bytes.length}` };
  const program = loadFlatBinary(bytes, { org: COM_ORIGIN, bits: 16, environment: 'dos' }, origin);
  program.segments[0].name = 'com';
  return { ok: true, program, warnings: [] };
}

/**
 * A boot image: 16-bit, environment boot, loaded at linear 7C00h. The whole image becomes one
 * segment (the first 512 bytes are the boot sector; the boot environment serves later sectors
 * to INT 13h from the same bytes).
 */
export function loadBootImage(bytes: Uint8Array, origin?: string): LoadResult {
  if (bytes.length < BOOT_SECTOR_SIZE) return { ok: false, message: `a boot image is at least ${BOOT_SECTOR_SIZE} bytes; this one is ${bytes.length}` };
  if (!hasBootSignature(bytes)) return { ok: false, message: `no boot signature: bytes 510–511 are ${hex2(bytes[510])} ${hex2(bytes[511])}, not 55 AA` };
  if (bytes.length > BOOT_MAX_SIZE) return { ok: false, message: `a boot image is at most ${BOOT_MAX_SIZE} bytes (a 1.44 MB floppy); this one is ${bytes.length}` };
  const program = loadFlatBinary(bytes, { org: BOOT_ORIGIN, bits: 16, environment: 'boot' }, origin);
  const warnings = bytes.length % BOOT_SECTOR_SIZE === 0 ? [] : [`the image is ${bytes.length} bytes, not a whole number of 512-byte sectors`];
  return { ok: true, program, warnings };
}

function hex2(n: number): string {
  return n.toString(16).toUpperCase().padStart(2, '0');
}
