// The debugger layer's four slots DR0–DR3 and their DR7 encoding: breakpoints become (address, R/W,
// LEN) slots, unaligned or odd-sized watch regions are split the way GDB's x86-dregs.c does, identical
// slots are shared with a reference count, and breakpoints that do not fit wait in the order they were
// set until a slot frees up (x86-debug-registers.md §8, cases 98–102). Pure data; takes the LEN encoding from the debug unit's registers module.
import type { DebuggerSlotInfo, SlotKind } from './protocol';
import { lenCode } from '../emu/debug/registers';

/** What a watch is meant to catch. 'read' is placed as R/W = 11 and writes are filtered by the adapter. */
export type WatchAccess = 'read' | 'write' | 'readWrite';

/** What a breakpoint needs from the hardware. */
export type HardwareRequest =
  | { kind: 'exec'; address: number }
  | { kind: 'data'; access: WatchAccess; address: number; length: number };

/** A breakpoint as the slot table sees it. */
export interface SlotClient {
  /** DAP breakpoint id. */
  id: number;
  /** How the holder is named in messages and the Debug Registers view ("main.asm:12"). */
  label: string;
  request: HardwareRequest;
}

/** One naturally aligned piece of a region: what one DRn + LENn can watch. */
export interface AlignedChunk {
  address: number;
  len: 1 | 2 | 4 | 8;
}

/** Result of placing a breakpoint. */
export type PlaceResult =
  | { kind: 'placed'; slots: number[] }
  /** It does not fit now; `message` names the holders. When queued, it is placed later by `remove`. */
  | { kind: 'full'; message: string; queued: boolean }
  | { kind: 'invalid'; message: string };

interface Slot {
  address: number;
  /** DR7 R/Wn: 0 exec, 1 write, 3 read/write. */
  rw: 0 | 1 | 3;
  len: 1 | 2 | 4 | 8;
  /** Holders in the order they took the slot; the length is the reference count. */
  holders: number[];
}

// GDB x86-dregs.c size_try_array: row = bytes wanted - 1 (capped at max - 1), column = address % max.
const SIZE_TRY: ReadonlyArray<ReadonlyArray<1 | 2 | 4 | 8>> = [
  [1, 1, 1, 1, 1, 1, 1, 1],
  [2, 1, 2, 1, 2, 1, 2, 1],
  [2, 1, 2, 1, 2, 1, 2, 1],
  [4, 1, 2, 1, 4, 1, 2, 1],
  [4, 1, 2, 1, 4, 1, 2, 1],
  [4, 1, 2, 1, 4, 1, 2, 1],
  [4, 1, 2, 1, 4, 1, 2, 1],
  [8, 1, 2, 1, 4, 1, 2, 1],
];

/** Largest region a data breakpoint may ask for before splitting is even tried (4 slots × 8 bytes). */
const MAX_REGION = 32;

/**
 * Split [address, address+length) into naturally aligned chunks of 1/2/4/8 bytes, GDB's
 * `x86_handle_nonaligned_watchpoint`. maxLen is 8 when 8-byte LEN is available (64-bit), else 4.
 */
export function splitWatchRegion(address: number, length: number, maxLen: 4 | 8): AlignedChunk[] {
  const chunks: AlignedChunk[] = [];
  let addr = address;
  let left = length;
  while (left > 0) {
    const align = addr % maxLen;
    const attempt = left > maxLen ? maxLen - 1 : left - 1;
    const size = SIZE_TRY[attempt][align];
    chunks.push({ address: addr, len: size });
    addr += size;
    left -= size;
  }
  return chunks;
}

function rwFor(request: HardwareRequest): 0 | 1 | 3 {
  if (request.kind === 'exec') return 0;
  return request.access === 'write' ? 1 : 3;
}

function kindOfRw(rw: number): SlotKind {
  return rw === 0 ? 'exec' : rw === 1 ? 'write' : 'readWrite';
}

