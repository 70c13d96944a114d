// The machine state as JSON (docs/machine-state.md): registers, flags, segments with hidden parts,
// control registers, descriptor-table registers, the guest's debug registers, memory regions and
// their non-zero contents. saveState() produces it; loadState() applies a full or partial state
// (absent fields keep their current values) and reports problems as a result, never by throwing.
// Imports the CPU core and isa register names.
import { Reg, parseReg, regName } from '../isa/registers';
import type { Machine } from './machine';
import { PAGE_SIZE, PERM_R, PERM_W, PERM_X } from './memory';

/** A 64-bit value: "0x..." hex string (exact), or a number (exact below 2^53). */
export type Value = string | number;

export interface SegmentJson {
  selector: Value;
  base: Value;
  limit: Value;
  attributes: Value;
}

export interface MemoryRegionJson {
  address: Value;
  size: Value;
  /** "rwx" subset, e.g. "r-x" or "rw" (order free, '-' ignored). */
  perm?: string;
  name?: string;
}

export interface MemoryContentJson {
  address: Value;
  /** Bytes as hex pairs ("90c3..."), whitespace allowed. */
  hex: string;
}

export interface MachineStateJson {
  format: 'x86dbg-machine-state';
  version: 1;
  /** Informative on save ('real', 'protected32', 'long64', ...); on load it selects the start mode when present. */
  mode?: string;
  cpl?: number;
  /** GPRs (rax..r15 or any narrower name), rip, rflags. */
  registers?: Record<string, Value>;
  segments?: Partial<Record<'es' | 'cs' | 'ss' | 'ds' | 'fs' | 'gs', SegmentJson>>;
  control?: { cr0?: Value; cr2?: Value; cr3?: Value; cr4?: Value; cr8?: Value; efer?: Value };
  tables?: { gdtr?: { base: Value; limit: Value }; idtr?: { base: Value; limit: Value } };
  /** The guest's DR0-DR3, DR6, DR7. */
  debug?: Partial<Record<'dr0' | 'dr1' | 'dr2' | 'dr3' | 'dr6' | 'dr7', Value>>;
  a20?: boolean;
  /**
   * True when the guest's page tables translate linear addresses (a bare-metal guest that turned
   * paging on); false or absent: linear = physical even with CR0.PG set (Linux user mode, whose
   * environment maps memory itself).
   */
  paging?: boolean;
  instructions?: number;
  /** Mapped regions (on load: mapped when not already mapped). */
  regions?: MemoryRegionJson[];
  /** Memory contents to write (on save: every materialised page with non-zero bytes, zero tail trimmed). */
  memory?: MemoryContentJson[];
}

export type LoadStateResult = { ok: true } | { ok: false; message: string };

const SEGS = ['es', 'cs', 'ss', 'ds', 'fs', 'gs'] as const;
const GPR64 = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];

function hex(v: bigint | number): string {
  return '0x' + v.toString(16);
}

/** Parse a Value into a bigint; undefined on bad input. */
export function parseValue(v: unknown): bigint | undefined {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? BigInt(v) : undefined;
  if (typeof v !== 'string') return undefined;
  const s = v.trim().replace(/_/g, '');
  if (!/^-?(0x[0-9a-f]+|[0-9]+)$/i.test(s)) return undefined;
  const neg = s.startsWith('-');
  const b = BigInt(neg ? s.slice(1) : s);
  return neg ? BigInt.asUintN(64, -b) : b;
}

function permString(p: number): string {
  return (p & PERM_R ? 'r' : '-') + (p & PERM_W ? 'w' : '-') + (p & PERM_X ? 'x' : '-');
}

function parsePerm(s: string | undefined): number {
  if (s === undefined) return PERM_R | PERM_W | PERM_X;
  return (s.includes('r') ? PERM_R : 0) | (s.includes('w') ? PERM_W : 0) | (s.includes('x') ? PERM_X : 0);
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += (b < 16 ? '0' : '') + b.toString(16);
  return s;
}

