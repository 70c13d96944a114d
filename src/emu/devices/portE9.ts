// Port E9h, the Bochs/QEMU "debug console": every byte written appears on the guest console's stdout;
// reading the port answers E9h, which is how guests detect it. Imports the GuestConsole type only.
import type { GuestConsole } from '../console';

/** The port number. */
export const PORT_E9 = 0xe9;

export class PortE9 {
  constructor(private readonly console: GuestConsole) {}

  /** A byte written to the port: straight to stdout (unbuffered, so a debugger step shows it). */
  write(value: number): void {
    this.console.write('stdout', Uint8Array.of(value & 0xff));
  }

  /** Reading the port gives E9h (the detection convention of Bochs and QEMU). */
  read(): number {
    return PORT_E9;
  }
}
