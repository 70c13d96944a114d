// Register identifiers and names for every width the ISA knows: 8-bit (incl. AH..BH and the REX-only
// SPL/BPL/SIL/DIL), 16/32/64-bit general registers, segment, control, debug, instruction pointer,
// and (names only, never executed) x87/MMX/XMM. Ids are small integers: id = kind * 16 + number.
// Imports nothing.

/** A register id: `kind * 16 + number` (see RegKind). Use the `Reg` constants, never raw numbers. */
export type RegId = number;

/** Register classes; the high nibble of a RegId. */
export const RegKind = {
  /** AL, CL, DL, BL, SPL, BPL, SIL, DIL, R8B..R15B (number = GPR index 0..15). */
  Gpr8: 0,
  /** AH, CH, DH, BH (number = the GPR index 0..3 whose bits 8..15 they are). */
  Gpr8High: 1,
  Gpr16: 2,
  Gpr32: 3,
  Gpr64: 4,
  /** ES, CS, SS, DS, FS, GS (number = the ModRM.reg encoding 0..5). */
  Segment: 5,
  /** CR0..CR15 (only 0, 2, 3, 4, 8 exist architecturally). */
  Control: 6,
  /** DR0..DR7 (DR8..DR15 are #UD). */
  Debug: 7,
  /** IP (0), EIP (1), RIP (2). */
  InstructionPointer: 8,
  /** x87 ST0..ST7: named for the grammar and the formatter only. */
  X87: 9,
  /** MM0..MM7: named only. */
  Mmx: 10,
  /** XMM0..XMM15: named only. */
  Xmm: 11,
} as const;
export type RegKindId = (typeof RegKind)[keyof typeof RegKind];

const gpr64Names = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const gpr32Names = ['eax', 'ecx', 'edx', 'ebx', 'esp', 'ebp', 'esi', 'edi', 'r8d', 'r9d', 'r10d', 'r11d', 'r12d', 'r13d', 'r14d', 'r15d'];
const gpr16Names = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di', 'r8w', 'r9w', 'r10w', 'r11w', 'r12w', 'r13w', 'r14w', 'r15w'];
const gpr8Names = ['al', 'cl', 'dl', 'bl', 'spl', 'bpl', 'sil', 'dil', 'r8b', 'r9b', 'r10b', 'r11b', 'r12b', 'r13b', 'r14b', 'r15b'];
const gpr8HighNames = ['ah', 'ch', 'dh', 'bh'];
const segmentNames = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'];
const ipNames = ['ip', 'eip', 'rip'];

/** Named register ids. */
export const Reg = {
  AL: 0x00, CL: 0x01, DL: 0x02, BL: 0x03, SPL: 0x04, BPL: 0x05, SIL: 0x06, DIL: 0x07,
  R8B: 0x08, R9B: 0x09, R10B: 0x0a, R11B: 0x0b, R12B: 0x0c, R13B: 0x0d, R14B: 0x0e, R15B: 0x0f,
  AH: 0x10, CH: 0x11, DH: 0x12, BH: 0x13,
  AX: 0x20, CX: 0x21, DX: 0x22, BX: 0x23, SP: 0x24, BP: 0x25, SI: 0x26, DI: 0x27,
  R8W: 0x28, R9W: 0x29, R10W: 0x2a, R11W: 0x2b, R12W: 0x2c, R13W: 0x2d, R14W: 0x2e, R15W: 0x2f,
  EAX: 0x30, ECX: 0x31, EDX: 0x32, EBX: 0x33, ESP: 0x34, EBP: 0x35, ESI: 0x36, EDI: 0x37,
  R8D: 0x38, R9D: 0x39, R10D: 0x3a, R11D: 0x3b, R12D: 0x3c, R13D: 0x3d, R14D: 0x3e, R15D: 0x3f,
  RAX: 0x40, RCX: 0x41, RDX: 0x42, RBX: 0x43, RSP: 0x44, RBP: 0x45, RSI: 0x46, RDI: 0x47,
  R8: 0x48, R9: 0x49, R10: 0x4a, R11: 0x4b, R12: 0x4c, R13: 0x4d, R14: 0x4e, R15: 0x4f,
  ES: 0x50, CS: 0x51, SS: 0x52, DS: 0x53, FS: 0x54, GS: 0x55,
  CR0: 0x60, CR2: 0x62, CR3: 0x63, CR4: 0x64, CR8: 0x68,
  DR0: 0x70, DR1: 0x71, DR2: 0x72, DR3: 0x73, DR4: 0x74, DR5: 0x75, DR6: 0x76, DR7: 0x77,
  IP: 0x80, EIP: 0x81, RIP: 0x82,
} as const;

