// Bare-metal state decoded for the Segments and Control scopes: segment attributes (type, S, DPL, P,
// AVL, L, D/B, G), selectors (index, TI, RPL), and CR0, CR3, CR4 and EFER bit by bit, each field with
// its name, position and meaning. Pure data and functions; imports nothing.

/** One bit field of a register as a scope shows it. */
export interface BitField {
  name: string;
  /** Lowest bit. */
  bit: number;
  width: number;
  /** What the field is (shown as the variable's type). */
  meaning: string;
}

const flag = (name: string, bit: number, meaning: string): BitField => ({ name, bit, width: 1, meaning });

/** CR0 (SDM Vol. 3 §2.5, Figure 2-7). */
const CR0_FIELDS: BitField[] = [
  flag('PE', 0, 'protection enable'),
  flag('MP', 1, 'monitor coprocessor'),
  flag('EM', 2, 'x87 emulation'),
  flag('TS', 3, 'task switched'),
  flag('ET', 4, 'extension type'),
  flag('NE', 5, 'numeric error'),
  flag('WP', 16, 'write protect (supervisor writes honour R/W)'),
  flag('AM', 18, 'alignment mask'),
  flag('NW', 29, 'not write-through'),
  flag('CD', 30, 'cache disable'),
  flag('PG', 31, 'paging'),
];

/** CR3 without PCIDs (SDM Vol. 3 §4.5 Table 4-12 / §4.3 Table 4-3). */
const CR3_FIELDS: BitField[] = [flag('PWT', 3, 'page-level write-through'), flag('PCD', 4, 'page-level cache disable'), { name: 'base', bit: 12, width: 40, meaning: 'physical address of the top paging structure (>> 12)' }];

/** CR4 (SDM Vol. 3 §2.5, Figure 2-7). */
const CR4_FIELDS: BitField[] = [
  flag('VME', 0, 'virtual-8086 mode extensions'),
  flag('PVI', 1, 'protected-mode virtual interrupts'),
  flag('TSD', 2, 'time stamp disable'),
  flag('DE', 3, 'debugging extensions (DR4/DR5 #UD, I/O breakpoints)'),
  flag('PSE', 4, 'page size extensions'),
  flag('PAE', 5, 'physical address extension'),
  flag('MCE', 6, 'machine-check enable'),
  flag('PGE', 7, 'page global enable'),
  flag('PCE', 8, 'performance-monitoring counter enable'),
  flag('OSFXSR', 9, 'FXSAVE/FXRSTOR support'),
  flag('OSXMMEXCPT', 10, 'unmasked SIMD FP exceptions'),
  flag('UMIP', 11, 'user-mode instruction prevention'),
  flag('LA57', 12, '57-bit linear addresses'),
  flag('VMXE', 13, 'VMX enable'),
  flag('SMXE', 14, 'SMX enable'),
  flag('FSGSBASE', 16, 'RDFSBASE etc. enable'),
  flag('PCIDE', 17, 'PCID enable'),
  flag('OSXSAVE', 18, 'XSAVE enable'),
  flag('SMEP', 20, 'supervisor-mode execution prevention'),
  flag('SMAP', 21, 'supervisor-mode access prevention'),
  flag('PKE', 22, 'protection keys'),
];

/** IA32_EFER (SDM Vol. 3 §2.2.1, Figure 2-4). */
const EFER_FIELDS: BitField[] = [flag('SCE', 0, 'SYSCALL enable'), flag('LME', 8, 'IA-32e mode enable'), flag('LMA', 10, 'IA-32e mode active'), flag('NXE', 11, 'execute-disable enable')];

/** Bit fields of a control register by its name, when it has any. */
export function controlFields(name: string): BitField[] | undefined {
  switch (name) {
    case 'cr0':
      return CR0_FIELDS;
    case 'cr3':
      return CR3_FIELDS;
    case 'cr4':
      return CR4_FIELDS;
    case 'efer':
      return EFER_FIELDS;
    default:
      return undefined;
  }
}

