// The part of the dos and boot environments that is the same: BIOS interrupts serviced while their
// IVT entry is still the BIOS's (a guest handler installed with INT 21h/25h or by writing the IVT gets
// them instead), exceptions with no guest handler ending the run as a fault, devices on ports, HLT
// ending the run as halted (there are no interrupt sources to wake it). Imports the Machine,
// environment interface, console and the BIOS.
import type { Machine } from '../machine';
import { DELIVER, type EnvResult, type Environment, type GuestException, type PortReadResult } from '../environment';
import type { GuestConsole } from '../console';
import type { Exit } from '../exit';
import { Bios, type BiosDisk } from './bios';
import { vectorIsDefault } from './realMode';
import { VirtualClock } from './virtualClock';

const HALTED: EnvResult = Object.freeze({ kind: 'stop', exit: Object.freeze({ reason: 'halted' }) as Exit });

export abstract class RealModeEnvironment implements Environment {
  readonly bios: Bios;
  readonly clock: VirtualClock;
  protected readonly reported = new Set<string>();

  constructor(m: Machine, readonly console: GuestConsole, disk: BiosDisk | null, protected readonly notice: (message: string) => void) {
    this.clock = new VirtualClock(() => m.icount);
    this.bios = new Bios(console, this.clock, disk);
  }

  /** The environment's own interrupts (DOS: 20h, 21h); null = not one of them. */
  protected abstract ownService(m: Machine, vector: number): EnvResult | null;

  softwareInterrupt(m: Machine, vector: number, kind: 'int' | 'int3' | 'into' | 'int1'): EnvResult {
    if (kind !== 'int' || !m.real || !vectorIsDefault(m, vector)) return DELIVER;
    return this.ownService(m, vector) ?? this.bios.service(m, vector) ?? DELIVER;
  }

  systemCall(): EnvResult {
    return DELIVER;
  }

  portIn(m: Machine, port: number, size: number): PortReadResult {
    return this.bios.portIn(m, port, size);
  }

  portOut(m: Machine, port: number, size: number, value: number): EnvResult {
    return this.bios.portOut(m, port, size, value);
  }

  halt(): EnvResult {
    return HALTED;
  }

  /** A guest handler in the IVT gets the exception; otherwise the run ends with it (the ROM stub would loop). */
  exception(m: Machine, e: GuestException): EnvResult {
    if (m.real && !vectorIsDefault(m, e.vector)) return DELIVER;
    const exit: Exit = { reason: 'fault', vector: e.vector, pc: e.pc, message: `${e.message} at ${m.segSel[1].toString(16).padStart(4, '0')}:${e.rip.toString(16).padStart(4, '0')} (no handler installed)` };
    if (e.errorCode !== undefined) exit.errorCode = e.errorCode;
    if (e.address !== undefined) exit.address = e.address;
    return { kind: 'stop', exit };
  }

  /** Say once that a service is not implemented. */
  protected unsupported(what: string): void {
    if (this.reported.has(what)) return;
    this.reported.add(what);
    this.notice(`${what} is not supported`);
  }
}
