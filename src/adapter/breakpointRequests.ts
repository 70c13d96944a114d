// The breakpoint requests in DAP terms: source lines, function names, instruction references and
// data breakpoints (dataBreakpointInfo, setDataBreakpoints) resolved to addresses and handed to the
// breakpoint store; records turned back into DAP Breakpoint objects; breakpointLocations and
// gotoTargets. Imports adapter modules and DAP types only.
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { BreakpointRecord, BreakpointSpec, BreakpointStore } from './breakpoints';
import type { SymbolIndex } from './symbols';
import type { Runtime } from './runtime';
import type { WatchAccess } from './slots';
import type { VariableTree } from './variables';
import { evaluateExpression } from './evaluate';

export interface SetResult {
  breakpoints: DebugProtocol.Breakpoint[];
  /** Breakpoints elsewhere that changed (a waiting one got a slot) → `breakpoint` events. */
  changed: BreakpointRecord[];
}

function hex(n: number): string {
  return '0x' + n.toString(16);
}

function baseName(p: string): string {
  const i = Math.max(p.lastIndexOf('/'), p.lastIndexOf('\\'));
  return i >= 0 ? p.slice(i + 1) : p;
}

function modeOf(mode: unknown): 'hardware' | 'software' {
  return mode === 'software' ? 'software' : 'hardware';
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

/** A store record as a DAP Breakpoint. */
export function toDap(r: BreakpointRecord, symbols: SymbolIndex | null): DebugProtocol.Breakpoint {
  const b: DebugProtocol.Breakpoint = { id: r.id, verified: false };
  switch (r.placement.kind) {
    case 'hardware': {
      b.verified = true;
      const slots = r.placement.slots.map((s) => `DR${s}`).join(', ');
      b.message = r.origin === 'data' && r.access === 'read' ? `${slots} (R/W = 11; writes are filtered out by the adapter: x86 has no read-only watch)` : slots;
      break;
    }
    case 'software':
      b.verified = true;
      b.message = 'Software breakpoint kept by the emulator (not in DR0–DR3, invisible to the guest)';
      break;
    case 'waiting':
      b.message = `${r.placement.message}; waiting for a free slot`;
      b.reason = 'pending';
      break;
    case 'invalid':
      b.message = r.placement.message;
      b.reason = 'failed';
      break;
  }
  if (r.origin !== 'data') b.instructionReference = hex(r.address);
  if (r.source) {
    b.source = { path: r.source.path, name: baseName(r.source.path) };
    b.line = r.source.line;
  } else if (r.origin !== 'data' && symbols) {
    const line = symbols.lineAt(r.address);
    if (line) {
      b.source = { path: line.file, name: baseName(line.file) };
      b.line = line.line;
    }
  }
  return b;
}

function finish(store: BreakpointStore, symbols: SymbolIndex | null, inGroup: (r: BreakpointRecord) => boolean, items: ({ spec: BreakpointSpec } | { spec: BreakpointSpec; invalid: string })[]): SetResult {
  const placeable = items.filter((i): i is { spec: BreakpointSpec } => !('invalid' in i)).map((i) => i.spec);
  const r = store.replaceGroup(inGroup, placeable);
  let k = 0;
  const out = items.map((i) => ('invalid' in i ? store.addUnplaceable(i.spec, i.invalid) : r.records[k++]));
  return { breakpoints: out.map((rec) => toDap(rec, symbols)), changed: r.changed };
}

function noProgram(count: number): SetResult {
  return { breakpoints: Array.from({ length: count }, () => ({ verified: false, message: 'no program is loaded' })), changed: [] };
}

export function setSourceBreakpoints(store: BreakpointStore | null, symbols: SymbolIndex | null, args: DebugProtocol.SetBreakpointsArguments): SetResult {
  const list: DebugProtocol.SourceBreakpoint[] = Array.isArray(args?.breakpoints) ? args.breakpoints : Array.isArray(args?.lines) ? args.lines.map((line) => ({ line })) : [];
  const file = str(args?.source?.path);
  if (!store || !symbols || !file) return noProgram(list.length);
  const path = symbols.normalize(file);
  const items = list.map((b) => {
    const line = typeof b?.line === 'number' ? b.line : NaN;
    const resolved = Number.isFinite(line) ? symbols.resolveLine(path, line) : undefined;
    const base: BreakpointSpec = {
      origin: 'source',
      key: `${path}:${line}`,
      address: resolved?.address ?? 0,
      length: 1,
      label: `${baseName(path)}:${resolved?.line ?? line}`,
      mode: modeOf((b as { mode?: unknown }).mode),
      condition: str(b?.condition),
      hitCondition: str(b?.hitCondition),
      logMessage: str(b?.logMessage),
      source: { path, line: resolved?.line ?? line },
    };
    if (!resolved) return { spec: base, invalid: `no instruction at or after line ${line} of ${baseName(path)}` };
    base.key += `@${resolved.address}`;
    return { spec: base };
  });
  return finish(store, symbols, (r) => r.origin === 'source' && r.source?.path === path, items);
}

export function setFunctionBreakpoints(store: BreakpointStore | null, symbols: SymbolIndex | null, args: DebugProtocol.SetFunctionBreakpointsArguments): SetResult {
  const list = Array.isArray(args?.breakpoints) ? args.breakpoints : [];
  if (!store || !symbols) return noProgram(list.length);
  const items = list.map((b) => {
    const name = str(b?.name) ?? '';
    const sym = symbols.lookup(name.trim());
    const spec: BreakpointSpec = {
      origin: 'function',
      key: `fn:${name}@${sym?.linear ?? -1}`,
      address: sym?.linear ?? 0,
      length: 1,
      label: name.trim(),
      mode: 'hardware',
      condition: str(b?.condition),
      hitCondition: str(b?.hitCondition),
    };
    if (!sym || sym.kind === 'constant') return { spec, invalid: `no label '${name}' in the program` };
    if (sym.kind === 'data') return { spec, invalid: `'${name}' labels data, not code: use a data breakpoint to watch it` };
    return { spec };
  });
  return finish(store, symbols, (r) => r.origin === 'function', items);
}

export function setInstructionBreakpoints(store: BreakpointStore | null, symbols: SymbolIndex | null, args: DebugProtocol.SetInstructionBreakpointsArguments): SetResult {
  const list = Array.isArray(args?.breakpoints) ? args.breakpoints : [];
  if (!store) return noProgram(list.length);
  const items = list.map((b) => {
    const ref = str(b?.instructionReference) ?? '';
    const base = /^0x[0-9a-f]+$/i.test(ref.trim()) ? parseInt(ref.trim(), 16) : /^[0-9]+$/.test(ref.trim()) ? parseInt(ref.trim(), 10) : NaN;
    const address = base + (typeof b?.offset === 'number' ? b.offset : 0);
    const spec: BreakpointSpec = {
      origin: 'instruction',
      key: `insn:${address}`,
      address: Number.isSafeInteger(address) ? address : 0,
      length: 1,
      label: Number.isSafeInteger(address) ? hex(address) : ref,
      mode: modeOf((b as { mode?: unknown }).mode),
      condition: str(b?.condition),
      hitCondition: str(b?.hitCondition),
    };
    if (!Number.isSafeInteger(address) || address < 0) return { spec, invalid: `'${ref}' is not an instruction address` };
    return { spec };
  });
  return finish(store, symbols, (r) => r.origin === 'instruction', items);
}

/** dataId wire format: "x86:<hex address>:<length>:<name>". */
export function encodeDataId(address: number, length: number, name: string): string {
  return `x86:${address.toString(16)}:${length}:${name}`;
}

export function decodeDataId(id: unknown): { address: number; length: number; name: string } | undefined {
  if (typeof id !== 'string') return undefined;
  const m = /^x86:([0-9a-f]+):([0-9]+):(.*)$/i.exec(id);
  if (!m) return undefined;
  const address = parseInt(m[1], 16);
  const length = parseInt(m[2], 10);
  if (!Number.isSafeInteger(address) || !Number.isSafeInteger(length)) return undefined;
  return { address, length, name: m[3] };
}

const ACCESS_TYPES: DebugProtocol.DataBreakpointAccessType[] = ['write', 'read', 'readWrite'];
const REGISTER_REFUSAL = 'x86 debug registers watch memory (linear addresses), not registers: a register cannot have a data breakpoint';

export function dataBreakpointInfo(runtime: Runtime | null, variables: VariableTree | null, args: DebugProtocol.DataBreakpointInfoArguments): DebugProtocol.DataBreakpointInfoResponse['body'] {
  const name = str(args?.name)?.trim() ?? '';
  if (!runtime) return { dataId: null, description: 'no program is loaded' };
  const refused = (description: string): DebugProtocol.DataBreakpointInfoResponse['body'] => ({ dataId: null, description });
  const offer = (address: number, length: number, label: string): DebugProtocol.DataBreakpointInfoResponse['body'] => ({
    dataId: encodeDataId(address, length, label),
    description: `${label} (${length} byte${length === 1 ? '' : 's'} at ${hex(address)})`,
    accessTypes: ACCESS_TYPES,
    canPersist: runtime.symbols.lookup(label) !== undefined,
  });
  if (args?.asAddress === true) {
    const v = evaluateExpression(name, runtime.evalContext());
    if (!v.ok) return refused(`'${name}' is not an address: ${v.message}`);
    const bytes = typeof args.bytes === 'number' && args.bytes > 0 ? Math.floor(args.bytes) : 1;
    if (v.value > BigInt(Number.MAX_SAFE_INTEGER)) return refused(`address ${name} is out of range`);
    return offer(Number(v.value), bytes, hex(Number(v.value)));
  }
  // A container from before the last stop (the client may ask with a row it drew then) is not
  // known any more: the name is then resolved as a label or an expression, below.
  const target = typeof args?.variablesReference === 'number' && args.variablesReference > 0 && variables ? variables.memoryOf(args.variablesReference, name) : ({ kind: 'stale' } as const);
  if (target.kind === 'register') return refused(REGISTER_REFUSAL);
  if (target.kind === 'memory') return offer(target.address, target.size, target.label);
  if (target.kind === 'none') return refused(target.message);
  if (runtime.target.getRegister(name.toLowerCase()) !== undefined) return refused(REGISTER_REFUSAL);
  const sym = runtime.symbols.lookup(name);
  if (sym) {
    if (sym.kind === 'constant') return refused(`'${name}' is a constant (EQU), not memory`);
    const size = sym.size > 0 ? sym.size : sym.elementSize > 0 ? sym.elementSize : 1;
    return offer(sym.linear, size, sym.name);
  }
  const v = evaluateExpression(name, runtime.evalContext());
  if (v.ok && v.kind === 'memory' && v.address !== undefined) return offer(v.address, v.size ?? 1, name);
  if (v.ok && v.kind === 'register') return refused(REGISTER_REFUSAL);
  if (v.ok && v.value <= BigInt(Number.MAX_SAFE_INTEGER)) {
    const bytes = typeof args?.bytes === 'number' && args.bytes > 0 ? Math.floor(args.bytes) : 1;
    return offer(Number(v.value), bytes, hex(Number(v.value)));
  }
  return refused(v.ok ? `'${name}' is not a memory location` : v.message);
}

function accessOf(a: unknown): WatchAccess {
  return a === 'read' ? 'read' : a === 'readWrite' ? 'readWrite' : 'write';
}

export function setDataBreakpoints(store: BreakpointStore | null, symbols: SymbolIndex | null, args: DebugProtocol.SetDataBreakpointsArguments): SetResult {
  const list = Array.isArray(args?.breakpoints) ? args.breakpoints : [];
  if (!store) return noProgram(list.length);
  const items = list.map((b) => {
    const d = decodeDataId(b?.dataId);
    const access = accessOf(b?.accessType);
    const words = access === 'readWrite' ? 'read/write' : access;
    const spec: BreakpointSpec = {
      origin: 'data',
      key: `data:${String(b?.dataId)}:${access}`,
      address: d?.address ?? 0,
      length: d?.length ?? 0,
      access,
      label: d ? `${d.name} (${words}, ${d.length} byte${d.length === 1 ? '' : 's'})` : String(b?.dataId),
      mode: 'hardware',
      condition: str(b?.condition),
      hitCondition: str(b?.hitCondition),
      dataId: str(b?.dataId),
    };
    if (!d) return { spec, invalid: `unknown dataId '${String(b?.dataId)}'` };
    return { spec };
  });
  return finish(store, symbols, (r) => r.origin === 'data', items);
}

/** Replay a remembered set request on a new program (restart). */
export function replay(command: string, args: unknown, store: BreakpointStore | null, symbols: SymbolIndex | null): BreakpointRecord[] {
  switch (command) {
    case 'setBreakpoints':
      return setSourceBreakpoints(store, symbols, args as DebugProtocol.SetBreakpointsArguments).changed;
    case 'setFunctionBreakpoints':
      return setFunctionBreakpoints(store, symbols, args as DebugProtocol.SetFunctionBreakpointsArguments).changed;
    case 'setInstructionBreakpoints':
      return setInstructionBreakpoints(store, symbols, args as DebugProtocol.SetInstructionBreakpointsArguments).changed;
    case 'setDataBreakpoints':
      return setDataBreakpoints(store, symbols, args as DebugProtocol.SetDataBreakpointsArguments).changed;
  }
  return [];
}

export function breakpointLocations(symbols: SymbolIndex | null, args: DebugProtocol.BreakpointLocationsArguments): DebugProtocol.BreakpointLocation[] {
  const file = str(args?.source?.path);
  if (!symbols || !file || typeof args.line !== 'number') return [];
  const from = args.line;
  const to = typeof args.endLine === 'number' ? args.endLine : from;
  return symbols
    .instructionLines(symbols.normalize(file))
    .filter((l) => l.line >= from && l.line <= to)
    .map((l) => ({ line: l.line }));
}

export function gotoTargets(symbols: SymbolIndex | null, args: DebugProtocol.GotoTargetsArguments): DebugProtocol.GotoTarget[] {
  const file = str(args?.source?.path);
  if (!symbols || !file || typeof args.line !== 'number') return [];
  const r = symbols.resolveLine(symbols.normalize(file), args.line);
  if (!r) return [];
  return [{ id: r.address, label: `${baseName(file)}:${r.line} (${hex(r.address)})`, line: r.line, instructionPointerReference: hex(r.address) }];
}