/** The full machine state as a JSON-serialisable object. */
export function saveState(m: Machine): MachineStateJson {
  const registers: Record<string, Value> = {};
  for (let i = 0; i < 16; i++) registers[GPR64[i]] = hex(m.getRegister(Reg.RAX + i));
  registers.rip = hex(m.getRip());
  registers.rflags = hex(m.getRflags());
  const segments: MachineStateJson['segments'] = {};
  SEGS.forEach((name, i) => {
    const s = m.getSegment(i);
    segments[name] = { selector: hex(s.selector), base: hex(s.base), limit: hex(s.limit), attributes: hex(s.attributes) };
  });
  const g = m.debug.guestRegisters();
  const regions = m.regions().map((r) => ({ address: hex(r.start), size: hex(r.end - r.start), perm: permString(r.perm), name: r.name }));
  const memory: MemoryContentJson[] = [];
  const pages = [...m.mem.touchedPages()].sort((a, b) => a.number - b.number);
  for (const p of pages) {
    let end = PAGE_SIZE;
    while (end > 0 && p.data[end - 1] === 0) end--;
    if (end === 0) continue;
    memory.push({ address: hex(p.number * PAGE_SIZE), hex: toHex(p.data.subarray(0, end)) });
  }
  return {
    format: 'x86dbg-machine-state',
    version: 1,
    mode: m.modeName(),
    cpl: m.cpl,
    registers,
    segments,
    control: { cr0: hex(m.cr0 >>> 0), cr2: hex(m.cr2), cr3: hex(m.cr3), cr4: hex(m.cr4 >>> 0), cr8: hex(m.cr8), efer: hex(m.efer) },
    tables: { gdtr: { base: hex(m.gdtrBase), limit: hex(m.gdtrLimit) }, idtr: { base: hex(m.idtrBase), limit: hex(m.idtrLimit) } },
    debug: { dr0: hex(g.dr[0]), dr1: hex(g.dr[1]), dr2: hex(g.dr[2]), dr3: hex(g.dr[3]), dr6: hex(g.dr6), dr7: hex(g.dr7) },
    a20: m.a20Mask !== 0xfffff,
    paging: m.pagingEnabled(),
    instructions: m.icount,
    regions,
    memory,
  };
}

