// The system calls of the linux environment, one function per call, shared by the 64-bit and 32-bit
// ABIs (argument widths differ; structures are laid out per ABI). Each returns what the call did:
// a result for RAX/EAX, the process exiting, or "wait for console input" (the instruction is retried).
// Imports the Machine type, the ABI helpers, the process state pieces and the console interface.
import type { Machine } from '../machine';
import { PAGE_SIZE, PERM_R, PERM_W, PERM_X } from '../memory';
import type { GuestConsole } from '../console';
import {
  type Abi, type SyscallName, argInt, argLong, argUnsigned, EBADF, EFAULT, EINVAL, ENOMEM, ENOTTY,
} from './linuxAbi';
import type { LinuxAddressSpace } from './linuxMemory';
import type { FileTable } from './linuxFiles';
import type { VirtualClock } from './virtualClock';

/** What a system call did. */
export type SyscallOutcome =
  | { kind: 'return'; value: number }
  | { kind: 'exit'; code: number }
  /** stdin has no data yet but more may come: end run() with {reason:'input'} and retry the call. */
  | { kind: 'wait' };

/** Process identity and the answers to uname(2). */
export interface ProcessIdentity {
  pid: number;
  ppid: number;
  uid: number;
  gid: number;
  nodename: string;
}

/** Everything a system call may touch. */
export interface SyscallContext {
  m: Machine;
  abi: Abi;
  console: GuestConsole;
  space: LinuxAddressSpace;
  files: FileTable;
  clock: VirtualClock;
  identity: ProcessIdentity;
  /** Deterministic bytes for getrandom and AT_RANDOM. */
  random(n: number): Uint8Array;
}

type Handler = (c: SyscallContext) => SyscallOutcome;

const ret = (value: number): SyscallOutcome => ({ kind: 'return', value });
const WAIT: SyscallOutcome = { kind: 'wait' };
/** Largest single transfer (keeps a bad length from allocating the host's memory). */
const MAX_IO = 1 << 24;

function readGuest(c: SyscallContext, addr: number, len: number): Uint8Array | null {
  if (len === 0) return new Uint8Array(0);
  return c.m.readMemory(addr, len);
}

function writeGuest(c: SyscallContext, addr: number, bytes: Uint8Array): boolean {
  if (bytes.length === 0) return true;
  const region = c.m.regions().find((r) => r.start <= addr && addr < r.end);
  if (!region || (region.perm & PERM_W) === 0 || addr + bytes.length > region.end) {
    // Spanning regions or read-only pages: check page by page through readMemory.
    if (c.m.readMemory(addr, bytes.length) === null) return false;
  }
  return c.m.writeMemory(addr, bytes);
}

/** A NUL-terminated string from guest memory (at most 4096 bytes), or null when unmapped. */
function readCString(c: SyscallContext, addr: number): string | null {
  const out: number[] = [];
  for (let i = 0; i < 4096; i++) {
    const b = c.m.readMemory(addr + i, 1);
    if (b === null) return null;
    if (b[0] === 0) return new TextDecoder().decode(Uint8Array.from(out));
    out.push(b[0]);
  }
  return null;
}

function le(bytes: Uint8Array, offset: number, value: number, size: 4 | 8): void {
  let v = value;
  for (let i = 0; i < size; i++) {
    bytes[offset + i] = ((v % 256) + 256) % 256;
    v = Math.floor(v / 256);
  }
}

function readWord(c: SyscallContext, addr: number): number | null {
  const size = c.abi === 64 ? 8 : 4;
  const b = c.m.readMemory(addr, size);
  if (b === null) return null;
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + b[i];
  return v;
}

/** read(fd) into guest memory; console input may be 'wait'. */
function readInto(c: SyscallContext, fd: number, addr: number, len: number): SyscallOutcome {
  const d = c.files.get(fd);
  if (!d || d.kind === 'stdout' || d.kind === 'stderr') return ret(-EBADF);
  const n = Math.min(len, MAX_IO);
  if (n === 0) return ret(0);
  if (c.m.readMemory(addr, n) === null) return ret(-EFAULT);
  let bytes: Uint8Array;
  if (d.kind === 'stdin') {
    const r = c.console.read(n);
    if (r === 'wait') return WAIT;
    bytes = r;
  } else {
    bytes = d.data.subarray(d.position, Math.min(d.data.length, d.position + n));
    d.position += bytes.length;
  }
  if (!writeGuest(c, addr, bytes)) return ret(-EFAULT);
  return ret(bytes.length);
}

