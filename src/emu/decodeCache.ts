// The decode cache: each code page keeps an array (one slot per byte offset) of Blocks — runs of
// Op records (the isa decoder's Instruction translated once, handler pre-bound) that end at the
// first control transfer or state-changing instruction. A write into decoded bytes drops the
// page's cache (and the previous page's, whose last instruction may straddle into it) and bumps
// `epoch`, so a block stops after the writing instruction: self-modifying code works.
// Imports src/isa, memory, cpu types and the ops registry.
import { decode } from '../isa/decode';
import { Instruction, Prefix, type Operand } from '../isa/instruction';
import type { ExecName } from '../isa/execNames';
import { RegKind } from '../isa/registers';
import type { Form } from '../isa/form';
import type { Cpu } from './cpu';
import type { Machine } from './machine';
import { PAGE_SIZE, TLB_MASK, pageNumberOf, type Page } from './memory';
import { CpuFault, GP, PF, PF_FETCH, PF_USER, UD } from './exceptions';

/** A handler executes one decoded instruction; RIP already points at the next instruction. */
export type Handler = (m: Machine, o: Op) => void;

/** Operand kinds in an Op. */
export const K_NONE = 0;
/** General register: index 0..15, or 16..19 for AH..BH. */
export const K_REG = 1;
export const K_MEM = 2;
export const K_IMM = 3;
/** Segment register 0..5. */
export const K_SEG = 4;
/** Control / debug register number. */
export const K_CR = 5;
export const K_DR = 6;
/** Relative branch or direct far pointer (values in rel / imm+imm2). */
export const K_REL = 7;
export const K_FAR = 8;

/** One decoded instruction as the handlers see it. A monomorphic class; fields are filled once. */
export class Op {
  h: Handler;
  exec: ExecName = 'nop';
  len = 0;
  /** Operand size in bytes (1, 2, 4, 8) and address size (2, 4, 8). */
  size = 4;
  asize = 4;
  /** Operand slots 0..2: kind (K_*), register index, size in bytes. */
  k0 = K_NONE; r0 = 0; s0 = 0;
  k1 = K_NONE; r1 = 0; s1 = 0;
  k2 = K_NONE; r2 = 0; s2 = 0;
  /** Number of explicit operands. */
  n = 0;
  imm = 0;
  immHi = 0;
  imm2 = 0;
  rel = 0;
  cc = 0;
  /** Memory operand: base/index GPR index or -1, scale as shift, signed displacement, segment 0..5. */
  base = -1;
  index = -1;
  scale = 0;
  disp = 0;
  seg = 3;
  /** Bytes of the memory operand (1 when the form names none, e.g. LEA/INVLPG): the limit check's size. */
  msize = 1;
  /** Segment override prefix (0..5), or -1. String instructions use it for the source. */
  sov = -1;
  ripRel = false;
  /** 0 none, 1 REP/REPE (F3), 2 REPNE (F2) — only for string forms. */
  rep = 0;
  lock = false;
  /** The table form, for rare paths (messages, flags masks). */
  form: Form | null = null;
  mnemonic = '';
  /** Why this op faults when executed (invalid/unsupported encodings): vector, else -1. */
  faultVector = -1;
  faultDetail = '';
  /** For a fetch #PF: how many bytes of the instruction were readable. */
  faultLen = 0;
  constructor(h: Handler) {
    this.h = h;
  }
}

function regIndex(o: Operand): number {
  const kind = o.reg >> 4;
  const num = o.reg & 15;
  return kind === RegKind.Gpr8High ? 16 + num : num;
}

function operandKind(o: Operand): number {
  switch (o.kind) {
    case 'reg': {
      const kind = o.reg >> 4;
      if (kind <= RegKind.Gpr64) return K_REG;
      if (kind === RegKind.Segment) return K_SEG;
      if (kind === RegKind.Control) return K_CR;
      if (kind === RegKind.Debug) return K_DR;
      return K_NONE;
    }
    case 'mem': return K_MEM;
    case 'imm': return K_IMM;
    case 'rel': return K_REL;
    case 'far': return K_FAR;
    default: return K_NONE;
  }
}

