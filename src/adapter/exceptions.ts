// x86 exception vectors as the adapter names them, the exceptionBreakpointFilters it offers, and
// the policy deciding which guest faults stop the session instead of ending it: filters, filter
// conditions (an expression over vector/error/address/pc, or a vector list) and exceptionOptions.
// SDM Vol. 3 §6.3 Table 6-1. Imports DAP types and the evaluator.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { evaluateExpression, type EvalContext } from './evaluate';

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

const CONDITION_HELP =
  'Stop only when this holds: an expression over vector, error (error code), address (faulting linear address, CR2 for #PF) and pc, ' +
  'with registers and memory (e.g. address >= 0x400000 && address < 0x401000), or a list of vectors (#GP, #NP, 10)';

/** The filters advertised in `initialize` (each takes a condition: supportsExceptionFilterOptions). */
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
].map((f) => ({ ...f, supportsCondition: true, conditionDescription: CONDITION_HELP }));

/** The filters enabled by default (before setExceptionBreakpoints arrives). */
export function defaultFilters(): string[] {
  return exceptionFilters.filter((f) => f.default).map((f) => f.filter);
}

/** A guest fault the environment reported (nothing in the guest handled it). */
export interface FaultFacts {
  vector: number;
  errorCode?: number;
  /** Faulting linear address (#PF: CR2), when the fault has one. */
  address?: number;
  /** Linear address of the faulting instruction. */
  pc: number;
}

/** A filter condition: a set of vectors, or an expression. */
type Condition = { kind: 'vectors'; vectors: Set<number> } | { kind: 'expression'; text: string };

/** What the policy says about one fault; `note` explains a condition that could not be evaluated. */
export interface FaultDecision {
  stop: boolean;
  note?: string;
}

/** A vector named as `#GP`, `GP`, `gp` (a filter id), `13` or `0xd`; undefined when it is none of them. */
function parseVector(text: string): number[] | undefined {
  const t = text.trim();
  if (/^(0x[0-9a-f]+|\d+)$/i.test(t)) {
    const v = Number(t);
    return v >= 0 && v <= 255 ? [v] : undefined;
  }
  const m = /^#?([a-z]{2})$/i.exec(t);
  if (!m) return undefined;
  const mnemonic = '#' + m[1].toUpperCase();
  for (const [vector, name] of Object.entries(NAMES)) if (name.split(' ')[0] === mnemonic) return [Number(vector)];
  return FILTER_VECTORS[m[1].toLowerCase()];
}

/** "#GP, #NP, 10" → vectors; undefined unless every item is a vector. */
function parseVectorList(text: string): Set<number> | undefined {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const v = parseVector(item);
    if (!v) return undefined;
    v.forEach((x) => out.add(x));
  }
  return out;
}

/** The fault's own names (vector, error, address, pc) in front of the live machine's registers and labels. */
function faultContext(base: EvalContext, fault: FaultFacts): EvalContext {
  const own: Record<string, bigint> = { vector: BigInt(fault.vector), error: BigInt(fault.errorCode ?? 0), address: BigInt(fault.address ?? 0), pc: BigInt(fault.pc) };
  return { ...base, register: (name) => own[name] ?? base.register(name) };
}

/**
 * Which guest faults stop: the enabled filters, each with an optional condition (filterOptions),
 * then exceptionOptions by vector name (later entries win; breakMode 'never' ends the session,
 * the others stop — every fault the adapter sees is one the guest did not handle).
 */
export class ExceptionPolicy {
  private filters = new Map<string, Condition | null>(defaultFilters().map((f) => [f, null]));
  private overrides: { vectors: Set<number>; negate: boolean; stop: boolean }[] = [];

  /** Apply setExceptionBreakpoints; the answer has one entry per filter, filter option and exception option, in order. */
  set(args: DebugProtocol.SetExceptionBreakpointsArguments, context: EvalContext | null): DebugProtocol.Breakpoint[] {
    const answers: DebugProtocol.Breakpoint[] = [];
    const filters = new Map<string, Condition | null>();
    const known = new Set(exceptionFilters.map((f) => f.filter));
    for (const id of Array.isArray(args?.filters) ? args.filters : []) {
      const ok = typeof id === 'string' && known.has(id);
      if (ok) filters.set(id, null);
      answers.push(ok ? { verified: true } : { verified: false, message: `unknown exception filter '${String(id)}'` });
    }
    for (const option of Array.isArray(args?.filterOptions) ? args.filterOptions : []) {
      const id = typeof option?.filterId === 'string' ? option.filterId : '';
      if (!known.has(id)) {
        answers.push({ verified: false, message: `unknown exception filter '${id}'` });
        continue;
      }
      const parsed = parseCondition(option.condition, context);
      if (typeof parsed === 'string') {
        answers.push({ verified: false, message: parsed });
        continue;
      }
      filters.set(id, parsed);
      answers.push({ verified: true });
    }
    const overrides: { vectors: Set<number>; negate: boolean; stop: boolean }[] = [];
    for (const option of Array.isArray(args?.exceptionOptions) ? args.exceptionOptions : []) {
      const segment = Array.isArray(option?.path) && option.path.length > 0 ? option.path[option.path.length - 1] : undefined;
      const names = Array.isArray(segment?.names) ? segment.names : [];
      const vectors = parseVectorList(names.join(','));
      if (!vectors || vectors.size === 0) {
        answers.push({ verified: false, message: `exceptionOptions: name exceptions as #GP, GP, a filter id or a vector number (got ${JSON.stringify(names)})` });
        continue;
      }
      overrides.push({ vectors, negate: segment?.negate === true, stop: option.breakMode !== 'never' });
      answers.push({ verified: true });
    }
    this.filters = filters;
    this.overrides = overrides;
    return answers;
  }

  /** Does this fault stop the session? `context` reads the machine for expression conditions. */
  decide(fault: FaultFacts, context: EvalContext): FaultDecision {
    for (let i = this.overrides.length - 1; i >= 0; i--) {
      const o = this.overrides[i];
      if (o.vectors.has(fault.vector) !== o.negate) return { stop: o.stop };
    }
    const id = filterOf(fault.vector);
    if (!this.filters.has(id)) return { stop: false };
    const condition = this.filters.get(id) ?? null;
    if (condition === null) return { stop: true };
    if (condition.kind === 'vectors') return { stop: condition.vectors.has(fault.vector) };
    const v = evaluateExpression(condition.text, faultContext(context, fault));
    if (!v.ok) return { stop: true, note: `x86dbg: exception condition '${condition.text}': ${v.message} (stopping)` };
    return { stop: v.value !== 0n };
  }
}

/** The filter id a vector belongs to. */
function filterOf(vector: number): string {
  for (const [id, vectors] of Object.entries(FILTER_VECTORS)) if (vectors.includes(vector)) return id;
  return 'other';
}

/** A condition from filterOptions: empty → none; a vector list; else an expression checked now against the machine (when there is one). */
function parseCondition(text: unknown, context: EvalContext | null): Condition | null | string {
  if (typeof text !== 'string' || text.trim() === '') return null;
  const vectors = parseVectorList(text);
  if (vectors) return { kind: 'vectors', vectors };
  if (context) {
    const probe = evaluateExpression(text, faultContext(context, { vector: 0, errorCode: 0, address: 0, pc: 0 }));
    if (!probe.ok && !/^(cannot read|division by zero|address .* out of range)/.test(probe.message)) return `exception condition '${text}': ${probe.message}`;
  }
  return { kind: 'expression', text };
}
