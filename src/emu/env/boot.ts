// The boot environment: a boot sector at 0000:7C00 with DL = the boot drive, the BIOS services of
// bios.ts (INT 13h reads further sectors of the same image, so two-stage loaders work), COM1 and port
// E9h on the console, A20 off until the guest enables it. Imports the Machine, console and the
// real-mode environment.
import type { Machine } from '../machine';
import type { GuestConsole } from '../console';
import type { EnvResult } from '../environment';
import { RealModeEnvironment } from './realModeEnvironment';

/** Where the BIOS loads the boot sector and jumps. */
export const BOOT_ADDRESS = 0x7c00;
/** Default boot drive: the first hard disk (INT 13h extensions available). */
export const DEFAULT_BOOT_DRIVE = 0x80;

export class BootEnvironment extends RealModeEnvironment {
  constructor(m: Machine, console: GuestConsole, image: Uint8Array, drive: number, notice: (message: string) => void) {
    super(m, console, { drive, image }, notice);
  }

  protected ownService(): EnvResult | null {
    return null;
  }
}
