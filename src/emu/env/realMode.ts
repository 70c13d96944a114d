// What DOS and boot guests share: the real-mode memory map (16 MiB of RAM, the IVT, the BIOS data
// area, a ROM stub per interrupt vector), the test "does vector n still point at the BIOS" that
// decides between servicing an interrupt here and delivering it to a guest handler, and FLAGS
// helpers for service results. Imports the Machine, memory constants and segment numbers.
import type { Machine } from '../machine';
import { PERM_RWX } from '../memory';
import { CF, ZF } from '../flags';

/** Bytes of guest RAM a real-mode machine gets (conventional + extended memory for protected-mode loaders). */
export const REAL_MODE_RAM = 16 * 1024 * 1024;
/** Segment of the ROM stubs; vector n's default handler is ROM_SEGMENT:STUB_BASE+n (an IRET). */
export const ROM_SEGMENT = 0xf000;
export const STUB_BASE = 0xe000;
/** Conventional memory reported by INT 12h (KiB) and the EBDA start it implies. */
export const CONVENTIONAL_KIB = 639;
const IRET = 0xcf;

/** Map RAM, fill the IVT with the ROM stubs and write the BIOS data area. */
export function setUpRealModeMemory(m: Machine): { ok: true } | { ok: false; message: string } {
  const r = m.map(0, REAL_MODE_RAM, PERM_RWX, 'ram');
  if (!r.ok) return r;
  const ivt = new Uint8Array(1024);
  const stubs = new Uint8Array(256).fill(IRET);
  for (let v = 0; v < 256; v++) {
    const off = STUB_BASE + v;
    ivt[v * 4] = off & 0xff;
    ivt[v * 4 + 1] = off >> 8;
    ivt[v * 4 + 2] = ROM_SEGMENT & 0xff;
    ivt[v * 4 + 3] = ROM_SEGMENT >> 8;
  }
  m.writeMemory(0, ivt);
  m.writeMemory(ROM_SEGMENT * 16 + STUB_BASE, stubs);
  const bda = new Uint8Array(256);
  bda[0x00] = 0xf8; bda[0x01] = 0x03;                      // COM1 at 0x3F8
  bda[0x10] = 0x21; bda[0x11] = 0x00;                      // equipment: 80x25 colour, one floppy bit clear
  bda[0x13] = CONVENTIONAL_KIB & 0xff; bda[0x14] = CONVENTIONAL_KIB >> 8;
  bda[0x49] = 0x03;                                        // video mode 3
  bda[0x4a] = 80;                                          // columns
  bda[0x84] = 24;                                          // rows - 1
  m.writeMemory(0x400, bda);
  // "IBM compatible" model byte and the BIOS date, where some programs look.
  m.writeMemory(0xffff5, new TextEncoder().encode('01/01/24'));
  m.writeMemory(0xffffe, Uint8Array.of(0xfc));
  return { ok: true };
}

/** True while IVT entry `vector` still points at its ROM stub (no guest handler installed). */
export function vectorIsDefault(m: Machine, vector: number): boolean {
  const e = m.readMemory(vector * 4, 4);
  if (e === null) return false;
  return (e[0] | (e[1] << 8)) === STUB_BASE + vector && (e[2] | (e[3] << 8)) === ROM_SEGMENT;
}

/** Set or clear CF in the guest's FLAGS (services report errors in CF). */
export function setCarry(m: Machine, on: boolean): void {
  const f = m.getRflags();
  m.setRflags(on ? f | CF : f & ~CF);
}

/** Set or clear ZF (INT 16h/01h, INT 21h/06h report "no key" in ZF). */
export function setZero(m: Machine, on: boolean): void {
  const f = m.getRflags();
  m.setRflags(on ? f | ZF : f & ~ZF);
}

/** Linear address of seg:off in real mode (no A20 wrap: services see the full address). */
export function realAddress(seg: number, off: number): number {
  return ((seg & 0xffff) << 4) + (off & 0xffff);
}

/** Register numbers of the general registers as the Machine indexes them. */
export const AX = 0, CX = 1, DX = 2, BX = 3, SP = 4, BP = 5, SI = 6, DI = 7;
/** 8-bit high halves (get8/set8 indexes 16..19). */
export const AH = 16, CH = 17, DH = 18, BH = 19;
