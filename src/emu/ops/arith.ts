// Integer arithmetic and logic: ADD ADC SUB SBB CMP AND OR XOR TEST INC DEC NEG NOT at every size,
// register and memory destinations (read-modify-write reported once as a write), with lazy flags.
// 64-bit values are carried as int32 lo/hi halves (no BigInt).
// Imports the CPU core and operand helpers.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_MEM, K_REG } = decodeCacheModule;
const { ea, read1 } = operandsModule;
const { getCF, sizeIndex, LF_ADC1, LF_ADD, LF_DEC, LF_INC, LF_LOGIC, LF_NEG, LF_SBB1, LF_SUB } = flagsModule;
const { UD } = exceptionsModule;

const TWO32 = 4294967296;

export const ALU_ADD = 0;
export const ALU_OR = 1;
export const ALU_ADC = 2;
export const ALU_SBB = 3;
export const ALU_AND = 4;
export const ALU_SUB = 5;
export const ALU_XOR = 6;
export const ALU_CMP = 7;
export const ALU_TEST = 8;

/**
 * Compute `a op b` at `size` bytes (64-bit: ah/bh high halves, result high half in m.hi) and record
 * the lazy flags. Returns the low part of the result (not masked for 8/16-bit sizes).
 */
export function aluCompute(m: Machine, kind: number, size: number, a: number, b: number, ah: number, bh: number): number {
  const si = sizeIndex(size);
  if (size < 4) b &= size === 1 ? 0xff : 0xffff;
  if (si === 3) return alu64(m, kind, a, b, ah, bh);
  let r: number;
  let lk: number;
  switch (kind) {
    case ALU_ADD: r = a + b; lk = LF_ADD; break;
    case ALU_ADC: { const c = getCF(m); r = a + b + c; lk = c ? LF_ADC1 : LF_ADD; break; }
    case ALU_SBB: { const c = getCF(m); r = a - b - c; lk = c ? LF_SBB1 : LF_SUB; break; }
    case ALU_SUB:
    case ALU_CMP: r = a - b; lk = LF_SUB; break;
    case ALU_OR: r = a | b; lk = LF_LOGIC; break;
    case ALU_XOR: r = a ^ b; lk = LF_LOGIC; break;
    default: r = a & b; lk = LF_LOGIC; break;
  }
  r |= 0;
  m.lfOp = (lk << 2) | si;
  m.lfA = a;
  m.lfB = b;
  m.lfRes = r;
  return r;
}

function alu64(m: Machine, kind: number, a: number, b: number, ah: number, bh: number): number {
  let lo: number;
  let hi: number;
  let lk: number;
  switch (kind) {
    case ALU_ADD:
    case ALU_ADC: {
      const c = kind === ALU_ADC ? getCF(m) : 0;
      const s = (a >>> 0) + (b >>> 0) + c;
      const carry = s >= TWO32 ? 1 : 0;
      lo = s | 0;
      hi = (ah + bh + carry) | 0;
      lk = c ? LF_ADC1 : LF_ADD;
      break;
    }
    case ALU_SUB:
    case ALU_CMP:
    case ALU_SBB: {
      const c = kind === ALU_SBB ? getCF(m) : 0;
      const s = (a >>> 0) - (b >>> 0) - c;
      const borrow = s < 0 ? 1 : 0;
      lo = s | 0;
      hi = (ah - bh - borrow) | 0;
      lk = c ? LF_SBB1 : LF_SUB;
      break;
    }
    case ALU_OR: lo = a | b; hi = ah | bh; lk = LF_LOGIC; break;
    case ALU_XOR: lo = a ^ b; hi = ah ^ bh; lk = LF_LOGIC; break;
    default: lo = a & b; hi = ah & bh; lk = LF_LOGIC; break;
  }
  m.lfOp = (lk << 2) | 3;
  m.lfA = a;
  m.lfB = b;
  m.lfRes = lo;
  m.lfAHi = ah;
  m.lfBHi = bh;
  m.lfResHi = hi;
  m.hi = hi;
  return lo;
}

