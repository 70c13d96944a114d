// The initial stack of a Linux process as the kernel builds it (fs/binfmt_elf.c create_elf_tables):
// from the stack pointer up: argc, argv[], NULL, envp[], NULL, auxv pairs ending in AT_NULL; the
// strings, AT_RANDOM's 16 bytes and the platform name above them; the stack pointer 16-byte aligned.
// Imports nothing; the caller writes the returned bytes at the returned address.

/** Auxiliary vector keys we provide (include/uapi/linux/auxvec.h). */
export const AT_NULL = 0;
export const AT_PAGESZ = 6;
export const AT_ENTRY = 9;
export const AT_UID = 11;
export const AT_EUID = 12;
export const AT_GID = 13;
export const AT_EGID = 14;
export const AT_PLATFORM = 15;
export const AT_HWCAP = 16;
export const AT_CLKTCK = 17;
export const AT_SECURE = 23;
export const AT_RANDOM = 25;
export const AT_EXECFN = 31;

export interface InitialStackInput {
  /** 8 for the 64-bit ABI, 4 for i386. */
  wordSize: 4 | 8;
  /** Highest address (exclusive) the block may use. */
  top: number;
  argv: readonly string[];
  envp: readonly string[];
  entry: number;
  uid: number;
  gid: number;
  /** 16 bytes for AT_RANDOM. */
  random: Uint8Array;
}

export interface InitialStack {
  /** The stack pointer at _start (address of argc). */
  sp: number;
  /** Bytes to write at `sp` (everything up to `top`). */
  bytes: Uint8Array;
}

/** Lay out argc/argv/envp/auxv and their strings below `top`. */
export function buildInitialStack(input: InitialStackInput): InitialStack {
  const enc = new TextEncoder();
  const w = input.wordSize;
  let cursor = input.top - w;                 // a zero word at the very top, as the kernel leaves
  const strings: Array<{ at: number; bytes: Uint8Array }> = [];
  const place = (bytes: Uint8Array): number => {
    cursor -= bytes.length;
    strings.push({ at: cursor, bytes });
    return cursor;
  };
  const cstr = (s: string): Uint8Array => {
    const b = enc.encode(s);
    const out = new Uint8Array(b.length + 1);
    out.set(b);
    return out;
  };
  const execfn = place(cstr(input.argv[0] ?? ''));
  const envAddrs = input.envp.map((s) => place(cstr(s)));
  const argAddrs = input.argv.map((s) => place(cstr(s)));
  const platform = place(cstr(w === 8 ? 'x86_64' : 'i686'));
  cursor = Math.floor(cursor / 16) * 16;
  const random = place(input.random.subarray(0, 16));
  const auxv: Array<[number, number]> = [
    [AT_HWCAP, 0], [AT_PAGESZ, 4096], [AT_CLKTCK, 100], [AT_ENTRY, input.entry],
    [AT_UID, input.uid], [AT_EUID, input.uid], [AT_GID, input.gid], [AT_EGID, input.gid],
    [AT_SECURE, 0], [AT_RANDOM, random], [AT_EXECFN, execfn], [AT_PLATFORM, platform], [AT_NULL, 0],
  ];
  const words: number[] = [input.argv.length, ...argAddrs, 0, ...envAddrs, 0];
  for (const [k, v] of auxv) words.push(k, v);
  let sp = Math.floor((cursor - words.length * w) / 16) * 16;
  if (sp < 0) sp = 0;
  const bytes = new Uint8Array(input.top - sp);
  const view = new DataView(bytes.buffer);
  words.forEach((v, i) => {
    if (w === 8) {
      view.setUint32(i * 8, v % 4294967296, true);
      view.setUint32(i * 8 + 4, Math.floor(v / 4294967296), true);
    } else view.setUint32(i * 4, v >>> 0, true);
  });
  for (const s of strings) bytes.set(s.bytes, s.at - sp);
  return { sp, bytes };
}
