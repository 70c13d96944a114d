// Paging (SDM Vol. 3 ch. 4): page tables built in guest physical memory, translation of 4 KiB /
// 4 MiB / 2 MiB / 1 GiB pages in 32-bit, PAE and 4-level paging, accessed/dirty bits, every #PF
// error-code bit with CR2, CR0.WP, NX, SMEP, U/S at CPL 3, INVLPG vs a stale TLB, implicit
// supervisor accesses, the debugger's view and self-modifying code through an alias.
import { strict as assert } from 'assert';
import { Machine } from '../../../src/emu/machine';
import { PERM_RWX } from '../../../src/emu/memory';
import { CpuFault } from '../../../src/emu/exceptions';
import { PAGING_32, PAGING_4LEVEL, PAGING_OFF, PAGING_PAE } from '../../../src/emu/paging';
import type { Environment, EnvResult, GuestException } from '../../../src/emu/environment';
import { BareEnvironment } from '../../../src/emu/environment';
import { asm, load } from './helpers';

const CR0_PG = 0x80000000;
const CR0_WP = 0x10000;
const CR4_PSE = 0x10;
const CR4_PAE = 0x20;
const CR4_SMEP = 0x100000;
const EFER_NXE = 0x800;
const TWO32 = 4294967296;

/** Run f and return the CpuFault it throws. */
function fault(f: () => unknown): CpuFault {
  try {
    f();
  } catch (e) {
    if (e instanceof CpuFault) return e;
    throw e;
  }
  assert.fail('expected a fault');
}

/** Physical memory helpers (bypass translation). */
function p32(m: Machine, pa: number, v: number): void {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, v >>> 0, true);
  assert.ok(m.mem.write(pa, b));
}
function r32(m: Machine, pa: number): number {
  const b = m.mem.read(pa, 4) as Uint8Array;
  return new DataView(b.buffer).getUint32(0, true);
}
function p64(m: Machine, pa: number, lo: number, hi = 0): void {
  p32(m, pa, lo);
  p32(m, pa + 4, hi);
}

/** 32-bit paging machine: 16 MiB RAM, page directory at 0x10000, one page table at 0x11000 for 0x00400000-0x007FFFFF. */
function machine32(cpl: 0 | 3 = 0): Machine {
  const m = new Machine();
  m.start('protected32', 0);
  m.map(0, 16 << 20, PERM_RWX, 'ram');
  // Identity map the first 4 MiB with a 4 KiB table at 0x12000 (supervisor, writable) so code/tables stay reachable.
  p32(m, 0x10000, 0x12000 | 0x3);
  for (let i = 0; i < 1024; i++) p32(m, 0x12000 + i * 4, (i << 12) | 0x3);
  p32(m, 0x10004, 0x11000 | 0x7); // PDE for 0x00400000: user, writable
  m.cr3 = 0x10000;
  m.cr0 = (m.cr0 | CR0_PG) >>> 0;
  m.flushTlb();
  m.cpl = cpl;
  m.cplChanged();
  return m;
}

/** Map linear page `lin` (in 0x00400000-0x007FFFFF) to physical `pa` with PTE flags. */
function pte(m: Machine, lin: number, pa: number, flags: number): number {
  const at = 0x11000 + ((lin >>> 12) & 0x3ff) * 4;
  p32(m, at, (pa & ~0xfff) | flags);
  return at;
}

