// The handler registry: one handler per ExecName (a missing one fails to compile), plus
// `specialise`, which binds faster handlers to the most common operand shapes at decode time.
// Imports every ops/ group.
import type { ExecName } from '../../isa/execNames';
import type { Handler, Op } from '../decodeCache';
import * as arith from './arith';
import * as data from './data';
import * as stack from './stack';
import * as control from './control';
import * as shift from './shift';
import * as bit from './bit';
import * as muldiv from './muldiv';
import * as bcd from './bcd';
import * as str from './string';
import * as io from './io';
import * as intr from './interrupt';
import * as sys from './system';
import * as crc from './crc32';
import * as adx from './adx';
import * as rnd from './random';
import * as bmi from './bmi';
import * as features from './cpuFeatures';
import * as fastModule from './fast';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { specialiseFast, watchedFormFast } = fastModule;
const { UD } = exceptionsModule;

const unsupported: Handler = (_m, o) => {
  throw new CpuFault(UD, undefined, undefined, `${o.mnemonic} is not emulated`);
};

export const handlers: Record<ExecName, Handler> = {
  mov: data.mov, movsx: data.movsx, movzx: data.movzx, movsxd: data.movsxd, movbe: data.movbe,
  movToSeg: data.movToSeg, movFromSeg: data.movFromSeg,
  movToCr: sys.movToCr, movFromCr: sys.movFromCr, movToDr: sys.movToDr, movFromDr: sys.movFromDr,
  xchg: data.xchg, xadd: data.xadd, cmpxchg: data.cmpxchg, cmpxchg8b: data.cmpxchg8b, cmpxchg16b: data.cmpxchg16b,
  bswap: data.bswap, lea: data.lea, cmov: data.cmov, setcc: data.setcc, xlat: data.xlat,
  cbw: data.cbw, cwd: data.cwd, lds: data.lds, les: data.les, lfs: data.lfs, lgs: data.lgs, lss: data.lss,
  push: stack.push, pop: stack.pop, pushSeg: stack.pushSeg, popSeg: stack.popSeg, pusha: stack.pusha, popa: stack.popa,
  pushf: stack.pushf, popf: stack.popf, enter: stack.enter, leave: stack.leave,
  add: arith.add, adc: arith.adc, sub: arith.sub, sbb: arith.sbb, cmp: arith.cmp, and: arith.and, or: arith.or,
  xor: arith.xor, test: arith.test, inc: arith.inc, dec: arith.dec, neg: arith.neg, not: arith.not,
  mul: muldiv.mul, imul1: muldiv.imul1, imul2: muldiv.imul2, imul3: muldiv.imul3, div: muldiv.div, idiv: muldiv.idiv,
  daa: bcd.daa, das: bcd.das, aaa: bcd.aaa, aas: bcd.aas, aam: bcd.aam, aad: bcd.aad,
  rol: shift.rol, ror: shift.ror, rcl: shift.rcl, rcr: shift.rcr, shl: shift.shl, shr: shift.shr, sar: shift.sar,
  shld: shift.shld, shrd: shift.shrd,
  bt: bit.bt, bts: bit.bts, btr: bit.btr, btc: bit.btc, bsf: bit.bsf, bsr: bit.bsr, lzcnt: bit.lzcnt, tzcnt: bit.tzcnt, popcnt: bit.popcnt, crc32: crc.crc32, adcx: adx.adcx, adox: adx.adox, rdrand: rnd.rdrand, rdseed: rnd.rdseed,
  andn: bmi.andn, bextr: bmi.bextr, blsi: bmi.blsi, blsmsk: bmi.blsmsk, blsr: bmi.blsr, bzhi: bmi.bzhi, mulx: bmi.mulx,
  pdep: bmi.pdep, pext: bmi.pext, rorx: bmi.rorx, sarx: bmi.sarx, shlx: bmi.shlx, shrx: bmi.shrx,
  xgetbv: features.xgetbv, monitor: features.monitor, mwait: features.mwait, rdpid: features.rdpid,
  jmpRel: control.jmpRel, jmpIndirect: control.jmpIndirect, jmpFar: control.jmpFar, jmpFarIndirect: control.jmpFarIndirect,
  callRel: control.callRel, callIndirect: control.callIndirect, callFar: control.callFar, callFarIndirect: control.callFarIndirect,
  ret: control.ret, retFar: control.retFar, jcc: control.jcc, jcxz: control.jcxz,
  loop: control.loop, loope: control.loope, loopne: control.loopne,
  int: intr.int, int3: intr.int3, into: intr.into, int1: intr.int1, iret: intr.iret, bound: intr.bound,
  movs: str.movs, cmps: str.cmps, stos: str.stos, lods: str.lods, scas: str.scas, ins: str.ins, outs: str.outs,
  clc: sys.clc, stc: sys.stc, cmc: sys.cmc, cld: sys.cld, std: sys.std, cli: sys.cli, sti: sys.sti, lahf: sys.lahf, sahf: sys.sahf,
  in: io.inInsn, out: io.outInsn,
  hlt: sys.hlt, nop: sys.nop, pause: sys.nop, ud: sys.ud, cpuid: sys.cpuid, rdtsc: sys.rdtsc, rdtscp: sys.rdtscp, rdpmc: sys.rdpmc,
  rdmsr: sys.rdmsr, wrmsr: sys.wrmsr, syscall: sys.syscall, sysret: sys.sysret, sysenter: sys.sysenter, sysexit: sys.sysexit, swapgs: sys.swapgs,
  lgdt: sys.lgdt, lidt: sys.lidt, sgdt: sys.sgdt, sidt: sys.sidt, lldt: sys.lldt, ltr: sys.ltr, sldt: sys.sldt, str: sys.str,
  lmsw: sys.lmsw, smsw: sys.smsw, clts: sys.clts, invlpg: sys.invlpg,
  lar: sys.lar, lsl: sys.lsl, verr: sys.verr, verw: sys.verw, arpl: sys.arpl, invd: sys.invd, wbinvd: sys.invd,
  wait: sys.nop, fence: sys.nop, clflush: sys.nop, prefetch: sys.nop,
  unsupported,
};

/** A faster handler for this Op's shape, or null to keep the generic one. */
export function specialise(o: Op): Handler | null {
  return specialiseFast(o);
}

/** The form of handler `h` for blocks compiled while a data slot is armed (ops/fast.ts), or `h`. */
export function watchedForm(h: Handler): Handler {
  return watchedFormFast(h);
}
