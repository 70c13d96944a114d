// The BIOS of real-mode guests (dos and boot): INT 10h (biosVideo.ts), 11h equipment, 12h memory
// size, 13h disk (CHS and extended reads of the boot image), 15h (E820 map, A20, extended memory,
// wait), 16h keyboard, 1Ah clock ticks; and the devices: port E9h and COM1 print to the console,
// port 92h and the keyboard controller gate A20. Imports the Machine, console, environment results
// and the real-mode helpers.
import type { Machine } from '../machine';
import type { GuestConsole } from '../console';
import type { Exit } from '../exit';
import { CONTINUE, type EnvResult, type PortReadResult } from '../environment';
import { DS, ES } from '../cpu';
import { BiosVideo } from './biosVideo';
import { KeyboardQueue, scanCodeOf } from './keyboard';
import { AH, AX, BX, CH, CX, DH, DI, DX, REAL_MODE_RAM, SI, CONVENTIONAL_KIB, realAddress, setCarry, setZero } from './realMode';
import type { VirtualClock } from './virtualClock';

const SECTOR = 512;
const WAIT_INPUT: EnvResult = Object.freeze({ kind: 'stop', exit: Object.freeze({ reason: 'input' }) as Exit, retry: true });

/** A disk the BIOS serves: the boot image (reads past its end within the geometry give zeros). */
export interface BiosDisk {
  drive: number;
  image: Uint8Array;
}

interface Geometry {
  cylinders: number;
  heads: number;
  sectors: number;
}

function geometryOf(disk: BiosDisk): Geometry {
  if (disk.drive < 0x80) return { cylinders: 80, heads: 2, sectors: 18 };
  const total = Math.max(1, Math.ceil(disk.image.length / SECTOR));
  return { cylinders: Math.min(1024, Math.max(1, Math.ceil(total / (16 * 63)))), heads: 16, sectors: 63 };
}

export class Bios {
  readonly video: BiosVideo;
  readonly keyboard: KeyboardQueue;
  private kbcCommand = 0;
  private readonly one = new Uint8Array(1);

  constructor(private readonly console: GuestConsole, private readonly clock: VirtualClock, private readonly disk: BiosDisk | null) {
    this.video = new BiosVideo(console);
    this.keyboard = new KeyboardQueue(console);
  }

  /** Service BIOS interrupt `vector` if it is one of ours; null = not a BIOS service. */
  service(m: Machine, vector: number): EnvResult | null {
    switch (vector) {
      case 0x10: this.video.int10(m); return CONTINUE;
      case 0x11: m.set16(AX, 0x0021); return CONTINUE;
      case 0x12: m.set16(AX, CONVENTIONAL_KIB); return CONTINUE;
      case 0x13: return this.int13(m);
      case 0x15: return this.int15(m);
      case 0x16: return this.int16(m);
      case 0x1a: return this.int1a(m);
      default: return null;
    }
  }

  private int16(m: Machine): EnvResult {
    const ah = m.get8(AH);
    switch (ah) {
      case 0x00:
      case 0x10: { // wait for a key: AH = scan code, AL = ASCII
        const k = this.keyboard.take();
        if (k.kind !== 'byte') return WAIT_INPUT;
        const ascii = k.value === 0x0a ? 0x0d : k.value;
        m.set16(AX, (scanCodeOf(ascii) << 8) | ascii);
        return CONTINUE;
      }
      case 0x01:
      case 0x11: { // key available? ZF = 0 and AX = key, else ZF = 1
        const k = this.keyboard.peek();
        if (k.kind === 'byte') {
          const ascii = k.value === 0x0a ? 0x0d : k.value;
          m.set16(AX, (scanCodeOf(ascii) << 8) | ascii);
          setZero(m, false);
        } else setZero(m, true);
        return CONTINUE;
      }
      case 0x02:
      case 0x12:
        m.set8(AX, 0);
        return CONTINUE;
      default:
        return CONTINUE;
    }
  }

