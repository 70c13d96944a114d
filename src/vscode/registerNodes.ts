// The Debug Registers tree as plain data, built from the adapter's `x86dbg.debugRegisters` body and
// the last `stopped` event: sections (debugger layer, guest layer) → RegisterNode (DR0–DR3, DR7,
// DR6) → FieldNode (name, bit, width, value, meaning) in cortex-debug's shape. Pure: no 'vscode',
// so it is unit-tested directly. Imports src/emu/debug/registers (field decoding) and adapter types.
import type { DebugRegistersBody, DebuggerSlotInfo, X86StopInfo } from '../adapter/protocol';
import { decodeDr6, decodeDr7, slotRw, DR6_BD, DR6_BS, DR6_BT, LEN_MEANING, RW_MEANING } from '../emu/debug/registers';

/** One bit field of a register (DR7 L0, R/W0, LEN0...; DR6 B0, BD...). */
export interface FieldNode {
  kind: 'field';
  name: string;
  /** Lowest bit of the field. */
  bit: number;
  width: number;
  value: number;
  /** What the value means (`write`, `4 bytes`, `hit`). */
  meaning: string;
  /** Part of the last stop (a DR6 bit that fired, the DR7 fields of the slot that fired). */
  lit: boolean;
}

/** A fact about a DR0–DR3 slot that is not a bit field (symbol, kind, owning breakpoint). */
export interface InfoNode {
  kind: 'info';
  name: string;
  text: string;
  /** Set on the owner row: clicking it reveals the breakpoint. */
  reveal?: { slot: number; breakpointId: number; label: string; address: number };
}

/** A debug register. */
export interface RegisterNode {
  kind: 'register';
  /** `DR0`..`DR3`, `DR6`, `DR7`. */
  name: string;
  value: number;
  /** The value in hex as shown. */
  hex: string;
  /** One-line summary beside the value. */
  summary: string;
  /** The register took part in the last stop (the slot that fired, DR6 with hit bits). */
  lit: boolean;
  children: (FieldNode | InfoNode)[];
}

/** A layer: the debugger's own registers, or the guest's architectural ones. */
export interface SectionNode {
  kind: 'section';
  id: 'debugger' | 'guest';
  name: string;
  summary: string;
  registers: RegisterNode[];
}

export type DebugRegisterTreeNode = SectionNode | RegisterNode | FieldNode | InfoNode;


/** Hex with 0x, 8 digits below 2^32, 16 above. */
export function hex(value: number): string {
  const digits = value > 0xffffffff ? 16 : 8;
  return '0x' + value.toString(16).toUpperCase().padStart(digits, '0');
}

function slotKindText(slot: DebuggerSlotInfo): string {
  switch (slot.kind) {
    case 'exec':
      return 'execute';
    case 'write':
      return 'write';
    case 'readWrite':
      return 'read/write';
    case 'vacant':
      return 'vacant';
  }
}

/** DR7's fields (SDM Vol. 3 §17.2.4), the ones of `litSlots` lit. */
export function dr7Fields(dr7: number, litSlots: readonly number[]): FieldNode[] {
  const fields: FieldNode[] = [];
  const decoded = decodeDr7(dr7);
  for (const slot of decoded.slots) {
    const lit = litSlots.includes(slot.index);
    const n = slot.index;
    fields.push({ kind: 'field', name: `L${n}`, bit: 2 * n, width: 1, value: slot.local ? 1 : 0, meaning: slot.local ? 'enabled (local)' : 'off', lit });
    fields.push({ kind: 'field', name: `G${n}`, bit: 2 * n + 1, width: 1, value: slot.global ? 1 : 0, meaning: slot.global ? 'enabled (global)' : 'off', lit });
    const rw = slotRw(dr7, n);
    fields.push({ kind: 'field', name: `R/W${n}`, bit: 16 + 4 * n, width: 2, value: rw, meaning: RW_MEANING[rw], lit });
    fields.push({ kind: 'field', name: `LEN${n}`, bit: 18 + 4 * n, width: 2, value: slot.lenCode, meaning: rw === 0 ? `${LEN_MEANING[slot.lenCode]} (execute: must be 00)` : LEN_MEANING[slot.lenCode], lit });
  }
  fields.push({ kind: 'field', name: 'LE', bit: 8, width: 1, value: decoded.le ? 1 : 0, meaning: 'local exact', lit: false });
  fields.push({ kind: 'field', name: 'GE', bit: 9, width: 1, value: decoded.ge ? 1 : 0, meaning: 'global exact', lit: false });
  fields.push({ kind: 'field', name: 'GD', bit: 13, width: 1, value: decoded.gd ? 1 : 0, meaning: 'general detect (MOV DRn faults)', lit: false });
  return fields;
}

