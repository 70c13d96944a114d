// Registers by id (src/isa/registers.ts) for debuggers, saved state and tests: every width of the
// GPRs, segment selectors, control registers, the guest's debug registers and RIP, read exactly as
// bigint and written truncated to the register's width. Split out of machine.ts (its size).
// Imports src/isa's register ids and the Machine type.
import { Reg, RegKind, type RegId } from '../isa/registers';
import type { Machine } from './machine';

/** Value of any register by id (src/isa/registers.ts), as bigint (exact at every width). */
export function getRegisterById(m: Machine, id: RegId): bigint {
  const kind = id >> 4;
  const n = id & 15;
  switch (kind) {
    case RegKind.Gpr8: return BigInt(m.regs[n] & 0xff);
    case RegKind.Gpr8High: return BigInt((m.regs[n] >> 8) & 0xff);
    case RegKind.Gpr16: return BigInt(m.regs[n] & 0xffff);
    case RegKind.Gpr32: return BigInt(m.regs[n] >>> 0);
    case RegKind.Gpr64: return (BigInt(m.regsHi[n] >>> 0) << 32n) | BigInt(m.regs[n] >>> 0);
    case RegKind.Segment: return BigInt(m.segSel[n]);
    case RegKind.Control:
      switch (n) {
        case 0: return BigInt(m.cr0 >>> 0);
        case 2: return BigInt(m.cr2);
        case 3: return BigInt(m.cr3);
        case 4: return BigInt(m.cr4 >>> 0);
        case 8: return BigInt(m.cr8);
        default: return 0n;
      }
    case RegKind.Debug: {
      const g = m.debug.guestRegisters();
      if (n < 4) return BigInt(g.dr[n]);
      return BigInt(n === 6 || n === 4 ? g.dr6 : g.dr7);
    }
    case RegKind.InstructionPointer:
      return id === Reg.IP ? BigInt(m.rip & 0xffff) : id === Reg.EIP ? BigInt(m.rip >>> 0) : m.getRip();
    default: return 0n;
  }
}

/** Set any register by id; the value is truncated to the register's width. */
export function setRegisterById(m: Machine, id: RegId, value: bigint | number): void {
  const v = BigInt.asUintN(64, BigInt(value));
  const lo = Number(v & 0xffffffffn) | 0;
  const hi = Number(v >> 32n) | 0;
  const kind = id >> 4;
  const n = id & 15;
  switch (kind) {
    case RegKind.Gpr8: m.set8(n, lo); break;
    case RegKind.Gpr8High: m.set8(16 + n, lo); break;
    case RegKind.Gpr16: m.set16(n, lo); break;
    case RegKind.Gpr32: m.set32(n, lo); break;
    case RegKind.Gpr64: m.set64(n, lo, hi); break;
    case RegKind.Segment:
      if (m.real) m.loadRealSegment(n, lo);
      else m.segSel[n] = lo & 0xffff;
      break;
    case RegKind.Control:
      if (n === 0) m.cr0 = lo >>> 0;
      else if (n === 2) m.cr2 = Number(v);
      else if (n === 3) m.cr3 = Number(v);
      else if (n === 4) m.cr4 = lo >>> 0;
      else if (n === 8) m.cr8 = lo & 15;
      m.updateMode();
      break;
    case RegKind.Debug:
      m.debug.setGuestRegister(n === 4 ? 6 : n === 5 ? 7 : n, Number(v));
      m.syncDataWatch();
      break;
    case RegKind.InstructionPointer:
      if (id === Reg.RIP) m.setRip(v);
      else m.rip = id === Reg.IP ? lo & 0xffff : lo >>> 0;
      break;
  }
}