/** A field's value in a register value (exact for fields up to 53 bits). */
export function fieldValue(value: bigint, f: BitField): bigint {
  return (value >> BigInt(f.bit)) & ((1n << BigInt(f.width)) - 1n);
}

/** Names of the 1-bit fields that are set, e.g. "PE PG". */
export function setFlagNames(value: bigint, fields: BitField[]): string {
  return fields
    .filter((f) => f.width === 1 && fieldValue(value, f) === 1n)
    .map((f) => f.name)
    .join(' ');
}

const DATA_TYPES = ['read-only', 'read-only, accessed', 'read/write', 'read/write, accessed', 'read-only, expand-down', 'read-only, expand-down, accessed', 'read/write, expand-down', 'read/write, expand-down, accessed'];
const CODE_TYPES = ['execute-only', 'execute-only, accessed', 'execute/read', 'execute/read, accessed', 'execute-only, conforming', 'execute-only, conforming, accessed', 'execute/read, conforming', 'execute/read, conforming, accessed'];
const SYSTEM_TYPES: Record<number, string> = {
  1: '16-bit TSS (available)',
  2: 'LDT',
  3: '16-bit TSS (busy)',
  4: '16-bit call gate',
  5: 'task gate',
  6: '16-bit interrupt gate',
  7: '16-bit trap gate',
  9: '32/64-bit TSS (available)',
  11: '32/64-bit TSS (busy)',
  12: '32/64-bit call gate',
  14: '32/64-bit interrupt gate',
  15: '32/64-bit trap gate',
};

/** The descriptor type field (SDM Vol. 3 §3.4.5.1 Table 3-1, §3.5 Table 3-2) in words. */
function segmentTypeText(attributes: number): string {
  const type = attributes & 0xf;
  if ((attributes & 0x10) === 0) return `system: ${SYSTEM_TYPES[type] ?? 'reserved'}`;
  return type & 8 ? `code, ${CODE_TYPES[type & 7]}` : `data, ${DATA_TYPES[type & 7]}`;
}

/** One row of a decoded segment. */
export interface SegmentRow {
  name: string;
  value: string;
  type: string;
}

/** Selector fields and the hidden attributes (VMX layout) of a segment register, row by row. */
export function segmentRows(selector: number, attributes: number, real: boolean): SegmentRow[] {
  const bit = (n: number): string => String((attributes >>> n) & 1);
  const rows: SegmentRow[] = [
    { name: 'index', value: String(selector >>> 3), type: real ? 'selector bits 15:3 (real mode: base = selector × 16)' : 'selector bits 15:3: descriptor number' },
    { name: 'TI', value: String((selector >>> 2) & 1), type: 'table indicator: 0 GDT, 1 LDT' },
    { name: 'RPL', value: String(selector & 3), type: 'requested privilege level' },
    { name: 'type', value: `${(attributes & 0xf).toString(2).padStart(4, '0')} (${segmentTypeText(attributes)})`, type: 'descriptor type, bits 3:0' },
    { name: 'S', value: bit(4), type: '1: code/data, 0: system' },
    { name: 'DPL', value: String((attributes >>> 5) & 3), type: 'descriptor privilege level' },
    { name: 'P', value: bit(7), type: 'present' },
    { name: 'AVL', value: bit(12), type: 'available to software' },
    { name: 'L', value: bit(13), type: '64-bit code segment' },
    { name: 'D/B', value: bit(14), type: 'default operand size / stack size: 1 = 32-bit' },
    { name: 'G', value: bit(15), type: 'granularity: 1 = limit in 4 KiB units' },
  ];
  return rows;
}

/** "code, execute/read, accessed · DPL 0 · 64-bit" — the summary shown beside a segment. */
export function segmentSummary(attributes: number, real: boolean): string {
  if (real) return 'real mode';
  if ((attributes & 0x80) === 0) return 'not present / unusable';
  const size = attributes & 0x2000 ? '64-bit' : attributes & 0x4000 ? '32-bit' : '16-bit';
  return `${segmentTypeText(attributes)} · DPL ${(attributes >>> 5) & 3} · ${size}`;
}
