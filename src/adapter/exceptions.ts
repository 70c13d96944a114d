// x86 exception vectors as the adapter names them, and the exceptionBreakpointFilters it offers
// (which guest faults stop the session instead of ending it). SDM Vol. 3 §6.3 Table 6-1.
// Imports only DAP types.
import type { DebugProtocol } from '@vscode/debugprotocol';

const NAMES: Record<number, string> = {
  0: '#DE divide error',
  1: '#DB debug exception',
  2: 'NMI',
  3: '#BP breakpoint (INT3)',
  4: '#OF overflow',
  5: '#BR BOUND range exceeded',
  6: '#UD invalid opcode',
  7: '#NM device not available',
  8: '#DF double fault',
  10: '#TS invalid TSS',
  11: '#NP segment not present',
  12: '#SS stack-segment fault',
  13: '#GP general protection',
  14: '#PF page fault',
  16: '#MF x87 floating-point error',
  17: '#AC alignment check',
  18: '#MC machine check',
  19: '#XM SIMD floating-point exception',
};

/** "#GP general protection" for vector 13; "vector 42" for the rest. */
export function exceptionName(vector: number): string {
  return NAMES[vector] ?? `vector ${vector}`;
}

/** Short mnemonic ("#GP") of a vector. */
export function exceptionMnemonic(vector: number): string {
  const n = NAMES[vector];
  return n ? n.split(' ')[0] : `vector ${vector}`;
}

/** Filter id → vectors it covers. 'other' covers every vector not listed. */
const FILTER_VECTORS: Record<string, number[]> = {
  de: [0],
  db: [1],
  bp: [3],
  of: [4, 5],
  ud: [6],
  gp: [13],
  ss: [12],
  pf: [14],
  ac: [17],
};

/** The filters advertised in `initialize`. */
export const exceptionFilters: DebugProtocol.ExceptionBreakpointsFilter[] = [
  { filter: 'de', label: '#DE divide error', description: 'DIV/IDIV by zero or quotient overflow', default: true },
  { filter: 'ud', label: '#UD invalid opcode', default: true },
  { filter: 'gp', label: '#GP general protection', default: true },
  { filter: 'pf', label: '#PF page fault (SIGSEGV)', default: true },
  { filter: 'ss', label: '#SS stack fault', default: true },
  { filter: 'bp', label: '#BP INT3 in the guest', default: true },
  { filter: 'db', label: '#DB the guest did not handle', default: true },
  { filter: 'of', label: '#OF / #BR (INTO, BOUND)', default: true },
  { filter: 'ac', label: '#AC alignment check', default: false },
  { filter: 'other', label: 'Other exceptions', default: true },
];

/** The set of vectors that stop, from the enabled filter ids. */
export function vectorsForFilters(filters: string[]): (vector: number) => boolean {
  const on = new Set(filters);
  const listed = new Set(Object.values(FILTER_VECTORS).flat());
  return (vector) => {
    for (const [id, vectors] of Object.entries(FILTER_VECTORS)) if (vectors.includes(vector)) return on.has(id);
    return !listed.has(vector) && on.has('other');
  };
}

/** The filters enabled by default (before setExceptionBreakpoints arrives). */
export function defaultFilters(): string[] {
  return exceptionFilters.filter((f) => f.default).map((f) => f.filter);
}