  private int1a(m: Machine): EnvResult {
    if (m.get8(AH) === 0x00) {
      const w = this.clock.wall();
      const ticks = Math.floor(((w.seconds % 86400) + w.nanoseconds / 1e9) * 1193182 / 65536);
      m.set16(CX, ticks >>> 16);
      m.set16(DX, ticks & 0xffff);
      m.set8(AX, 0);
      setCarry(m, false);
    } else setCarry(m, true);
    return CONTINUE;
  }

  private diskStatus(m: Machine, status: number): EnvResult {
    m.set8(AH, status);
    setCarry(m, status !== 0);
    return CONTINUE;
  }

  /** Copy `count` sectors from `lba` to linear `to`; false when outside the disk. */
  private readSectors(lba: number, count: number, to: number, m: Machine): boolean {
    const disk = this.disk as BiosDisk;
    const g = geometryOf(disk);
    if (lba + count > g.cylinders * g.heads * g.sectors) return false;
    const out = new Uint8Array(count * SECTOR);
    out.set(disk.image.subarray(Math.min(lba * SECTOR, disk.image.length), Math.min((lba + count) * SECTOR, disk.image.length)));
    if (to + out.length > REAL_MODE_RAM) return false;
    return m.writeMemory(to, out);
  }

  private int13(m: Machine): EnvResult {
    const ah = m.get8(AH);
    const drive = m.get8(DX);
    if (!this.disk || drive !== this.disk.drive) return this.diskStatus(m, 0x01);
    const g = geometryOf(this.disk);
    switch (ah) {
      case 0x00: return this.diskStatus(m, 0);
      case 0x01: return this.diskStatus(m, 0);
      case 0x02: { // CHS read: AL count, CH cyl low, CL sector | cyl high << 6, DH head, ES:BX buffer
        const count = m.get8(AX);
        const cl = m.get8(CX);
        const cyl = m.get8(CH) | ((cl & 0xc0) << 2);
        const sector = cl & 0x3f;
        const head = m.get8(DH);
        if (count === 0 || sector === 0 || sector > g.sectors || head >= g.heads) return this.diskStatus(m, 0x01);
        const lba = (cyl * g.heads + head) * g.sectors + sector - 1;
        if (!this.readSectors(lba, count, realAddress(m.segSel[ES], m.get16(BX)), m)) return this.diskStatus(m, 0x04);
        m.set8(AX, count);
        return this.diskStatus(m, 0);
      }
      case 0x03:
      case 0x43:
        return this.diskStatus(m, 0x03); // write protected
      case 0x08: { // drive parameters
        const maxCyl = g.cylinders - 1;
        m.set8(CH, maxCyl & 0xff);
        m.set8(CX, (g.sectors & 0x3f) | ((maxCyl >> 2) & 0xc0));
        m.set8(DH, g.heads - 1);
        m.set8(DX, 1);
        m.set8(BX, this.disk.drive < 0x80 ? 4 : 0);
        m.set8(AX, 0);
        return this.diskStatus(m, 0);
      }
      case 0x15: // disk type: 1 = floppy without change line, 3 = hard disk
        m.set8(AH, this.disk.drive < 0x80 ? 1 : 3);
        setCarry(m, false);
        return CONTINUE;
      case 0x41: // extensions present (BX = 55AAh → AA55h, CX bit 0: extended disk access)
        if (m.get16(BX) !== 0x55aa) return this.diskStatus(m, 0x01);
        m.set16(BX, 0xaa55);
        m.set16(CX, 1);
        m.set8(AH, 0x30);
        setCarry(m, false);
        return CONTINUE;
      case 0x42: { // extended read: DS:SI → disk address packet
        const dap = m.readMemory(realAddress(m.segSel[DS], m.get16(SI)), 16);
        if (dap === null || dap[0] < 16) return this.diskStatus(m, 0x01);
        const count = dap[2] | (dap[3] << 8);
        const off = dap[4] | (dap[5] << 8);
        const seg = dap[6] | (dap[7] << 8);
        let lba = 0;
        for (let i = 7; i >= 0; i--) lba = lba * 256 + dap[8 + i];
        if (!this.readSectors(lba, count, realAddress(seg, off), m)) return this.diskStatus(m, 0x04);
        return this.diskStatus(m, 0);
      }
      default:
        return this.diskStatus(m, 0x01);
    }
  }