const raiseFault: Handler = (m, o) => {
  // A fault op has length 0, so RIP still points at it (the run loop restores insnStart on throw).
  if (o.faultVector === PF) {
    // An instruction running into a page it cannot be fetched from: #PF for the fetch there, with
    // the error code of a fresh translation (CR2 set by fetchFault).
    const a = m.nextLin(m.codeLinear(m.rip), o.faultLen);
    if (m.fetchPage(a) === null) throw m.fetchFault(a);
    throw new CpuFault(PF, PF_FETCH | (m.cpl === 3 ? PF_USER : 0), a, o.faultDetail);
  }
  throw new CpuFault(o.faultVector, o.faultVector === GP ? 0 : undefined, undefined, o.faultDetail);
};

/** Translate a decoded Instruction into an Op bound to `handlers[exec]` (or a specialised handler). */
export function translate(insn: Instruction, handlers: Record<ExecName, Handler>, specialise: (o: Op) => Handler | null): Op {
  const o = new Op(handlers[insn.exec]);
  o.exec = insn.exec;
  o.len = insn.length;
  o.size = insn.opSize;
  o.asize = insn.addrSize;
  o.n = insn.operandCount;
  const ops = insn.operands;
  if (o.n > 0) { o.k0 = operandKind(ops[0]); o.r0 = regIndex(ops[0]); o.s0 = ops[0].size; }
  if (o.n > 1) { o.k1 = operandKind(ops[1]); o.r1 = regIndex(ops[1]); o.s1 = ops[1].size; }
  if (o.n > 2) { o.k2 = operandKind(ops[2]); o.r2 = regIndex(ops[2]); o.s2 = ops[2].size; }
  const ms = o.k0 === K_MEM ? o.s0 : o.k1 === K_MEM ? o.s1 : o.k2 === K_MEM ? o.s2 : 0;
  o.msize = ms > 0 ? ms : 1;
  o.imm = insn.imm;
  o.immHi = insn.immHi;
  o.imm2 = insn.imm2;
  o.rel = insn.rel;
  o.cc = insn.cond;
  const m = insn.mem;
  o.base = m.base === null || m.ripRelative ? -1 : m.base & 15;
  o.index = m.index === null ? -1 : m.index & 15;
  o.scale = m.scale === 8 ? 3 : m.scale === 4 ? 2 : m.scale === 2 ? 1 : 0;
  o.disp = m.disp;
  o.seg = m.segment & 15;
  o.sov = insn.segment === null ? -1 : insn.segment & 15;
  o.ripRel = m.ripRelative;
  const form = insn.form;
  o.form = form;
  o.mnemonic = insn.mnemonic;
  if (form && form.rep !== 'none') o.rep = insn.prefixes & Prefix.Rep ? 1 : insn.prefixes & Prefix.Repne ? 2 : 0;
  o.lock = (insn.prefixes & Prefix.Lock) !== 0;
  const s = specialise(o);
  if (s) o.h = s;
  return o;
}

/** An Op that raises `vector` when executed (invalid or unsupported encodings). */
export function faultOp(vector: number, len: number, detail: string): Op {
  const o = new Op(raiseFault);
  o.faultVector = vector;
  o.faultDetail = detail;
  o.len = len;
  return o;
}

/**
 * Instructions that never change control flow, mode, privilege, debug state or talk to the
 * environment: a block continues after them. Anything else ends its block.
 */
const STRAIGHT = new Set<ExecName>([
  'mov', 'movsx', 'movzx', 'movsxd', 'movbe', 'xchg', 'xadd', 'cmpxchg', 'cmpxchg8b', 'cmpxchg16b', 'bswap', 'lea',
  'cmov', 'setcc', 'xlat', 'cbw', 'cwd', 'push', 'pop', 'pusha', 'popa', 'pushf', 'enter', 'leave',
  'add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test', 'inc', 'dec', 'neg', 'not',
  'mul', 'imul1', 'imul2', 'imul3', 'div', 'idiv', 'daa', 'das', 'aaa', 'aas', 'aam', 'aad',
  'rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar', 'shld', 'shrd',
  'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr', 'lzcnt', 'tzcnt', 'popcnt', 'crc32', 'adcx', 'adox',
  'andn', 'bextr', 'blsi', 'blsmsk', 'blsr', 'bzhi', 'mulx', 'pdep', 'pext', 'rorx', 'sarx', 'shlx', 'shrx',
  'clc', 'stc', 'cmc', 'cld', 'std', 'lahf', 'sahf', 'nop', 'pause', 'fence', 'prefetch',
]);