/** Generic two-operand ALU instruction (operand 0 = destination, operand 1 = source). */
export function alu(m: Machine, o: Op, kind: number): void {
  const size = o.size;
  const b = read1(m, o, size);
  const bh = m.hi;
  if (o.k0 === K_REG) {
    const a = m.getReg(o.r0, size);
    const r = aluCompute(m, kind, size, a, b, m.hi, bh);
    if (kind < ALU_CMP) m.setReg(o.r0, size, r, m.hi);
    return;
  }
  const lin = ea(m, o);
  if (kind >= ALU_CMP) {
    const a = m.read(lin, size);
    aluCompute(m, kind, size, a, b, m.hi, bh);
    return;
  }
  const a = m.rmwRead(lin, size);
  const r = aluCompute(m, kind, size, a, b, m.hi, bh);
  m.rmwWrite(lin, size, r, m.hi);
}

/** LOCK is legal only with a memory destination (the decoder checks forms; this guards register forms). */
function checkLock(o: Op): void {
  if (o.lock && o.k0 !== K_MEM) throw new CpuFault(UD, undefined, undefined, 'LOCK with a register destination');
}

export const add = (m: Machine, o: Op): void => alu(m, o, ALU_ADD);
export const or = (m: Machine, o: Op): void => alu(m, o, ALU_OR);
export const adc = (m: Machine, o: Op): void => alu(m, o, ALU_ADC);
export const sbb = (m: Machine, o: Op): void => alu(m, o, ALU_SBB);
export const and = (m: Machine, o: Op): void => alu(m, o, ALU_AND);
export const sub = (m: Machine, o: Op): void => alu(m, o, ALU_SUB);
export const xor = (m: Machine, o: Op): void => alu(m, o, ALU_XOR);
export const cmp = (m: Machine, o: Op): void => alu(m, o, ALU_CMP);
export const test = (m: Machine, o: Op): void => alu(m, o, ALU_TEST);

/** INC/DEC/NEG/NOT on operand 0. */
function unary(m: Machine, o: Op, which: number): void {
  checkLock(o);
  const size = o.size;
  const mem = o.k0 !== K_REG;
  const lin = mem ? ea(m, o) : 0;
  const a = mem ? m.rmwRead(lin, size) : m.getReg(o.r0, size);
  const ah = m.hi;
  let lo: number;
  let hi = 0;
  const si = sizeIndex(size);
  if (which === 3) {
    // NOT: no flags.
    lo = ~a;
    hi = ~ah;
  } else {
    if (which !== 2) m.flagsRest = (m.flagsRest & ~1) | getCF(m); // INC/DEC keep CF (the other flags become lazy)
    if (si === 3) {
      let s: number;
      if (which === 0) { s = (a >>> 0) + 1; lo = s | 0; hi = (ah + (s >= TWO32 ? 1 : 0)) | 0; }
      else if (which === 1) { s = (a >>> 0) - 1; lo = s | 0; hi = (ah - (s < 0 ? 1 : 0)) | 0; }
      else { s = -(a >>> 0); lo = s | 0; hi = (-ah - (s < 0 ? 1 : 0)) | 0; }
      m.lfAHi = which === 2 ? 0 : ah;
      m.lfBHi = which === 2 ? ah : 0;
      m.lfResHi = hi;
    } else {
      lo = which === 0 ? (a + 1) | 0 : which === 1 ? (a - 1) | 0 : (-a) | 0;
    }
    if (which === 2) { m.lfA = 0; m.lfB = a; } else { m.lfA = a; m.lfB = 1; }
    m.lfRes = lo;
    m.lfOp = ((which === 0 ? LF_INC : which === 1 ? LF_DEC : LF_NEG) << 2) | si;
  }
  if (mem) m.rmwWrite(lin, size, lo, hi);
  else m.setReg(o.r0, size, lo, hi);
}

export const inc = (m: Machine, o: Op): void => unary(m, o, 0);
export const dec = (m: Machine, o: Op): void => unary(m, o, 1);
export const neg = (m: Machine, o: Op): void => unary(m, o, 2);
export const not = (m: Machine, o: Op): void => unary(m, o, 3);
