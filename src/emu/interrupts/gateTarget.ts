// The code segment an interrupt or trap gate points to (SDM Vol. 3 §6.12.1, Vol. 2 INT n
// pseudocode): null selector → #GP(EXT); not a code segment or DPL > CPL → #GP(selector | EXT);
// not present → #NP(selector | EXT). The handler runs at the segment's DPL (nonconforming) or at
// the current CPL (conforming).
// Imports the CPU core types, exceptions and src/emu/protected's descriptors and segment helpers.
import type { Machine } from '../machine';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as cpuModule from '../cpu';
import * as descriptorsModule from '../protected/descriptors';
import type { Descriptor } from '../protected/descriptors';
import * as segmentsModule from '../ops/segments';
const { GP, NP } = exceptionsModule;
const { ATTR_P } = cpuModule;
const { readDescriptor, selectorError, dplOf } = descriptorsModule;
const { isCode, isConforming } = segmentsModule;

/** A checked handler code segment and the privilege the handler runs at. */
export interface GateTarget {
  descriptor: Descriptor;
  newCpl: number;
}

/** Read and check the code segment `selector` of a gate for delivery at the current CPL. */
export function gateTarget(m: Machine, selector: number, ext: number): GateTarget {
  if ((selector & 0xfffc) === 0) throw new CpuFault(GP, ext & 1, undefined, 'interrupt gate with a null code selector');
  const d = readDescriptor(m, selector, GP, ext);
  const a = d.attributes;
  const err = selectorError(selector, ext);
  if (!isCode(a)) throw new CpuFault(GP, err, undefined, `interrupt gate selector 0x${selector.toString(16)} is not a code segment`);
  if (dplOf(a) > m.cpl) throw new CpuFault(GP, err, undefined, `handler code segment DPL ${dplOf(a)} > CPL ${m.cpl}`);
  if ((a & ATTR_P) === 0) throw new CpuFault(NP, err, undefined, `handler code segment 0x${selector.toString(16)} not present`);
  return { descriptor: d, newCpl: isConforming(a) ? m.cpl : dplOf(a) };
}