/** The most instructions one block holds. */
const MAX_BLOCK = 32;

/** A straight run of decoded instructions starting at one linear address. */
export class Block {
  /** ops[0] is the instruction at the block's address; only the last may transfer control. */
  readonly ops: Op[];
  /** Total length in bytes. */
  readonly bytes: number;
  /** The debug unit's slotGeneration under which no exec slot lay inside this block (-1: none). */
  clearGeneration = -1;
  /** Whole-block runs so far (a hot block gets compiled). */
  runs = 0;
  /** The block as one JS function (see compileBlock), once hot: nothing watched, and watched. */
  compiled: CompiledBlock | null = null;
  compiledWatched: CompiledBlock | null = null;
  /** The code page's slot array holding this block and its offset there (set by DecodeCache.lookup). */
  slots: (Block | undefined)[] | null = null;
  offset = 0;
  constructor(ops: Op[]) {
    this.ops = ops;
    let b = 0;
    for (const o of ops) b += o.len;
    this.bytes = b;
  }
}

/**
 * A block compiled to straight-line JS: runs every op of the block at `rip` exactly as the run loop's
 * whole-block path (blockRunner.runBlock) does: RIP per op where a handler reads it, insnStart of the
 * faulting op on a throw (and of the last op at the end), stop after an op that bumped
 * `cache.epoch`, icount += ops retired (also when an op throws), and when compiled `watched`, stop
 * after a non-last op that armed the debug unit's after-instruction hook (calling endInstruction).
 * An unwatched block whose last op branches back to its own start runs again in place for as long
 * as blockRunner.chain would run it next (nothing armed, TF/RF clear, budget, same code page).
 */
export type CompiledBlock = (m: Machine, rip: number, cache: DecodeCache) => void;

/** Whole-block runs after which a block is compiled (cold code stays interpreted). */
export const COMPILE_AFTER = 64;

/** Execs whose handler may write memory without a memory destination operand (stack stores). */
const STACK_WRITERS = new Set<ExecName>(['push', 'pusha', 'pushf', 'enter']);

/** True when op `o` may write guest memory (so self-modifying code may have to end the block after it). */
function mayWriteMemory(o: Op): boolean {
  if (o.k0 === K_MEM) return o.exec !== 'cmp' && o.exec !== 'test' && o.exec !== 'bt';
  if (o.k1 === K_MEM && (o.exec === 'xchg' || o.exec === 'xadd')) return true;
  return STACK_WRITERS.has(o.exec);
}

/**
 * Operations that, with only register and immediate operands, touch no memory or port and arm nothing
 * in the debug unit (no data/I/O hit, no MOV SS shadow, no TF change, no REP break): in watched
 * compiled code they need no afterArmed test.
 */
const REGISTER_ONLY = new Set<ExecName>([
  'mov', 'movsx', 'movzx', 'movsxd', 'bswap', 'cmov', 'setcc', 'cbw', 'cwd', 'xchg',
  'add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test', 'inc', 'dec', 'neg', 'not', 'imul2', 'imul3',
  'rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar', 'shld', 'shrd', 'bt', 'bts', 'btr', 'btc', 'bsf', 'bsr',
  'lzcnt', 'tzcnt', 'popcnt', 'clc', 'stc', 'cmc', 'cld', 'std', 'lahf', 'nop', 'jcc', 'jmpRel',
]);

/** True when op `o` is a REGISTER_ONLY operation on registers and immediates only. */
function registerOnly(o: Op): boolean {
  return o.k0 !== K_MEM && o.k0 <= K_IMM && o.k1 <= K_IMM && o.k1 !== K_MEM && o.k2 <= K_IMM && o.k2 !== K_MEM && REGISTER_ONLY.has(o.exec);
}

/** RFLAGS.TF | RFLAGS.RF (a set bit sends the run loop to single instructions). */
const TF_RF = 0x10100;

/**
 * JS source doing a 32-bit MOV between a GPR and memory inline (outside 64-bit mode), exactly as
 * ops/fast.ts mov32rm/mov32mr (and their watched forms) do, with the operand's displacement,
 * registers and segment folded in; null for any other op. `watched` also serves a quiet granule of
 * a watched page from the side TLB (dataWatch.ts), looked at first: a watched page is never in the
 * main TLB, so the order only trades a compare between the two. Everything but those hits calls Cpu.read32/write32
 * and then runs `slowTail`: only that path can report a data hit or write into decoded code (pages
 * with decoded code and watched granules never take the inline path).
 */