function writeFrom(c: SyscallContext, fd: number, addr: number, len: number): SyscallOutcome {
  const d = c.files.get(fd);
  if (!d || d.kind === 'stdin' || d.kind === 'file') return ret(-EBADF);
  const n = Math.min(len, MAX_IO);
  const bytes = readGuest(c, addr, n);
  if (bytes === null) return ret(-EFAULT);
  if (n > 0) c.console.write(d.kind, bytes);
  return ret(n);
}

/** The iovec array of readv/writev: [base, len] pairs of the ABI's word size. */
function iovecs(c: SyscallContext, addr: number, count: number): Array<[number, number]> | null {
  if (count < 0 || count > 1024) return null;
  const word = c.abi === 64 ? 8 : 4;
  const out: Array<[number, number]> = [];
  for (let i = 0; i < count; i++) {
    const base = readWord(c, addr + i * 2 * word);
    const len = readWord(c, addr + i * 2 * word + word);
    if (base === null || len === null) return null;
    out.push([base, len]);
  }
  return out;
}

const sysRead: Handler = (c) => readInto(c, argInt(c.m, c.abi, 0), argUnsigned(c.m, c.abi, 1), argUnsigned(c.m, c.abi, 2));
const sysWrite: Handler = (c) => writeFrom(c, argInt(c.m, c.abi, 0), argUnsigned(c.m, c.abi, 1), argUnsigned(c.m, c.abi, 2));

const sysReadv: Handler = (c) => {
  const fd = argInt(c.m, c.abi, 0);
  const vec = iovecs(c, argUnsigned(c.m, c.abi, 1), argInt(c.m, c.abi, 2));
  if (vec === null) return ret(-EINVAL);
  let total = 0;
  for (const [base, len] of vec) {
    if (len === 0) continue;
    const r = readInto(c, fd, base, len);
    if (r.kind === 'wait') return total > 0 ? ret(total) : WAIT;
    if (r.kind !== 'return' || r.value < 0) return total > 0 ? ret(total) : r;
    total += r.value;
    if (r.value < len) break;
  }
  return ret(total);
};

const sysWritev: Handler = (c) => {
  const fd = argInt(c.m, c.abi, 0);
  const vec = iovecs(c, argUnsigned(c.m, c.abi, 1), argInt(c.m, c.abi, 2));
  if (vec === null) return ret(-EINVAL);
  let total = 0;
  for (const [base, len] of vec) {
    const r = writeFrom(c, fd, base, len);
    if (r.kind !== 'return' || r.value < 0) return total > 0 ? ret(total) : r;
    total += r.value;
  }
  return ret(total);
};

const sysOpen: Handler = (c) => {
  const path = readCString(c, argUnsigned(c.m, c.abi, 0));
  return ret(path === null ? -EFAULT : c.files.open(path, argInt(c.m, c.abi, 1)));
};
const sysOpenat: Handler = (c) => {
  const path = readCString(c, argUnsigned(c.m, c.abi, 1));
  return ret(path === null ? -EFAULT : c.files.open(path, argInt(c.m, c.abi, 2)));
};
const sysClose: Handler = (c) => ret(c.files.close(argInt(c.m, c.abi, 0)));
const sysLseek: Handler = (c) => ret(c.files.seek(argInt(c.m, c.abi, 0), argLong(c.m, c.abi, 1), argInt(c.m, c.abi, 2)));

const sysExit: Handler = (c) => ({ kind: 'exit', code: argInt(c.m, c.abi, 0) & 0xff });
const sysBrk: Handler = (c) => ret(c.space.setBrk(argUnsigned(c.m, c.abi, 0)));

const PROT_MASK = PERM_R | PERM_W | PERM_X;
const MAP_FIXED = 0x10;
const MAP_ANONYMOUS = 0x20;