describe('emu paging: 32-bit', () => {
  it('translates a 4 KiB page and sets A in PDE and PTE on a read, D only in the PTE on a write', () => {
    const m = machine32();
    assert.equal(m.pagingMode, PAGING_32);
    const at = pte(m, 0x400000, 0x5000, 0x3);
    p32(m, 0x5010, 0x12345678);
    assert.equal(m.read32(0x400010) >>> 0, 0x12345678);
    assert.equal(r32(m, at) & 0x60, 0x20, 'PTE accessed, not dirty');
    assert.equal(r32(m, 0x10004) & 0x60, 0x20, 'PDE accessed');
    m.write32(0x400010, 0x0badf00d);
    assert.equal(r32(m, 0x5010), 0x0badf00d);
    assert.equal(r32(m, at) & 0x60, 0x60, 'PTE dirty after the write');
    assert.equal(r32(m, 0x10004) & 0x40, 0, 'a PDE pointing at a table never gets D');
  });

  it('translates a 4 MiB page with CR4.PSE (D in the PDE) and ignores PS without PSE', () => {
    const m = machine32();
    p32(m, 0x10000 + (0xc0000000 >>> 22) * 4, 0x800000 | 0x83);
    m.cr4 |= CR4_PSE;
    m.flushTlb();
    p32(m, 0x801234, 0xcafe);
    assert.equal(m.read32(0xc0001234), 0xcafe);
    m.write8(0xc0001238, 1);
    assert.equal(r32(m, 0x10000 + 0x300 * 4) & 0x60, 0x60);
    // Without PSE the same PDE points at a page table at 0x800000 (all zero → not present).
    m.cr4 &= ~CR4_PSE;
    m.flushTlb();
    const f = fault(() => m.read32(0xc0001234));
    assert.equal(f.vector, 14);
    assert.equal(f.errorCode, 0);
  });

  it('PSE-36: PDE bits 20:13 give physical bits 39:32; bit 21 is reserved (#PF RSVD)', () => {
    const m = machine32();
    m.cr4 |= CR4_PSE;
    p32(m, 0x10000 + 0x301 * 4, 0x00400000 | (0x05 << 13) | 0x83);
    m.flushTlb();
    assert.equal(m.debuggerPhysical(0xc0401234), 5 * TWO32 + 0x401234);
    assert.equal(m.read32(0xc0401234), -1, 'unbacked physical memory reads all-ones');
    p32(m, 0x10000 + 0x302 * 4, 0x00800000 | (1 << 21) | 0x83);
    m.flushTlb();
    const f = fault(() => m.read8(0xc0800000));
    assert.equal(f.errorCode, 0x9, 'P | RSVD');
    assert.equal(m.cr2, 0xc0800000);
  });

  it('#PF error codes: not present (read/write, CPL 0/3), protection (U/S, R/W), with CR2', () => {
    const m = machine32();
    pte(m, 0x400000, 0x5000, 0x0);
    let f = fault(() => m.read32(0x400ffc));
    assert.deepEqual([f.vector, f.errorCode, m.cr2], [14, 0, 0x400ffc]);
    f = fault(() => m.write16(0x400002, 1));
    assert.deepEqual([f.errorCode, m.cr2], [2, 0x400002]);
    m.cpl = 3;
    m.cplChanged();
    f = fault(() => m.read8(0x400005));
    assert.equal(f.errorCode, 4);
    f = fault(() => m.write8(0x400006, 0));
    assert.equal(f.errorCode, 6);
    // Present, supervisor-only page read at CPL 3: P | U.
    pte(m, 0x401000, 0x6000, 0x3);
    f = fault(() => m.read8(0x401000));
    assert.equal(f.errorCode, 5);
    // Present user page, read-only, written at CPL 3: P | W | U.
    pte(m, 0x402000, 0x7000, 0x5);
    assert.equal(m.read8(0x402000), 0);
    f = fault(() => m.write32(0x402000, 1));
    assert.deepEqual([f.errorCode, m.cr2], [7, 0x402000]);
    // A faulting access changes no accessed/dirty bit.
    assert.equal(r32(m, 0x11000 + 2 * 4) & 0x40, 0);
  });

  it('CR0.WP: supervisor writes to a read-only page succeed with WP=0 and fault (P|W) with WP=1', () => {
    const m = machine32();
    pte(m, 0x400000, 0x5000, 0x5); // user, read-only
    m.cr0 &= ~CR0_WP;
    m.flushTlb();
    m.write32(0x400000, 0x11);
    assert.equal(r32(m, 0x5000), 0x11);
    m.cr0 = (m.cr0 | CR0_WP) >>> 0;
    m.flushTlb();
    const f = fault(() => m.write32(0x400000, 0x22));
    assert.equal(f.errorCode, 3);
    assert.equal(r32(m, 0x5000), 0x11);
  });

  it('U/S rights follow the CPL: the TLB is not reused across a CPL change', () => {
    const m = machine32();
    pte(m, 0x400000, 0x5000, 0x3); // supervisor
    assert.equal(m.read32(0x400000), 0);
    m.cpl = 3;
    m.cplChanged();
    assert.equal(fault(() => m.read32(0x400000)).errorCode, 5);
    m.cpl = 0;
    m.cplChanged();
    assert.equal(m.read32(0x400000), 0);
  });

  it('INVLPG: a changed PTE is not seen until INVLPG (or a CR3 reload) drops the stale entry', () => {
    const m = machine32();
    const at = pte(m, 0x400000, 0x5000, 0x3);
    p32(m, 0x5000, 0xaaaa);
    p32(m, 0x6000, 0xbbbb);
    assert.equal(m.read32(0x400000), 0xaaaa);
    p32(m, at, 0x6000 | 0x3);
    assert.equal(m.read32(0x400000), 0xaaaa, 'stale TLB entry (the SDM permits it)');
    m.invlpg(0x400abc);
    assert.equal(m.read32(0x400000), 0xbbbb);
    p32(m, at, 0x5000 | 0x3);
    assert.equal(m.read32(0x400000), 0xbbbb);
    m.flushTlb();
    assert.equal(m.read32(0x400000), 0xaaaa);
    // Writes too: a cached write entry is dropped by INVLPG.
    m.cr0 = (m.cr0 | CR0_WP) >>> 0;
    m.flushTlb();
    m.write32(0x400000, 1);
    p32(m, at, 0x6000 | 0x1); // now read-only
    m.invlpg(0x400000);
    assert.equal(fault(() => m.write32(0x400000, 2)).errorCode, 3);
  });

  it('implicit supervisor accesses (systemRead/systemWrite) ignore the CPL and report #PF without U/S', () => {
    const m = machine32(3);
    pte(m, 0x400000, 0x5000, 0x3); // supervisor page
    p32(m, 0x5008, 0x89abcdef);
    assert.equal(m.systemRead(0x400008, 4) >>> 0, 0x89abcdef);
    assert.equal(m.systemRead(0x400008, 2), 0xcdef);
    assert.equal(m.systemRead(0x400008, 8) >>> 0, 0x89abcdef);
    m.systemWrite(0x400010, 8, 0x11223344, 0x55667788);
    assert.equal(r32(m, 0x5014), 0x55667788);
    assert.equal(r32(m, 0x11000) & 0x60, 0x60, 'A and D set by the implicit write');
    pte(m, 0x401000, 0x6000, 0x0);
    const f = fault(() => m.systemRead(0x401000, 4));
    assert.deepEqual([f.vector, f.errorCode, m.cr2], [14, 0, 0x401000]);
    pte(m, 0x402000, 0x7000, 0x1);
    m.cr0 = (m.cr0 | CR0_WP) >>> 0;
    m.flushTlb();
    assert.equal(fault(() => m.systemWrite(0x402000, 1, 0)).errorCode, 3);
    // Across a page boundary: both pages translate first, nothing is written when the second faults.
    pte(m, 0x403000, 0x8000, 0x3);
    pte(m, 0x404000, 0x9000, 0x0);
    assert.equal(fault(() => m.systemWrite(0x403ffe, 4, -1)).errorCode, 2);
    assert.equal(r32(m, 0x8ffc), 0);
  });

  it('the debugger reads and writes through the page tables without faults or A/D updates', () => {
    const m = machine32();
    const at = pte(m, 0x400000, 0x5000, 0x1);
    pte(m, 0x401000, 0x9000, 0x1);
    p32(m, 0x5ffc, 0x4433_0000 >>> 0);
    p32(m, 0x9000, 0x0000_6655);
    assert.deepEqual([...(m.readMemory(0x400ffe, 4) as Uint8Array)], [0x33, 0x44, 0x55, 0x66]);
    assert.equal(r32(m, at) & 0x60, 0, 'no accessed bit from the debugger');
    assert.ok(m.writeMemory(0x400fff, new Uint8Array([1, 2])));
    assert.equal(r32(m, 0x5ffc) >>> 24, 1);
    assert.equal(r32(m, 0x9000) & 0xff, 2);
    pte(m, 0x402000, 0xa000, 0x0);
    assert.equal(m.readMemory(0x402000, 1), null);
    assert.equal(m.writeMemory(0x401fff, new Uint8Array([7, 7])), false);
    assert.equal(r32(m, 0x9ffc), 0, 'nothing written when a page is missing');
  });

  it('SMEP: a supervisor fetch from a user page faults with I/D; without SMEP it works', () => {
    const m = machine32();
    pte(m, 0x400000, 0x5000, 0x7);
    const buf = new Uint8Array(16);
    assert.equal(m.fetchCode(0x400000, buf, 15), 15);
    m.cr4 |= CR4_SMEP;
    m.flushTlb();
    const f = fault(() => m.fetchCode(0x400000, buf, 15));
    assert.deepEqual([f.errorCode, m.cr2], [0x11, 0x400000]);
  });

  it('flushTlb latches the mode: CR0.PG set without a flush keeps linear = physical', () => {
    const m = new Machine();
    m.start('long64', 0);
    assert.equal(m.pagingMode, PAGING_OFF);
    m.map(0, 0x10000, PERM_RWX);
    m.write32(0x100, 7);
    assert.equal(m.read32(0x100), 7);
  });
});