function inlineMov32(o: Op, watched: boolean, codeBits: number, slowTail: string): string | null {
  if (codeBits === 64 || o.exec !== 'mov' || o.size !== 4 || o.lock || o.n !== 2 || o.faultVector >= 0 || o.ripRel) return null;
  const load = o.k0 === K_REG && o.k1 === K_MEM && o.r0 < 16;
  if (!load && !(o.k0 === K_MEM && o.k1 === K_REG && o.r1 < 16)) return null;
  let sum = `(${o.disp})`;
  if (o.base >= 0) sum += ` + m.regs[${o.base}]`;
  if (o.index >= 0) sum += ` + (m.regs[${o.index}] << ${o.scale})`;
  const s = o.seg;
  const lines = [
    `{ const a = ${o.asize === 2 ? `(${sum}) & 0xffff` : `(${sum}) >>> 0`};`,
    `if (m.segFlags[${s}] !== 0 || a + 3 > m.segLimit[${s}]) m.checkSegment(${s}, a, 4);`,
    `const l = m.real ? (m.segBase[${s}] + a) & m.a20Mask : (m.segBase[${s}] + a) >>> 0;`,
    `const f = l & 0xfff; const p = l >>> 12; const t = p & ${TLB_MASK};`,
  ];
  const [key, page, vKey, vPage, vWatched] = load ? ['m.rKey', 'm.rPage', 'm.vrKey', 'm.vrPage', 'm.vrWatched'] : ['m.wKey', 'm.wPage', 'm.vwKey', 'm.vwPage', 'm.vwWatched'];
  if (watched) lines.push(`const j = p & 7; const g = ${vKey}[j] === p ? (${vWatched}[(j << 6) | (f >>> 6)] === 0 ? ${vPage}[j] : null) : ${key}[t] === p ? ${page}[t] : null;`);
  else lines.push(`const g = ${key}[t] === p ? ${page}[t] : null;`);
  if (load) lines.push(`if (g !== null && f <= 4092) { m.regs[${o.r0}] = g.view.getInt32(f, true); m.regsHi[${o.r0}] = 0; } else { m.regs[${o.r0}] = m.read32(l); m.regsHi[${o.r0}] = 0; ${slowTail} } }`);
  else lines.push(`if (g !== null && f <= 4092) g.view.setInt32(f, m.regs[${o.r1}], true); else { m.write32(l, m.regs[${o.r1}]); ${slowTail} } }`);
  return lines.join(' ');
}

/** The most blocks one compiled region holds. */
const MAX_REGION = 12;

/**
 * The blocks an unwatched compiled function runs: `block` first, then blocks of the same code page
 * reached by its direct jumps and fall-throughs (decoded already, more than one op, wholly inside
 * the page). Their start offsets are relative to `block`'s.
 */
function regionOf(block: Block): { blocks: Block[]; deltas: number[] } {
  const blocks = [block];
  const deltas = [0];
  const slots = block.slots;
  if (slots === null) return { blocks, deltas };
  for (let k = 0; k < blocks.length && blocks.length < MAX_REGION; k++) {
    const b = blocks[k];
    const end = b.offset + b.bytes;
    const last = b.ops[b.ops.length - 1];
    const next: number[] = [];
    if (last.exec === 'jcc' || last.exec === 'jmpRel') next.push(end + last.rel);
    if (last.exec !== 'jmpRel' && (STRAIGHT.has(last.exec) || last.exec === 'jcc')) next.push(end);
    for (const off of next) {
      if (off < 0 || off >= PAGE_SIZE) continue;
      const s = slots[off];
      if (s === undefined || s.ops.length < 2 || s.offset + s.bytes > PAGE_SIZE || blocks.includes(s) || blocks.length >= MAX_REGION) continue;
      blocks.push(s);
      deltas.push(off - block.offset);
    }
  }
  return { blocks, deltas };
}

