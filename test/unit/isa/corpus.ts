// Test helper: the generated corpus — for every table row valid in a mode, lines with register,
// size, immediate and addressing-mode variants, as NASM text plus the matching encoder request.
// nasm assembles the text; our encoder must produce the same bytes for the request.
import type { AsmMemory, AsmOperand } from '../../../src/isa/encode';
import { ModeBit, type Form, type OperandSpec } from '../../../src/isa/form';
import { Reg, type RegId } from '../../../src/isa/registers';
import { table } from '../../../src/isa/table';
import { forms } from '../../../src/isa/tableIndex';
import { renderMemory, renderOperand, type CorpusLine } from './nasmSyntax';

type Mode = 16 | 32 | 64;
type Variant = { op: AsmOperand; text: string; relative?: bigint };

const gprs: Record<number, Record<Mode, RegId[]>> = {
  1: { 16: [Reg.AL, Reg.CL, Reg.DH, Reg.BH], 32: [Reg.AL, Reg.BL, Reg.AH, Reg.CH], 64: [Reg.AL, Reg.SIL, Reg.R9B, Reg.R15B, Reg.DIL] },
  2: { 16: [Reg.AX, Reg.CX, Reg.SP, Reg.DI], 32: [Reg.AX, Reg.DX, Reg.BP, Reg.SI], 64: [Reg.AX, Reg.R8W, Reg.SP, Reg.R14W] },
  4: { 16: [Reg.EAX, Reg.EBX, Reg.ESP, Reg.EDI], 32: [Reg.EAX, Reg.ECX, Reg.ESP, Reg.EBP, Reg.EDI], 64: [Reg.EAX, Reg.R10D, Reg.EBP, Reg.R13D, Reg.ESI] },
  8: { 16: [], 32: [], 64: [Reg.RAX, Reg.RCX, Reg.RSP, Reg.R12, Reg.R15, Reg.RBP] },
};

function mem(m: Omit<AsmMemory, 'kind' | 'disp'> & { disp?: bigint }): AsmMemory {
  return { kind: 'mem', disp: 0n, ...m };
}

const memories: Record<Mode, AsmMemory[]> = {
  16: [
    mem({ base: Reg.BX, index: Reg.SI, scale: 1 }), mem({ base: Reg.BP }), mem({ base: Reg.BX, disp: 0x10n }),
    mem({ base: Reg.SI, disp: -0x80n }), mem({ disp: 0x1234n }), mem({ base: Reg.BP, index: Reg.DI, scale: 1, disp: 0x1234n }),
    mem({ base: Reg.DI }), mem({ base: Reg.EAX, index: Reg.ECX, scale: 4, disp: 8n }), mem({ base: Reg.BX, segment: Reg.ES }),
  ],
  32: [
    mem({ base: Reg.EAX }), mem({ base: Reg.EBP }), mem({ base: Reg.ESP }), mem({ base: Reg.EBX, disp: 0x10n }),
    mem({ base: Reg.ECX, index: Reg.EDX, scale: 4, disp: 0x100n }), mem({ disp: 0x1000n }), mem({ base: Reg.EBP, disp: -8n }),
    mem({ base: Reg.EDI, index: Reg.ESI, scale: 2 }), mem({ base: Reg.ESP, index: Reg.EAX, scale: 8, disp: -4n }),
    mem({ index: Reg.EAX, scale: 2 }), mem({ index: Reg.EBX, scale: 4, disp: 0x20n }), mem({ base: Reg.EAX, segment: Reg.FS }),
    mem({ base: Reg.BX, index: Reg.SI, scale: 1 }), mem({ base: Reg.EBP, segment: Reg.SS, disp: 4n }),
  ],
  64: [
    mem({ base: Reg.RAX }), mem({ base: Reg.RBP }), mem({ base: Reg.RSP }), mem({ base: Reg.R12 }), mem({ base: Reg.R13 }),
    mem({ base: Reg.RBX, disp: 0x10n }), mem({ base: Reg.RCX, index: Reg.RDX, scale: 4, disp: 0x100n }),
    mem({ base: Reg.R8, index: Reg.R15, scale: 8, disp: -0x80n }), mem({ disp: 0x1000n }), mem({ base: Reg.EAX }),
    mem({ base: Reg.RSP, index: Reg.RAX, scale: 1 }), mem({ base: Reg.RAX, segment: Reg.GS }), mem({ index: Reg.R9, scale: 2 }),
    mem({ base: Reg.RDI, disp: 0x12345678n }),
  ],
};

