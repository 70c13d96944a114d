// Every breakpoint the client set (source, function, instruction, data), where it lives (a DR0–DR3
// slot, an emulator-side software breakpoint, waiting for a slot, or nowhere with a reason), and its
// condition, hit count and log message. Placement follows the breakpoint mode and the launch's
// breakpointMode (hardware | hybrid). Knows nothing of DAP messages. Imports only adapter modules.
import { SlotTable, type SlotClient, type WatchAccess } from './slots';
import type { LaunchBreakpointMode } from './protocol';

export type BreakpointOrigin = 'source' | 'function' | 'instruction' | 'data';

/** Where a breakpoint currently is. */
export type Placement =
  | { kind: 'hardware'; slots: number[] }
  | { kind: 'software' }
  | { kind: 'waiting'; message: string }
  | { kind: 'invalid'; message: string };

/** What the client asked for, resolved to an address. */
export interface BreakpointSpec {
  origin: BreakpointOrigin;
  /** Key that identifies "the same breakpoint" across repeated set requests. */
  key: string;
  /** Linear address (exec) or start of the watched region (data). */
  address: number;
  /** Watched bytes (data); 1 for exec. */
  length: number;
  access?: WatchAccess;
  /** How it is named to the user: "main.asm:12", "counter (write, 4 bytes)", "0x401000". */
  label: string;
  /** Requested mode: 'software' only for source/function/instruction breakpoints. */
  mode: 'hardware' | 'software';
  condition?: string;
  hitCondition?: string;
  logMessage?: string;
  /** Source location after moving to the first instruction at or after the requested line. */
  source?: { path: string; line: number };
  /** The data breakpoint's dataId, echoed back. */
  dataId?: string;
}

export interface BreakpointRecord extends BreakpointSpec {
  id: number;
  placement: Placement;
  /** Times the breakpoint fired with its condition true (drives hitCondition). */
  hits: number;
}

let nextId = 1;

/** Parse a hit condition: "5" / ">= 5" (from the 5th hit on), "> 5", "== 5" / "= 5", "< 5", "<= 5", "% 5". */
export function hitConditionMet(condition: string, hits: number): boolean | string {
  const m = /^\s*(>=|<=|==|=|>|<|%)?\s*(\d+)\s*$/.exec(condition);
  if (!m) return `hit condition '${condition}' is not one of N, >= N, > N, == N, < N, <= N, % N`;
  const n = Number(m[2]);
  switch (m[1] ?? '>=') {
    case '>=':
      return hits >= n;
    case '>':
      return hits > n;
    case '==':
    case '=':
      return hits === n;
    case '<':
      return hits < n;
    case '<=':
      return hits <= n;
    case '%':
      return n > 0 && hits % n === 0;
  }
  return false;
}

/** All breakpoints of a session and the slot table they share. */
export class BreakpointStore {
  readonly slots: SlotTable;
  private readonly records = new Map<number, BreakpointRecord>();
  /** Bumped whenever a breakpoint is placed or removed (software addresses or slots may differ). */
  generation = 0;
  /** Software breakpoint addresses → ids (unlimited, invisible to the guest). */
  private readonly software = new Map<number, number[]>();

  constructor(
    maxLen: 4 | 8,
    private readonly launchMode: LaunchBreakpointMode,
  ) {
    this.slots = new SlotTable(maxLen);
  }

  /**
   * Replace the breakpoints of one group (a source file, all function breakpoints, all instruction
   * breakpoints, all data breakpoints). Unchanged ones (same key) keep their id and slot.
   * Returns the records in request order, and records elsewhere that moved from waiting to placed.
   */
  replaceGroup(inGroup: (r: BreakpointRecord) => boolean, specs: BreakpointSpec[]): { records: BreakpointRecord[]; changed: BreakpointRecord[] } {
    const old = [...this.records.values()].filter(inGroup);
    const byKey = new Map(old.map((r) => [r.key + '|' + r.mode, r]));
    const keep = new Set<number>();
    const result: BreakpointRecord[] = [];
    const pendingNew: BreakpointRecord[] = [];
    for (const spec of specs) {
      const existing = byKey.get(spec.key + '|' + spec.mode);
      if (existing && !keep.has(existing.id)) {
        keep.add(existing.id);
        existing.condition = spec.condition;
        existing.hitCondition = spec.hitCondition;
        existing.logMessage = spec.logMessage;
        result.push(existing);
        continue;
      }
      const rec: BreakpointRecord = { ...spec, id: nextId++, placement: { kind: 'invalid', message: 'not placed' }, hits: 0 };
      result.push(rec);
      pendingNew.push(rec);
    }
    const changed: BreakpointRecord[] = [];
    for (const r of old) {
      if (keep.has(r.id)) continue;
      changed.push(...this.removeRecord(r));
    }
    for (const rec of pendingNew) {
      this.records.set(rec.id, rec);
      rec.placement = this.place(rec);
    }
    return { records: result, changed: changed.filter((c) => this.records.has(c.id) && !result.includes(c)) };
  }