/** The chunks a request needs, or why it cannot be placed at all. */
export function chunksFor(request: HardwareRequest, maxLen: 4 | 8): { ok: true; chunks: AlignedChunk[] } | { ok: false; message: string } {
  if (!Number.isSafeInteger(request.address) || request.address < 0) {
    return { ok: false, message: `invalid address ${String(request.address)}` };
  }
  // Instruction breakpoints: LEN must be 00 (SDM §17.2.4); any address, no alignment (QEMU forces len 1).
  if (request.kind === 'exec') return { ok: true, chunks: [{ address: request.address, len: 1 }] };
  if (!Number.isSafeInteger(request.length) || request.length <= 0) {
    return { ok: false, message: `a data breakpoint needs a length of at least 1 byte (got ${String(request.length)})` };
  }
  if (request.length > MAX_REGION) {
    return { ok: false, message: `${request.length} bytes cannot be watched: DR0–DR3 cover at most ${4 * maxLen} bytes` };
  }
  const chunks = splitWatchRegion(request.address, request.length, maxLen);
  if (chunks.length > 4) {
    return { ok: false, message: `${request.length} bytes at 0x${request.address.toString(16)} need ${chunks.length} aligned slots; the CPU has 4 (DR0–DR3)` };
  }
  return { ok: true, chunks };
}

/**
 * DR0–DR3 of the debugger layer with reference-counted sharing and a waiting queue.
 * Insert and remove are transactional: a breakpoint takes all its slots or none.
 */
export class SlotTable {
  private slots: (Slot | null)[] = [null, null, null, null];
  private readonly clients = new Map<number, SlotClient>();
  /** Breakpoints that did not fit, in the order they were set. */
  private waiting: SlotClient[] = [];

  /** maxLen: 8 when the debug registers take LEN = 10 (8 bytes), as with 64-bit debug registers. */
  constructor(readonly maxLen: 4 | 8 = 8) {}

  /**
   * Place a breakpoint. When it does not fit and `queue` is set, it waits and `remove` places it
   * later. Placing an id that is already placed or waiting first removes the old one.
   */
  place(client: SlotClient, queue = true): PlaceResult {
    this.forget(client.id);
    const needed = chunksFor(client.request, this.maxLen);
    if (!needed.ok) return { kind: 'invalid', message: needed.message };
    const placed = this.tryPlace(client, needed.chunks);
    if (placed) return { kind: 'placed', slots: placed };
    if (queue) this.waiting.push(client);
    return { kind: 'full', message: this.fullMessage(), queued: queue };
  }

  /**
   * Remove a breakpoint (placed or waiting). Returns the waiting breakpoints that were placed in
   * the slots it freed, in the order they were set.
   */
  remove(id: number): SlotClient[] {
    const wasPlaced = this.clients.has(id);
    this.forget(id);
    return wasPlaced ? this.placeWaiting() : [];
  }

  /** Remove every breakpoint for which `predicate` holds; returns waiting breakpoints placed as a result. */
  removeWhere(predicate: (client: SlotClient) => boolean): SlotClient[] {
    let freed = false;
    for (const client of [...this.clients.values()]) {
      if (predicate(client)) {
        this.forget(client.id);
        freed = true;
      }
    }
    this.waiting = this.waiting.filter((c) => !predicate(c));
    return freed ? this.placeWaiting() : [];
  }

  /** Is this breakpoint placed in DR0–DR3? */
  isPlaced(id: number): boolean {
    return this.clients.has(id);
  }

  isWaiting(id: number): boolean {
    return this.waiting.some((c) => c.id === id);
  }

  /** The slot indexes a placed breakpoint holds. */
  slotsOf(id: number): number[] {
    const out: number[] = [];
    this.slots.forEach((s, i) => {
      if (s && s.holders.includes(id)) out.push(i);
    });
    return out;
  }

  /** Reference count of a slot (0 when vacant). */
  refCount(index: number): number {
    return this.slots[index]?.holders.length ?? 0;
  }

  /** DR7 as the debugger layer programs it: Ln + R/Wn + LENn per used slot; 0 when all are vacant. */
  dr7(): number {
    let dr7 = 0;
    this.slots.forEach((s, i) => {
      if (!s) return;
      dr7 |= 1 << (2 * i);
      dr7 |= ((lenCode(s.len) << 2) | s.rw) << (16 + 4 * i);
    });
    return dr7 >>> 0;
  }