function imms(s: OperandSpec, form: Form, mode: Mode): bigint[] {
  const opSize = form.byteOp ? 1 : form.osz !== 0 ? form.osz : mode === 16 ? 2 : 4;
  if (s.kind === 'imm2') return [0n, 3n];
  switch (s.size) {
    case 1: return form.immSigned && opSize > 1 ? [1n, 0x7fn, -2n] : [1n, 0x7fn, 0xfen];
    case 2: return [0x1234n, 0xfedcn, 3n];
    case 4: return opSize === 8 ? [0x12345678n, -0x12345678n, 5n] : [0x12345678n, 0x87654321n, 5n];
    default: return [0x123456789abcdef0n, 0xffffffffn, 7n];
  }
}

const sizeWords: Record<number, string> = { 2: 'word', 4: 'dword', 8: 'qword' };
/** Memory-only (`m8`) forms nasm knows only without a memory size keyword (PREFETCHh, CLFLUSH; not HINT_NOPn r/m). */
const unsizedMemoryOps = new Set(['prefetch', 'clflush']);

function sizedMemory(m: AsmMemory, s: OperandSpec, form: Form): AsmMemory {
  if (unsizedMemoryOps.has(form.exec) && s.kind === 'mem') return m;
  const far = form.exec === 'callFarIndirect' || form.exec === 'jmpFarIndirect';
  if (far) return { ...m, far: true };
  if (s.kind === 'mem' && (s.size === 0 || s.text.includes('&') || s.text.startsWith('m16:'))) return m;
  return { ...m, size: s.kind === 'rm' ? s.memSize : s.size };
}

function variants(s: OperandSpec, form: Form, mode: Mode): Variant[] {
  const regs = (size: number): Variant[] => (gprs[size]?.[mode] ?? []).map((reg) => ({ op: { kind: 'reg', reg }, text: renderOperand({ kind: 'reg', reg }) }));
  const mems = (): Variant[] => memories[mode].map((m) => { const op = sizedMemory(m, s, form); return { op, text: renderMemory(op) }; });
  switch (s.kind) {
    case 'reg': case 'opReg': case 'rmReg': case 'vvvv': return regs(s.size);
    case 'rm': {
      const list = [...regs(s.size), ...mems()];
      if (mode === 64) list.push({ op: sizedMemory(mem({ ripRelative: true }), s, form), text: renderMemory(sizedMemory(mem({}), s, form), '$+0x100'), relative: 0x100n });
      return list;
    }
    case 'mem': {
      const list = mems();
      if (mode === 64) list.push({ op: sizedMemory(mem({ ripRelative: true }), s, form), text: renderMemory(sizedMemory(mem({}), s, form), '$+0x100'), relative: 0x100n });
      return list;
    }
    case 'fixed': return [{ op: { kind: 'reg', reg: s.fixed }, text: renderOperand({ kind: 'reg', reg: s.fixed }) }];
    case 'sreg': {
      const list = form.exec === 'movToSeg' ? [Reg.ES, Reg.SS, Reg.DS, Reg.FS, Reg.GS] : [Reg.ES, Reg.CS, Reg.SS, Reg.DS, Reg.FS, Reg.GS];
      return list.map((reg) => ({ op: { kind: 'reg', reg }, text: renderOperand({ kind: 'reg', reg }) }));
    }
    case 'cr': return (mode === 64 ? [Reg.CR0, Reg.CR2, Reg.CR3, Reg.CR4, Reg.CR8] : [Reg.CR0, Reg.CR2, Reg.CR3, Reg.CR4]).map((reg) => ({ op: { kind: 'reg', reg }, text: renderOperand({ kind: 'reg', reg }) }));
    case 'dr': return [Reg.DR0, Reg.DR3, Reg.DR6, Reg.DR7].map((reg) => ({ op: { kind: 'reg', reg }, text: renderOperand({ kind: 'reg', reg }) }));
    case 'imm': case 'imm2': {
      // PUSH imm at a non-default operand size needs nasm's size keyword (push word 0x1234).
      const defaultOsz = mode === 16 ? 2 : mode === 32 ? 4 : 8;
      const size = form.exec === 'push' && form.osz !== defaultOsz ? form.osz : undefined;
      return imms(s, form, mode).map((value) => ({ op: { kind: 'imm', value, size }, text: (size ? sizeWords[size] + ' ' : '') + renderOperand({ kind: 'imm', value }) }));
    }
    case 'one': return [{ op: { kind: 'imm', value: 1n }, text: '1' }];
    case 'rel': {
      const rels = s.size === 1 ? [0x10n, -0x40n, 2n] : mode === 16 ? [0x1000n, -0x2000n] : [0x1000n, -0x20000n];
      return rels.map((r) => ({ op: { kind: 'imm', value: 0n }, text: r < 0n ? `$-0x${(-r).toString(16)}` : `$+0x${r.toString(16)}`, relative: r }));
    }
    case 'ptr': return [{ op: { kind: 'far', segment: 0x1234, offset: 0x5678 }, text: '0x1234:0x5678' }];
    case 'moffs': {
      const m = mem({ disp: 0x1000n, dispSize: mode === 64 ? 8 : undefined });
      return [{ op: m, text: renderMemory(m) }];
    }
  }
}