/**
 * Compile `block` (created once per hot block, never per instruction). Each op's handler call gets
 * its own call site, so the JIT sees one target per site and can inline the handler.
 *
 * `watched` compiles the per-op bookkeeping a data or I/O slot needs (insnStart before each op that
 * may access memory or a port, the afterArmed test after it) and calls each op's `watchedForm`
 * handler (same semantics; ops/fast.ts serves quiet granules of watched pages inline in it);
 * without it the code serves both an
 * unarmed debug unit and one with only exec slots (or emulator breakpoints) armed: those can only
 * hit at a block's start, which the chaining below checks.
 *
 * The function runs a region (regionOf): after each block it goes on with the block at the new RIP
 * when that is one of the region's blocks and the run loop would run it whole next anyway (as
 * blockRunner.chain): no after-instruction work pending, TF/RF clear, the same code
 * page and decoded code (epoch), the budget covering it, and — while anything is armed — no exec
 * slot inside the next block and nothing pending (blockMayRunMemo, asked once per block per call:
 * nothing a straight-line op does changes the slots or makes the unit unquiet without arming
 * afterArmed, which is tested first). Otherwise it returns to the run loop. A block always runs
 * exactly as blockRunner.runBlock would.
 */
export function compileBlock(block: Block, watched: boolean, codeBits: number, watchedForm: (h: Handler) => Handler = (h) => h): CompiledBlock {
  const { blocks, deltas } = regionOf(block);
  // clear: region blocks known to hold no exec slot with nothing pending (all of them when nothing is armed).
  const lines: string[] = ['const e = cache.epoch;', 'const d = m.debug;', 'const slots = cache.curSlots;', `let clear = d.armed ? 0 : ${(1 << MAX_REGION) - 1};`, 'let i = 0;', 'for (;;) {', 'switch (b) {'];
  const args: unknown[] = [];
  const names: string[] = [];
  blocks.forEach((blk, bi) => {
    const ops = blk.ops;
    const n = ops.length;
    const base = deltas[bi];
    const starts = new Float64Array(n + 1);
    for (let k = 0; k < n; k++) starts[k + 1] = starts[k] + ops[k].len;
    names.push(`s${bi}`);
    args.push(starts);
    lines.push(`case ${bi}: {`, 'i = 0;', 'try {');
    for (let k = 0; k < n; k++) {
      const o = ops[k];
      const at = base + starts[k];
      const next = base + starts[k + 1];
      const name = `o${bi}_${k}`;
      const handler = `h${bi}_${k}`;
      names.push(name, handler);
      args.push(o, watched ? watchedForm(o.h) : o.h);
      // insnStart: the last op only (no straight-line handler reads it; a throw sets it from s[i], a
      // data hit in watched code on its afterArmed exit, endInstructionNamed stamping the access);
      // RIP: the last op and RIP-relative operands (handlers that read it), else set on the early exits.
      if (k === n - 1) lines.push(`m.insnStart = rip + ${at}; m.rip = rip + ${next};`);
      else if (o.ripRel) lines.push(`m.rip = rip + ${next};`);
      // After a non-last op: stop when it rewrote decoded code, or (watched) when it hit a slot.
      const after: string[] = [];
      if (k < n - 1) {
        if (mayWriteMemory(o)) after.push(`if (cache.epoch !== e) { m.insnStart = rip + ${at}; m.rip = rip + ${next}; m.icount += ${k + 1}; return; }`);
        if (watched && !registerOnly(o)) after.push(`if (d.afterArmed) { m.insnStart = rip + ${at}; m.rip = rip + ${next}; d.endInstructionNamed(); m.icount += ${k + 1}; return; }`);
      }
      const inline = inlineMov32(o, watched, codeBits, after.join(' '));
      if (inline !== null) lines.push(`${inline} i = ${k + 1};`);
      else lines.push(`${handler}(m, ${name}); i = ${k + 1};`, ...after);
    }
    lines.push(`} catch (x) { m.insnStart = rip + ${base} + s${bi}[i]; m.icount += i; throw x; }`, `m.icount += ${n};`);
    // A last op that is not straight-line (MOV DRn, POPF, INT, ICEBP, a call into the environment...)
    // may have changed the slots or left something pending: look at the debug unit again.
    const last = ops[n - 1].exec;
    if (last !== 'jcc' && last !== 'jmpRel' && !STRAIGHT.has(last)) lines.push(watched ? 'if (d.armed) clear = 0;' : 'if (d.dataArmed || d.ioArmed) return; if (d.armed) clear = 0;');
    lines.push('break;', '}');
  });
  lines.push('}');
  if (blocks.length > 1 || selfTarget(block)) {
    // Go on only where blockRunner.chain (unwatched or watched) would run the next block.
    lines.push(`if (cache.epoch !== e || cache.curSlots !== slots || d.afterArmed || (m.flagsRest & ${TF_RF}) !== 0) return;`);
    lines.push('const dr = m.rip - rip;', 'const lim = m.codeBits === 32 ? 4294967296 : m.codeBits === 16 ? 65536 : 281474976710656;');
    blocks.forEach((blk, bi) => {
      names.push(`k${bi}`);
      args.push(blk);
      const fits = `m.icount + ${blk.ops.length} > m.stopAt || rip + ${deltas[bi] + blk.bytes} >= lim`;
      const may = `d.blockMayRunMemo(m.codeLinear(rip + ${deltas[bi]}), ${blk.bytes}, k${bi})`;
      lines.push(`if (dr === ${deltas[bi]}) { if (${fits}) return; if ((clear & ${1 << bi}) === 0) { if (!${may}) return; clear |= ${1 << bi}; } b = ${bi}; continue; }`);
    });
  }
  lines.push('return;', '}');
  const factory = new Function(...names, `return function compiledRegion(m, rip, cache, b) {\n${lines.join('\n')}\n};`) as (...a: unknown[]) => RegionFunction;
  const region = factory(...args);
  // Every block of the region enters the same function at its own case (rip of the region's first block = rip - delta).
  for (let bi = 1; bi < blocks.length; bi++) {
    const blk = blocks[bi];
    const delta = deltas[bi];
    const enter: CompiledBlock = (m, rip, cache) => region(m, rip - delta, cache, bi);
    if (watched) blk.compiledWatched ??= enter;
    else blk.compiled ??= enter;
  }
  return (m, rip, cache) => region(m, rip, cache, 0);
}