/** PAE machine: PDPT at 0x10000, PD at 0x11000 (first GiB), PT at 0x12000 for 0x00000000-0x001FFFFF (identity). */
function machinePae(): Machine {
  const m = new Machine();
  m.start('protected32', 0);
  m.map(0, 16 << 20, PERM_RWX, 'ram');
  p64(m, 0x10000, 0x11000 | 1);
  p64(m, 0x11000, 0x12000 | 3);
  for (let i = 0; i < 512; i++) p64(m, 0x12000 + i * 8, (i << 12) | 3);
  m.cr3 = 0x10000;
  m.cr4 |= CR4_PAE;
  m.cr0 = (m.cr0 | CR0_PG) >>> 0;
  m.flushTlb();
  return m;
}

describe('emu paging: PAE', () => {
  it('translates 4 KiB and 2 MiB pages through the PDPTE; D in the 2 MiB PDE', () => {
    const m = machinePae();
    assert.equal(m.pagingMode, PAGING_PAE);
    p32(m, 0x3000, 0x77);
    assert.equal(m.read32(0x3000), 0x77);
    p64(m, 0x11000 + 8, 0x600000 | 0x83); // 0x00200000 → 2 MiB page at 0x600000
    p32(m, 0x612344, 0x99);
    assert.equal(m.read32(0x212344), 0x99);
    m.write32(0x212344, 0x98);
    assert.equal(r32(m, 0x11008) & 0x60, 0x60);
    assert.equal(r32(m, 0x10000) & 0x20, 0, 'PAE PDPTEs have no accessed bit');
  });

  it('NX: with EFER.NXE an XD page cannot be fetched (#PF P|I/D), data reads work; without NXE bit 63 is reserved', () => {
    const m = machinePae();
    p64(m, 0x12000 + 5 * 8, 0x5000 | 3, 0x80000000);
    m.efer |= EFER_NXE;
    m.flushTlb();
    assert.equal(m.read32(0x5000), 0);
    const buf = new Uint8Array(16);
    assert.equal(fault(() => m.fetchCode(0x5000, buf, 15)).errorCode, 0x11);
    // An instruction that starts in an executable page and runs into the NX page stops before it.
    assert.equal(m.fetchCode(0x4ffe, buf, 15), 2);
    m.efer &= ~EFER_NXE;
    m.flushTlb();
    assert.equal(fault(() => m.read32(0x5000)).errorCode, 0x9, 'P | RSVD');
    assert.equal(fault(() => m.write32(0x5000, 0)).errorCode, 0xb, 'P | W | RSVD');
  });

  it('reserved bits: PDPTE bits 2:1, PDE 2 MiB bits 20:13, address bits above MAXPHYADDR', () => {
    const m = machinePae();
    p64(m, 0x10008, 0x13000 | 1 | 2); // PDPTE for 0x40000000 with reserved bit 1
    m.flushTlb();
    assert.equal(fault(() => m.read8(0x40000000)).errorCode, 0x9);
    p64(m, 0x11000 + 16, 0x800000 | 0x2000 | 0x83); // 2 MiB page with bit 13 set
    assert.equal(fault(() => m.read8(0x400000)).errorCode, 0x9);
    p64(m, 0x12000 + 6 * 8, 0x6000 | 3, 0x100); // physical bit 40
    assert.equal(fault(() => m.read8(0x6000)).errorCode, 0x9);
    // Not present at the PDPTE: error code without P.
    p64(m, 0x10010, 0);
    assert.equal(fault(() => m.write8(0x80000000, 0)).errorCode, 0x2);
  });
});

