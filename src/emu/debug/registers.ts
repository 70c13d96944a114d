// DR6/DR7 bit layout: constants, write masks, and field encode/decode for the debug unit, the
// adapter's slot allocator, the CLI and the Debug Registers view (SDM Vol. 3 §17.2.4, §17.2.3).
// Pure data and arithmetic; imports nothing. Values assume a CPU without RTM and without
// Bus-Lock-Detect, so DR6 bits 4–11 and 16–31 read as 1 (x86-debug-registers.md §3.3).

/** DR6 after reset, and the bits that read as 1 whatever is written (DR6_ACTIVE_LOW). */
export const DR6_RESET = 0xffff0ff0;
/** DR6 bits software (or a #DB) can change: B0–B3, BD, BS, BT. Bit 12 reads 0. */
export const DR6_WRITABLE = 0x0000e00f;
/** DR6.B0–B3: which slots matched. */
export const DR6_B_MASK = 0x0000000f;
/** DR6.BD (bit 13): the #DB is a general-detect fault. */
export const DR6_BD = 0x00002000;
/** DR6.BS (bit 14): single-step trap (EFLAGS.TF). */
export const DR6_BS = 0x00004000;
/** DR6.BT (bit 15): task-switch trap (TSS.T). */
export const DR6_BT = 0x00008000;
/** DR7 after reset; bit 10 always reads 1. */
export const DR7_RESET = 0x00000400;
/** DR7 bits that keep what is written (KVM DR7_VOLATILE); bits 12, 14, 15 read 0. */
export const DR7_WRITABLE = 0xffff2bff;
/** DR7.L0–L3/G0–G3: slot n is enabled iff bit 2n or 2n+1 is set. */
export const DR7_ENABLE_MASK = 0x000000ff;
/** DR7.GD (bit 13): general detect — MOV to/from any DRn raises a #DB fault. */
export const DR7_GD = 0x00002000;
/** DR7.L0–L3 and LE: cleared by a hardware task switch (SDM §17.2.4). */
export const DR7_LOCAL_MASK = 0x00000155;

/** EFLAGS.TF (bit 8) and EFLAGS.RF (bit 16). */
export const EFLAGS_TF = 0x00000100;
export const EFLAGS_RF = 0x00010000;
/** CR4.DE (bit 3): debugging extensions (I/O breakpoints; DR4/DR5 raise #UD). */
export const CR4_DE = 0x00000008;

/** What a slot's R/W field asks for. R/W = 10 is I/O only with CR4.DE = 1 (undefined otherwise). */
export type SlotKind = 'exec' | 'write' | 'io' | 'readwrite';
/** Slot lengths in bytes that DR7.LEN can encode. */
export type SlotLength = 1 | 2 | 4 | 8;

const KIND_BY_RW: readonly SlotKind[] = ['exec', 'write', 'io', 'readwrite'];
/** LEN code → bytes: 00 = 1, 01 = 2, 10 = 8, 11 = 4 (SDM §17.2.4 notes). */
const LENGTH_BY_CODE: readonly SlotLength[] = [1, 2, 8, 4];

/** DR6 value a software write of `value` leaves (bit 12 cleared, fixed ones set). */
export function dr6AfterWrite(value: number): number {
  return ((value & DR6_WRITABLE) | DR6_RESET) >>> 0;
}

/** DR7 value a software write of `value` leaves (bits 12, 14, 15 cleared, bit 10 set). */
export function dr7AfterWrite(value: number): number {
  return ((value & DR7_WRITABLE) | DR7_RESET) >>> 0;
}

/**
 * DR6 after a #DB is delivered with `payload` (B0–B3 of this event plus BD/BS/BT):
 * B0–B3 are replaced, BD/BS/BT are ORed in and stay (sticky) — SDM §17.2.3,
 * KVM kvm_deliver_exception_payload.
 */
export function dr6AfterDebugException(dr6: number, payload: number): number {
  return ((dr6 & (DR6_BD | DR6_BS | DR6_BT)) | (payload & DR6_WRITABLE) | DR6_RESET) >>> 0;
}

/** What each R/W code of DR7 means (SDM Vol. 3 §17.2.4; 10 = I/O only with CR4.DE). */
export const RW_MEANING: readonly string[] = ['execute', 'write', 'I/O read/write', 'read/write'];
/** How many bytes each LEN code of DR7 covers, in words (10 = 8 bytes in IA-32e mode). */
export const LEN_MEANING: readonly string[] = ['1 byte', '2 bytes', '8 bytes', '4 bytes'];

/** The 2-bit R/W field of slot n. */
export function slotRw(dr7: number, slot: number): number {
  return (dr7 >>> (16 + 4 * slot)) & 3;
}

/** The 2-bit LEN field of slot n. */
export function slotLenCode(dr7: number, slot: number): number {
  return (dr7 >>> (18 + 4 * slot)) & 3;
}

/** What slot n of this DR7 watches for (R/W field). */
export function slotKind(dr7: number, slot: number): SlotKind {
  return KIND_BY_RW[slotRw(dr7, slot)];
}

