// IDT gates (SDM Vol. 3 §6.11, §6.14.1): the vector's 8-byte (protected mode) or 16-byte (IA-32e
// mode) entry read with implicit supervisor accesses, decoded into a task, interrupt or trap gate,
// and the first delivery checks in the order of the SDM's INT n pseudocode: IDT limit, gate type,
// gate DPL against CPL for software interrupts, present bit.
// Imports the CPU core types, exceptions, event and src/emu/protected's system accesses.
import type { Machine } from '../machine';
import { CpuFault } from '../exceptions';
import * as exceptionsModule from '../exceptions';
import * as systemAccessModule from '../protected/systemAccess';
import type { CpuEvent } from './event';
const { GP, NP } = exceptionsModule;
const { sysRead } = systemAccessModule;

/** A gate that passed the IDT checks. */
export type IdtGate =
  | { readonly kind: 'task'; readonly selector: number; readonly dpl: number }
  | {
      readonly kind: 'interrupt' | 'trap';
      /** Operand size of the frame: 2 (16-bit gate), 4 (32-bit gate) or 8 (IA-32e gate). */
      readonly size: 2 | 4 | 8;
      readonly selector: number;
      /** Target offset, low 32 bits (unsigned). */
      readonly offset: number;
      /** Target offset, high 32 bits as int32 (IA-32e gates; 0 otherwise). */
      readonly offsetHi: number;
      readonly dpl: number;
      /** Interrupt-stack-table index 0-7 (IA-32e gates; 0 otherwise). */
      readonly ist: number;
    };

/** The #GP/#NP error code naming IDT entry `vector`: index, IDT bit (2) and EXT (§6.13). */
export function idtError(vector: number, ext: number): number {
  return vector * 8 + 2 + (ext & 1);
}

/**
 * Read and check the gate for `ev` in the current IDT. `wide` = IA-32e mode (16-byte gates, only
 * 64-bit interrupt and trap gates are valid). Throws #GP(vector·8+2+EXT) for an entry beyond the
 * limit or of a bad type, #GP(vector·8+2) when a software interrupt's gate DPL < CPL, and
 * #NP(vector·8+2+EXT) for a gate not present.
 */
export function readIdtGate(m: Machine, ev: CpuEvent, ext: number, wide: boolean): IdtGate {
  const vector = ev.vector;
  const err = idtError(vector, ext);
  const bytes = wide ? 16 : 8;
  if (vector * bytes + bytes - 1 > m.idtrLimit) throw new CpuFault(GP, err, undefined, `vector ${vector} lies beyond the IDT limit 0x${m.idtrLimit.toString(16)}`);
  const at = m.idtrBase + vector * bytes;
  const lo = sysRead(m, at, 4);
  const hi = sysRead(m, at + 4, 4);
  const type = (hi >>> 8) & 0x1f;
  const dpl = (hi >>> 13) & 3;
  let kind: 'task' | 'interrupt' | 'trap';
  let size: 2 | 4 | 8;
  if (wide) {
    if (type !== 0xe && type !== 0xf) throw new CpuFault(GP, err, undefined, `IDT entry ${vector} is not a 64-bit interrupt or trap gate (type 0x${type.toString(16)})`);
    kind = type === 0xe ? 'interrupt' : 'trap';
    size = 8;
  } else if (type === 5) {
    kind = 'task';
    size = 4;
  } else if (type === 6 || type === 7 || type === 0xe || type === 0xf) {
    kind = (type & 1) === 0 ? 'interrupt' : 'trap';
    size = type >= 0xe ? 4 : 2;
  } else {
    throw new CpuFault(GP, err, undefined, `IDT entry ${vector} is not a task, interrupt or trap gate (type 0x${type.toString(16)})`);
  }
  // Software interrupts (INT n, INT3, INTO) need gate DPL >= CPL (§6.12.1.1); EXT is 0 for them.
  if (ev.source === 'software' && dpl < m.cpl) throw new CpuFault(GP, idtError(vector, 0), undefined, `INT ${vector} at CPL ${m.cpl} through a gate of DPL ${dpl}`);
  if ((hi & 0x8000) === 0) throw new CpuFault(NP, err, undefined, `IDT gate ${vector} not present`);
  const selector = lo >>> 16;
  if (kind === 'task') return { kind, selector, dpl };
  const offset = size === 2 ? lo & 0xffff : ((lo & 0xffff) | (hi & 0xffff0000)) >>> 0;
  const offsetHi = wide ? sysRead(m, at + 8, 4) | 0 : 0;
  return { kind, size, selector, offset, offsetHi, dpl, ist: wide ? hi & 7 : 0 };
}