/** 4-level machine at CPL 0: PML4 0x10000, PDPT 0x11000, PD 0x12000, PT 0x13000 (identity first 2 MiB via the PT). */
function machine64(): Machine {
  const m = new Machine();
  m.start('long64', 0);
  m.map(0, 32 << 20, PERM_RWX, 'ram');
  p64(m, 0x10000, 0x11000 | 3);
  p64(m, 0x11000, 0x12000 | 3);
  p64(m, 0x12000, 0x13000 | 3);
  for (let i = 0; i < 512; i++) p64(m, 0x13000 + i * 8, (i << 12) | 3);
  m.cr3 = 0x10000;
  m.flushTlb();
  return m;
}

describe('emu paging: 4-level (IA-32e)', () => {
  it('translates 4 KiB, 2 MiB and 1 GiB pages and high-half linear addresses; A in all four levels', () => {
    const m = machine64();
    assert.equal(m.pagingMode, PAGING_4LEVEL);
    p32(m, 0x7008, 0x4242);
    assert.equal(m.read32(0x7008), 0x4242);
    for (const at of [0x10000, 0x11000, 0x12000, 0x13000 + 7 * 8]) assert.equal(r32(m, at) & 0x20, 0x20, `A at 0x${at.toString(16)}`);
    // 2 MiB page: linear 0x00200000 → physical 0x01400000.
    p64(m, 0x12008, 0x1400000 | 0x83);
    p32(m, 0x1400010, 0x5151);
    assert.equal(m.read32(0x200010), 0x5151);
    // 1 GiB page: linear 0x40000000 → physical 0 (PDPTE PS).
    p64(m, 0x11008, 0x00000000 | 0x83);
    assert.equal(m.read32(0x40007008), 0x4242);
    m.write8(0x40007000, 1);
    assert.equal(r32(m, 0x11008) & 0x60, 0x60);
    // Linear 0xFFFF8000_00001000 (folded 0x800000001000) through PML4 entry 256 → physical 0x1000 (shared PDPT).
    p64(m, 0x10000 + 256 * 8, 0x11000 | 3);
    const high = 0x800000000000 + 0x7008;
    assert.equal(m.read32(high), 0x4242);
    assert.equal(m.debuggerPhysical(high), 0x7008);
  });

  it('reserved bits: PS in a PML4E, bits 51:40 in a PTE, 1 GiB bits 29:13; XD without NXE', () => {
    const m = machine64();
    p64(m, 0x10008, 0x11000 | 0x83);
    assert.equal(fault(() => m.read8(0x8000000000)).errorCode, 0x9);
    p64(m, 0x13000 + 9 * 8, 0x9000 | 3, 0x00010000);
    assert.equal(fault(() => m.read8(0x9000)).errorCode, 0x9);
    p64(m, 0x11010, 0x2000 | 0x83);
    assert.equal(fault(() => m.read8(0x80000000)).errorCode, 0x9);
    // Bits 62:52 are ignored in 4-level entries.
    p64(m, 0x13000 + 10 * 8, 0xa000 | 3, 0x7ff00000);
    assert.equal(m.read8(0xa000), 0);
    m.efer &= ~EFER_NXE;
    p64(m, 0x13000 + 11 * 8, 0xb000 | 3, 0x80000000);
    m.flushTlb();
    assert.equal(fault(() => m.read8(0xb000)).errorCode, 0x9);
  });

  it('NX in a PML4E applies to everything below it (fetch #PF with I/D)', () => {
    const m = machine64();
    m.efer |= EFER_NXE;
    p64(m, 0x10000 + 8, 0x11000 | 3, 0x80000000);
    m.flushTlb();
    const buf = new Uint8Array(16);
    assert.equal(fault(() => m.fetchCode(0x8000000000 + 0x7000, buf, 15)).errorCode, 0x11);
    assert.equal(m.read32(0x8000000000 + 0x7008), 0);
  });
});

