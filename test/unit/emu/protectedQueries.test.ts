// LAR, LSL, VERR, VERW and ARPL against SDM Vol. 2 (the LAR/LSL tables of valid system types in
// legacy mode, privilege visibility, conforming code exempt, ZF and the destination left alone on
// failure), and CPUID: every feature bit it reports set runs here without #UD, and bits of features
// we do not execute are clear.
import { strict as assert } from 'assert';
import { runKernel, kernel32, TO_RING3, type Kernel } from './protectedKernel';

const ZF = 0x40;

/** Run `query` (which leaves its result in EAX) with EAX preset to 0xdead; returns [ZF, EAX]. */
function query(body: string, ring3 = false): [boolean, number] {
  const enter = ring3 ? `${TO_RING3('ring3')}
ring3:` : '';
  const k = runKernel(kernel32(`${enter}
  mov eax, 0xdead
${body}
  pushfd
  pop ebx
  ud2`), 'protected32');
  if (k.exit.reason !== 'fault' || k.exit.vector !== 6) throw new Error(JSON.stringify(k.exit));
  return [(k.m.regs[3] & ZF) !== 0, k.m.regs[0] >>> 0];
}

describe('LAR / LSL / VERR / VERW / ARPL', () => {
  const cases: [string, string, boolean, number, boolean?][] = [
    ['LAR of loaded code (accessed)', 'mov cx, 0x08\nlar eax, cx', true, 0x00cf9b00],
    ['LAR of an available 32-bit TSS', 'mov cx, 0x28\nlar eax, cx', true, 0x00008900],
    ['LAR of a call gate', 'mov cx, 0x30\nlar eax, cx', true, 0x0000ec00],
    ['LAR of a task gate', 'mov cx, 0x58\nlar eax, cx', true, 0x00008500],
    ['LAR of an LDT descriptor', 'mov cx, 0x60\nlar eax, cx', true, 0x00008200],
    ['LAR with a 16-bit operand (bits 15:8)', 'mov cx, 0x10\nlar ax, cx', true, 0x9300],
    ['LAR beyond the GDT: ZF = 0, EAX untouched', 'mov cx, 0x80\nlar eax, cx', false, 0xdead],
    ['LAR of the null selector', 'xor ecx, ecx\nlar eax, cx', false, 0xdead],
    ['LAR at CPL 3 of DPL-0 data', 'mov cx, 0x10\nlar eax, cx', false, 0xdead, true],
    ['LAR at CPL 3 of conforming DPL-0 code', 'mov cx, 0x3b\nlar eax, cx', true, 0x00cf9e00, true],
    ['LAR at CPL 3 of the DPL-0 TSS', 'mov cx, 0x28\nlar eax, cx', false, 0xdead, true],
    ['LAR at CPL 0 of DPL-1 data with RPL 3', 'mov cx, 0x73\nlar eax, cx', false, 0xdead],
    ['LSL of flat data', 'mov cx, 0x10\nlsl eax, cx', true, 0xffffffff],
    ['LSL of the TSS', 'mov cx, 0x28\nlsl eax, cx', true, 0x67],
    ['LSL of a call gate (not valid for LSL)', 'mov cx, 0x30\nlsl eax, cx', false, 0xdead],
    ['LSL of a task gate (not valid for LSL)', 'mov cx, 0x58\nlsl eax, cx', false, 0xdead],
    ['LSL through the LDT (byte-granular limit)', 'mov cx, 0x60\nlldt cx\nmov cx, 0x0c\nlsl eax, cx', true, 0xfff],
    ['VERR of readable code', 'mov cx, 0x08\nverr cx', true, 0xdead],
    ['VERR of execute-only code', 'mov cx, 0x48\nverr cx', false, 0xdead],
    ['VERR of the TSS', 'mov cx, 0x28\nverr cx', false, 0xdead],
    ['VERR at CPL 3 of DPL-0 data', 'mov cx, 0x10\nverr cx', false, 0xdead, true],
    ['VERR at CPL 3 of DPL-3 data', 'mov cx, 0x23\nverr cx', true, 0xdead, true],
    ['VERW of writable data', 'mov cx, 0x10\nverw cx', true, 0xdead],
    ['VERW of read-only data', 'mov cx, 0x68\nverw cx', false, 0xdead],
    ['VERW of code', 'mov cx, 0x08\nverw cx', false, 0xdead],
    ['ARPL raising the RPL', 'mov ax, 0x10\nmov cx, 0x03\narpl ax, cx\nmovzx eax, ax', true, 0x13],
    ['ARPL with RPL already high enough', 'mov ax, 0x13\nmov cx, 0x01\narpl ax, cx\nmovzx eax, ax', false, 0x13],
  ];
  for (const [name, body, zf, eax, ring3] of cases) {
    it(`${name}: ZF=${zf ? 1 : 0}, EAX=0x${eax.toString(16)}`, () => {
      const [z, a] = query(body, ring3 === true);
      assert.equal(z, zf);
      assert.equal(a, eax);
    });
  }

  it('LAR in real mode is #UD', () => {
    const k = runKernel('bits 16\nlar ax, cx\nhlt', 'real');
    assert.equal(k.exit.reason === 'fault' && k.exit.vector, 6, JSON.stringify(k.exit));
  });
});

