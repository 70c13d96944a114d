// The Linux system-call ABIs the linux environment speaks: 64-bit `syscall` (RAX = number, args in
// RDI RSI RDX R10 R8 R9) and 32-bit `int 0x80` (EAX = number, args in EBX ECX EDX ESI EDI EBP), the
// number → name tables for both, errno values, and reading arguments / writing results as numbers.
// Imports only the Machine type (register file access, no allocation per call beyond the tables).
import type { Machine } from '../machine';

/** The system calls the environment implements (one name for both ABIs). */
export type SyscallName =
  | 'read' | 'write' | 'readv' | 'writev' | 'open' | 'openat' | 'close' | 'lseek'
  | 'exit' | 'exit_group' | 'brk' | 'mmap' | 'mmap2' | 'old_mmap' | 'munmap' | 'mprotect'
  | 'getpid' | 'getppid' | 'getuid' | 'geteuid' | 'getgid' | 'getegid'
  | 'uname' | 'clock_gettime' | 'clock_gettime64' | 'gettimeofday' | 'time' | 'nanosleep'
  | 'arch_prctl' | 'set_tid_address' | 'getrandom' | 'ioctl';

/** x86-64 numbers (arch/x86/entry/syscalls/syscall_64.tbl). */
export const SYSCALLS_64: ReadonlyMap<number, SyscallName> = new Map<number, SyscallName>([
  [0, 'read'], [1, 'write'], [2, 'open'], [3, 'close'], [8, 'lseek'], [9, 'mmap'], [10, 'mprotect'],
  [11, 'munmap'], [12, 'brk'], [16, 'ioctl'], [19, 'readv'], [20, 'writev'], [35, 'nanosleep'],
  [39, 'getpid'], [60, 'exit'], [63, 'uname'], [96, 'gettimeofday'], [102, 'getuid'], [104, 'getgid'],
  [107, 'geteuid'], [108, 'getegid'], [110, 'getppid'], [158, 'arch_prctl'], [201, 'time'],
  [218, 'set_tid_address'], [228, 'clock_gettime'], [231, 'exit_group'], [257, 'openat'], [318, 'getrandom'],
]);

/** i386 numbers (arch/x86/entry/syscalls/syscall_32.tbl); the 16-bit uid calls answer like the 32-bit ones. */
export const SYSCALLS_32: ReadonlyMap<number, SyscallName> = new Map<number, SyscallName>([
  [1, 'exit'], [3, 'read'], [4, 'write'], [5, 'open'], [6, 'close'], [13, 'time'], [19, 'lseek'],
  [20, 'getpid'], [24, 'getuid'], [45, 'brk'], [47, 'getgid'], [49, 'geteuid'], [50, 'getegid'],
  [54, 'ioctl'], [64, 'getppid'], [78, 'gettimeofday'], [90, 'old_mmap'], [91, 'munmap'],
  [122, 'uname'], [125, 'mprotect'], [145, 'readv'], [146, 'writev'], [162, 'nanosleep'],
  [192, 'mmap2'], [199, 'getuid'], [200, 'getgid'], [201, 'geteuid'], [202, 'getegid'],
  [252, 'exit_group'], [258, 'set_tid_address'], [265, 'clock_gettime'], [295, 'openat'],
  [355, 'getrandom'], [384, 'arch_prctl'], [403, 'clock_gettime64'],
]);

/** errno values returned negated (include/uapi/asm-generic/errno-base.h). */
export const ENOENT = 2;
export const EBADF = 9;
export const ENOMEM = 12;
export const EACCES = 13;
export const EFAULT = 14;
export const EINVAL = 22;
export const ENOTTY = 25;
export const ESPIPE = 29;
export const ENOSYS = 38;

const TWO32 = 4294967296;
const ARG_REGS_64 = [7, 6, 2, 10, 8, 9];
const ARG_REGS_32 = [3, 1, 2, 6, 7, 5];

/** Which ABI a call came through. */
export type Abi = 64 | 32;

/** Argument `i` (0-based) as an unsigned number (64-bit values above 2^53 are rounded; pointers never are). */
export function argUnsigned(m: Machine, abi: Abi, i: number): number {
  if (abi === 32) return m.regs[ARG_REGS_32[i]] >>> 0;
  const r = ARG_REGS_64[i];
  return (m.regsHi[r] >>> 0) * TWO32 + (m.regs[r] >>> 0);
}

/** Argument `i` as a signed C int (the low 32 bits: file descriptors, flags, clock ids). */
export function argInt(m: Machine, abi: Abi, i: number): number {
  return m.regs[abi === 32 ? ARG_REGS_32[i] : ARG_REGS_64[i]] | 0;
}

/** Argument `i` as a signed long (64-bit in the 64-bit ABI). */
export function argLong(m: Machine, abi: Abi, i: number): number {
  if (abi === 32) return m.regs[ARG_REGS_32[i]] | 0;
  const r = ARG_REGS_64[i];
  return m.regsHi[r] * TWO32 + (m.regs[r] >>> 0);
}

/** The system call number (EAX / RAX). */
export function syscallNumber(m: Machine, abi: Abi): number {
  if (abi === 32) return m.regs[0] >>> 0;
  return m.regsHi[0] === 0 ? m.regs[0] >>> 0 : -1;
}

/** Write the result to EAX / RAX; negative values (−errno) are sign-extended as the kernel does. */
export function setResult(m: Machine, abi: Abi, value: number): void {
  if (abi === 32) m.set32(0, value | 0);
  else m.set64(0, value | 0, Math.floor(value / TWO32) | 0);
}