function doMmap(c: SyscallContext, addr: number, len: number, prot: number, flags: number, fd: number, offset: number): SyscallOutcome {
  if (len === 0 || len > 2 ** 40 || (prot & ~7) !== 0 || (flags & 3) === 0) return ret(-EINVAL);
  if (offset % PAGE_SIZE !== 0) return ret(-EINVAL);
  let data: Uint8Array | null = null;
  if ((flags & MAP_ANONYMOUS) === 0) {
    const d = c.files.get(fd);
    if (!d || d.kind !== 'file') return ret(-EBADF);
    if ((flags & 3) !== 2 && (prot & PERM_W) !== 0) return ret(-EACCES_FOR_SHARED);
    data = d.data.subarray(Math.min(offset, d.data.length), Math.min(offset + len, d.data.length));
  }
  const size = Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  let at: number | null;
  if ((flags & MAP_FIXED) !== 0) {
    if (addr % PAGE_SIZE !== 0) return ret(-EINVAL);
    c.m.unmap(addr, size);
    at = addr;
  } else {
    at = c.space.findFree(size, addr - (addr % PAGE_SIZE));
  }
  if (at === null) return ret(-ENOMEM);
  const r = c.m.map(at, size, prot & PROT_MASK, data ? 'file' : 'mmap');
  if (!r.ok) return ret(-ENOMEM);
  if (data && data.length > 0) c.m.writeMemory(at, data);
  return ret(at);
}
/** EACCES: a shared writable mapping of a read-only file. */
const EACCES_FOR_SHARED = 13;

const sysMmap: Handler = (c) =>
  doMmap(c, argUnsigned(c.m, c.abi, 0), argUnsigned(c.m, c.abi, 1), argInt(c.m, c.abi, 2), argInt(c.m, c.abi, 3), argInt(c.m, c.abi, 4), argUnsigned(c.m, c.abi, 5));
/** mmap2: the offset is in 4096-byte units. */
const sysMmap2: Handler = (c) =>
  doMmap(c, argUnsigned(c.m, c.abi, 0), argUnsigned(c.m, c.abi, 1), argInt(c.m, c.abi, 2), argInt(c.m, c.abi, 3), argInt(c.m, c.abi, 4), argUnsigned(c.m, c.abi, 5) * PAGE_SIZE);
/** i386 old_mmap: one pointer to six dwords. */
const sysOldMmap: Handler = (c) => {
  const b = c.m.readMemory(argUnsigned(c.m, c.abi, 0), 24);
  if (b === null) return ret(-EFAULT);
  const v = new DataView(b.buffer, b.byteOffset, 24);
  return doMmap(c, v.getUint32(0, true), v.getUint32(4, true), v.getInt32(8, true), v.getInt32(12, true), v.getInt32(16, true), v.getUint32(20, true));
};

const sysMunmap: Handler = (c) => {
  const addr = argUnsigned(c.m, c.abi, 0);
  const len = argUnsigned(c.m, c.abi, 1);
  if (addr % PAGE_SIZE !== 0 || len === 0) return ret(-EINVAL);
  c.m.unmap(addr, len);
  return ret(0);
};

const sysMprotect: Handler = (c) => {
  const addr = argUnsigned(c.m, c.abi, 0);
  const len = argUnsigned(c.m, c.abi, 1);
  const prot = argInt(c.m, c.abi, 2);
  if (addr % PAGE_SIZE !== 0 || (prot & ~7) !== 0) return ret(-EINVAL);
  if (len === 0) return ret(0);
  return ret(c.m.protect(addr, len, prot & PROT_MASK).ok ? 0 : -ENOMEM);
};

const sysUname: Handler = (c) => {
  const fields = ['Linux', c.identity.nodename, '6.1.0-x86dbg', '#1 SMP x86dbg virtual machine', c.abi === 64 ? 'x86_64' : 'i686', '(none)'];
  const bytes = new Uint8Array(65 * 6);
  const enc = new TextEncoder();
  fields.forEach((f, i) => bytes.set(enc.encode(f).subarray(0, 64), i * 65));
  return ret(writeGuest(c, argUnsigned(c.m, c.abi, 0), bytes) ? 0 : -EFAULT);
};

/** struct timespec / timeval: two longs of the ABI (or two 64-bit fields for clock_gettime64). */
function putTimePair(c: SyscallContext, addr: number, a: number, b: number, wide: boolean): SyscallOutcome {
  const size = wide || c.abi === 64 ? 8 : 4;
  const bytes = new Uint8Array(size * 2);
  le(bytes, 0, a, size);
  le(bytes, size, b, size);
  return ret(writeGuest(c, addr, bytes) ? 0 : -EFAULT);
}

function clockGettime(c: SyscallContext, wide: boolean): SyscallOutcome {
  const id = argInt(c.m, c.abi, 0);
  const addr = argUnsigned(c.m, c.abi, 1);
  if (id < 0 || id > 11) return ret(-EINVAL);
  if (id === 0 || id === 5 || id === 8 || id === 11) {
    const w = c.clock.wall();
    return putTimePair(c, addr, w.seconds, w.nanoseconds, wide);
  }
  const ns = c.clock.monotonicNs();
  return putTimePair(c, addr, Math.floor(ns / 1e9), ns % 1e9, wide);
}