describe('CPUID', () => {
  function cpuid(leaf: number, sub = 0): [number, number, number, number] {
    const k = runKernel(`bits 64\nmov eax, ${leaf}\nmov ecx, ${sub}\ncpuid\nhlt`, 'long64');
    assert.equal(k.exit.reason, 'halted');
    return [k.m.regs[0] >>> 0, k.m.regs[3] >>> 0, k.m.regs[1] >>> 0, k.m.regs[2] >>> 0];
  }
  const text = (...w: number[]): string => w.map((v) => String.fromCharCode(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, v >>> 24)).join('');

  it('leaf 0: max leaf 7 and the vendor string in EBX, EDX, ECX', () => {
    const [a, b, c, d] = cpuid(0);
    assert.equal(a, 7);
    assert.equal(text(b, d, c), 'x86dbgVirtCP');
  });

  it('extended leaves: max 80000008h, brand string, 40-bit physical / 48-bit linear addresses', () => {
    assert.equal(cpuid(0x80000000)[0], 0x80000008);
    const brand = [0x80000002, 0x80000003, 0x80000004].map((l) => text(...cpuid(l))).join('').replace(/\0+$/, '');
    assert.equal(brand, 'x86dbg virtual CPU');
    assert.equal(cpuid(0x80000008)[0], 0x3028);
  });

  it('unimplemented families are not claimed: no FPU, MMX, SSE, SSE2, AVX, XSAVE, APIC, VME, hypervisor bit', () => {
    const [, , c, d] = cpuid(1);
    for (const bit of [0, 1, 9, 23, 25, 26]) assert.equal((d >>> bit) & 1, 0, `leaf 1 EDX bit ${bit}`);
    for (const bit of [0, 9, 19, 20, 26, 27, 28, 31]) assert.equal((c >>> bit) & 1, 0, `leaf 1 ECX bit ${bit}`);
  });

  // Each claimed feature bit → an instruction of it that must execute (64-bit mode, CPL 0).
  const claimed: [string, number, number, 'a' | 'b' | 'c' | 'd', string][] = [
    ['TSC', 1, 0, 'd', 'rdtsc'],
    ['MSR', 1, 0, 'd', 'mov ecx, 0xc0000080\nrdmsr'],
    ['CX8', 1, 0, 'd', 'cmpxchg8b [0x6000]'],
    ['SEP', 1, 0, 'd', 'mov ecx, 0x174\nmov eax, 0x08\nxor edx, edx\nwrmsr\nmov ecx, 0x176\nmov rax, next\nwrmsr\nsysenter\nnext:'],
    ['CMOV', 1, 0, 'd', 'cmovz eax, ebx'],
    ['PAT', 1, 0, 'd', 'mov ecx, 0x277\nrdmsr\nwrmsr'],
    ['CLFSH', 1, 0, 'd', 'clflush [0x6000]'],
    ['CX16', 1, 0, 'c', 'cmpxchg16b [0x6000]'],
    ['MOVBE', 1, 0, 'c', 'movbe eax, [0x6000]'],
    ['POPCNT', 1, 0, 'c', 'popcnt eax, ebx'],
    ['RDRAND', 1, 0, 'c', 'rdrand eax'],
    ['BMI1', 7, 0, 'b', 'andn eax, ebx, ecx'],
    ['BMI2', 7, 0, 'b', 'pdep eax, ebx, ecx'],
    ['RDSEED', 7, 0, 'b', 'rdseed eax'],
    ['ADX', 7, 0, 'b', 'adcx eax, ebx'],
    ['RDPID', 7, 0, 'c', 'rdpid rax'],
    ['SYSCALL', 0x80000001, 0, 'd', 'mov ecx, 0xc0000082\nmov rax, next\nxor edx, edx\nwrmsr\nsyscall\nnext:'],
    ['NX', 0x80000001, 0, 'd', 'mov ecx, 0xc0000080\nrdmsr\nor eax, 0x800\nwrmsr'],
    ['RDTSCP', 0x80000001, 0, 'd', 'rdtscp'],
    ['LM', 0x80000001, 0, 'd', 'mov rax, 1 << 40'],
    ['LAHF-SAHF', 0x80000001, 0, 'c', 'lahf\nsahf'],
    ['LZCNT', 0x80000001, 0, 'c', 'lzcnt eax, ebx'],
  ];
  const bitOf: Record<string, number> = { TSC: 4, MSR: 5, CX8: 8, SEP: 11, CMOV: 15, PAT: 16, CLFSH: 19, CX16: 13, MOVBE: 22, POPCNT: 23, RDRAND: 30, BMI1: 3, BMI2: 8, RDSEED: 18, ADX: 19, RDPID: 22, SYSCALL: 11, NX: 20, RDTSCP: 27, LM: 29, 'LAHF-SAHF': 0, LZCNT: 5 };
  for (const [name, leaf, sub, reg, code] of claimed) {
    it(`${name} is claimed and executes`, () => {
      const r = cpuid(leaf, sub);
      const v = r['abcd'.indexOf(reg)];
      assert.equal((v >>> bitOf[name]) & 1, 1, `${name} bit`);
      const k: Kernel = runKernel(`bits 64\n${code}\nhlt`, 'long64');
      assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    });
  }
});
