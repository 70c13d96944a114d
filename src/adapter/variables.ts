// Scopes and variables: Registers (GPRs for the mode, RIP, RFLAGS with each flag as a child),
// Segments, Control, Debug (DR0–DR3, DR6, DR7 decoded field by field, debugger and guest layers),
// Symbols (data labels typed by their directive, arrays expandable) and Stack (annotated slots);
// setVariable for registers, flags and memory. Imports adapter modules and DAP types.
import { Handles } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import type { Runtime } from './runtime';
import type { LinearSymbol } from './symbols';
import { evaluateExpression, formatValue } from './evaluate';
import { decodeDr6, decodeDr7, RW_MEANING, slotRw } from '../emu/debug/registers';
import { controlFields, fieldValue, segmentRows, segmentSummary, setFlagNames } from './systemFields';

type Container =
  | { kind: 'registers' }
  | { kind: 'flags'; register: string }
  | { kind: 'segments' }
  | { kind: 'segment'; name: 'cs' | 'ds' | 'es' | 'fs' | 'gs' | 'ss' }
  | { kind: 'control' }
  | { kind: 'bits'; register: string }
  | { kind: 'table'; name: 'gdtr' | 'idtr' | 'ldtr' | 'tr' }
  | { kind: 'debug'; layer: 'debugger' | 'guest' }
  | { kind: 'dr6'; layer: 'debugger' | 'guest' }
  | { kind: 'dr7'; layer: 'debugger' | 'guest' }
  | { kind: 'symbols' }
  | { kind: 'array'; symbol: string }
  | { kind: 'stack' };

/** What a variable stands for, for data breakpoints. */
/** The memory behind a variable; 'stale': the container is not (or no longer: handles restart at every stop) known. */
export type VariableMemory = { kind: 'memory'; address: number; size: number; label: string } | { kind: 'register' } | { kind: 'none'; message: string } | { kind: 'stale' };

