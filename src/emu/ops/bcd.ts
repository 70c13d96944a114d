// BCD adjustment: DAA DAS AAA AAS AAM AAD (not in 64-bit mode; the decoder raises #UD there),
// following the SDM Vol. 2 pseudocode. Undefined flags are set deterministically: OF = 0, and for
// AAA/AAS SF/ZF/PF from the adjusted AL; AAM/AAD set AF = CF = OF = 0 (docs/machine-state.md).
// Imports the CPU core.
import type { Machine } from '../machine';
import type { Op } from '../decodeCache';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { getAF, getCF, materializeFlags, parityOf, AF, CF, OF, PF, SF, ZF } = flagsModule;
const { DE } = exceptionsModule;

/** Set all six arithmetic flags: SF/ZF/PF from the byte `al`, CF and AF as given, OF = 0. */
function setBcdFlags(m: Machine, al: number, cf: number, af: number): void {
  materializeFlags(m);
  let f = m.flagsRest & ~(CF | PF | AF | ZF | SF | OF);
  al &= 0xff;
  if (cf) f |= CF;
  if (af) f |= AF;
  if (al === 0) f |= ZF;
  if (al & 0x80) f |= SF;
  f |= parityOf(al);
  m.flagsRest = f;
}

export function daa(m: Machine, _o: Op): void {
  const oldAl = m.regs[0] & 0xff;
  const oldCf = getCF(m);
  let al = oldAl;
  let cf = 0;
  let af = 0;
  if ((al & 0xf) > 9 || getAF(m)) {
    al += 6;
    cf = oldCf | (al > 0xff ? 1 : 0);
    al &= 0xff;
    af = 1;
  }
  if (oldAl > 0x99 || oldCf) {
    al = (al + 0x60) & 0xff;
    cf = 1;
  } else cf = 0;
  m.set8(0, al);
  setBcdFlags(m, al, cf, af);
}

export function das(m: Machine, _o: Op): void {
  const oldAl = m.regs[0] & 0xff;
  const oldCf = getCF(m);
  let al = oldAl;
  let cf = 0;
  let af = 0;
  if ((al & 0xf) > 9 || getAF(m)) {
    const borrow = al < 6 ? 1 : 0;
    al = (al - 6) & 0xff;
    cf = oldCf | borrow;
    af = 1;
  }
  if (oldAl > 0x99 || oldCf) {
    al = (al - 0x60) & 0xff;
    cf = 1;
  }
  m.set8(0, al);
  setBcdFlags(m, al, cf, af);
}

export function aaa(m: Machine, _o: Op): void {
  let ax = m.regs[0] & 0xffff;
  let adj = 0;
  if ((ax & 0xf) > 9 || getAF(m)) {
    ax = (ax + 0x106) & 0xffff;
    adj = 1;
  }
  ax &= 0xff0f;
  m.set16(0, ax);
  setBcdFlags(m, ax & 0xff, adj, adj);
}

export function aas(m: Machine, _o: Op): void {
  let ax = m.regs[0] & 0xffff;
  let adj = 0;
  if ((ax & 0xf) > 9 || getAF(m)) {
    ax = (ax - 6) & 0xffff;
    ax = (ax - 0x100) & 0xffff;
    adj = 1;
  }
  ax &= 0xff0f;
  m.set16(0, ax);
  setBcdFlags(m, ax & 0xff, adj, adj);
}

export function aam(m: Machine, o: Op): void {
  const base = o.imm & 0xff;
  if (base === 0) throw new CpuFault(DE, undefined, undefined, 'AAM with base 0');
  const al = m.regs[0] & 0xff;
  const r = al % base;
  m.set16(0, (Math.floor(al / base) << 8) | r);
  setBcdFlags(m, r, 0, 0);
}

export function aad(m: Machine, o: Op): void {
  const base = o.imm & 0xff;
  const al = ((m.regs[0] & 0xff) + ((m.regs[0] >> 8) & 0xff) * base) & 0xff;
  m.set16(0, al);
  setBcdFlags(m, al, 0, 0);
}
