// A GDT in guest memory that matches the segment registers a loader set directly (Machine.start's
// flat protected/long modes have hidden parts but no table behind them), so a guest that reloads a
// segment register (MOV ES, AX; PUSH DS / POP ES; far RET to its own CS) finds the descriptor its
// selector names, as it would under a real kernel. Encodes SDM Vol. 3 §3.4.5 Figure 3-8.
// Imports the CPU core types only.
import type { Machine } from '../machine';

/** The 8 descriptor bytes for a hidden part (limit in bytes; attributes in the VMX layout). */
export function encodeDescriptor(base: number, limit: number, attributes: number): Uint8Array {
  const granular = limit > 0xfffff;
  const lim = granular ? Math.floor(limit / 4096) : limit;
  const b = base >>> 0;
  const flags = ((attributes >> 12) & 0xf & ~0x8) | (granular ? 0x8 : 0);
  return new Uint8Array([lim & 0xff, (lim >> 8) & 0xff, b & 0xff, (b >>> 8) & 0xff, (b >>> 16) & 0xff, attributes & 0xff, ((lim >> 16) & 0xf) | (flags << 4), b >>> 24]);
}

/**
 * Write a GDT at linear `address` (`bytes` long, a mapped region the caller reserved) holding, for
 * every segment register with a non-null GDT selector, the descriptor of its current hidden part;
 * then point GDTR at it. Entries two registers share must agree (they do for Machine.start's modes);
 * false (and nothing changed) when they do not or an index does not fit, or the memory is unmapped.
 */
export function installFlatGdt(m: Machine, address: number, bytes = 0x80): boolean {
  const table = new Uint8Array(bytes);
  const used = new Set<number>();
  for (let s = 0; s < 6; s++) {
    const sel = m.segSel[s];
    if ((sel & 0xfffc) === 0 || (sel & 4) !== 0) continue;
    const index = sel & 0xfff8;
    if (index + 8 > bytes) return false;
    const d = encodeDescriptor(m.segBase[s], m.segLimit[s], m.segAttr[s] | 1);
    if (used.has(index)) {
      for (let i = 0; i < 8; i++) if (table[index + i] !== d[i]) return false;
      continue;
    }
    used.add(index);
    table.set(d, index);
  }
  if (!m.writeMemory(address, table)) return false;
  m.gdtrBase = address;
  m.gdtrLimit = bytes - 1;
  return true;
}
