// The assembler's one doorway to src/isa: which words are mnemonics and registers, and the
// encoder call that turns a resolved instruction into bytes. Operands arrive here with their
// values for the current pass; this file translates them to the encoder's operand model.
// Imports only src/isa.
import * as registersModule from '../isa/registers';
import { RegKind, Reg } from '../isa/registers';
import { mnemonics, prefixMnemonics } from '../isa/tableIndex';
import * as encodeModule from '../isa/encode';
import type { AsmOperand } from '../isa/encode';

// hot code binds imported functions once (under tsx an imported binding is a getter call per use)
const { parseReg, isGpr, regSize, regKind } = registersModule;
const { encode } = encodeModule;

/** A memory operand with its address decomposed and the displacement's value for this pass. */
export interface ResolvedMem {
  kind: 'mem';
  size?: number;
  base?: string;
  index?: string;
  scale: number;
  disp: bigint;
  /** The displacement depends on a label (nasm never shortens it then). */
  dispRelocatable: boolean;
  /** A displacement was written (even `+0`). */
  dispWritten: boolean;
  segment?: string;
  /** RIP-relative (REL, or DEFAULT REL without base/index). `disp` is then the target address. */
  rip: boolean;
  dispSize?: number;
  nosplit?: boolean;
  jump?: 'short' | 'near' | 'far';
}

/** An operand whose value is known for this pass. */
export type ResolvedOperand =
  | { kind: 'reg'; reg: string; size?: number }
  | ResolvedMem
  | {
      kind: 'imm';
      value: bigint;
      /** Derived from a label: nasm keeps the full-size immediate form. */
      relocatable: boolean;
      size?: number;
      strict?: boolean;
      jump?: 'short' | 'near' | 'far';
      /** For branch targets: the target is in another section or not yet known (forces near when unknown after pass 1). */
      otherSection?: boolean;
    }
  | { kind: 'far'; seg: bigint; off: bigint; size?: number };

/** One instruction to encode at `address` in `bits` mode. */
export interface EncodeRequest {
  mnemonic: string;
  prefixes: readonly string[];
  operands: readonly ResolvedOperand[];
  bits: 16 | 32 | 64;
  address: number;
}

/** Bytes, with a warning when nasm would warn too (an immediate truncated to its field); or why not. */
export type EncodeOutcome = { ok: true; bytes: Uint8Array; warning?: { message: string; operand: number } } | { ok: false; message: string; operand?: number };

const mnemonicSet = new Set<string>(mnemonics);

/** true when `lower` is an instruction mnemonic the isa table knows (aliases included). */
export function isMnemonic(lower: string): boolean {
  return mnemonicSet.has(lower);
}

const prefixSet = new Set<string>(prefixMnemonics);

/** Segment-override prefix bytes (SDM Vol. 2 §2.1.1, group 2). */
const SEGMENT_PREFIX: Record<string, number> = { es: 0x26, cs: 0x2e, ss: 0x36, ds: 0x3e, fs: 0x64, gs: 0x65 };

/** true when `lower` is an instruction prefix word (lock, rep, o16, a32, ...). */
export function isPrefix(lower: string): boolean {
  return prefixSet.has(lower);
}

/** true when `lower` names a register. */
export function isRegister(lower: string): boolean {
  return parseReg(lower) !== undefined;
}

/** Encodings that do not depend on the instruction's address, by request text (bounded). */
const cache = new Map<string, EncodeOutcome>();
const CACHE_LIMIT = 4096;

