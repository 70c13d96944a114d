// CPUID: what this emulator implements, and nothing more (SDM Vol. 2 CPUID). Vendor "x86dbgVirtCP",
// family 6 model 0Fh stepping 1. Feature bits name only what the emulator executes: no x87, MMX,
// SSE or AVX (decoded for length only, executing them is #UD), no APIC or MTRRs, no VME. The VEX
// BMI1/BMI2 rows are executed, so they are claimed. Unlisted leaves return 0.
// Imports the paging constants (physical address width).
import * as pagingModule from '../paging';
const { MAX_PHYS_BITS } = pagingModule;

/** The 12-byte vendor string (EBX, EDX, ECX of leaf 0). */
export const VENDOR = 'x86dbgVirtCP';
/** Brand string of leaves 80000002h-80000004h (48 bytes, NUL padded). */
export const BRAND = 'x86dbg virtual CPU';

/** Leaf 1 EDX: DE, PSE, TSC, MSR, PAE, CX8, SEP, PGE, CMOV, PAT, PSE-36, CLFSH. */
export const LEAF1_EDX = (1 << 2) | (1 << 3) | (1 << 4) | (1 << 5) | (1 << 6) | (1 << 8) | (1 << 11) | (1 << 13) | (1 << 15) | (1 << 16) | (1 << 17) | (1 << 19);
/** Leaf 1 ECX: CMPXCHG16B, MOVBE, POPCNT, RDRAND. */
export const LEAF1_ECX = (1 << 13) | (1 << 22) | (1 << 23) | (1 << 30);
/** Leaf 7.0 EBX: BMI1, SMEP, BMI2, RDSEED, ADX. */
export const LEAF7_EBX = (1 << 3) | (1 << 7) | (1 << 8) | (1 << 18) | (1 << 19);
/** Leaf 7.0 ECX: RDPID. */
export const LEAF7_ECX = 1 << 22;
/** Leaf 80000001h EDX: SYSCALL, NX, 1-GByte pages, RDTSCP, LM. */
export const EXT1_EDX = (1 << 11) | (1 << 20) | (1 << 26) | (1 << 27) | (1 << 29);
/** Leaf 80000001h ECX: LAHF/SAHF in 64-bit mode, LZCNT (ABM). */
export const EXT1_ECX = 1 | (1 << 5);
/** Leaf 80000008h EAX: physical address bits (40, the paging walker's MAXPHYADDR), 48 linear address bits. */
export const ADDRESS_SIZES = MAX_PHYS_BITS | (48 << 8);

/** EAX, EBX, ECX, EDX of CPUID for `leaf` / `subleaf` (all as int32). */
export function cpuidLeaf(leaf: number, subleaf: number): [number, number, number, number] {
  const word = (s: string, i: number): number => s.charCodeAt(i) | (s.charCodeAt(i + 1) << 8) | (s.charCodeAt(i + 2) << 16) | (s.charCodeAt(i + 3) << 24);
  switch (leaf >>> 0) {
    case 0: return [7, word(VENDOR, 0), word(VENDOR, 8), word(VENDOR, 4)];
    // EBX: CLFLUSH line 8 * 8 = 64 bytes, one logical processor, APIC ID 0.
    case 1: return [0x000006f1, (8 << 8) | (1 << 16), LEAF1_ECX, LEAF1_EDX];
    case 7: return subleaf === 0 ? [0, LEAF7_EBX, LEAF7_ECX, 0] : [0, 0, 0, 0];
    case 0x80000000: return [0x80000008 | 0, 0, 0, 0];
    case 0x80000001: return [0, 0, EXT1_ECX, EXT1_EDX];
    case 0x80000002: case 0x80000003: case 0x80000004: {
      const s = BRAND.padEnd(48, '\0');
      const at = ((leaf >>> 0) - 0x80000002) * 16;
      return [word(s, at), word(s, at + 4), word(s, at + 8), word(s, at + 12)];
    }
    case 0x80000008: return [ADDRESS_SIZES, 0, 0, 0];
    default: return [0, 0, 0, 0];
  }
}