/** DR6's status fields (SDM Vol. 3 §17.2.3), set bits lit when `litHits`. */
export function dr6Fields(dr6: number, litHits: boolean): FieldNode[] {
  const fields: FieldNode[] = [];
  const decoded = decodeDr6(dr6);
  for (let n = 0; n < 4; n++) {
    const v = decoded.hits.includes(n) ? 1 : 0;
    fields.push({ kind: 'field', name: `B${n}`, bit: n, width: 1, value: v, meaning: v ? `DR${n} condition met` : 'clear', lit: litHits && v === 1 });
  }
  const status: [string, number, boolean, string][] = [
    ['BD', DR6_BD, decoded.bd, 'debug register access detected (GD)'],
    ['BS', DR6_BS, decoded.bs, 'single step (TF)'],
    ['BT', DR6_BT, decoded.bt, 'task switch (T bit of the TSS)'],
  ];
  for (const [name, mask, set, meaning] of status) {
    const v = set ? 1 : 0;
    fields.push({ kind: 'field', name, bit: 31 - Math.clz32(mask), width: 1, value: v, meaning: v ? meaning : 'clear', lit: litHits && v === 1 });
  }
  return fields;
}

function dr6Summary(dr6: number): string {
  const decoded = decodeDr6(dr6);
  const parts = decoded.hits.map((n) => `B${n}`);
  if (decoded.bd) parts.push('BD');
  if (decoded.bs) parts.push('BS');
  if (decoded.bt) parts.push('BT');
  return parts.length ? parts.join(' ') + ' set' : 'no status bits set';
}

function dr7Summary(dr7: number): string {
  const decoded = decodeDr7(dr7);
  const on = decoded.slots.filter((s) => s.enabled).map((s) => `DR${s.index} ${RW_MEANING[slotRw(dr7, s.index)]}`);
  return on.length ? on.join(', ') : 'all slots disabled';
}

/** The debugger layer's DR6 to show: the stop's own DR6 when it was a #DB, else the last one the adapter kept. */
export function shownDr6(body: DebugRegistersBody, stop: X86StopInfo | undefined): number {
  return stop && stop.dr6 !== 0 ? stop.dr6 : body.debugger.dr6;
}

/** The slots that fired for THIS stop: none after a step, pause or entry (stop.dr6 = 0), so an older hit is never shown as current. */
export function firedSlots(body: DebugRegistersBody, stop: X86StopInfo | undefined): number[] {
  const dr6 = stop ? stop.dr6 : body.debugger.dr6;
  return dr6 === 0 ? [] : decodeDr6(dr6).hits;
}