  /** A record whose placement is already decided (invalid: no address). */
  addUnplaceable(spec: BreakpointSpec, message: string): BreakpointRecord {
    return { ...spec, id: nextId++, placement: { kind: 'invalid', message }, hits: 0 };
  }

  get(id: number): BreakpointRecord | undefined {
    return this.records.get(id);
  }

  all(): BreakpointRecord[] {
    return [...this.records.values()];
  }

  /** Software breakpoint ids at an address. */
  softwareAt(address: number): number[] | undefined {
    return this.software.get(address);
  }

  hasSoftware(): boolean {
    return this.software.size > 0;
  }

  /** Every address that holds a software breakpoint. */
  softwareAddresses(): number[] {
    return [...this.software.keys()];
  }

  /** Is there an exec slot or software breakpoint at this address (so resuming must step over it)? */
  hasExecAt(address: number): boolean {
    if (this.software.has(address)) return true;
    return this.slots.info().some((s) => s.kind === 'exec' && s.address === address);
  }

  /** Records for the slots DR6 B0–B3 say fired. */
  recordsForDr6(dr6: number): BreakpointRecord[] {
    return this.slots
      .holdersForDr6(dr6)
      .map((c) => this.records.get(c.id))
      .filter((r): r is BreakpointRecord => r !== undefined);
  }

  private place(rec: BreakpointRecord): Placement {
    this.generation++;
    if (rec.mode === 'software') {
      if (rec.origin === 'data') return { kind: 'invalid', message: 'data breakpoints need DR0–DR3; software mode applies to code breakpoints only' };
      this.addSoftware(rec);
      return { kind: 'software' };
    }
    const client: SlotClient =
      rec.origin === 'data'
        ? { id: rec.id, label: rec.label, request: { kind: 'data', access: rec.access ?? 'write', address: rec.address, length: rec.length } }
        : { id: rec.id, label: rec.label, request: { kind: 'exec', address: rec.address } };
    const hybrid = this.launchMode === 'hybrid' && rec.origin !== 'data';
    const r = this.slots.place(client, !hybrid);
    if (r.kind === 'placed') return { kind: 'hardware', slots: r.slots };
    if (r.kind === 'invalid') return { kind: 'invalid', message: r.message };
    if (hybrid) {
      this.addSoftware(rec);
      return { kind: 'software' };
    }
    return { kind: 'waiting', message: r.message };
  }

  private addSoftware(rec: BreakpointRecord): void {
    const ids = this.software.get(rec.address) ?? [];
    ids.push(rec.id);
    this.software.set(rec.address, ids);
  }

  /** Remove a record; returns records that moved from waiting to a slot as a result. */
  private removeRecord(rec: BreakpointRecord): BreakpointRecord[] {
    this.generation++;
    this.records.delete(rec.id);
    if (rec.placement.kind === 'software') {
      const ids = (this.software.get(rec.address) ?? []).filter((i) => i !== rec.id);
      if (ids.length) this.software.set(rec.address, ids);
      else this.software.delete(rec.address);
      return [];
    }
    const placed = this.slots.remove(rec.id);
    const changed: BreakpointRecord[] = [];
    for (const c of placed) {
      const r = this.records.get(c.id);
      if (!r) continue;
      r.placement = { kind: 'hardware', slots: this.slots.slotsOf(c.id) };
      changed.push(r);
    }
    return changed;
  }
}
