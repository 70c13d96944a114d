// Implicit supervisor-mode accesses to system tables (GDT, LDT, TSS): descriptor reads, accessed
// and busy bit write-backs, TSS state saves (SDM Vol. 3 §5.1, §7.2). They are not data accesses
// (no debug-unit hooks) and use supervisor rights whatever the CPL. Goes through the CPU's
// systemRead/systemWrite (helper "mem", paging-aware) when present, else straight to memory.
// Imports the CPU core types and exceptions.
import type { Machine } from '../machine';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
const { PF } = exceptionsModule;

/** What this file asks of the CPU (helper "mem" provides it on Cpu; optional until it lands). */
interface SystemAccessPort {
  systemRead?(lin: number, size: 1 | 2 | 4 | 8): number;
  systemWrite?(lin: number, size: 1 | 2 | 4 | 8, v: number, hi?: number): void;
}

function wrap(m: Machine, lin: number): number {
  return m.mode64 || (m.efer & 0x400) !== 0 ? lin : lin >>> 0;
}

/** Implicit supervisor read of `size` bytes at linear `lin`, unsigned (size 4: 0..2^32-1). */
export function sysRead(m: Machine, lin: number, size: 1 | 2 | 4): number {
  const a = wrap(m, lin);
  const port = m as unknown as SystemAccessPort;
  if (typeof port.systemRead === 'function') {
    const v = port.systemRead.call(m, a, size);
    return size === 4 ? v >>> 0 : v;
  }
  const b = m.mem.read(a, size);
  if (b === null) {
    m.cr2 = a;
    throw new CpuFault(PF, 0, a, 'system table not mapped');
  }
  let v = 0;
  for (let i = size - 1; i >= 0; i--) v = v * 256 + b[i];
  return v;
}

/** Implicit supervisor write of `size` bytes at linear `lin` (no debug hooks; decoded code there is dropped). */
export function sysWrite(m: Machine, lin: number, size: 1 | 2 | 4, v: number): void {
  const a = wrap(m, lin);
  const port = m as unknown as SystemAccessPort;
  if (typeof port.systemWrite === 'function') {
    port.systemWrite.call(m, a, size, v, 0);
    return;
  }
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = (v >>> (8 * i)) & 0xff;
  if (!m.mem.write(a, bytes)) {
    m.cr2 = a;
    throw new CpuFault(PF, 2, a, 'system table not mapped');
  }
}