/** Apply a (possibly partial) state. Fields are validated before anything changes. */
export function loadState(m: Machine, input: unknown): LoadStateResult {
  if (typeof input !== 'object' || input === null) return { ok: false, message: 'state must be a JSON object' };
  const s = input as MachineStateJson;
  if (s.format !== undefined && s.format !== 'x86dbg-machine-state') return { ok: false, message: `unknown state format ${String(s.format)}` };
  // Validate everything first.
  const regs: [number, bigint][] = [];
  for (const [name, v] of Object.entries(s.registers ?? {})) {
    const val = parseValue(v);
    if (val === undefined) return { ok: false, message: `register ${name}: bad value ${JSON.stringify(v)}` };
    const lname = name.toLowerCase();
    if (lname === 'rflags' || lname === 'eflags' || lname === 'flags') { regs.push([-1, val]); continue; }
    const id = parseReg(lname);
    if (id === undefined || regName(id) === undefined) return { ok: false, message: `unknown register ${name}` };
    regs.push([id, val]);
  }
  const mode = s.mode;
  if (mode !== undefined && !['real', 'protected32', 'long64', 'protected16', 'compat32', 'compat16'].includes(mode)) return { ok: false, message: `unknown mode ${mode}` };
  const cpl = s.cpl ?? (mode === 'real' ? 0 : m.cpl);
  if (cpl !== 0 && cpl !== 3 && cpl !== 1 && cpl !== 2) return { ok: false, message: `bad cpl ${String(cpl)}` };
  const memWrites: [number, Uint8Array][] = [];
  for (const c of s.memory ?? []) {
    const a = parseValue(c.address);
    const h = typeof c.hex === 'string' ? c.hex.replace(/\s+/g, '') : '';
    if (a === undefined || h.length % 2 !== 0 || !/^[0-9a-f]*$/i.test(h)) return { ok: false, message: `memory entry at ${String(c.address)}: bad address or hex` };
    const bytes = new Uint8Array(h.length / 2);
    for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(h.substr(i * 2, 2), 16);
    memWrites.push([Number(a), bytes]);
  }
  // Apply.
  if (mode === 'real') m.start('real');
  else if (mode === 'protected32' || mode === 'protected16') m.start('protected32', cpl === 3 ? 3 : 0);
  else if (mode === 'long64' || mode === 'compat32' || mode === 'compat16') m.start('long64', cpl === 3 ? 3 : 0);
  const c = s.control;
  if (c) {
    for (const [k, v] of Object.entries(c)) {
      const val = parseValue(v);
      if (val === undefined) return { ok: false, message: `control ${k}: bad value` };
      const n = Number(val);
      if (k === 'cr0') m.cr0 = n >>> 0;
      else if (k === 'cr2') m.cr2 = n;
      else if (k === 'cr3') m.cr3 = n;
      else if (k === 'cr4') m.cr4 = n >>> 0;
      else if (k === 'cr8') m.cr8 = n & 15;
      else if (k === 'efer') m.efer = n;
      else return { ok: false, message: `unknown control register ${k}` };
    }
  }
  for (const [i, name] of SEGS.entries()) {
    const seg = s.segments?.[name];
    if (!seg) continue;
    const sel = parseValue(seg.selector);
    const base = parseValue(seg.base);
    const limit = parseValue(seg.limit);
    const attr = parseValue(seg.attributes);
    if (sel === undefined || base === undefined || limit === undefined || attr === undefined) return { ok: false, message: `segment ${name}: bad field` };
    m.setSegment(i, { selector: Number(sel), base: Number(base & 0xffffffffffffn), limit: Number(limit), attributes: Number(attr) });
  }
  if (s.cpl !== undefined) m.cpl = s.cpl;
  m.updateMode();
  if (s.tables?.gdtr) { m.gdtrBase = Number(parseValue(s.tables.gdtr.base) ?? 0n); m.gdtrLimit = Number(parseValue(s.tables.gdtr.limit) ?? 0xffffn); }
  if (s.tables?.idtr) { m.idtrBase = Number(parseValue(s.tables.idtr.base) ?? 0n); m.idtrLimit = Number(parseValue(s.tables.idtr.limit) ?? 0x3ffn); }
  if (s.a20 !== undefined) m.setA20(s.a20);
  for (const [id, val] of regs) {
    if (id === -1) m.setRflags(Number(val & 0xffffffffn));
    else m.setRegister(id, val);
  }
  if (s.debug) {
    for (const [k, v] of Object.entries(s.debug)) {
      const val = parseValue(v);
      const n = /^dr([0-367])$/.exec(k);
      if (val === undefined || !n) return { ok: false, message: `debug ${k}: bad name or value` };
      m.debug.setGuestRegister(Number(n[1]), Number(val));
    }
    m.syncDataWatch();
  }
  for (const r of s.regions ?? []) {
    const a = parseValue(r.address);
    const size = parseValue(r.size);
    if (a === undefined || size === undefined) return { ok: false, message: 'region: bad address or size' };
    if (m.mem.isMapped(Number(a), Number(size))) { m.protect(Number(a), Number(size), parsePerm(r.perm)); continue; }
    const res = m.map(Number(a), Number(size), parsePerm(r.perm), r.name ?? '');
    if (!res.ok) return { ok: false, message: `region at ${String(r.address)}: ${res.message}` };
  }
  for (const [a, bytes] of memWrites) {
    for (let p = Math.floor(a / PAGE_SIZE) * PAGE_SIZE; p < a + bytes.length; p += PAGE_SIZE) {
      if (m.mem.isMapped(p)) continue;
      const res = m.map(p, PAGE_SIZE, PERM_R | PERM_W | PERM_X, 'state');
      if (!res.ok) return { ok: false, message: `memory at 0x${a.toString(16)}: ${res.message}` };
    }
    m.writeMemory(a, bytes);
  }
  if (typeof s.instructions === 'number' && Number.isSafeInteger(s.instructions)) m.icount = s.instructions;
  // Latch translation from CR0/CR4/EFER only when the state says the guest's page tables are in use.
  if (s.paging === true) m.flushTlb();
  return { ok: true };
}
