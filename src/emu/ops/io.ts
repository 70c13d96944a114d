// Port I/O: IN/OUT (immediate port or DX) and the port helpers INS/OUTS share. The environment
// owns the devices; the debug unit sees every port access (I/O breakpoints). In protected mode with
// CPL > IOPL, and in virtual-8086 mode, the TSS I/O permission bitmap decides (#GP(0) when denied).
// Imports the CPU core and the protected-mode I/O permission check.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as decodeCacheModule from '../decodeCache';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as flagsModule from '../flags';
import type { Environment } from '../environment';
import * as ioPermissionModule from '../protected/ioPermission';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { K_IMM } = decodeCacheModule;
const { GP } = exceptionsModule;
const { IOPL, VM } = flagsModule;
const { ioPermitted } = ioPermissionModule;

/**
 * #GP(0) when the current privilege may not access `size` bytes at `port`: CPL ≤ IOPL outside
 * virtual-8086 mode may; otherwise every bit of the TSS I/O permission bitmap for those ports must
 * be clear (SDM Vol. 1 §19.5).
 */
export function checkIoPermission(m: Machine, port: number, size: number): void {
  if (m.real) return;
  if (m.cpl <= (m.flagsRest & IOPL) >> 12 && (m.flagsRest & VM) === 0) return;
  if (!ioPermitted(m, port, size)) throw new CpuFault(GP, 0, undefined, `I/O to port 0x${port.toString(16)} not permitted at this privilege level (CPL ${m.cpl} > IOPL, and the TSS I/O bitmap denies it)`);
}

/** Read `size` bytes from `port` through the environment; null when the run must stop (RIP rewound if retry). */
export function portRead(m: Machine, port: number, size: number): number | null {
  // DEBUG HOOK 3: port I/O.
  if (m.debug.ioArmed) m.debug.ioAccess(port, size, false);
  const r = (m.env as Environment).portIn(m, port, size);
  if (typeof r === 'number') return r;
  m.applyStop(r);
  return null;
}

/** Write to `port`; false when the run must stop. */
export function portWrite(m: Machine, port: number, size: number, value: number): boolean {
  if (m.debug.ioArmed) m.debug.ioAccess(port, size, true);
  const mask = size === 1 ? 0xff : size === 2 ? 0xffff : 0xffffffff;
  const r = (m.env as Environment).portOut(m, port, size, (value & mask) >>> 0);
  if (r.kind === 'stop') { m.applyStop(r); return false; }
  return true;
}

/** IN AL/AX/EAX, imm8|DX. */
export function inInsn(m: Machine, o: Op): void {
  const size = o.size;
  const port = o.k1 === K_IMM ? o.imm & 0xff : m.regs[2] & 0xffff;
  checkIoPermission(m, port, size);
  const v = portRead(m, port, size);
  if (v === null) return;
  m.setReg(0, size, v | 0, 0);
}

/** OUT imm8|DX, AL/AX/EAX. */
export function outInsn(m: Machine, o: Op): void {
  const size = o.size;
  const port = o.k0 === K_IMM ? o.imm & 0xff : m.regs[2] & 0xffff;
  checkIoPermission(m, port, size);
  portWrite(m, port, size, m.getReg(0, size));
}
