// Where an exception or INT n meets the environment: the environment answers first (continue, stop,
// or deliver); 'deliver' goes through the guest's IVT/IDT (delivery.ts), or — while the environment
// owns the IDT (environmentOwnsIdt: protected/long mode started without a guest IDT) —
// becomes a 'fault' Exit the environment maps (a Linux signal, an error message): INT3/INTO as
// #BP/#OF traps, other INT n as #GP(n·8+2) as a kernel's DPL-0 gate would give.
// Imports the CPU core types, flags, exceptions, the environment contract and delivery.
import type { Machine } from '../machine';
import type { EnvResult, GuestException, SoftwareInterruptKind } from '../environment';
import type { Exit } from '../exit';
import * as exceptionsModule from '../exceptions';
import * as flagsModule from '../flags';
import * as deliveryModule from './delivery';
import type { EventSource } from './event';
const { hasErrorCode, BP, GP, OF, EXCEPTION_NAMES } = exceptionsModule;
const { IOPL, VM } = flagsModule;
const { deliverEvent } = deliveryModule;

const DELIVER: EnvResult = Object.freeze({ kind: 'deliver' });

/**
 * True outside real mode while IDTR is base 0, limit 0 (what Machine.start sets for protected/long
 * mode; a guest's LIDT replaces it): no guest IDT, so events go back to the environment as 'fault'
 * Exits (e.g. Linux signals), the behaviour the user-mode environments rely on.
 */
export function environmentOwnsIdt(m: Machine): boolean {
  return !m.real && m.idtrLimit === 0 && m.idtrBase === 0;
}

/** Machine.deliverTrapOrFault: see there. */
export function raiseException(m: Machine, vector: number, errorCode: number | undefined, address: number | undefined, rip: number, message: string, source: EventSource): void {
  m.rip = rip;
  const ge: GuestException = { vector, errorCode, address, rip, pc: m.codeLinear(m.insnStart), message: message || (EXCEPTION_NAMES[vector] ?? `vector ${vector}`) };
  const r = m.env ? m.env.exception(m, ge) : DELIVER;
  if (r.kind === 'stop') { m.applyStop(r); return; }
  if (r.kind === 'continue') return;
  if (environmentOwnsIdt(m)) {
    const exit: Exit = { reason: 'fault', vector, pc: ge.pc, message: ge.message };
    if (errorCode !== undefined) exit.errorCode = errorCode;
    if (address !== undefined) exit.address = address;
    m.stop(exit);
    return;
  }
  deliverEvent(m, { vector, source, errorCode: hasErrorCode(vector) ? errorCode ?? 0 : undefined, rip });
}

/** Machine.softwareInterrupt: see there. RIP is already past the instruction. */
export function raiseSoftwareInterrupt(m: Machine, vector: number, kind: SoftwareInterruptKind): void {
  const r = m.env ? m.env.softwareInterrupt(m, vector, kind) : DELIVER;
  if (r.kind === 'continue') return;
  if (r.kind === 'stop') { m.applyStop(r); return; }
  // INT n (not INT3/INTO/INT1) in virtual-8086 mode with IOPL < 3 faults to the monitor (SDM Vol. 2 INT n; no VME).
  if (kind === 'int' && (m.flagsRest & VM) !== 0 && (m.flagsRest & IOPL) !== IOPL) {
    raiseException(m, GP, 0, undefined, m.insnStart, `INT 0x${vector.toString(16)} in virtual-8086 mode with IOPL < 3`, 'fault');
    return;
  }
  if (!environmentOwnsIdt(m)) {
    // INT1 (ICEBP) is a trap-class #DB without the DPL check; INT n / INT3 / INTO check the gate DPL.
    deliverEvent(m, { vector, source: kind === 'int1' ? 'trap' : 'software', errorCode: undefined, rip: m.rip });
    return;
  }
  const isTrap = kind === 'int3' || kind === 'into' || vector === BP || vector === OF;
  const name = kind === 'int' ? `INT 0x${vector.toString(16)}` : kind.toUpperCase();
  if (kind === 'int' && !isTrap) raiseException(m, GP, vector * 8 + 2, undefined, m.insnStart, `${name} with no handler`, 'fault');
  else raiseException(m, vector, undefined, undefined, m.rip, `${name} with no handler`, 'trap');
}