/** A compiled region: runs from its block `b` (rip = the region's first block's RIP). */
type RegionFunction = (m: Machine, rip: number, cache: DecodeCache, b: number) => void;

/** True when the block's last op is a relative jump back to the block's own start. */
function selfTarget(block: Block): boolean {
  const last = block.ops[block.ops.length - 1];
  return (last.exec === 'jcc' || last.exec === 'jmpRel') && last.rel === -block.bytes;
}

/** Decodes and caches Blocks per code page for one CPU. */
export class DecodeCache {
  private readonly insn = new Instruction();
  private readonly bytes = new Uint8Array(16);
  /** Pages holding decoded code. */
  private readonly codePages = new Set<Page>();
  /** Current code page: LINEAR page number, the physical page it maps to, and its slots (the run loop's fast path). */
  curPn = -1;
  private curPage: Page | null = null;
  curSlots: (Block | undefined)[] = [];
  /** Bumped whenever decoded code is dropped (self-modifying code, unmap, mode change). */
  epoch = 0;

  constructor(
    private readonly c: Cpu,
    private readonly handlers: Record<ExecName, Handler>,
    private readonly specialise: (o: Op) => Handler | null,
  ) {
    c.mem.onCodeWrite = (p) => this.invalidatePage(p);
    c.codeCache = this;
  }

  /** Make the next lookup translate its page again (a TLB flush, INVLPG, a CPL change under paging). */
  forgetCurrentPage(): void {
    this.curPn = -1;
    this.curPage = null;
    this.curSlots = [];
  }

  /** The Block at linear `lin` (decoding and caching it on a miss). May throw #PF for the fetch. */
  lookup(lin: number): Block {
    const pn = lin < 4294967296 ? lin >>> 12 : pageNumberOf(lin);
    if (pn !== this.curPn) this.enterPage(lin, pn);
    const off = lin & 0xfff;
    const hit = this.curSlots[off];
    if (hit !== undefined) return hit;
    const block = this.buildBlock(lin, pn);
    // Decoding may have materialised slots for a following page; re-enter ours.
    if (pn !== this.curPn) this.enterPage(lin, pn);
    this.curSlots[off] = block;
    block.slots = this.curSlots;
    block.offset = off;
    return block;
  }