const modeBits: Record<Mode, number> = { 16: ModeBit.M16, 32: ModeBit.M32, 64: ModeBit.M64 };

/** The corpus for one mode: deduplicated by text. */
export function generateCorpus(mode: Mode): CorpusLine[] {
  const out = new Map<string, CorpusLine>();
  for (const form of forms) {
    if ((form.modes & modeBits[mode]) === 0 || table[form.index].alias === 'decode') continue;
    const lists = form.operands.map((s) => variants(s, form, mode));
    if (lists.some((l) => l.length === 0)) continue;
    const count = Math.max(1, ...lists.map((l) => l.length));
    const add = (pick: Variant[], prefixes: string[] = []): void => {
      const relIndex = pick.findIndex((v) => v.relative !== undefined);
      // nasm spells SYSRETQ/SYSEXITQ as o64 sysret/sysexit.
      const mnemonic = form.mnemonic === 'sysretq' || form.mnemonic === 'sysexitq' ? 'o64 ' + form.mnemonic.slice(0, -1) : form.mnemonic;
      const text = (prefixes.length ? prefixes.join(' ') + ' ' : '') + mnemonic + (pick.length ? ' ' + pick.map((v) => v.text).join(', ') : '');
      if (out.has(text)) return;
      // AH..BH and a REX-only register (or REX.W) in one instruction cannot be encoded: skip those picks.
      const regsUsed = pick.flatMap((v) => (v.op.kind === 'reg' ? [v.op.reg] : []));
      if (regsUsed.some((r) => r >= 0x10 && r < 0x14) && (form.rexW || regsUsed.some((r) => (r >= 4 && r < 0x10) || (r >= 0x20 && (r & 15) >= 8)))) return;
      const request = mnemonic.startsWith('o64 ') ? { mnemonic: mnemonic.slice(4), operands: [], mode, prefixes: ['o64'] } : { mnemonic: form.mnemonic, operands: pick.map((v) => v.op), mode, prefixes };
      out.set(text, { text, request, relative: relIndex >= 0 ? pick[relIndex].relative : undefined, relativeOperand: relIndex >= 0 ? relIndex : undefined, formCode: form.code });
    };
    for (let k = 0; k < count; k++) add(lists.map((l, i) => l[(k + i) % l.length]));
    const memIndex = form.operands.findIndex((s) => s.kind === 'rm' || s.kind === 'mem');
    if (form.lockable && memIndex === 0) {
      const pick = lists.map((l, i) => (i === memIndex ? l.find((v) => v.op.kind === 'mem') ?? l[0] : l[0]));
      add(pick, ['lock']);
    }
    if (form.rep !== 'none') {
      add([], [form.rep === 'repe' ? 'repe' : 'rep']);
      if (form.rep === 'repe') add([], ['repne']);
    }
  }
  return [...out.values()];
}