/** Bytes slot n covers (LEN field). Exec slots use 1 whatever LEN says (REC, §2). */
export function slotLength(dr7: number, slot: number): SlotLength {
  return slotRw(dr7, slot) === 0 ? 1 : LENGTH_BY_CODE[slotLenCode(dr7, slot)];
}

/** true when slot n has L or G set. */
export function slotEnabled(dr7: number, slot: number): boolean {
  return ((dr7 >>> (2 * slot)) & 3) !== 0;
}

/** The LEN code that encodes `length` bytes. */
export function lenCode(length: SlotLength): number {
  return length === 1 ? 0 : length === 2 ? 1 : length === 8 ? 2 : 3;
}

/** The R/W code of a slot kind. */
export function rwCode(kind: SlotKind): number {
  return KIND_BY_RW.indexOf(kind);
}

/** Which enable bit(s) to set when encoding a slot. */
export type SlotEnable = 'local' | 'global' | 'both';

/**
 * DR7 with slot n set to (kind, length) and enabled; other slots untouched. Exec slots get LEN 00.
 * Bit 10 is set so the result reads back unchanged.
 */
export function encodeSlot(dr7: number, slot: number, kind: SlotKind, length: SlotLength, enable: SlotEnable = 'local'): number {
  const nibble = ((kind === 'exec' ? 0 : lenCode(length)) << 2) | rwCode(kind);
  const en = enable === 'local' ? 1 : enable === 'global' ? 2 : 3;
  const cleared = clearSlot(dr7, slot);
  return (cleared | (nibble << (16 + 4 * slot)) | (en << (2 * slot)) | DR7_RESET) >>> 0;
}

/** DR7 with slot n disabled and its R/W/LEN nibble cleared. */
export function clearSlot(dr7: number, slot: number): number {
  return (dr7 & ~(0xf << (16 + 4 * slot)) & ~(3 << (2 * slot))) >>> 0;
}

/** One slot of DR7 decoded. */
export interface DecodedSlot {
  index: number;
  local: boolean;
  global: boolean;
  enabled: boolean;
  kind: SlotKind;
  /** Bytes covered (from LEN; 1 for exec slots). */
  length: SlotLength;
  /** Raw LEN field, for display (exec slots may carry a nonzero, undefined LEN). */
  lenCode: number;
}

/** DR7 decoded field by field. */
export interface DecodedDr7 {
  slots: DecodedSlot[];
  le: boolean;
  ge: boolean;
  /** Bit 11: RTM debugging on TSX CPUs, otherwise reserved (kept when written). */
  rtm: boolean;
  gd: boolean;
}

/** Decode every field of DR7. */
export function decodeDr7(dr7: number): DecodedDr7 {
  const slots: DecodedSlot[] = [];
  for (let n = 0; n < 4; n++) {
    slots.push({
      index: n,
      local: ((dr7 >>> (2 * n)) & 1) !== 0,
      global: ((dr7 >>> (2 * n + 1)) & 1) !== 0,
      enabled: slotEnabled(dr7, n),
      kind: slotKind(dr7, n),
      length: slotLength(dr7, n),
      lenCode: slotLenCode(dr7, n),
    });
  }
  return { slots, le: (dr7 & 0x100) !== 0, ge: (dr7 & 0x200) !== 0, rtm: (dr7 & 0x800) !== 0, gd: (dr7 & DR7_GD) !== 0 };
}

/** DR6 decoded field by field. */
export interface DecodedDr6 {
  /** Slots whose B bit is set, ascending. */
  hits: number[];
  bd: boolean;
  bs: boolean;
  bt: boolean;
}

/** Decode the status fields of DR6. */
export function decodeDr6(dr6: number): DecodedDr6 {
  const hits: number[] = [];
  for (let n = 0; n < 4; n++) if ((dr6 >>> n) & 1) hits.push(n);
  return { hits, bd: (dr6 & DR6_BD) !== 0, bs: (dr6 & DR6_BS) !== 0, bt: (dr6 & DR6_BT) !== 0 };
}

/** First byte covered by a data/I/O slot: DRn masked down to LEN alignment (REC, §4.1). */
export function slotStart(address: number, length: SlotLength): number {
  return address - (address % length);
}

/** Slots enabled (L or G) in `dr7`, bit n for slot n. */
export function enabledMask(dr7: number): number {
  let mask = 0;
  for (let n = 0; n < 4; n++) if (slotEnabled(dr7, n)) mask |= 1 << n;
  return mask;
}

/**
 * Guest slots that take part in matching: the enabled ones, plus disabled slots of a class (exec,
 * data, I/O) in which some slot is enabled, so their B bits are reported with an enabled hit
 * (§3.2 REC, Bochs hwdebug_compare). No enabled slot of a class → that class costs nothing.
 */
export function guestIncluded(dr7: number, enabled: number): number {
  let classesEnabled = 0;
  for (let n = 0; n < 4; n++) if ((enabled >>> n) & 1) classesEnabled |= classBit(dr7, n);
  let include = 0;
  for (let n = 0; n < 4; n++) if (classBit(dr7, n) & classesEnabled) include |= 1 << n;
  return include;
}

function classBit(dr7: number, slot: number): number {
  const kind = slotKind(dr7, slot);
  return kind === 'exec' ? 1 : kind === 'io' ? 4 : 2;
}