/** The class of a register id. */
export function regKind(id: RegId): number {
  return id >> 4;
}

/** The number within its class: GPR index 0..15 (AH..BH → 0..3), segment 0..5, CRn/DRn n. */
export function regNumber(id: RegId): number {
  return id & 15;
}

/** Build a register id from class and number. */
export function makeReg(kind: RegKindId, num: number): RegId {
  return (kind << 4) | (num & 15);
}

/** The GPR id of the given width (1, 2, 4, 8 bytes) and index; index 4..7 at width 1 is SPL..DIL. */
export function gpr(sizeBytes: number, index: number): RegId {
  switch (sizeBytes) {
    case 1: return index & 15;
    case 2: return 0x20 | (index & 15);
    case 4: return 0x30 | (index & 15);
    default: return 0x40 | (index & 15);
  }
}

/** Width in bytes of a register (segment registers: 2; CR/DR/IP: 8, their architectural maximum). */
export function regSize(id: RegId): number {
  switch (id >> 4) {
    case RegKind.Gpr8:
    case RegKind.Gpr8High: return 1;
    case RegKind.Gpr16:
    case RegKind.Segment: return 2;
    case RegKind.Gpr32: return 4;
    case RegKind.X87: return 10;
    case RegKind.Xmm: return 16;
    case RegKind.InstructionPointer: return id === Reg.IP ? 2 : id === Reg.EIP ? 4 : 8;
    default: return 8;
  }
}

/** true for general-purpose registers of any width (incl. AH..BH). */
export function isGpr(id: RegId): boolean {
  return id >= 0 && id < 0x50;
}

/** NASM name (lower case) of a register id, or undefined if the id names nothing. */
export function regName(id: RegId): string | undefined {
  const n = id & 15;
  switch (id >> 4) {
    case RegKind.Gpr8: return gpr8Names[n];
    case RegKind.Gpr8High: return gpr8HighNames[n];
    case RegKind.Gpr16: return gpr16Names[n];
    case RegKind.Gpr32: return gpr32Names[n];
    case RegKind.Gpr64: return gpr64Names[n];
    case RegKind.Segment: return segmentNames[n];
    case RegKind.Control: return `cr${n}`;
    case RegKind.Debug: return `dr${n}`;
    case RegKind.InstructionPointer: return ipNames[n];
    case RegKind.X87: return n < 8 ? `st${n}` : undefined;
    case RegKind.Mmx: return n < 8 ? `mm${n}` : undefined;
    case RegKind.Xmm: return `xmm${n}`;
    default: return undefined;
  }
}

function buildNameMap(): Map<string, RegId> {
  const m = new Map<string, RegId>();
  const add = (names: readonly string[], kind: number): void => names.forEach((name, i) => m.set(name, (kind << 4) | i));
  add(gpr8Names, RegKind.Gpr8);
  add(gpr8HighNames, RegKind.Gpr8High);
  add(gpr16Names, RegKind.Gpr16);
  add(gpr32Names, RegKind.Gpr32);
  add(gpr64Names, RegKind.Gpr64);
  add(segmentNames, RegKind.Segment);
  add(ipNames, RegKind.InstructionPointer);
  for (let i = 0; i < 16; i++) {
    m.set(`cr${i}`, (RegKind.Control << 4) | i);
    m.set(`dr${i}`, (RegKind.Debug << 4) | i);
    m.set(`xmm${i}`, (RegKind.Xmm << 4) | i);
    if (i < 8) {
      m.set(`st${i}`, (RegKind.X87 << 4) | i);
      m.set(`mm${i}`, (RegKind.Mmx << 4) | i);
    }
  }
  // NASM's alternative spellings of the REX byte registers.
  for (let i = 8; i < 16; i++) m.set(`r${i}l`, i);
  return m;
}

const nameToReg = buildNameMap();

/** Register id for a name (case-insensitive, NASM spellings incl. r8l..r15l), or undefined. */
export function parseReg(name: string): RegId | undefined {
  return nameToReg.get(name.toLowerCase());
}

/** Every register name the assembler and the grammar accept (lower case). */
export const registerNames: readonly string[] = Object.freeze([...nameToReg.keys()]);