function debuggerSlotNode(slot: DebuggerSlotInfo, value: number, hit: boolean): RegisterNode {
  const children: (FieldNode | InfoNode)[] = [];
  const enabled = slot.kind !== 'vacant';
  children.push({ kind: 'info', name: 'address', text: hex(slot.address) });
  if (enabled) {
    children.push({ kind: 'info', name: 'kind', text: slotKindText(slot) });
    children.push({ kind: 'info', name: 'length', text: slot.kind === 'exec' ? '1 byte (instruction)' : `${slot.len} byte${slot.len === 1 ? '' : 's'}` });
    children.push({ kind: 'info', name: 'symbol', text: slot.label || '—' });
    const owners = slot.breakpointIds.length ? slot.breakpointIds.map((id) => `#${id}`).join(', ') : '—';
    const owner: InfoNode = { kind: 'info', name: 'breakpoint', text: `${owners}${slot.breakpointIds.length > 1 ? ' (shared slot)' : ''}` };
    if (slot.breakpointId !== null) owner.reveal = { slot: slot.index, breakpointId: slot.breakpointId, label: slot.label, address: slot.address };
    children.push(owner);
  }
  const summary = enabled ? `${slotKindText(slot)}${slot.kind === 'exec' ? '' : ` ${slot.len}B`} · ${slot.label}${hit ? ' · HIT' : ''}` : 'vacant';
  return { kind: 'register', name: `DR${slot.index}`, value, hex: hex(value), summary, lit: hit, children };
}

/** The whole tree for one stop. */
export function buildRegisterTree(body: DebugRegistersBody, stop: X86StopInfo | undefined): SectionNode[] {
  const dr6 = shownDr6(body, stop);
  const hits = firedSlots(body, stop);
  const current = stop === undefined || stop.dr6 !== 0;
  const dbg = body.debugger;
  const used = dbg.slots.filter((s) => s.kind !== 'vacant').length;
  const registers: RegisterNode[] = dbg.slots.map((slot) => debuggerSlotNode(slot, dbg.dr[slot.index] ?? slot.address, hits.includes(slot.index)));
  registers.push({ kind: 'register', name: 'DR7', value: dbg.dr7, hex: hex(dbg.dr7), summary: dr7Summary(dbg.dr7), lit: hits.length > 0, children: dr7Fields(dbg.dr7, hits) });
  registers.push({ kind: 'register', name: 'DR6', value: dr6, hex: hex(dr6), summary: dr6Summary(dr6), lit: current && (hits.length > 0 || (dr6 & (DR6_BS | DR6_BD | DR6_BT)) !== 0), children: dr6Fields(dr6, current) });
  const sections: SectionNode[] = [
    { kind: 'section', id: 'debugger', name: 'Debugger (x86dbg)', summary: `${used} of 4 slots in use${hits.length ? ` · DR${hits.join(', DR')} fired` : ''}`, registers },
  ];
  const guest = body.guest;
  if (guest) {
    const guestHits = decodeDr6(guest.dr6).hits;
    const guestRegisters: RegisterNode[] = guest.dr.map((value, n) => ({
      kind: 'register' as const,
      name: `DR${n}`,
      value,
      hex: hex(value),
      summary: decodeDr7(guest.dr7).slots[n].enabled ? `${RW_MEANING[slotRw(guest.dr7, n)]} (enabled by the guest)` : 'not enabled',
      lit: false,
      children: [],
    }));
    guestRegisters.push({ kind: 'register', name: 'DR7', value: guest.dr7, hex: hex(guest.dr7), summary: dr7Summary(guest.dr7), lit: false, children: dr7Fields(guest.dr7, []) });
    guestRegisters.push({ kind: 'register', name: 'DR6', value: guest.dr6, hex: hex(guest.dr6), summary: dr6Summary(guest.dr6), lit: false, children: dr6Fields(guest.dr6, false) });
    sections.push({ kind: 'section', id: 'guest', name: 'Guest (its own DR0–DR7)', summary: guestHits.length ? `last #DB: B${guestHits.join(' B')}` : dr7Summary(guest.dr7), registers: guestRegisters });
  } else {
    sections.push({ kind: 'section', id: 'guest', name: 'Guest (its own DR0–DR7)', summary: 'no machine yet', registers: [] });
  }
  return sections;
}

/** Children of a node, for a tree view. */
export function childrenOf(node: DebugRegisterTreeNode): DebugRegisterTreeNode[] {
  if (node.kind === 'section') return node.registers;
  if (node.kind === 'register') return node.children;
  return [];
}

/** `value` of a field in binary with its width (`0b01`), for display. */
export function fieldBits(field: FieldNode): string {
  return field.value.toString(2).padStart(field.width, '0');
}