function cacheKey(req: EncodeRequest): string | null {
  let key = `${req.bits} ${req.mnemonic} ${req.prefixes.join(' ')}`;
  for (const o of req.operands) {
    switch (o.kind) {
      case 'reg':
        key += `|r${o.reg}:${o.size ?? ''}`;
        break;
      case 'imm':
        if (o.jump !== undefined || o.otherSection) return null;
        key += `|i${o.value}:${o.size ?? ''}:${o.strict ? 1 : 0}:${o.relocatable ? 1 : 0}`;
        break;
      case 'mem':
        if (o.rip) return null;
        key += `|m${o.size ?? ''}:${o.base ?? ''}:${o.index ?? ''}:${o.scale}:${o.disp}:${o.dispRelocatable ? 1 : 0}:${o.dispWritten ? 1 : 0}:${o.segment ?? ''}:${o.dispSize ?? ''}:${o.nosplit ? 1 : 0}:${o.jump ?? ''}`;
        break;
      case 'far':
        key += `|f${o.seg}:${o.off}:${o.size ?? ''}`;
        break;
    }
  }
  return key;
}

/** Encodes one instruction through the isa encoder (memoised when the bytes cannot depend on the address). */
export function encodeInstruction(req: EncodeRequest): EncodeOutcome {
  const branchy = isBranchMnemonic(req.mnemonic);
  const key = branchy ? null : cacheKey(req);
  if (key !== null) {
    const hit = cache.get(key);
    if (hit) return hit;
  }
  const r = encodeUncached(req);
  if (key !== null) {
    // a full cache keeps what it has: the instructions a program repeats most come early and often
    if (cache.size < CACHE_LIMIT) cache.set(key, r);
  }
  return r;
}

/** Encodes without the memo: for callers that encode each statement once (building the memo key
 *  costs about as much as encoding a short instruction). */
export function encodeInstructionOnce(req: EncodeRequest): EncodeOutcome {
  return encodeUncached(req);
}

