// Specialised handlers for the commonest operand shapes (32-bit register/immediate ALU, MOV,
// INC/DEC, Jcc), bound at decode time. Each one is semantically identical to the generic handler
// it replaces (the unit tests run both paths); they only skip the generic operand dispatch.
// Imports the CPU core and flags.
import type { Machine } from '../machine';
import { type Handler, type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as flagsModule from '../flags';
import * as operandsModule from './operands';
import * as memoryModule from '../memory';
import type { Page } from '../memory';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_IMM, K_MEM, K_REG } = decodeCacheModule;
const { condition, getCF, LF_ADD, LF_DEC, LF_INC, LF_LOGIC, LF_SUB } = flagsModule;
const { ea } = operandsModule;
const { TLB_MASK } = memoryModule;

const S32 = 2;

/**
 * The linear address of a 4-byte memory operand in 16/32-bit (not 64-bit) mode with the segment
 * limit check (same as operands.ea for msize 4, without the mode dispatch the callers did).
 */
function ea32(m: Machine, o: Op): number {
  let a = o.disp;
  if (o.base >= 0) a += m.regs[o.base];
  if (o.index >= 0) a += m.regs[o.index] << o.scale;
  a = o.asize === 2 ? a & 0xffff : a >>> 0;
  const s = o.seg;
  if (m.segFlags[s] !== 0 || a + 3 > m.segLimit[s]) m.checkSegment(s, a, 4);
  return m.real ? (m.segBase[s] + a) & m.a20Mask : (m.segBase[s] + a) >>> 0;
}

/**
 * 32-bit load of the memory operand: the read-TLB hit inline (the dword inside one page; watched
 * pages never have an entry, dataWatch.ts); everything else through Cpu.read32 (same result and faults).
 */
function load32(m: Machine, o: Op): number {
  if (m.mode64) return m.read32(ea(m, o));
  const lin = ea32(m, o);
  const off = lin & 0xfff;
  const pn = lin >>> 12;
  const i = pn & TLB_MASK;
  if (off <= 4092 && m.rKey[i] === pn) return (m.rPage[i] as Page).view.getInt32(off, true);
  return m.read32(lin);
}

/** 32-bit store to the memory operand: the write-TLB hit inline (see load32). */
function store32(m: Machine, o: Op, v: number): void {
  if (m.mode64) { m.write32(ea(m, o), v); return; }
  const lin = ea32(m, o);
  const off = lin & 0xfff;
  const pn = lin >>> 12;
  const i = pn & TLB_MASK;
  if (off <= 4092 && m.wKey[i] === pn) (m.wPage[i] as Page).view.setInt32(off, v, true);
  else m.write32(lin, v);
}

/**
 * load32 for code compiled while a data slot is armed: also the side-TLB hit of a watched page on
 * a 64-byte granule no armed slot can see (memory.ts vrWatched) inline, so unrelated data on a
 * watched page costs no call (side TLB first: a watched page is never in the main TLB). Kept apart
 * from load32 so the unwatched handlers stay small.
 */
function loadWatched32(m: Machine, o: Op): number {
  if (m.mode64) return m.read32(ea(m, o));
  const lin = ea32(m, o);
  const off = lin & 0xfff;
  const pn = lin >>> 12;
  const i = pn & TLB_MASK;
  const j = pn & 7; // the side TLB (memory.ts WATCH_TLB_SIZE)
  const p = m.vrKey[j] === pn ? (m.vrWatched[(j << 6) | (off >>> 6)] === 0 ? m.vrPage[j] : null) : m.rKey[i] === pn ? m.rPage[i] : null;
  return p !== null && off <= 4092 ? p.view.getInt32(off, true) : m.read32(lin);
}