const sysGettimeofday: Handler = (c) => {
  const addr = argUnsigned(c.m, c.abi, 0);
  if (addr === 0) return ret(0);
  const w = c.clock.wall();
  return putTimePair(c, addr, w.seconds, Math.floor(w.nanoseconds / 1000), false);
};

const sysTime: Handler = (c) => {
  const t = c.clock.wall().seconds;
  const addr = argUnsigned(c.m, c.abi, 0);
  if (addr !== 0) {
    const bytes = new Uint8Array(c.abi === 64 ? 8 : 4);
    le(bytes, 0, t, c.abi === 64 ? 8 : 4);
    if (!writeGuest(c, addr, bytes)) return ret(-EFAULT);
  }
  return ret(t);
};

const sysNanosleep: Handler = (c) => {
  const size = c.abi === 64 ? 8 : 4;
  const b = c.m.readMemory(argUnsigned(c.m, c.abi, 0), size * 2);
  if (b === null) return ret(-EFAULT);
  const v = new DataView(b.buffer, b.byteOffset, size * 2);
  const sec = size === 8 ? Number(v.getBigInt64(0, true)) : v.getInt32(0, true);
  const nsec = size === 8 ? Number(v.getBigInt64(8, true)) : v.getInt32(4, true);
  if (sec < 0 || nsec < 0 || nsec >= 1e9) return ret(-EINVAL);
  c.clock.sleep(sec * 1e9 + nsec);
  return ret(0);
};

const ARCH_SET_GS = 0x1001;
const ARCH_SET_FS = 0x1002;
const ARCH_GET_FS = 0x1003;
const ARCH_GET_GS = 0x1004;
const FS_SEG = 4;
const GS_SEG = 5;

const sysArchPrctl: Handler = (c) => {
  const code = argInt(c.m, c.abi, 0);
  const addr = argUnsigned(c.m, c.abi, 1);
  if (code === ARCH_SET_FS || code === ARCH_SET_GS) {
    if (addr >= 2 ** 47) return ret(-EPERM_BAD_BASE);
    c.m.segBase[code === ARCH_SET_FS ? FS_SEG : GS_SEG] = addr;
    return ret(0);
  }
  if (code === ARCH_GET_FS || code === ARCH_GET_GS) {
    const bytes = new Uint8Array(8);
    le(bytes, 0, c.m.segBase[code === ARCH_GET_FS ? FS_SEG : GS_SEG], 8);
    return ret(writeGuest(c, addr, bytes) ? 0 : -EFAULT);
  }
  return ret(-EINVAL);
};
/** EPERM: arch_prctl with a non-canonical base. */
const EPERM_BAD_BASE = 1;

const sysGetrandom: Handler = (c) => {
  const len = Math.min(argUnsigned(c.m, c.abi, 1), 1 << 20);
  return ret(writeGuest(c, argUnsigned(c.m, c.abi, 0), c.random(len)) ? len : -EFAULT);
};

/** Every ioctl answers "not a tty" (TCGETS on the console included): the guest sees a pipe. */
const sysIoctl: Handler = (c) => ret(c.files.get(argInt(c.m, c.abi, 0)) ? -ENOTTY : -EBADF);

/** The implementation of every supported call. */
export const SYSCALL_HANDLERS: Readonly<Record<SyscallName, Handler>> = {
  read: sysRead, write: sysWrite, readv: sysReadv, writev: sysWritev, open: sysOpen, openat: sysOpenat,
  close: sysClose, lseek: sysLseek, exit: sysExit, exit_group: sysExit, brk: sysBrk, mmap: sysMmap,
  mmap2: sysMmap2, old_mmap: sysOldMmap, munmap: sysMunmap, mprotect: sysMprotect,
  getpid: (c) => ret(c.identity.pid), getppid: (c) => ret(c.identity.ppid),
  getuid: (c) => ret(c.identity.uid), geteuid: (c) => ret(c.identity.uid),
  getgid: (c) => ret(c.identity.gid), getegid: (c) => ret(c.identity.gid),
  uname: sysUname, clock_gettime: (c) => clockGettime(c, false), clock_gettime64: (c) => clockGettime(c, true),
  gettimeofday: sysGettimeofday, time: sysTime, nanosleep: sysNanosleep, arch_prctl: sysArchPrctl,
  set_tid_address: (c) => ret(c.identity.pid), getrandom: sysGetrandom, ioctl: sysIoctl,
};