function encodeUncached(req: EncodeRequest): EncodeOutcome {
  const ops: AsmOperand[] = [];
  let operandSize = 0;
  for (let i = 0; i < req.operands.length; i++) {
    const o = req.operands[i];
    if (o.kind === 'reg') {
      const id = parseReg(o.reg);
      if (id === undefined) return { ok: false, message: `'${o.reg}' is not a register`, operand: i };
      if (o.size !== undefined && isGpr(id) && regSize(id) !== o.size) return { ok: false, message: `the size keyword does not match register '${o.reg}'`, operand: i };
      if (isGpr(id)) operandSize = Math.max(operandSize, regSize(id));
      ops.push({ kind: 'reg', reg: id });
    } else if (o.kind === 'mem') {
      const m = toMemory(o, req.bits);
      if (typeof m === 'string') return { ok: false, message: m, operand: i };
      if (o.size !== undefined) operandSize = Math.max(operandSize, o.size);
      ops.push(m);
    } else if (o.kind === 'imm') {
      const branch = o.jump === 'short' ? 'short' : o.jump === 'near' ? 'near' : undefined;
      if (o.jump === 'far') return { ok: false, message: 'a far jump or call needs SEGMENT:OFFSET or a memory operand', operand: i };
      ops.push({ kind: 'imm', value: o.value, size: o.size, strict: o.strict, branch });
    } else {
      ops.push({ kind: 'far', segment: Number(BigInt.asUintN(16, o.seg)), offset: Number(BigInt.asUintN(32, o.off)) });
    }
  }
  // a segment register written as a prefix word (`fs lodsb`) overrides the memory operand's segment,
  // or becomes the override byte of an instruction with implicit memory (string instructions)
  let segPrefix = 0;
  let prefixes = req.prefixes;
  if (prefixes.length > 0) {
    const kept: string[] = [];
    for (const p of req.prefixes) {
      const seg = SEGMENT_PREFIX[p];
      if (seg === undefined) {
        kept.push(p);
        continue;
      }
      let memIndex = -1;
      for (let i = 0; i < ops.length && memIndex < 0; i++) if (ops[i].kind === 'mem') memIndex = i;
      if (memIndex >= 0) {
        const m = ops[memIndex] as Extract<AsmOperand, { kind: 'mem' }>;
        ops[memIndex] = { ...m, segment: parseReg(p) };
      } else segPrefix = seg;
    }
    prefixes = kept;
  }
  const request = { mnemonic: req.mnemonic, operands: ops, mode: req.bits, address: req.address + (segPrefix ? 1 : 0), prefixes };
  if (segPrefix) {
    const inner = encodeUncached({ ...req, prefixes, address: req.address + 1 });
    if (!inner.ok) return inner;
    const bytes = new Uint8Array(inner.bytes.length + 1);
    bytes[0] = segPrefix;
    bytes.set(inner.bytes, 1);
    return { ok: true, bytes };
  }
  // nasm never shortens an immediate whose value comes from a label (it is relocatable): keep the
  // full-size form (83 /0 ib → 81 /0 id, 6A → 68, MOV r64 imm64 not shortened to MOV r32)
  let relocIndex = -1;
  for (let i = 0; i < req.operands.length && relocIndex < 0; i++) {
    const o = req.operands[i];
    if (o.kind === 'imm' && o.relocatable && o.size === undefined && !o.strict && o.jump === undefined) relocIndex = i;
  }
  if (relocIndex >= 0 && !isBranchMnemonic(req.mnemonic)) {
    const natural = naturalImmediateSize(req.mnemonic, operandSize, req.bits, ops);
    if (natural > 1) {
      const forced = ops.slice();
      forced[relocIndex] = { ...(ops[relocIndex] as Extract<AsmOperand, { kind: 'imm' }>), size: natural, strict: true };
      const r = encode({ ...request, operands: forced });
      if (r.kind === 'ok') return { ok: true, bytes: r.bytes };
    }
  }
  const r = encode(request);
  if (r.kind === 'ok') return { ok: true, bytes: r.bytes };
  const target = req.operands[0];
  if (isBranchMnemonic(req.mnemonic) && req.operands.length === 1 && target.kind === 'imm' && (target.jump === 'short' || /^(loop|jcxz|jecxz|jrcxz)/.test(req.mnemonic))) {
    const distance = target.value - BigInt(req.address + 2);
    if (distance < -128n || distance > 127n) return { ok: false, message: `short jump is out of range: the target is ${distance} bytes away, a short jump reaches -128..127`, operand: 0 };
  }
  const truncated = truncatedImmediate(req, ops, request, operandSize);
  if (truncated) return truncated;
  const memIndex = req.operands.findIndex((o) => o.kind === 'mem' && o.size === undefined && o.jump === undefined);
  const sized = req.operands.some((o) => o.kind === 'reg' || (o.kind === 'mem' && o.size !== undefined) || (o.kind === 'imm' && o.size !== undefined));
  if (memIndex >= 0 && !sized) {
    const sizeless = encode({ ...request, operands: ops.map((o, i) => (i === memIndex && o.kind === 'mem' ? { ...o, size: 4 } : o)) });
    if (sizeless.kind === 'ok') return { ok: false, message: `operation size not specified: write byte, word, dword or qword before the memory operand of '${req.mnemonic}'`, operand: memIndex };
  }
  const imm = req.operands.findIndex((o) => o.kind === 'imm' && o.jump === undefined && !o.relocatable);
  if (imm >= 0 && operandSize > 0) {
    const v = (req.operands[imm] as { value: bigint }).value;
    const bits = BigInt(operandSize * 8);
    if (operandSize < 8 && (v >= 1n << bits || v < -(1n << (bits - 1n)))) return { ok: false, message: `value ${v} does not fit in the ${operandSize * 8}-bit operand of '${req.mnemonic}'`, operand: imm };
  }
  return { ok: false, message: r.message || `invalid combination of instruction and operands for '${req.mnemonic}'` };
}

/** nasm accepts an immediate too wide for its field: it keeps the low bits and warns when the value
 *  is outside [-2^n, 2^n - 1] ("byte data exceeds bounds" and friends, -w+number-overflow). The
 *  field is the operand's width (32 bits for 64-bit operands, which take a sign-extended imm32);
 *  an instruction whose immediate has its own width (INT, shifts, RET) gets the widest of 32, 16
 *  and 8 bits that encodes. */