function add32rr(m: Machine, o: Op): void {
  const r = m.regs;
  const a = r[o.r0];
  const b = r[o.r1];
  const v = (a + b) | 0;
  r[o.r0] = v;
  m.regsHi[o.r0] = 0;
  m.lfOp = (LF_ADD << 2) | S32;
  m.lfA = a;
  m.lfB = b;
  m.lfRes = v;
}
function add32ri(m: Machine, o: Op): void {
  const r = m.regs;
  const a = r[o.r0];
  const b = o.imm;
  const v = (a + b) | 0;
  r[o.r0] = v;
  m.regsHi[o.r0] = 0;
  m.lfOp = (LF_ADD << 2) | S32;
  m.lfA = a;
  m.lfB = b;
  m.lfRes = v;
}
function sub32rr(m: Machine, o: Op): void {
  const r = m.regs;
  const a = r[o.r0];
  const b = r[o.r1];
  const v = (a - b) | 0;
  r[o.r0] = v;
  m.regsHi[o.r0] = 0;
  m.lfOp = (LF_SUB << 2) | S32;
  m.lfA = a;
  m.lfB = b;
  m.lfRes = v;
}
function sub32ri(m: Machine, o: Op): void {
  const r = m.regs;
  const a = r[o.r0];
  const b = o.imm;
  const v = (a - b) | 0;
  r[o.r0] = v;
  m.regsHi[o.r0] = 0;
  m.lfOp = (LF_SUB << 2) | S32;
  m.lfA = a;
  m.lfB = b;
  m.lfRes = v;
}
/** CMP's lazy flags: those of a - b, 32-bit. */
function cmpFlags32(m: Machine, a: number, b: number): void {
  m.lfOp = (LF_SUB << 2) | S32;
  m.lfA = a;
  m.lfB = b;
  m.lfRes = (a - b) | 0;
}
function cmp32rr(m: Machine, o: Op): void {
  cmpFlags32(m, m.regs[o.r0], m.regs[o.r1]);
}
function cmp32ri(m: Machine, o: Op): void {
  cmpFlags32(m, m.regs[o.r0], o.imm);
}
function cmp32rm(m: Machine, o: Op): void {
  cmpFlags32(m, m.regs[o.r0], load32(m, o));
}
function cmp32mr(m: Machine, o: Op): void {
  cmpFlags32(m, load32(m, o), m.regs[o.r1]);
}
function logic32(m: Machine, o: Op, v: number): void {
  m.regs[o.r0] = v;
  m.regsHi[o.r0] = 0;
  m.lfOp = (LF_LOGIC << 2) | S32;
  m.lfRes = v;
}
function xor32rr(m: Machine, o: Op): void {
  logic32(m, o, m.regs[o.r0] ^ m.regs[o.r1]);
}
function and32rr(m: Machine, o: Op): void {
  logic32(m, o, m.regs[o.r0] & m.regs[o.r1]);
}
function or32rr(m: Machine, o: Op): void {
  logic32(m, o, m.regs[o.r0] | m.regs[o.r1]);
}
function and32ri(m: Machine, o: Op): void {
  logic32(m, o, m.regs[o.r0] & o.imm);
}
function test32rr(m: Machine, o: Op): void {
  m.lfOp = (LF_LOGIC << 2) | S32;
  m.lfRes = m.regs[o.r0] & m.regs[o.r1];
}
function incdec32(m: Machine, o: Op, d: number, kind: number): void {
  // INC/DEC keep CF: fold only CF into flagsRest (the other five become lazy again).
  m.flagsRest = (m.flagsRest & ~1) | getCF(m);
  const a = m.regs[o.r0];
  const v = (a + d) | 0;
  m.regs[o.r0] = v;
  m.regsHi[o.r0] = 0;
  m.lfOp = (kind << 2) | S32;
  m.lfA = a;
  m.lfB = 1;
  m.lfRes = v;
}
function inc32r(m: Machine, o: Op): void {
  incdec32(m, o, 1, LF_INC);
}
function dec32r(m: Machine, o: Op): void {
  incdec32(m, o, -1, LF_DEC);
}
function mov32rr(m: Machine, o: Op): void {
  m.regs[o.r0] = m.regs[o.r1];
  m.regsHi[o.r0] = 0;
}
function mov32ri(m: Machine, o: Op): void {
  m.regs[o.r0] = o.imm;
  m.regsHi[o.r0] = 0;
}
function mov32rm(m: Machine, o: Op): void {
  const v = load32(m, o);
  m.regs[o.r0] = v;
  m.regsHi[o.r0] = 0;
}
function mov32mr(m: Machine, o: Op): void {
  store32(m, o, m.regs[o.r1]);
}
function cmp32rmWatched(m: Machine, o: Op): void {
  cmpFlags32(m, m.regs[o.r0], loadWatched32(m, o));
}
function cmp32mrWatched(m: Machine, o: Op): void {
  cmpFlags32(m, loadWatched32(m, o), m.regs[o.r1]);
}
function mov64rr(m: Machine, o: Op): void {
  m.regs[o.r0] = m.regs[o.r1];
  m.regsHi[o.r0] = m.regsHi[o.r1];
}
/** The lazy-flag record of a 32-bit CMP/SUB. */
const SUB32 = (LF_SUB << 2) | S32;

