// LAR, LSL, VERR and VERW (SDM Vol. 2): look a selector up without loading it and report through
// ZF whether it is valid for the query and visible at the current CPL/RPL, with the SDM's tables of
// system-descriptor types valid for LAR and LSL (which differ between legacy and IA-32e mode).
// Imports the CPU core, exceptions and descriptors.
import type { Machine } from '../machine';
import { CpuFault } from '../exceptions';
import * as descriptorsModule from './descriptors';
import type { Descriptor } from './descriptors';
const { descriptorAddress, decode, dplOf, ia32e } = descriptorsModule;

/** System types LAR accepts (SDM Vol. 2 LAR Table 3-52): legacy / IA-32e mode. */
const LAR_LEGACY = new Set([1, 2, 3, 4, 5, 9, 11, 12]);
const LAR_IA32E = new Set([2, 9, 11, 12]);
/** System types LSL accepts (SDM Vol. 2 LSL Table 3-60): legacy / IA-32e mode. */
const LSL_LEGACY = new Set([1, 2, 3, 9, 11]);
const LSL_IA32E = new Set([2, 9, 11]);

export type DescriptorQuery = 'lar' | 'lsl' | 'verr' | 'verw';

/** The descriptor `sel` names, or null when the selector is null or beyond its table's limit. */
function lookUp(m: Machine, sel: number, wide: boolean): Descriptor | null {
  if ((sel & 0xfffc) === 0) return null;
  let address: number;
  try {
    address = descriptorAddress(m, sel, 13, 0, wide && ia32e(m) ? 16 : 8);
  } catch (e) {
    if (e instanceof CpuFault) return null;
    throw e;
  }
  return decode(m, address, wide && ia32e(m));
}

/**
 * The query's verdict for selector `sel`: the descriptor when ZF = 1 (valid and visible), null when
 * ZF = 0. Page faults while reading the table propagate.
 */
export function queryDescriptor(m: Machine, sel: number, which: DescriptorQuery): Descriptor | null {
  const d = lookUp(m, sel & 0xffff, which === 'lar' || which === 'lsl');
  if (d === null) return null;
  const a = d.attributes;
  const dpl = dplOf(a);
  const visible = dpl >= m.cpl && dpl >= (sel & 3);
  if ((a & 0x10) === 0) {
    if (which === 'verr' || which === 'verw') return null;
    const ok = which === 'lar' ? (ia32e(m) ? LAR_IA32E : LAR_LEGACY) : ia32e(m) ? LSL_IA32E : LSL_LEGACY;
    return ok.has(a & 0xf) && visible ? d : null;
  }
  const code = (a & 8) !== 0;
  const conforming = code && (a & 4) !== 0;
  if (!conforming && !visible) return null;
  if (which === 'verr') return !code || (a & 2) !== 0 ? d : null;
  if (which === 'verw') return !code && (a & 2) !== 0 ? d : null;
  return d;
}

/** LAR's result: the descriptor's second dword masked by 00FFFF00h (16-bit operand: FF00h). */
export function accessRights(d: Descriptor, size: number): number {
  return size === 2 ? d.hi & 0xff00 : (d.hi & 0x00ffff00) >>> 0;
}