/** Stops the run on any exception (so tests need no IDT). */
class StopOnException extends BareEnvironment implements Environment {
  override exception(_m: Machine, e: GuestException): EnvResult {
    return { kind: 'stop', exit: { reason: 'fault', vector: e.vector, errorCode: e.errorCode, address: e.address, pc: e.pc, message: e.message } };
  }
}

describe('emu paging: running code', () => {
  it('self-modifying code through a writable alias of the code page invalidates the decoded code', () => {
    const m = machine32();
    m.env = new StopOnException();
    // Code page at physical 0x5000 mapped at 0x400000 (code) and 0x401000 (data alias).
    pte(m, 0x400000, 0x5000, 0x3);
    pte(m, 0x401000, 0x5000, 0x3);
    const code = asm(32, [
      'start: xor ebx, ebx',
      'again:',
      'patch: mov eax, 0x11111111',
      '  inc ebx',
      '  cmp ebx, 3',
      '  je done',
      '  add dword [0x401000 + (patch - start) + 1], 0x11111111',
      '  jmp again',
      'done: hlt',
    ].join('\n'), 0x400000);
    assert.ok(m.writeMemory(0x400000, code));
    m.rip = 0x400000;
    const exit = m.run(1000);
    assert.deepEqual(exit, { reason: 'halted' });
    assert.equal(m.regs[0] >>> 0, 0x33333333);
  });

  it('a fetch from a not-present page faults with CR2 = the page; MOV CR3-style flush makes a new mapping executable', () => {
    const m = machine32();
    m.env = new StopOnException();
    pte(m, 0x400000, 0x5000, 0x3);
    const code = asm(32, 'jmp 0x401000', 0x400000);
    assert.ok(m.writeMemory(0x400000, code));
    m.rip = 0x400000;
    const exit = m.run(10);
    assert.equal(exit.reason, 'fault');
    if (exit.reason === 'fault') assert.deepEqual([exit.vector, exit.errorCode, m.cr2], [14, 0, 0x401000]);
    pte(m, 0x401000, 0x6000, 0x3);
    m.mem.write(0x6000, asm(32, 'mov eax, 5\nhlt', 0x401000));
    m.flushTlb();
    m.rip = 0x400000;
    assert.deepEqual(m.run(10), { reason: 'halted' });
    assert.equal(m.regs[0], 5);
  });
});