/**
 * Condition `cc`, with shortcuts for the common cases: after a 32-bit CMP/SUB the condition is a
 * direct comparison of the operands (SDM Vol. 1 Table B-1), and ZF after any lazily recorded
 * 32-bit operation is `result === 0`. Everything else goes through flags.ts.
 */
function fastCondition(m: Machine, cc: number): boolean {
  const op = m.lfOp;
  if (op === SUB32) {
    const a = m.lfA;
    const b = m.lfB;
    switch (cc) {
      case 2: return a >>> 0 < b >>> 0;
      case 3: return a >>> 0 >= b >>> 0;
      case 4: return a === b;
      case 5: return a !== b;
      case 6: return a >>> 0 <= b >>> 0;
      case 7: return a >>> 0 > b >>> 0;
      case 12: return a < b;
      case 13: return a >= b;
      case 14: return a <= b;
      case 15: return a > b;
      default: return condition(m, cc);
    }
  }
  if ((cc === 4 || cc === 5) && (op & 3) === S32 && op >= 4) return (m.lfRes === 0) === (cc === 4);
  return condition(m, cc);
}

/** Jcc in 32-bit code (EIP wraps at 2^32). */
function jcc32(m: Machine, o: Op): void {
  if (fastCondition(m, o.cc)) m.rip = (m.rip + o.rel) >>> 0;
}
function jmp32(m: Machine, o: Op): void {
  m.rip = (m.rip + o.rel) >>> 0;
}

const TWO32 = 4294967296;
const TWO48 = 281474976710656;

/** 64-bit ADD/SUB/CMP core on (lo, hi) halves with the lazy-flag record (same as arith.ts alu64). */
function addSub64(m: Machine, r: number, b: number, bh: number, sub: boolean, write: boolean): void {
  const a = m.regs[r];
  const ah = m.regsHi[r];
  let lo: number;
  let hi: number;
  if (sub) {
    const t = (a >>> 0) - (b >>> 0);
    lo = t | 0;
    hi = (ah - bh - (t < 0 ? 1 : 0)) | 0;
  } else {
    const t = (a >>> 0) + (b >>> 0);
    lo = t | 0;
    hi = (ah + bh + (t >= TWO32 ? 1 : 0)) | 0;
  }
  if (write) {
    m.regs[r] = lo;
    m.regsHi[r] = hi;
  }
  m.lfOp = ((sub ? LF_SUB : LF_ADD) << 2) | 3;
  m.lfA = a;
  m.lfB = b;
  m.lfRes = lo;
  m.lfAHi = ah;
  m.lfBHi = bh;
  m.lfResHi = hi;
}
function add64rr(m: Machine, o: Op): void {
  addSub64(m, o.r0, m.regs[o.r1], m.regsHi[o.r1], false, true);
}
function add64ri(m: Machine, o: Op): void {
  addSub64(m, o.r0, o.imm, o.immHi, false, true);
}
function sub64rr(m: Machine, o: Op): void {
  addSub64(m, o.r0, m.regs[o.r1], m.regsHi[o.r1], true, true);
}
function sub64ri(m: Machine, o: Op): void {
  addSub64(m, o.r0, o.imm, o.immHi, true, true);
}
function cmp64rr(m: Machine, o: Op): void {
  addSub64(m, o.r0, m.regs[o.r1], m.regsHi[o.r1], true, false);
}
function cmp64ri(m: Machine, o: Op): void {
  addSub64(m, o.r0, o.imm, o.immHi, true, false);
}
function mov64ri(m: Machine, o: Op): void {
  m.regs[o.r0] = o.imm;
  m.regsHi[o.r0] = o.immHi;
}
/** Jcc in 64-bit code: RIP is a 48-bit folded value. */
function jcc64(m: Machine, o: Op): void {
  if (fastCondition(m, o.cc)) {
    const t = m.rip + o.rel;
    m.rip = t < 0 ? t + TWO48 : t >= TWO48 ? t - TWO48 : t;
  }
}

