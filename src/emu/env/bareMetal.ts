// The `bare` environment at run time: no services. INT n and exceptions go to the guest's own
// IVT/IDT; ports reach the PC devices (E9h, COM1, PIC, PIT, keyboard controller, ports 61h and 92h,
// RTC/CMOS; others read all ones); HLT with IF = 0 ends the run with exit code 0, HLT with IF = 1 waits (in virtual time) for
// the next interrupt. A guest that has no interrupt table at all (IDTR limit 0, or a real-mode IVT
// entry of 0000:0000) gets its exception reported as a fault instead of an endless fault cascade; a
// reset through the keyboard controller or port 92h ends the run. Imports the Machine, the
// Environment interface, the devices and the console type.
import type { Machine } from '../machine';
import { CONTINUE, DELIVER, type EnvResult, type Environment, type GuestException, type PortReadResult, type SoftwareInterruptKind } from '../environment';
import type { Exit } from '../exit';
import type { GuestConsole } from '../console';
import { IF } from '../flags';
import { EXCEPTION_NAMES } from '../exceptions';
import { COM1_BASE, PcDevices } from '../devices/pcDevices';

const EXITED_0: EnvResult = Object.freeze({ kind: 'stop', exit: Object.freeze({ reason: 'exited', code: 0 }) });
const HALTED: EnvResult = Object.freeze({ kind: 'stop', exit: Object.freeze({ reason: 'halted' }) });
const WAIT_INPUT: EnvResult = Object.freeze({ kind: 'stop', exit: Object.freeze({ reason: 'input' }), retry: true });

export class BareMetalEnvironment implements Environment {
  readonly devices: PcDevices;
  /** Set by a reset request during a port write; the write then ends the run. */
  private resetReason: string | null = null;

  /**
   * @param m the machine (its A20 gate follows the keyboard controller and port 92h)
   * @param console guest console: port E9h and COM1 output, COM1 input
   * @param notice one-line notices (why the run ended when it is not obvious)
   */
  constructor(m: Machine, console: GuestConsole, private readonly notice: (message: string) => void) {
    this.devices = new PcDevices(console, {
      setA20: (on) => m.setA20(on),
      reset: (reason) => { this.resetReason = reason; },
    });
  }

  softwareInterrupt(m: Machine, vector: number, kind: SoftwareInterruptKind): EnvResult {
    const name = kind === 'int' ? `INT 0x${vector.toString(16)}` : kind.toUpperCase();
    return this.noTable(m, vector, `${name}`) ?? DELIVER;
  }

  systemCall(_m: Machine, _kind: 'syscall' | 'sysenter'): EnvResult {
    return DELIVER;
  }

  portIn(m: Machine, port: number, size: number): PortReadResult {
    const v = this.devices.portIn(m, port, size);
    // Reading COM1 (RBR, IIR) can raise or drop IRQ 4: let the run loop look again.
    if (port >= COM1_BASE && port < COM1_BASE + 8) m.stopAt = 0;
    return v;
  }

  portOut(m: Machine, port: number, size: number, value: number): EnvResult {
    this.devices.portOut(m, port, size, value);
    // The PIC, PIT and COM1 can make a request deliverable or move the next device event earlier:
    // end the slice after this instruction so the run loop services the devices and re-reads nextEventAt.
    if (affectsInterrupts(port)) m.stopAt = 0;
    if (this.resetReason === null) return CONTINUE;
    const reason = this.resetReason;
    this.resetReason = null;
    this.notice(`the guest reset the machine (${reason})`);
    return EXITED_0;
  }

  halt(m: Machine): EnvResult {
    if ((m.getRflags() & IF) === 0) return EXITED_0;
    switch (this.devices.idle(m)) {
      case 'woken':
        // Machine.waitForInterrupt sees the request pending and makes the loop deliver it right after the HLT.
        m.waitForInterrupt();
        return CONTINUE;
      case 'input': return WAIT_INPUT;
      default:
        this.notice('HLT with interrupts enabled, but no unmasked interrupt source can wake the CPU: the run ends');
        return HALTED;
    }
  }

  exception(m: Machine, e: GuestException): EnvResult {
    return this.noTable(m, e.vector, e.message, e) ?? DELIVER;
  }

  /** A 'fault' stop when the guest has no table entry at all for `vector`, else null (deliver). */
  private noTable(m: Machine, vector: number, what: string, e?: GuestException): EnvResult | null {
    let why: string;
    if (m.real) {
      const entry = m.readMemory((m.idtrBase + vector * 4) & m.a20Mask, 4);
      if (entry === null || entry[0] | entry[1] | entry[2] | entry[3]) return null;
      why = `IVT entry ${vector} is 0000:0000 (the guest installed no handler)`;
    } else {
      if (m.idtrLimit !== 0) return null;
      why = 'no IDT is loaded (the bare loader leaves IDTR.limit = 0 until the guest runs LIDT)';
    }
    const name = EXCEPTION_NAMES[vector] || `vector ${vector}`;
    const label = e === undefined || what.startsWith(name) ? what : `${name} ${what}`;
    const exit: Exit = { reason: 'fault', vector, pc: e?.pc ?? m.codeLinear(m.insnStart), message: `${label}: ${why}` };
    if (e?.errorCode !== undefined) exit.errorCode = e.errorCode;
    if (e?.address !== undefined) exit.address = e.address;
    return { kind: 'stop', exit };
  }
}

/** Ports whose writes change interrupt requests or device timing (PIC pair, PIT, COM1). */
function affectsInterrupts(port: number): boolean {
  return port === 0x20 || port === 0x21 || port === 0xa0 || port === 0xa1 || (port >= 0x40 && port <= 0x43) || (port >= COM1_BASE && port < COM1_BASE + 8);
}