describe('emu paging: a kernel that turns paging on itself', () => {
  it('MOV CR3/CR0 enables translation, a #PF reaches its IDT handler with CR2 and the error code, INVLPG + IRET retry', () => {
    const src = [
      'start: lgdt [gdtr]',
      'jmp 0x08:flush',
      'flush: mov ax, 0x10',
      'mov ds, ax',
      'mov es, ax',
      'mov ss, ax',
      'mov eax, pf_handler',
      'mov [idt + 14*8], ax',
      'shr eax, 16',
      'mov [idt + 14*8 + 6], ax',
      'mov word [idt + 14*8 + 2], 0x08',
      'mov word [idt + 14*8 + 4], 0x8e00',
      'lidt [idtr]',
      // Page table at 0x11000: identity map of the first 128 KiB, page 0x5000 left not present.
      'mov edi, 0x11000',
      'mov eax, 3',
      'mov ecx, 32',
      'fill: mov [edi], eax',
      'add eax, 0x1000',
      'add edi, 4',
      'loop fill',
      'mov dword [0x11000 + 5*4], 0x5000',
      'mov dword [0x10000], 0x11003',
      'mov eax, 0x10000',
      'mov cr3, eax',
      'mov eax, cr0',
      'or eax, 0x80010000',
      'mov cr0, eax',
      'mov dword [0x5000], 0x1234',
      'mov ebx, [0x5000]',
      'hlt',
      'pf_handler: pop eax',
      'mov [0x9000], eax',
      'mov eax, cr2',
      'mov [0x9004], eax',
      'or dword [0x11000 + 5*4], 3',
      'invlpg [0x5000]',
      'inc dword [0x9008]',
      'iret',
      'align 8',
      'gdt: dq 0, 0x00cf9a000000ffff, 0x00cf92000000ffff',
      'gdtr: dw 23',
      'dd gdt',
      'idt: times 15 dq 0',
      'idtr: dw 15*8 - 1',
      'dd idt',
    ].join('\n');
    const m = load(32, src);
    const exit = m.run(10000);
    assert.deepEqual(exit, { reason: 'halted' }, JSON.stringify(exit));
    assert.equal(m.pagingMode, PAGING_32);
    assert.equal(m.regs[3], 0x1234);
    assert.deepEqual([...new Uint32Array((m.mem.read(0x9000, 12) as Uint8Array).buffer)], [2, 0x5000, 1]);
    assert.equal(r32(m, 0x11000 + 5 * 4) & 0x60, 0x60, 'A and D set by the retried store');
  });
});