  /** Decode straight-line instructions from `lin` until a block-ending one, the page end or MAX_BLOCK. */
  private buildBlock(lin: number, pn: number): Block {
    const ops: Op[] = [];
    let a = lin;
    for (;;) {
      let op: Op;
      try {
        op = this.decodeAt(a);
      } catch (e) {
        // A fetch fault after the first instruction ends the block before it (it faults when reached).
        if (ops.length > 0) break;
        throw e;
      }
      ops.push(op);
      a += op.len;
      if (op.faultVector >= 0 || !STRAIGHT.has(op.exec) || ops.length >= MAX_BLOCK) break;
      if (pageNumberOf(a) !== pn || (this.c.codeBits !== 64 && a - lin > 0xffff)) break;
    }
    return new Block(ops);
  }

  private enterPage(lin: number, pn: number): void {
    const c = this.c;
    const p = c.fetchPage(lin);
    if (p === null) throw c.fetchFault(lin);
    if (p.code === null) this.makeCodePage(p);
    this.curPn = pn;
    this.curPage = p;
    this.curSlots = p.code as (Block | undefined)[];
  }

  private decodeAt(lin: number): Op {
    const c = this.c;
    const n = c.fetchCode(lin, this.bytes, 15);
    const r = decode(this.bytes, 0, n, c.codeBits, this.insn);
    switch (r.kind) {
      case 'ok':
        break;
      case 'truncated':
        if (n < 15) {
          // The instruction runs into an unmapped or non-executable page.
          const f = faultOp(PF, 0, `instruction runs into an unmapped or non-executable page at 0x${(lin + n).toString(16)}`);
          f.faultLen = n;
          return f;
        }
        return faultOp(GP, 0, 'instruction longer than 15 bytes');
      case 'invalid':
        return faultOp(r.reason === 'tooLong' ? GP : UD, 0, `invalid instruction (${r.reason})`);
      case 'unsupported':
        return faultOp(UD, this.insn.length, `${this.insn.mnemonic || r.family} instructions are not emulated (${r.family})`);
    }
    const op = translate(this.insn, this.handlers, this.specialise);
    // Mark the instruction's bytes as code in the physical page(s) holding them. An instruction
    // straddling into the next linear page marks that page too; with paging it may be any physical
    // page, so it remembers the first page (straddleFrom) and a write there drops both. The block
    // itself hangs on the first page: another linear alias of that page whose next page maps
    // elsewhere would reuse the straddling instruction's bytes as decoded through the first alias
    // (documented edge case; flushTlb/INVLPG do not drop decoded code).
    let first: Page | null = null;
    let pn = -1;
    let p: Page | null = null;
    for (let i = 0; i < Math.max(op.len, 1); i++) {
      const a = c.nextLin(lin, i);
      const apn = pageNumberOf(a);
      if (apn !== pn) {
        p = c.fetchPage(a);
        if (p === null) break;
        pn = apn;
        if (p.code === null) this.makeCodePage(p);
        if (first === null) first = p;
        else if (p !== first && p.number !== first.number + 1) {
          const from = (p.straddleFrom ??= []);
          if (!from.includes(first)) from.push(first);
        }
      }
      ((p as Page).codeMap as Uint8Array)[a & 0xfff] = 1;
    }
    return op;
  }

  private makeCodePage(p: Page): void {
    p.code = new Array<Block | undefined>(PAGE_SIZE);
    p.codeMap = new Uint8Array(PAGE_SIZE);
    this.codePages.add(p);
    this.c.mem.forgetWrite(p);
  }

  /** Drop the cached code of physical page `p`, of the page before it and of pages whose last instruction straddles into it. */
  invalidatePage(p: Page): void {
    const from = p.straddleFrom;
    this.dropPage(p);
    const prev = this.c.mem.page(p.number - 1);
    if (prev && prev.code) this.dropPage(prev);
    if (from !== null) for (const q of from) if (q.code !== null) this.dropPage(q);
  }

  private dropPage(p: Page): void {
    this.epoch++;
    p.code = null;
    p.codeMap = null;
    p.straddleFrom = null;
    this.codePages.delete(p);
    if (this.curPage === p) this.forgetCurrentPage();
  }

  /** Forget everything (mode switch: the same bytes decode differently). */
  flush(): void {
    this.epoch++;
    for (const p of this.codePages) { p.code = null; p.codeMap = null; p.straddleFrom = null; }
    this.codePages.clear();
    this.forgetCurrentPage();
  }
}
