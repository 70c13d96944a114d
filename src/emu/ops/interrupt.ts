// Software interrupts and returns: INT n, INT3, INTO, INT1 (ICEBP), BOUND (#BR), IRET/IRETD/IRETQ.
// The environment decides first (Machine.softwareInterrupt), then the IVT/IDT (src/emu/interrupts/).
// IRET: real mode here, every other mode in src/emu/interrupts/iretProtected.ts.
// Imports the CPU core, operand helpers and src/emu/interrupts/iretProtected.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as cpuModule from '../cpu';
import * as iretProtectedModule from '../interrupts/iretProtected';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_MEM } = decodeCacheModule;
const { ea } = operandsModule;
const { getFlags, getOF, setFlags, IF, VM, VIF, VIP } = flagsModule;
const { BR, UD } = exceptionsModule;
const { CS } = cpuModule;
const { iretProtected } = iretProtectedModule;

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

/** IRET / IRETD / IRETQ: real mode here (SDM Vol. 2 IRET "REAL-ADDRESS-MODE"); elsewhere src/emu/interrupts/iretProtected.ts. */
function iretCore(m: Machine, size: number): void {
  if (!m.real) {
    iretProtected(m, size);
    return;
  }
  const old = getFlags(m);
  const ip = m.pop(size);
  const cs = m.pop(size) & 0xffff;
  const fl = m.pop(size);
  m.loadRealSegment(CS, cs);
  m.rip = size === 2 ? ip & 0xffff : ip >>> 0;
  const mask = size === 2 ? 0xffff : 0x3f7fd5 & ~(VM | VIF | VIP);
  setFlags(m, (old & ~mask) | (fl & mask));
}

export function iret(m: Machine, o: Op): void {
  const ifBefore = m.flagsRest & IF;
  iretCore(m, o.size);
  // IF set by the return: a pending external interrupt may come at the next boundary.
  if (ifBefore === 0 && (m.flagsRest & IF) !== 0) m.interruptWindowOpened(false);
  if (m.controlTransferHook !== null) m.reportControlTransfer('iret');
}
