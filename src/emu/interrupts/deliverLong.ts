// IA-32e-mode interrupt and exception delivery (SDM Vol. 3 §6.14, Vol. 2 INT n "IA-32e-MODE"):
// 16-byte 64-bit interrupt/trap gates, a 64-bit handler code segment (L = 1, D = 0), a canonical
// target, the new RSP from the IST (any privilege) or RSP0-2 of the 64-bit TSS (inner privilege,
// SS becomes the null selector with RPL = new CPL), RSP aligned down to 16 bytes, and a frame of
// 8-byte SS, RSP, RFLAGS, CS, RIP (and error code) pushed always; TF, NT, RF and (interrupt gate)
// IF cleared. Also used from compatibility mode. Faults propagate to the caller, which rolls back.
// Imports the CPU core, flags, exceptions, the gate/target readers and src/emu/protected.
import type { Machine } from '../machine';
import * as cpuModule from '../cpu';
import { Cpu } from '../cpu';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as descriptorsModule from '../protected/descriptors';
import * as tssModule from '../protected/tss';
import * as segmentsModule from '../ops/segments';
import * as idtGateModule from './idtGate';
import * as gateTargetModule from './gateTarget';
import type { CpuEvent } from './event';
import * as eventModule from './event';
const { CS, SSEG, ATTR_L, ATTR_DB } = cpuModule;
const { setFlags, IF, TF, NT, RF } = flagsModule;
const { GP, SS } = exceptionsModule;
const { selectorError } = descriptorsModule;
const { innerStack, istStack, switchToInnerStack } = tssModule;
const { loadCs } = segmentsModule;
const { readIdtGate } = idtGateModule;
const { gateTarget } = gateTargetModule;
const { extBit } = eventModule;

const TWO32 = 4294967296;

/** True when the 64-bit value hi:lo is canonical (bits 63:47 all equal). */
function canonicalHalves(hi: number): boolean {
  return hi >= -32768 && hi <= 32767;
}

/** Deliver `ev` through the IA-32e IDT; `flags` is the RFLAGS image to push. */
export function deliverLong(m: Machine, ev: CpuEvent, flags: number): void {
  const ext = extBit(ev.source);
  const gate = readIdtGate(m, ev, ext, true);
  if (gate.kind === 'task') throw new CpuFault(GP, ext, undefined, 'task gate in IA-32e mode');
  if (!canonicalHalves(gate.offsetHi)) throw new CpuFault(GP, ext, undefined, 'non-canonical handler address in the IDT gate');
  const { descriptor, newCpl } = gateTarget(m, gate.selector, ext);
  if ((descriptor.attributes & (ATTR_L | ATTR_DB)) !== ATTR_L) throw new CpuFault(GP, selectorError(gate.selector, ext), undefined, 'interrupt handler code segment is not a 64-bit code segment');
  const inner = newCpl < m.cpl;
  const oldCs = m.segSel[CS];
  const oldSs = m.segSel[SSEG];
  const oldSpLo = m.regs[4];
  const oldSpHi = m.regsHi[4];
  const [ripLo, ripHi] = m.mode64 ? Cpu.unfold(ev.rip) : [ev.rip >>> 0, 0];
  let spLo = oldSpLo >>> 0;
  let spHi = oldSpHi;
  if (gate.ist !== 0) {
    const st = istStack(m, gate.ist, ext);
    spLo = st.sp;
    spHi = st.spHi;
  } else if (inner) {
    const st = innerStack(m, newCpl, ext);
    spLo = st.sp;
    spHi = st.spHi;
  }
  if (!canonicalHalves(spHi)) throw new CpuFault(SS, ext, undefined, 'non-canonical stack pointer for the handler');
  // The frame starts on a 16-byte boundary whatever the privilege (§6.14.2).
  spLo = (spLo & ~0xf) >>> 0;
  if (inner) switchToInnerStack(m, { ss: newCpl, sp: spLo, spHi, desc: null }, newCpl);
  loadCs(m, gate.selector, descriptor, newCpl);
  m.set64(4, spLo | 0, spHi);
  m.push(8, oldSs, 0);
  m.push(8, oldSpLo, oldSpHi);
  m.push(8, flags, 0);
  m.push(8, oldCs, 0);
  m.push(8, ripLo, ripHi);
  if (ev.errorCode !== undefined) m.push(8, ev.errorCode, 0);
  setFlags(m, flags & ~(TF | NT | RF | (gate.kind === 'interrupt' ? IF : 0)));
  m.rip = (gate.offsetHi & 0xffff) * TWO32 + gate.offset;
}