  private int15(m: Machine): EnvResult {
    const ax = m.get16(AX);
    const ah = ax >> 8;
    if (m.regs[AX] >>> 0 === 0xe820 && m.regs[DX] >>> 0 === 0x534d4150) return this.e820(m);
    if (ax === 0x2400 || ax === 0x2401) {
      m.setA20(ax === 0x2401);
      m.set8(AH, 0);
      setCarry(m, false);
      return CONTINUE;
    }
    if (ax === 0x2402) {
      m.set8(AX, m.a20Mask > 0xfffff ? 1 : 0);
      m.set8(AH, 0);
      setCarry(m, false);
      return CONTINUE;
    }
    if (ax === 0x2403) {
      m.set16(BX, 0x2); // A20 through port 92h
      m.set8(AH, 0);
      setCarry(m, false);
      return CONTINUE;
    }
    if (ah === 0x88) { // extended memory above 1 MiB in KiB
      m.set16(AX, Math.min(0xffff, (REAL_MODE_RAM - 0x100000) / 1024));
      setCarry(m, false);
      return CONTINUE;
    }
    if (ah === 0x86) { // wait CX:DX microseconds (virtual time)
      this.clock.sleep(((m.get16(CX) << 16) | m.get16(DX)) * 1000);
      setCarry(m, false);
      return CONTINUE;
    }
    m.set8(AH, 0x86);
    setCarry(m, true);
    return CONTINUE;
  }

  /** The E820 memory map, one 20-byte entry per call (EBX = continuation). */
  private e820(m: Machine): EnvResult {
    const map: Array<[number, number, number]> = [
      [0, 0x9fc00, 1], [0x9fc00, 0x400, 2], [0xe0000, 0x20000, 2], [0x100000, REAL_MODE_RAM - 0x100000, 1],
    ];
    const index = m.regs[BX] >>> 0;
    const entry = map[index];
    if (!entry) {
      setCarry(m, true);
      return CONTINUE;
    }
    const bytes = new Uint8Array(20);
    const v = new DataView(bytes.buffer);
    v.setUint32(0, entry[0], true);
    v.setUint32(8, entry[1], true);
    v.setUint32(16, entry[2], true);
    m.writeMemory(realAddress(m.segSel[ES], m.get16(DI)), bytes);
    m.set32(AX, 0x534d4150);
    m.set32(CX, 20);
    m.set32(BX, index + 1 < map.length ? index + 1 : 0);
    setCarry(m, false);
    return CONTINUE;
  }

  portIn(m: Machine, port: number, size: number): PortReadResult {
    switch (port) {
      case 0xe9: return 0xe9;
      case 0x92: return m.a20Mask > 0xfffff ? 0x02 : 0x00;
      case 0x64: return 0x1c;
      case 0x60: return 0;
      case 0x3f8: {
        const k = this.keyboard.take();
        return k.kind === 'byte' ? k.value : 0;
      }
      case 0x3fd: return 0x60 | (this.keyboard.peek().kind === 'byte' ? 1 : 0);
      case 0x3f9: case 0x3fa: case 0x3fb: case 0x3fc: case 0x3fe: case 0x3ff: return 0;
      default: return size === 1 ? 0xff : size === 2 ? 0xffff : -1;
    }
  }

  portOut(m: Machine, port: number, _size: number, value: number): EnvResult {
    switch (port) {
      case 0xe9:
      case 0x3f8:
        this.one[0] = value & 0xff;
        this.console.write('stdout', this.one);
        break;
      case 0x92:
        m.setA20((value & 2) !== 0);
        break;
      case 0x64:
        this.kbcCommand = value & 0xff;
        break;
      case 0x60:
        if (this.kbcCommand === 0xd1) m.setA20((value & 2) !== 0);
        this.kbcCommand = 0;
        break;
      default:
        break;
    }
    return CONTINUE;
  }
}