  /** DR0–DR3 (0 for vacant slots). */
  addresses(): [number, number, number, number] {
    const a = this.slots.map((s) => (s ? s.address : 0));
    return [a[0], a[1], a[2], a[3]];
  }

  /** Any slot in use? */
  armed(): boolean {
    return this.slots.some((s) => s !== null);
  }

  /** Breakpoint ids whose slots fired according to DR6 B0–B3, in slot order, each once. */
  holdersForDr6(dr6: number): SlotClient[] {
    const out: SlotClient[] = [];
    const seen = new Set<number>();
    for (let i = 0; i < 4; i++) {
      const s = this.slots[i];
      if (!s || ((dr6 >>> i) & 1) === 0) continue;
      for (const id of s.holders) {
        if (seen.has(id)) continue;
        seen.add(id);
        const c = this.clients.get(id);
        if (c) out.push(c);
      }
    }
    return out;
  }

  client(id: number): SlotClient | undefined {
    return this.clients.get(id) ?? this.waiting.find((c) => c.id === id);
  }

  /** The four slots for the Debug Registers view. */
  info(): DebuggerSlotInfo[] {
    return this.slots.map((s, i) => {
      const index = i as 0 | 1 | 2 | 3;
      if (!s) return { index, kind: 'vacant', rw: 0, len: 1, address: 0, breakpointId: null, breakpointIds: [], label: '' };
      const ids = [...new Set(s.holders)];
      return {
        index,
        kind: kindOfRw(s.rw),
        rw: s.rw,
        len: s.len,
        address: s.address,
        breakpointId: ids[0] ?? null,
        breakpointIds: ids,
        label: ids.map((id) => this.clients.get(id)?.label ?? `#${id}`).join(', '),
      };
    });
  }

  /** "DR0–DR3 are in use by main.asm:12, main.asm:20, counter (write, 4 bytes), 0x401000". */
  fullMessage(): string {
    const labels: string[] = [];
    const seen = new Set<number>();
    for (const s of this.slots) {
      if (!s) continue;
      for (const id of s.holders) {
        if (seen.has(id)) continue;
        seen.add(id);
        labels.push(this.clients.get(id)?.label ?? `#${id}`);
      }
    }
    return `DR0–DR3 are in use by ${labels.join(', ')}`;
  }

  private forget(id: number): void {
    this.waiting = this.waiting.filter((c) => c.id !== id);
    if (!this.clients.delete(id)) return;
    this.slots = this.slots.map((s) => {
      if (!s) return s;
      const holders = s.holders.filter((h) => h !== id);
      return holders.length === 0 ? null : { ...s, holders };
    });
  }

  private placeWaiting(): SlotClient[] {
    const placed: SlotClient[] = [];
    const still: SlotClient[] = [];
    for (const client of this.waiting) {
      const needed = chunksFor(client.request, this.maxLen);
      if (needed.ok && this.tryPlace(client, needed.chunks)) placed.push(client);
      else still.push(client);
    }
    this.waiting = still;
    return placed;
  }

  /** Transactional insert (GDB: work on a copy, commit on success). Returns the slot indexes used. */
  private tryPlace(client: SlotClient, chunks: AlignedChunk[]): number[] | null {
    const rw = rwFor(client.request);
    const copy = this.slots.map((s) => (s ? { ...s, holders: [...s.holders] } : null));
    const used: number[] = [];
    for (const chunk of chunks) {
      let index = copy.findIndex((s) => s !== null && s.address === chunk.address && s.len === chunk.len && s.rw === rw);
      if (index < 0) {
        index = copy.findIndex((s) => s === null);
        if (index < 0) return null;
        copy[index] = { address: chunk.address, rw, len: chunk.len, holders: [] };
      }
      (copy[index] as Slot).holders.push(client.id);
      used.push(index);
    }
    this.slots = copy;
    this.clients.set(client.id, client);
    return used;
  }
}
