// Writers for the header-less formats: a flat binary (every initialised byte from the origin on,
// gaps zero-filled, as `nasm -f bin` lays out sections) and a DOS .COM file (a flat binary from
// offset 100h, at most 65280 bytes). Imports ./program (types) only.
import type { Program } from './program';

/** A writer's answer: the file's bytes, or why the program cannot be written in that format. */
export type WriteResult = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/** Largest flat image we will allocate (segments further apart than this are an error). */
export const FLAT_MAX_SIZE = 64 * 1024 * 1024;

function hex(n: number): string {
  return `0x${n.toString(16)}`;
}

/**
 * Lays the program's initialised bytes out from `org` (default: the lowest segment address).
 * Uninitialised tails (memSize beyond bytes, like .bss) are not written.
 */
export function writeFlatBinary(program: Program, options: { org?: number } = {}): WriteResult {
  const segs = program.segments.filter((s) => s.bytes.length > 0).sort((a, b) => a.address - b.address);
  if (segs.length === 0) return { ok: true, bytes: new Uint8Array(0) };
  const org = options.org ?? segs[0].address;
  if (segs[0].address < org) return { ok: false, message: `segment ${segs[0].name} at ${hex(segs[0].address)} lies below the origin ${hex(org)}` };
  let end = org;
  for (let i = 0; i < segs.length; i++) {
    const s = segs[i];
    if (i > 0 && s.address < segs[i - 1].address + segs[i - 1].bytes.length) {
      return { ok: false, message: `segments ${segs[i - 1].name} and ${s.name} overlap at ${hex(s.address)}` };
    }
    end = Math.max(end, s.address + s.bytes.length);
  }
  if (end - org > FLAT_MAX_SIZE) return { ok: false, message: `the segments span ${end - org} bytes (${hex(org)}..${hex(end)}); a flat binary of more than ${FLAT_MAX_SIZE} bytes is not written` };
  const out = new Uint8Array(end - org);
  for (const s of segs) out.set(s.bytes, s.address - org);
  return { ok: true, bytes: out };
}

/** A DOS .COM file: the program's bytes from offset 100h; nothing may lie below 100h or past FFFFh. */
export function writeComFile(program: Program): WriteResult {
  const r = writeFlatBinary(program, { org: 0x100 });
  if (!r.ok) return { ok: false, message: `${r.message} (a .COM program starts at 100h: use org 100h)` };
  if (r.bytes.length > 0x10000 - 0x100) return { ok: false, message: `the program is ${r.bytes.length} bytes; a .COM program is at most 65280 bytes (64 KiB minus the PSP)` };
  return r;
}
