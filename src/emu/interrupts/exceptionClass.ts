// Exception classes for nested faults (SDM Vol. 3 §6.15, Table 6-4 and Table 6-5): a fault raised
// while the CPU delivers another event is handled serially, becomes a double fault (#DF), or — while
// delivering #DF — shuts the processor down (a triple fault).
// Imports nothing.

/** Table 6-4: benign (everything else, including every interrupt), contributory, page fault, #DF. */
export type ExceptionClass = 'benign' | 'contributory' | 'page-fault' | 'double-fault';

/** What happens when `second` is raised while delivering `first` (Table 6-5). */
export type NestedOutcome = 'serial' | 'double-fault' | 'shutdown';

/**
 * The class of exception `vector` raised by the CPU. `interrupt` marks an event that is not an
 * exception at all (INT n, external interrupt): those are always benign.
 */
export function exceptionClass(vector: number, interrupt = false): ExceptionClass {
  if (interrupt) return 'benign';
  switch (vector) {
    case 0: case 10: case 11: case 12: case 13: return 'contributory';
    case 14: return 'page-fault';
    case 8: return 'double-fault';
    default: return 'benign';
  }
}

/**
 * Table 6-5: contributory after contributory, and contributory or #PF after #PF, give #DF; any fault
 * while delivering #DF shuts down (§6.15 "Interrupt 8"); everything else is handled serially.
 */
export function nestedOutcome(first: ExceptionClass, second: ExceptionClass): NestedOutcome {
  if (first === 'double-fault') return 'shutdown';
  if (first === 'contributory' && second === 'contributory') return 'double-fault';
  if (first === 'page-fault' && (second === 'contributory' || second === 'page-fault')) return 'double-fault';
  return 'serial';
}
