// The hidden parts of LDTR and TR (base, limit, type), kept beside the Machine: the CPU core holds
// only their visible selectors (ldtrSel, trSel). A cached hidden part belongs to the selector it
// was loaded with; when the visible selector was changed from outside (state load, restart) the
// hidden part is re-derived from the GDT on first use (SDM Vol. 3 §2.4.3, §7.2.4).
// Imports the CPU core types only.
import type { Machine } from '../machine';

/** LDTR and TR hidden parts. `*Sel` is the selector the hidden part was loaded for. */
export interface SystemSegments {
  ldtSel: number;
  ldtBase: number;
  ldtLimit: number;
  /** False for a null LDTR (LDT selectors then fault). */
  ldtValid: boolean;
  trSel: number;
  trBase: number;
  trLimit: number;
  /** TSS descriptor type as loaded (1/3: 16-bit, 9/11: 32-bit or 64-bit TSS); 0 when TR is not loaded. */
  trType: number;
}

const table = new WeakMap<Machine, SystemSegments>();

/** The machine's LDTR/TR hidden parts (created empty on first use). */
export function systemSegments(m: Machine): SystemSegments {
  let s = table.get(m);
  if (s === undefined) {
    s = { ldtSel: 0, ldtBase: 0, ldtLimit: 0, ldtValid: false, trSel: 0, trBase: 0, trLimit: 0, trType: 0 };
    table.set(m, s);
  }
  return s;
}
