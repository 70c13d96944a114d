// Bit instructions: BT/BTS/BTR/BTC (register and immediate offsets; a register offset into memory
// addresses beyond the operand, SDM Vol. 2 "BT"), BSF/BSR, LZCNT/TZCNT, POPCNT. Flags the SDM
// leaves undefined are left unchanged (documented in docs/machine-state.md).
// Imports the CPU core and operand helpers.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_IMM, K_REG } = decodeCacheModule;
const { ea, read1 } = operandsModule;
const { materializeFlags, CF, ZF, PF, AF, SF, OF } = flagsModule;

const BT = 0;
const BTS = 1;
const BTR = 2;
const BTC = 3;

function bitOp(m: Machine, o: Op, kind: number): void {
  const size = o.size;
  const w = size * 8;
  let off: number;
  let offHi = 0;
  if (o.k1 === K_IMM) off = o.imm & (w - 1);
  else {
    off = m.getReg(o.r1, size);
    offHi = size === 8 ? m.hi : 0;
    if (size === 2) off = (off << 16) >> 16;
  }
  let lo: number;
  let hi = 0;
  let bit: number;
  if (o.k0 === K_REG) {
    bit = off & (w - 1);
    lo = m.getReg(o.r0, size);
    hi = m.hi;
  } else {
    // Memory with a register offset: signed bit offset, whole operand-size units added to the address.
    let lin = ea(m, o);
    if (o.k1 !== K_IMM) {
      const signedOff = size === 8 ? offHi * 4294967296 + (off >>> 0) : off | 0;
      const unit = Math.floor(signedOff / w);
      bit = signedOff - unit * w;
      lin = m.mode64 ? lin + unit * size : m.real ? (lin + unit * size) & m.a20Mask : (lin + unit * size) >>> 0;
    } else bit = off;
    if (kind === BT) {
      lo = m.read(lin, size);
      hi = m.hi;
    } else {
      lo = m.rmwRead(lin, size);
      hi = m.hi;
    }
    const r = applyBit(m, kind, size, lo, hi, bit);
    if (kind !== BT) m.rmwWrite(lin, size, r, resHi);
    return;
  }
  const r = applyBit(m, kind, size, lo, hi, bit);
  if (kind !== BT) m.setReg(o.r0, size, r, resHi);
}

/** High half of the last applyBit result. */
let resHi = 0;

/** Test bit b of (l, h) into CF and return the modified low half (high half in resHi). */
function applyBit(m: Machine, k: number, sz: number, l: number, h: number, b: number): number {
  const inHi = sz === 8 && b >= 32;
  const word = inHi ? h : l;
  const sh = b & 31;
  const cf = (word >>> sh) & 1;
  materializeFlags(m);
  m.flagsRest = (m.flagsRest & ~CF) | cf;
  let nw = word;
  if (k === BTS) nw = word | (1 << sh);
  else if (k === BTR) nw = word & ~(1 << sh);
  else if (k === BTC) nw = word ^ (1 << sh);
  resHi = inHi ? nw : h;
  return inHi ? l : nw;
}

export const bt = (m: Machine, o: Op): void => bitOp(m, o, BT);
export const bts = (m: Machine, o: Op): void => bitOp(m, o, BTS);
export const btr = (m: Machine, o: Op): void => bitOp(m, o, BTR);
export const btc = (m: Machine, o: Op): void => bitOp(m, o, BTC);

/** Index of the lowest set bit of (lo, hi), or -1. */
function lowestBit(lo: number, hi: number): number {
  if (lo !== 0) return 31 - Math.clz32(lo & -lo);
  if (hi !== 0) return 63 - Math.clz32(hi & -hi);
  return -1;
}
/** Index of the highest set bit of (lo, hi), or -1. */
function highestBit(lo: number, hi: number): number {
  if (hi !== 0) return 63 - Math.clz32(hi);
  if (lo !== 0) return 31 - Math.clz32(lo);
  return -1;
}

/** Source operand: low half returned, high half in srcHi. */
let srcHi = 0;
function srcValue(m: Machine, o: Op): number {
  const size = o.size;
  const v = read1(m, o, size);
  srcHi = size === 8 ? m.hi : 0;
  return size === 2 ? v & 0xffff : v;
}

function setZfCf(m: Machine, zf: number, cf: number, clearOthers: boolean): void {
  materializeFlags(m);
  let f = m.flagsRest & ~(ZF | CF);
  if (clearOthers) f &= ~(PF | AF | SF | OF);
  m.flagsRest = f | (zf ? ZF : 0) | (cf ? CF : 0);
}

export function bsf(m: Machine, o: Op): void {
  const lo = srcValue(m, o);
  const hi = srcHi;
  const i = lowestBit(lo, hi);
  materializeFlags(m);
  if (i < 0) { m.flagsRest |= ZF; return; } // destination unchanged (documented choice)
  m.flagsRest &= ~ZF;
  m.setReg(o.r0, o.size, i, 0);
}

export function bsr(m: Machine, o: Op): void {
  const lo = srcValue(m, o);
  const hi = srcHi;
  const i = highestBit(lo, hi);
  materializeFlags(m);
  if (i < 0) { m.flagsRest |= ZF; return; }
  m.flagsRest &= ~ZF;
  m.setReg(o.r0, o.size, i, 0);
}

export function tzcnt(m: Machine, o: Op): void {
  const lo = srcValue(m, o);
  const hi = srcHi;
  const i = lowestBit(lo, hi);
  const n = i < 0 ? o.size * 8 : i;
  setZfCf(m, n === 0 ? 1 : 0, i < 0 ? 1 : 0, false);
  m.setReg(o.r0, o.size, n, 0);
}

export function lzcnt(m: Machine, o: Op): void {
  const lo = srcValue(m, o);
  const hi = srcHi;
  const i = highestBit(lo, hi);
  const w = o.size * 8;
  const n = i < 0 ? w : w - 1 - i;
  setZfCf(m, n === 0 ? 1 : 0, i < 0 ? 1 : 0, false);
  m.setReg(o.r0, o.size, n, 0);
}

function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

export function popcnt(m: Machine, o: Op): void {
  const lo = srcValue(m, o);
  const hi = srcHi;
  const n = popcount32(lo) + popcount32(hi);
  setZfCf(m, lo === 0 && hi === 0 ? 1 : 0, 0, true);
  m.setReg(o.r0, o.size, n, 0);
}
