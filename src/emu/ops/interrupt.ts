// Software interrupts and returns: INT n, INT3, INTO, INT1 (ICEBP), BOUND (#BR), IRET/IRETD/IRETQ.
// The environment decides first (Machine.softwareInterrupt); real mode delivers through the IVT.
// IRET handles real mode, same-privilege and outer-privilege protected-mode returns and IRETQ;
// task returns (NT) are issue 8.
// Imports the CPU core and operand helpers.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as segmentsModule from './segments';
import * as cpuModule from '../cpu';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_MEM } = decodeCacheModule;
const { ea } = operandsModule;
const { getFlags, getOF, setFlags, IF, IOPL, RF, VM, VIF, VIP } = flagsModule;
const { BR, UD } = exceptionsModule;
const { loadCodeSegment, loadSegment } = segmentsModule;
const { CS, SSEG } = cpuModule;

export function int(m: Machine, o: Op): void {
  m.softwareInterrupt(o.imm & 0xff, 'int');
}

export function int3(m: Machine, _o: Op): void {
  m.softwareInterrupt(3, 'int3');
}

export function into(m: Machine, _o: Op): void {
  if (getOF(m)) m.softwareInterrupt(4, 'into');
}

/** ICEBP (F1): a trap-class #DB without a DR6 status bit, raised through the debug unit (spec §5). */
export function int1(m: Machine, _o: Op): void {
  m.debug.icebp();
}

/** BOUND r, m16&16 / m32&32: #BR (a fault) when the index is outside [lower, upper] (signed). */
export function bound(m: Machine, o: Op): void {
  if (o.k1 !== K_MEM) throw new CpuFault(UD);
  const size = o.size;
  const lin = ea(m, o);
  const idx = size === 2 ? (m.regs[o.r0] << 16) >> 16 : m.regs[o.r0];
  const lo = size === 2 ? (m.read16(lin) << 16) >> 16 : m.read32(lin);
  const hiAddr = m.real ? (lin + size) & m.a20Mask : (lin + size) >>> 0;
  const hi = size === 2 ? (m.read16(hiAddr) << 16) >> 16 : m.read32(hiAddr);
  if (idx < lo || idx > hi) throw new CpuFault(BR, undefined, undefined, 'BOUND range exceeded');
}

/** Which RFLAGS bits IRET/POPF may change at the current privilege (SDM Vol. 2 IRET/POPF). */
function writableFlags(m: Machine, old: number): number {
  let mask = 0x3f7fd5 & ~(VIF | VIP);
  if (!m.real && m.cpl > 0) mask &= ~(IOPL | VM);
  if (!m.real && m.cpl > ((old & IOPL) >> 12)) mask &= ~IF;
  return mask;
}

function iretCore(m: Machine, o: Op): void {
  const size = o.size;
  const old = getFlags(m);
  if (m.real) {
    const ip = m.pop(size);
    const cs = m.pop(size) & 0xffff;
    const fl = m.pop(size);
    m.loadRealSegment(CS, cs);
    m.rip = size === 2 ? ip & 0xffff : ip >>> 0;
    const mask = size === 2 ? 0xffff : 0x3f7fd5 & ~(VM | VIF | VIP);
    setFlags(m, (old & ~mask) | (fl & mask));
    return;
  }
  if (old & 0x4000) throw new CpuFault(13, 0, undefined, 'IRET with NT (task return) is not modelled yet');
  const ip = m.pop(size);
  const ipHi = m.hi;
  const cs = m.pop(size) & 0xffff;
  const fl = m.pop(size);
  const rpl = cs & 3;
  const outer = rpl > m.cpl;
  let sp = 0;
  let spHi = 0;
  let ss = 0;
  if (m.mode64 || outer) {
    sp = m.pop(size);
    spHi = m.hi;
    ss = m.pop(size) & 0xffff;
  }
  const mask = writableFlags(m, old) & (size === 2 ? 0xffff : 0xffffffff);
  loadCodeSegment(m, cs);
  m.rip = size === 8 ? m.canonical(ip, ipHi, CS) : size === 4 ? ip >>> 0 : ip & 0xffff;
  setFlags(m, ((old & ~mask) | (fl & mask)) & ~(fl & RF ? 0 : RF) | (fl & RF));
  if (size === 8 || outer) {
    if (ss & 0xfffc || !m.mode64) loadSegment(m, SSEG, ss);
    else m.segSel[SSEG] = ss;
    if (size === 8) m.set64(4, sp, spHi);
    else if (m.stackSize === 4) m.set32(4, sp);
    else m.set16(4, sp);
  }
}

export function iret(m: Machine, o: Op): void {
  iretCore(m, o);
  if (m.controlTransferHook !== null) m.reportControlTransfer('iret');
}