/**
 * The handlers with a memory operand and their forms for code compiled while a data slot is armed.
 * 32-bit MOV needs none: outside 64-bit code compiled regions inline it (decodeCache.ts inlineMov32).
 */
const WATCHED_FORMS = new Map<Handler, Handler>([
  [cmp32rm, cmp32rmWatched],
  [cmp32mr, cmp32mrWatched],
]);

/**
 * The form of handler `h` for compiled code while a data slot is armed (same semantics; it also
 * serves quiet granules of watched pages inline), or `h` itself.
 */
export function watchedFormFast(h: Handler): Handler {
  return WATCHED_FORMS.get(h) ?? h;
}

/** The fast handler for `o`, or null. */
export function specialiseFast(o: Op): Handler | null {
  const rr = o.k0 === K_REG && o.k1 === K_REG && o.r0 < 16 && o.r1 < 16;
  const ri = o.k0 === K_REG && o.k1 === K_IMM && o.r0 < 16;
  if (o.lock) return null;
  if (o.size === 4) {
    switch (o.exec) {
      case 'add': return rr ? add32rr : ri ? add32ri : null;
      case 'sub': return rr ? sub32rr : ri ? sub32ri : null;
      case 'cmp':
        if (rr) return cmp32rr;
        if (ri) return cmp32ri;
        if (o.k0 === K_REG && o.k1 === K_MEM) return cmp32rm;
        if (o.k0 === K_MEM && o.k1 === K_REG) return cmp32mr;
        return null;
      case 'xor': return rr ? xor32rr : null;
      case 'and': return rr ? and32rr : ri ? and32ri : null;
      case 'or': return rr ? or32rr : null;
      case 'test': return rr ? test32rr : null;
      case 'inc': return o.k0 === K_REG && o.r0 < 16 ? inc32r : null;
      case 'dec': return o.k0 === K_REG && o.r0 < 16 ? dec32r : null;
      case 'mov':
        if (rr) return mov32rr;
        if (ri) return mov32ri;
        if (o.k0 === K_REG && o.k1 === K_MEM && o.r0 < 16) return mov32rm;
        if (o.k0 === K_MEM && o.k1 === K_REG && o.r1 < 16) return mov32mr;
        return null;
      case 'jcc': return jcc32;
      case 'jmpRel': return jmp32;
      default: return null;
    }
  }
  if (o.size === 8) {
    switch (o.exec) {
      case 'mov': return rr ? mov64rr : ri ? mov64ri : null;
      case 'add': return rr ? add64rr : ri ? add64ri : null;
      case 'sub': return rr ? sub64rr : ri ? sub64ri : null;
      case 'cmp': return rr ? cmp64rr : ri ? cmp64ri : null;
      case 'jcc': return jcc64;
      default: return null;
    }
  }
  return null;
}