function truncatedImmediate(req: EncodeRequest, ops: AsmOperand[], request: Parameters<typeof encode>[0], operandSize: number): EncodeOutcome | undefined {
  if (isBranchMnemonic(req.mnemonic)) return undefined;
  const imm = req.operands.findIndex((o) => o.kind === 'imm' && o.jump === undefined && !o.relocatable);
  if (imm < 0) return undefined;
  const o = req.operands[imm] as Extract<ResolvedOperand, { kind: 'imm' }>;
  const widths: number[] = [];
  const own = o.size ?? operandSize;
  if (own > 0) widths.push(Math.min(own, 4) * 8);
  for (const w of [32, 16, 8]) if (!widths.includes(w)) widths.push(w);
  for (const w of widths) {
    const bits = BigInt(w);
    const low = BigInt.asIntN(w, o.value);
    if (low === o.value) continue;
    const forced = ops.slice();
    forced[imm] = { ...(ops[imm] as Extract<AsmOperand, { kind: 'imm' }>), value: low };
    const r = encode({ ...request, operands: forced });
    if (r.kind !== 'ok') continue;
    const inBounds = o.value >= -(1n << bits) && o.value < 1n << bits;
    if (inBounds) return { ok: true, bytes: r.bytes };
    const name = w === 8 ? 'byte' : w === 16 ? 'word' : 'dword';
    return { ok: true, bytes: r.bytes, warning: { message: `value ${o.value} exceeds the bounds of a ${name} (${w}-bit) immediate: only its low ${w} bits are used (as nasm does)`, operand: imm } };
  }
  return undefined;
}

function naturalImmediateSize(mnemonic: string, operandSize: number, bits: number, ops: readonly AsmOperand[]): number {
  if (mnemonic === 'mov' && ops[0]?.kind === 'reg' && regKind(ops[0].reg) === RegKind.Gpr64) return 8;
  if (mnemonic === 'enter' || mnemonic === 'ret' || mnemonic === 'retf' || mnemonic === 'retn' || mnemonic === 'int') return 0;
  const size = operandSize || (bits === 16 ? 2 : 4);
  return Math.min(size, 4);
}

function isBranchMnemonic(m: string): boolean {
  return m === 'jmp' || m === 'call' || m.startsWith('j') || m.startsWith('loop');
}

/** A register id, undefined for no register, or a message for a word that is not one. */
function regOrMessage(name: string | undefined): number | undefined | string {
  if (name === undefined) return undefined;
  const id = parseReg(name);
  return id === undefined ? `'${name}' is not a register` : id;
}

function toMemory(o: ResolvedMem, bits: number): AsmOperand | string {
  const base = regOrMessage(o.base);
  const index = regOrMessage(o.index);
  if (typeof base === 'string') return base;
  if (typeof index === 'string') return index;
  let segment: number | undefined;
  if (o.segment) {
    const s = parseReg(o.segment);
    if (s === undefined) return `'${o.segment}' is not a segment register`;
    segment = s;
  }
  let dispSize = o.dispSize;
  // a displacement that comes from a label is never shortened by nasm (relocatable): full size
  if (dispSize === undefined && o.dispRelocatable && !o.rip && (base !== undefined || index !== undefined)) dispSize = 4;
  const m: AsmOperand = {
    kind: 'mem',
    size: o.size,
    base: o.rip && o.base !== undefined ? Reg.RIP : base,
    index,
    scale: index !== undefined ? (o.scale as 1 | 2 | 4 | 8) : undefined,
    disp: o.disp,
    segment,
    ripRelative: o.rip && o.base === undefined ? true : undefined,
    dispSize,
    far: o.jump === 'far' ? true : undefined,
    nosplit: o.nosplit,
  };
  void bits;
  return m;
}
