// Segment-register loads in protected mode against the SDM's MOV/POP/LDS rules (Vol. 2 MOV "IF SS
// is loaded" / "IF DS, ES, FS, or GS is loaded"; Vol. 3 §5.4-5.6): the fault vector and the selector
// error code of each failing check, LDT selectors through LLDT, and the accessed bit written back.
import { strict as assert } from 'assert';
import { fault, runKernel, kernel32, gdtAccess } from './protectedKernel';

const GP = 13, NP = 11, SS = 12, UD = 6;

describe('protected mode: segment register loads', () => {
  const cases: [string, string, number, number][] = [
    ['DS beyond the GDT limit', 'mov ax, 0x80\nmov ds, ax', GP, 0x80],
    ['DS not present', 'mov ax, 0x40\nmov ds, ax', NP, 0x40],
    ['SS not present', 'mov ax, 0x40\nmov ss, ax', SS, 0x40],
    ['SS with DPL 3 at CPL 0', 'mov ax, 0x20\nmov ss, ax', GP, 0x20],
    ['SS with RPL 3 at CPL 0', 'mov ax, 0x13\nmov ss, ax', GP, 0x10],
    ['SS read-only data', 'mov ax, 0x68\nmov ss, ax', GP, 0x68],
    ['SS null', 'xor ax, ax\nmov ss, ax', GP, 0],
    ['SS code segment', 'mov ax, 0x08\nmov ss, ax', GP, 0x08],
    ['DS a TSS descriptor', 'mov ax, 0x28\nmov ds, ax', GP, 0x28],
    ['DS execute-only code', 'mov ax, 0x48\nmov ds, ax', GP, 0x48],
    ['DS DPL 1 with RPL 3', 'mov ax, 0x73\nmov ds, ax', GP, 0x70],
    ['DS LDT selector with no LDT', 'mov ax, 0x0c\nmov ds, ax', GP, 0x0c],
    ['ES via LES not present', 'mov dword [0x6000], 0\nmov word [0x6004], 0x40\nles eax, [0x6000]', NP, 0x40],
    ['SS via POP SS beyond the limit', 'push dword 0x88\npop ss', GP, 0x88],
    ['LLDT of a data descriptor', 'mov ax, 0x10\nlldt ax', GP, 0x10],
    ['LLDT of an LDT selector', 'mov ax, 0x64\nlldt ax', GP, 0x64],
    ['LTR of a data descriptor', 'mov ax, 0x10\nltr ax', GP, 0x10],
    ['MOV CS is #UD', 'db 0x8e, 0xc8', UD, -1],
  ];
  for (const [name, body, vector, code] of cases) {
    it(`${name} → ${vector === GP ? '#GP' : vector === NP ? '#NP' : vector === SS ? '#SS' : '#UD'}${code >= 0 ? `(0x${code.toString(16)})` : ''}`, () => {
      const k = runKernel(kernel32(`${body}\nfault_here:\n  hlt`), 'protected32');
      const f = fault(k);
      assert.equal(f.vector, vector, JSON.stringify(k.exit));
      if (code >= 0) assert.equal(f.errorCode, code);
      else assert.equal(f.errorCode, undefined);
      assert.ok(f.pc < k.labels.fault_here, 'the fault is raised by the load itself');
    });
  }

  it('valid loads succeed: readable code into DS, conforming code with RPL 3, null DS/ES', () => {
    const k = runKernel(kernel32('mov ax, 0x08\nmov ds, ax\nmov ax, 0x3b\nmov fs, ax\nxor ax, ax\nmov es, ax\nmov gs, ax\nhlt'), 'protected32');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.segSel[3], 0x08);
    assert.equal(k.m.segSel[4], 0x3b);
    assert.equal(k.m.segSel[0], 0);
    assert.equal(k.m.segAttr[0] & 0x80, 0, 'a null-loaded ES is unusable');
  });

  it('a load sets the accessed bit in the descriptor (0x92 → 0x93)', () => {
    const k = runKernel(kernel32('hlt'), 'protected32');
    assert.equal(k.exit.reason, 'halted');
    assert.equal(gdtAccess(k.m, k, 0x10), 0x93);
    assert.equal(gdtAccess(k.m, k, 0x08), 0x9b);
    assert.equal(gdtAccess(k.m, k, 0x20), 0xf2, 'an entry never loaded keeps A = 0');
  });

  it('LLDT then LDT selectors: base and byte-granular limit from the LDT, SLDT reads it back', () => {
    const k = runKernel(kernel32('mov ax, 0x60\nlldt ax\nmov ax, 0x0c\nmov ds, ax\nmov ax, 0x04\nmov es, ax\nsldt bx\nhlt'), 'protected32');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.segBase[3], 0x5000);
    assert.equal(k.m.segLimit[3], 0xfff);
    assert.equal(k.m.segLimit[0], 0xffffffff);
    assert.equal(k.m.regs[3] & 0xffff, 0x60);
  });

  it('an LDT selector beyond the LDT limit → #GP(sel with TI)', () => {
    const k = runKernel(kernel32('mov ax, 0x60\nlldt ax\nmov ax, 0x14\nmov ds, ax\nhlt'), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, GP);
    assert.equal(f.errorCode, 0x14);
  });

  it('64-bit mode: a null SS with RPL = CPL 0 loads; at CPL 3 it is #GP(0)', () => {
    const k = runKernel('bits 64\nxor eax, eax\nmov ss, ax\npush rax\npop rax\nhlt', 'long64');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.segSel[2], 0);
    const k3 = runKernel('bits 64\nxor eax, eax\nmov ss, ax\nud2', 'long64', (m) => { m.start('long64', 3); m.rip = 0x1000; m.regs[4] = 0x9000; });
    const f = fault(k3);
    assert.equal(f.vector, GP, JSON.stringify(k3.exit));
    assert.equal(f.errorCode, 0);
  });

  it('LMSW sets PE but cannot clear it; CLTS clears TS; SMSW reads the low CR0 word', () => {
    const k = runKernel(kernel32('mov eax, cr0\nor eax, 8\nmov cr0, eax\nxor ax, ax\nlmsw ax\nclts\nsmsw bx\nhlt'), 'protected32');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.cr0 & 1, 1, 'PE stays set');
    assert.equal(k.m.cr0 & 8, 0);
    assert.equal(k.m.regs[3] & 0xffff, k.m.cr0 & 0xffff);
  });
});