const GPR64 = ['rax', 'rbx', 'rcx', 'rdx', 'rsi', 'rdi', 'rbp', 'rsp', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const GPR32 = ['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi', 'ebp', 'esp'];
const GPR16 = ['ax', 'bx', 'cx', 'dx', 'si', 'di', 'bp', 'sp'];

/** EFLAGS bits shown as children (SDM Vol. 1 §3.4.3). */
const FLAG_FIELDS: { name: string; bit: number; width: number }[] = [
  { name: 'CF', bit: 0, width: 1 },
  { name: 'PF', bit: 2, width: 1 },
  { name: 'AF', bit: 4, width: 1 },
  { name: 'ZF', bit: 6, width: 1 },
  { name: 'SF', bit: 7, width: 1 },
  { name: 'TF', bit: 8, width: 1 },
  { name: 'IF', bit: 9, width: 1 },
  { name: 'DF', bit: 10, width: 1 },
  { name: 'OF', bit: 11, width: 1 },
  { name: 'IOPL', bit: 12, width: 2 },
  { name: 'NT', bit: 14, width: 1 },
  { name: 'RF', bit: 16, width: 1 },
  { name: 'VM', bit: 17, width: 1 },
  { name: 'AC', bit: 18, width: 1 },
  { name: 'ID', bit: 21, width: 1 },
];

const SEGMENTS = ['cs', 'ds', 'es', 'fs', 'gs', 'ss'] as const;
const STACK_SLOTS = 16;
const ARRAY_LIMIT = 4096;

function hex(n: number | bigint, digits = 0): string {
  return '0x' + n.toString(16).padStart(digits, '0');
}

/** DR7 fields (SDM Vol. 3 §17.2.4): Ln, Gn, LE, GE, GD, R/Wn, LENn — decoded by the debug unit's own decodeDr7. */
export function dr7Fields(dr7: number): { name: string; value: string }[] {
  const out: { name: string; value: string }[] = [];
  const decoded = decodeDr7(dr7);
  for (const slot of decoded.slots) {
    const n = slot.index;
    const rw = slotRw(dr7, n);
    out.push({ name: `L${n}`, value: slot.local ? '1' : '0' });
    out.push({ name: `G${n}`, value: slot.global ? '1' : '0' });
    out.push({ name: `R/W${n}`, value: `${rw.toString(2).padStart(2, '0')} (${RW_MEANING[rw]})` });
    out.push({ name: `LEN${n}`, value: `${slot.lenCode.toString(2).padStart(2, '0')} (${slot.length} byte${slot.length === 1 ? '' : 's'})` });
  }
  out.push({ name: 'LE', value: decoded.le ? '1' : '0' }, { name: 'GE', value: decoded.ge ? '1' : '0' }, { name: 'GD', value: decoded.gd ? '1' : '0' });
  return out;
}

/** DR6 fields (SDM Vol. 3 §17.2.3): B0–B3, BD, BS, BT — decoded by decodeDr6. */
export function dr6Fields(dr6: number): { name: string; value: string }[] {
  const d = decodeDr6(dr6);
  return [
    ...[0, 1, 2, 3].map((n) => ({ name: `B${n}`, value: d.hits.includes(n) ? '1' : '0' })),
    { name: 'BD', value: d.bd ? '1' : '0' },
    { name: 'BS', value: d.bs ? '1' : '0' },
    { name: 'BT', value: d.bt ? '1' : '0' },
  ];
}

export class VariableTree {
  private handles = new Handles<Container>();

  constructor(private readonly runtime: Runtime) {}

  /** Forget every reference (after each stop). */
  reset(): void {
    this.handles.reset();
  }

  scopes(_frameId: number): DebugProtocol.Scope[] {
    const s = (name: string, c: Container, presentationHint?: string, expensive = false): DebugProtocol.Scope => ({ name, variablesReference: this.handles.create(c), expensive, presentationHint });
    return [
      s('Registers', { kind: 'registers' }, 'registers'),
      s('Segments', { kind: 'segments' }),
      s('Control', { kind: 'control' }),
      s('Debug', { kind: 'debug', layer: 'debugger' }),
      s('Symbols', { kind: 'symbols' }, 'globals'),
      s('Stack', { kind: 'stack' }, 'locals'),
    ];
  }

  private gprs(): string[] {
    const m = this.runtime.target.mode();
    return m === 64 ? GPR64 : m === 32 ? GPR32 : GPR16;
  }

  private ipName(): string {
    const m = this.runtime.target.mode();
    return m === 64 ? 'rip' : m === 32 ? 'eip' : 'ip';
  }

  private flagsName(): string {
    const m = this.runtime.target.mode();
    return m === 64 ? 'rflags' : m === 32 ? 'eflags' : 'flags';
  }

  /** CR0.PE clear: real mode. */
  private realMode(): boolean {
    return ((this.runtime.target.getRegister('cr0') ?? 0n) & 1n) === 0n;
  }

  private width(): number {
    const m = this.runtime.target.mode();
    return m / 8;
  }

  variables(args: DebugProtocol.VariablesArguments): { ok: true; variables: DebugProtocol.Variable[] } | { ok: false; message: string } {
    const c = typeof args?.variablesReference === 'number' ? this.handles.get(args.variablesReference) : undefined;
    if (!c) return { ok: false, message: `unknown variablesReference ${String(args?.variablesReference)}` };
    const hexOn = args.format?.hex !== false;
    const all = this.list(c, hexOn);
    const start = typeof args.start === 'number' && args.start > 0 ? args.start : 0;
    const count = typeof args.count === 'number' && args.count > 0 ? args.count : all.length;
    return { ok: true, variables: all.slice(start, start + count) };
  }

  private reg(name: string, hexOn: boolean, children?: Container): DebugProtocol.Variable {
    const v = this.runtime.target.getRegister(name) ?? 0n;
    const bytes = name.startsWith('r') && name !== 'rflags' ? 8 : name.startsWith('e') ? 4 : 2;
    const size = name === 'rflags' ? 8 : name === 'eflags' ? 4 : name === 'flags' ? 2 : bytes;
    const where = children ? v : this.pointerLinear(name, v, size);
    const annotation = children ? '' : this.pointsAt(where);
    return {
      name,
      value: formatValue(v, size, hexOn) + annotation,
      variablesReference: children ? this.handles.create(children) : 0,
      evaluateName: name,
      memoryReference: hex(where),
      type: `${size * 8}-bit register`,
    };
  }

  /**
   * The linear address a register's value names as a pointer: an offset in the segment the CPU
   * would use with it (CS for IP, SS for SP/BP, else DS; SDM Vol. 1 §3.7.4.1); flat in 64-bit mode.
   */
  private pointerLinear(name: string, v: bigint, size: number): bigint {
    const t = this.runtime.target;
    if (t.mode() === 64) return v;
    const segment = name === 'ip' || name === 'eip' ? 'cs' : /^e?[sb]p$/.test(name) ? 'ss' : 'ds';
    const offset = v & (size >= 4 ? 0xffffffffn : 0xffffn);
    return (BigInt(t.segment(segment).base) + offset) & 0xffffffffn;
  }

  /** " → label" when a value points at a symbol. */
  private pointsAt(v: bigint): string {
    if (v <= 0n || v > BigInt(Number.MAX_SAFE_INTEGER)) return '';
    const a = Number(v);
    const sym = this.runtime.symbols.labelFor(a);
    if (!sym || sym.linear === 0) return '';
    const inCode = a === sym.linear || this.runtime.symbols.lineAt(a) !== undefined;
    const name = sym.kind === 'data' ? this.runtime.symbols.describe(a, 'data') : inCode ? this.runtime.symbols.describe(a, 'code') : undefined;
    return name ? ` → ${name}` : '';
  }

  private list(c: Container, hexOn: boolean): DebugProtocol.Variable[] {
    const t = this.runtime.target;
    switch (c.kind) {
      case 'registers':
        return [...this.gprs().map((r) => this.reg(r, hexOn)), this.reg(this.ipName(), hexOn), this.reg(this.flagsName(), hexOn, { kind: 'flags', register: this.flagsName() })];
      case 'flags': {
        const f = Number((t.getRegister(c.register) ?? 0n) & 0xffffffffn);
        return FLAG_FIELDS.map((x) => ({ name: x.name, value: String((f >>> x.bit) & ((1 << x.width) - 1)), variablesReference: 0, evaluateName: undefined, type: `bit ${x.bit}` }));
      }
      case 'segments': {
        const real = this.realMode();
        return SEGMENTS.map((name) => {
          const s = t.segment(name);
          return {
            name,
            value: `${hex(s.selector, 4)} (base ${hex(s.base)}, limit ${hex(s.limit)}; ${segmentSummary(s.attributes, real)})`,
            variablesReference: this.handles.create({ kind: 'segment', name }),
            evaluateName: name,
          };
        });
      }
      case 'segment': {
        const s = t.segment(c.name);
        return [
          { name: 'selector', value: formatValue(BigInt(s.selector), 2, hexOn), variablesReference: 0 },
          { name: 'base', value: formatValue(BigInt(s.base), undefined, hexOn), variablesReference: 0, memoryReference: hex(s.base) },
          { name: 'limit', value: formatValue(BigInt(s.limit), undefined, hexOn), variablesReference: 0 },
          { name: 'attributes', value: formatValue(BigInt(s.attributes), 2, hexOn), variablesReference: 0, type: 'access rights (VMX layout)' },
          ...segmentRows(s.selector, s.attributes, this.realMode()).map((r) => ({ name: r.name, value: r.value, type: r.type, variablesReference: 0 })),
        ];
      }
      case 'control': {
        const regs = ['cr0', 'cr2', 'cr3', 'cr4', 'efer'].map((name): DebugProtocol.Variable => {
          const v = t.getRegister(name) ?? 0n;
          const fields = controlFields(name);
          const set = fields ? setFlagNames(v, fields) : '';
          return {
            name,
            value: formatValue(v, name === 'efer' ? 8 : this.width() > 4 ? 8 : 4, hexOn) + (set ? ` (${set})` : ''),
            variablesReference: fields ? this.handles.create({ kind: 'bits', register: name }) : 0,
            evaluateName: name,
            type: name === 'cr2' ? 'page-fault linear address' : undefined,
          };
        });
        const tables = t.systemTables();
        const table = (name: 'gdtr' | 'idtr' | 'ldtr' | 'tr'): DebugProtocol.Variable => {
          const r = tables[name];
          return {
            name: name.toUpperCase(),
            value: `${r.selector !== undefined ? `${hex(r.selector, 4)} ` : ''}(base ${hex(r.base)}, limit ${hex(r.limit)})`,
            variablesReference: this.handles.create({ kind: 'table', name }),
            memoryReference: hex(r.base),
          };
        };
        return [...regs, table('gdtr'), table('idtr'), table('ldtr'), table('tr'), { name: 'CPL', value: String(t.cpl()), variablesReference: 0, type: 'current privilege level' }];
      }
      case 'bits': {
        const v = t.getRegister(c.register) ?? 0n;
        return (controlFields(c.register) ?? []).map((f) => ({
          name: f.name,
          value: f.width === 1 ? String(fieldValue(v, f)) : formatValue(fieldValue(v, f), undefined, hexOn),
          type: `${f.width === 1 ? `bit ${f.bit}` : `bits ${f.bit + f.width - 1}:${f.bit}`}: ${f.meaning}`,
          variablesReference: 0,
        }));
      }
      case 'table': {
        const r = t.systemTables()[c.name];
        const rows: DebugProtocol.Variable[] = [];
        if (r.selector !== undefined) rows.push({ name: 'selector', value: formatValue(BigInt(r.selector), 2, hexOn), variablesReference: 0 });
        rows.push({ name: 'base', value: formatValue(BigInt(r.base), undefined, hexOn), variablesReference: 0, memoryReference: hex(r.base) });
        rows.push({ name: 'limit', value: formatValue(BigInt(r.limit), undefined, hexOn), variablesReference: 0 });
        return rows;
      }
      case 'debug': {
        const regs = c.layer === 'debugger' ? { dr: this.runtime.store.slots.addresses(), dr6: this.runtime.lastDr6, dr7: this.runtime.hostDr7() } : t.guestDebugRegisters();
        const slots = c.layer === 'debugger' ? this.runtime.store.slots.info() : undefined;
        const out: DebugProtocol.Variable[] = regs.dr.map((a, i) => ({
          name: `DR${i}`,
          value: hex(a, 8) + (slots && slots[i].kind !== 'vacant' ? ` (${slots[i].kind}, ${slots[i].len} byte${slots[i].len === 1 ? '' : 's'}: ${slots[i].label})` : ''),
          variablesReference: 0,
          memoryReference: hex(a),
        }));
        out.push({ name: 'DR6', value: hex(regs.dr6 >>> 0, 8), variablesReference: this.handles.create({ kind: 'dr6', layer: c.layer }) });
        out.push({ name: 'DR7', value: hex(regs.dr7 >>> 0, 8), variablesReference: this.handles.create({ kind: 'dr7', layer: c.layer }) });
        if (c.layer === 'debugger') out.push({ name: 'guest', value: "the guest's own DR0–DR7", variablesReference: this.handles.create({ kind: 'debug', layer: 'guest' }) });
        return out;
      }
      case 'dr6':
      case 'dr7': {
        const value = c.layer === 'debugger' ? (c.kind === 'dr6' ? this.runtime.lastDr6 : this.runtime.hostDr7()) : c.kind === 'dr6' ? t.guestDebugRegisters().dr6 : t.guestDebugRegisters().dr7;
        return (c.kind === 'dr6' ? dr6Fields(value) : dr7Fields(value)).map((f) => ({ name: f.name, value: f.value, variablesReference: 0 }));
      }
      case 'symbols':
        return this.runtime.symbols.dataSymbols().map((s) => this.symbolVariable(s, hexOn));
      case 'array': {
        const s = this.runtime.symbols.lookup(c.symbol);
        if (!s) return [];
        const el = s.elementSize || 1;
        const n = Math.min(Math.floor(s.size / el), ARRAY_LIMIT);
        const bytes = t.read(s.linear, n * el) ?? new Uint8Array(0);
        const out: DebugProtocol.Variable[] = [];
        for (let i = 0; i < n && (i + 1) * el <= bytes.length; i++) {
          const v = le(bytes, i * el, Math.min(el, 8));
          out.push({ name: `[${i}]`, value: formatValue(v, el, hexOn) + charHint(el, v), variablesReference: 0, memoryReference: hex(s.linear + i * el), evaluateName: `${sizeWord(el)} [${s.name}+${i * el}]` });
        }
        return out;
      }
      case 'stack': {
        const w = this.width();
        const sp = t.sp();
        const out: DebugProtocol.Variable[] = [];
        const spName = w === 8 ? 'rsp' : w === 4 ? 'esp' : 'sp';
        for (let i = 0; i < STACK_SLOTS; i++) {
          const a = sp + i * w;
          const b = t.read(a, w);
          if (!b || b.length < w) break;
          const v = le(b, 0, w);
          out.push({ name: i === 0 ? `[${spName}]` : `[${spName}+${hex(i * w)}]`, value: formatValue(v, w, hexOn) + this.pointsAt(v), variablesReference: 0, memoryReference: hex(a), evaluateName: `${sizeWord(w)} [${spName}+${i * w}]` });
        }
        return out;
      }
    }
  }

  private symbolVariable(s: LinearSymbol, hexOn: boolean): DebugProtocol.Variable {
    const el = [1, 2, 4, 8].includes(s.elementSize) ? s.elementSize : 0;
    const t = this.runtime.target;
    const type = el ? `${sizeWord(el)}${s.size > el ? `[${Math.floor(s.size / el)}]` : ''}` : `${s.size} bytes`;
    if (el && s.size > el) {
      const bytes = t.read(s.linear, Math.min(s.size, 64)) ?? new Uint8Array(0);
      const preview = el === 1 && isText(bytes) ? JSON.stringify(new TextDecoder().decode(bytes.subarray(0, bytes.indexOf(0) >= 0 ? bytes.indexOf(0) : bytes.length))) : `${type} at ${hex(s.linear)}`;
      return { name: s.name, value: preview, type, variablesReference: this.handles.create({ kind: 'array', symbol: s.name }), indexedVariables: Math.min(Math.floor(s.size / el), ARRAY_LIMIT), memoryReference: hex(s.linear), evaluateName: s.name };
    }
    const size = el || (s.size >= 1 && s.size <= 8 ? s.size : 4);
    const b = t.read(s.linear, size);
    const value = b && b.length === size ? formatValue(le(b, 0, size), size, hexOn) + charHint(size, le(b, 0, size)) : '<unreadable>';
    return { name: s.name, value, type, variablesReference: 0, memoryReference: hex(s.linear), evaluateName: s.name };
  }

  /** The memory behind a variable (for dataBreakpointInfo). */
  memoryOf(reference: number, name: string): VariableMemory {
    const c = this.handles.get(reference);
    if (!c) return { kind: 'stale' };
    if (c.kind === 'registers' || c.kind === 'flags' || c.kind === 'segments' || c.kind === 'segment' || c.kind === 'control' || c.kind === 'bits' || c.kind === 'table') return { kind: 'register' };
    if (c.kind === 'debug' || c.kind === 'dr6' || c.kind === 'dr7') return { kind: 'register' };
    if (c.kind === 'symbols') {
      const s = this.runtime.symbols.lookup(name);
      if (!s) return { kind: 'none', message: `no label '${name}'` };
      return { kind: 'memory', address: s.linear, size: s.size > 0 ? s.size : s.elementSize || 1, label: s.name };
    }
    if (c.kind === 'array') {
      const s = this.runtime.symbols.lookup(c.symbol);
      const m = /^\[(\d+)\]$/.exec(name);
      if (!s || !m) return { kind: 'none', message: `no element ${name}` };
      const el = s.elementSize || 1;
      return { kind: 'memory', address: s.linear + Number(m[1]) * el, size: el, label: `${s.name}${name}` };
    }
    const w = this.width();
    const m = /\+0x([0-9a-f]+)\]$/.exec(name);
    const off = m ? parseInt(m[1], 16) : 0;
    return { kind: 'memory', address: this.runtime.target.sp() + off, size: w, label: `stack ${name}` };
  }

  setVariable(args: DebugProtocol.SetVariableArguments): { ok: true; body: DebugProtocol.SetVariableResponse['body'] } | { ok: false; message: string } {
    const c = typeof args?.variablesReference === 'number' ? this.handles.get(args.variablesReference) : undefined;
    const name = typeof args?.name === 'string' ? args.name : '';
    if (!c) return { ok: false, message: 'unknown variablesReference' };
    const parsed = evaluateExpression(typeof args.value === 'string' ? args.value : '', this.runtime.evalContext());
    if (!parsed.ok) return { ok: false, message: parsed.message };
    const value = parsed.value;
    const t = this.runtime.target;
    const hexOn = args.format?.hex !== false;
    if (c.kind === 'registers') {
      if (!t.setRegister(name, value)) return { ok: false, message: `cannot set ${name}` };
      return { ok: true, body: { value: formatValue(t.getRegister(name) ?? value, undefined, hexOn) } };
    }
    if (c.kind === 'flags') {
      const field = FLAG_FIELDS.find((f) => f.name === name);
      if (!field) return { ok: false, message: `no flag ${name}` };
      const mask = BigInt(((1 << field.width) - 1) << field.bit);
      const cur = t.getRegister(c.register) ?? 0n;
      const next = (cur & ~mask) | ((value << BigInt(field.bit)) & mask);
      if (!t.setRegister(c.register, next)) return { ok: false, message: `cannot set ${c.register}` };
      return { ok: true, body: { value: String((Number(t.getRegister(c.register) ?? 0n) >>> field.bit) & ((1 << field.width) - 1)) } };
    }
    if (c.kind === 'bits') {
      const field = controlFields(c.register)?.find((f) => f.name === name);
      if (!field) return { ok: false, message: `no field ${name} in ${c.register}` };
      const mask = ((1n << BigInt(field.width)) - 1n) << BigInt(field.bit);
      const cur = t.getRegister(c.register) ?? 0n;
      if (!t.setRegister(c.register, (cur & ~mask) | ((value << BigInt(field.bit)) & mask))) return { ok: false, message: `cannot set ${c.register}` };
      return { ok: true, body: { value: String(fieldValue(t.getRegister(c.register) ?? 0n, field)) } };
    }
    if (c.kind === 'table') return { ok: false, message: `${c.name.toUpperCase()} is changed by the guest (LGDT/LIDT/LLDT/LTR), not here` };
    if (c.kind === 'control' || c.kind === 'segments') {
      if (!t.setRegister(name, value)) return { ok: false, message: `cannot set ${name}` };
      return { ok: true, body: { value: formatValue(t.getRegister(name) ?? value, undefined, hexOn) } };
    }
    const mem = this.memoryOf(args.variablesReference, name);
    if (mem.kind !== 'memory') return { ok: false, message: mem.kind === 'none' ? mem.message : `cannot set ${name}` };
    const size = Math.min(c.kind === 'symbols' ? this.runtime.symbols.lookup(name)?.elementSize || mem.size : mem.size, 8);
    const bytes = new Uint8Array(size);
    for (let i = 0; i < size; i++) bytes[i] = Number((value >> BigInt(8 * i)) & 0xffn);
    if (!t.write(mem.address, bytes)) return { ok: false, message: `cannot write ${size} bytes at ${hex(mem.address)}` };
    return { ok: true, body: { value: formatValue(le(bytes, 0, size), size, hexOn), memoryReference: hex(mem.address) } };
  }
}

function le(b: Uint8Array, offset: number, size: number): bigint {
  let v = 0n;
  for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[offset + i] ?? 0);
  return v;
}

function sizeWord(bytes: number): string {
  return bytes === 1 ? 'byte' : bytes === 2 ? 'word' : bytes === 4 ? 'dword' : 'qword';
}

function charHint(size: number, v: bigint): string {
  return size === 1 && v >= 0x20n && v < 0x7fn ? ` '${String.fromCharCode(Number(v))}'` : '';
}

function isText(bytes: Uint8Array): boolean {
  const end = bytes.indexOf(0) >= 0 ? bytes.indexOf(0) : bytes.length;
  if (end === 0) return false;
  for (let i = 0; i < end; i++) if (!(bytes[i] === 10 || bytes[i] === 13 || bytes[i] === 9 || (bytes[i] >= 0x20 && bytes[i] < 0x7f))) return false;
  return true;
}
