// Far transfers in protected mode against the SDM (Vol. 2 CALL/JMP/RET pseudocode, Vol. 3 §5.8):
// a ring-3 caller through a DPL-3 call gate into ring 0 with the stack switched from the TSS and two
// parameters copied, RET imm back to ring 3 nulling a DPL-0 data segment, conforming code keeping
// CPL, and the privilege faults with their selector error codes. Ring 3 is entered with a far RET.
import { strict as assert } from 'assert';
import { fault, TO_RING3, runKernel, kernel32, peek, OUT } from './protectedKernel';

const GP = 13, NP = 11, UD = 6;

describe('protected mode: far transfers, call gates, privilege', () => {
  it('far RET to an outer level enters ring 3 with SS:ESP from the stack and nulls DPL-0 data segments', () => {
    const k = runKernel(kernel32(`${TO_RING3('ring3')}
ring3:
  mov ax, cs
  mov bx, ss
  mov ecx, esp
  mov dx, ds
  mov si, fs
the_end:
  ud2`), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, UD, JSON.stringify(k.exit));
    assert.equal(f.pc, k.labels['the_end'], 'ends at the UD2');
    assert.equal(k.m.cpl, 3);
    assert.equal(k.m.regs[0] & 0xffff, 0x1b);
    assert.equal(k.m.regs[3] & 0xffff, 0x23);
    assert.equal(k.m.regs[1] >>> 0, 0x7000);
    assert.equal(k.m.regs[2] & 0xffff, 0, 'DS (DPL 0) was nulled by the return to ring 3');
    assert.equal(k.m.regs[6] & 0xffff, 0, 'FS (DPL 0) was nulled too');
  });

  it('CALL through a DPL-3 call gate: ring 0, SS:ESP from the TSS, params copied, RET 8 back to ring 3', () => {
    const k = runKernel(kernel32(`${TO_RING3('ring3')}
ring3:
  mov ax, 0x23
  mov ds, ax
  mov es, ax
  push dword 0x11111111
  push dword 0x22222222
  call 0x33:0
back:
  mov [${OUT + 0x40}], esp
  mov ax, es
  mov [${OUT + 0x44}], ax
  mov ax, cs
  mov [${OUT + 0x46}], ax
  ud2`, {
      gate: `
  mov [${OUT}], esp
  mov ax, cs
  mov [${OUT + 4}], ax
  mov ax, ss
  mov [${OUT + 6}], ax
  mov eax, [esp]
  mov [${OUT + 8}], eax
  mov eax, [esp + 4]
  mov [${OUT + 12}], eax
  mov eax, [esp + 8]
  mov [${OUT + 16}], eax
  mov eax, [esp + 12]
  mov [${OUT + 20}], eax
  mov eax, [esp + 16]
  mov [${OUT + 24}], eax
  mov eax, [esp + 20]
  mov [${OUT + 28}], eax
  mov ax, 0x10
  mov es, ax
  retf 8`,
    }), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, UD, JSON.stringify(k.exit));
    const m = k.m;
    assert.equal(peek(m, OUT), 0x8000 - 24, 'ESP0 from the TSS minus SS, ESP, 2 params, CS, EIP');
    assert.equal(peek(m, OUT + 4, 2), 0x08, 'CS = gate selector with RPL = new CPL 0');
    assert.equal(peek(m, OUT + 6, 2), 0x10, 'SS = SS0 from the TSS');
    assert.equal(peek(m, OUT + 8), k.labels['back'], 'return EIP');
    assert.equal(peek(m, OUT + 12) & 0xffff, 0x1b, 'return CS');
    assert.equal(peek(m, OUT + 16), 0x22222222, 'first parameter (lowest address) keeps its place');
    assert.equal(peek(m, OUT + 20), 0x11111111, 'second parameter');
    assert.equal(peek(m, OUT + 24), 0x7000 - 8, 'caller ESP');
    assert.equal(peek(m, OUT + 28) & 0xffff, 0x23, 'caller SS');
    assert.equal(peek(m, OUT + 0x40), 0x7000, 'RET 8 released the parameters on the caller stack');
    assert.equal(peek(m, OUT + 0x44, 2), 0, 'ES loaded with a DPL-0 segment in ring 0 is nulled on return');
    assert.equal(peek(m, OUT + 0x46, 2), 0x1b);
    assert.equal(m.cpl, 3);
  });

  it('a call gate with DPL 3 used from ring 0 to a same-level target pushes CS:EIP on the current stack', () => {
    const k = runKernel(kernel32(`
  call 0x30:0
after:
  hlt`, { gate: `
  mov eax, [esp]
  mov ebx, [esp + 4]
  mov ecx, esp
  retf` }), 'protected32');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.regs[0] >>> 0, k.labels['after']);
    assert.equal(k.m.regs[3] & 0xffff, 0x08);
    assert.equal(k.m.regs[1] >>> 0, 0x9000 - 8);
    assert.equal(k.m.regs[4] >>> 0, 0x9000);
  });

  it('far JMP to conforming code keeps CPL 3 and CS.RPL 3', () => {
    const k = runKernel(kernel32(`${TO_RING3('ring3')}
ring3:
  jmp 0x38:conf
conf:
  mov ax, cs
  ud2`), 'protected32');
    assert.equal(fault(k).vector, UD, JSON.stringify(k.exit));
    assert.equal(k.m.cpl, 3);
    assert.equal(k.m.regs[0] & 0xffff, 0x3b);
  });

  const faults: [string, string, number, number][] = [
    ['far JMP from ring 3 to nonconforming ring-0 code', 'jmp 0x08:0', GP, 0x08],
    ['far CALL from ring 3 to nonconforming ring-0 code', 'call 0x08:0', GP, 0x08],
    ['CALL from ring 3 through a DPL-0 task gate', 'call 0x58:0', GP, 0x58],
    ['far JMP from ring 3 through a call gate to ring 0 (JMP never changes privilege)', 'jmp 0x33:0', GP, 0x08],
    ['far JMP to a null selector', 'jmp 0:0', GP, 0],
    ['far JMP to a data segment', 'jmp 0x23:0', GP, 0x20],
    ['far JMP beyond the GDT', 'jmp 0x9b:0', GP, 0x98],
    ['far RET to ring 0 from ring 3', 'push dword 0x08\npush dword 0\nretf', GP, 0x08],
    ['loading a DPL-0 data segment at CPL 3', 'mov ax, 0x10\nmov ds, ax', GP, 0x10],
    ['HLT at CPL 3', 'hlt', GP, 0],
  ];
  for (const [name, body, vector, code] of faults) {
    it(`${name} → #${vector === GP ? 'GP' : 'NP'}(0x${code.toString(16)})`, () => {
      const k = runKernel(kernel32(`${TO_RING3('ring3')}\nring3:\n${body}\nafter:\n  ud2`), 'protected32');
      const f = fault(k);
      assert.equal(f.vector, vector, JSON.stringify(k.exit));
      assert.equal(f.errorCode, code);
      assert.ok(f.pc >= k.labels['ring3'] && f.pc < k.labels['after']);
      assert.equal(k.m.cpl, 3, 'nothing changed: still ring 3');
      assert.equal(k.m.segSel[1], 0x1b);
    });
  }

  it('far JMP to a not-present code segment → #NP(sel)', () => {
    const k = runKernel(kernel32(`
  mov eax, [gdt + 8]
  mov edx, [gdt + 12]
  and edx, ~0x8000
  mov [gdt + 0x68], eax
  mov [gdt + 0x6c], edx
  jmp 0x68:0
  hlt`), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, NP, JSON.stringify(k.exit));
    assert.equal(f.errorCode, 0x68);
  });

  it('a fault while pushing on the inner stack leaves CS, SS, ESP and CPL unchanged', () => {
    // ESP0 points to an unmapped page: the first push to the ring-0 stack faults (#PF).
    const k = runKernel(kernel32(`
  mov dword [tss_a + 4], 0x200000
${TO_RING3('ring3')}
ring3:
  call 0x33:0
  ud2`, { gate: 'ud2' }), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, 14, JSON.stringify(k.exit));
    assert.equal(k.m.cpl, 3);
    assert.equal(k.m.segSel[1], 0x1b);
    assert.equal(k.m.segSel[2], 0x23);
    assert.equal(k.m.regs[4] >>> 0, 0x7000);
  });

  it('an inner stack without room for the frame → #SS(new SS) before anything changes', () => {
    // SS0 = LDT data segment 0Ch (limit FFFh), ESP0 = 16: SS, ESP, 2 params, CS, EIP need 24 bytes.
    const k = runKernel(kernel32(`
  mov ax, 0x60
  lldt ax
  mov dword [tss_a + 4], 16
  mov dword [tss_a + 8], 0x0c
${TO_RING3('ring3')}
ring3:
  call 0x33:0
  ud2`, { gate: 'ud2' }), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, 12, JSON.stringify(k.exit));
    assert.equal(f.errorCode, 0x0c);
    assert.equal(k.m.cpl, 3);
    assert.equal(k.m.regs[4] >>> 0, 0x7000);
  });

  it('with paging, the inner frame goes to a supervisor-only stack page (written at the new CPL)', () => {
    const k = runKernel(kernel32(`
  mov edi, 0x21000
  mov eax, 0x7
  mov ecx, 1024
.fill:
  stosd
  add eax, 0x1000
  loop .fill
  mov dword [0x21000 + 7 * 4], 0x7003
  mov dword [0x20000], 0x21007
  mov eax, 0x20000
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
${TO_RING3('ring3')}
ring3:
  mov ax, 0x23
  mov ds, ax
  push dword 1
  push dword 2
  call 0x33:0
  mov eax, [${OUT}]
the_end:
  ud2`, { gate: `  mov [${OUT}], esp\n  retf 8` }), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, 6, JSON.stringify(k.exit));
    assert.equal(f.pc, k.labels['the_end']);
    assert.ok(k.m.pagingEnabled());
    assert.equal(k.m.regs[0] >>> 0, 0x8000 - 24, 'the ring-0 handler ran on the supervisor page');
    assert.equal(k.m.cpl, 3);
  });

  it('with paging, ring 3 cannot touch the supervisor-only page itself (#PF with U/S)', () => {
    const k = runKernel(kernel32(`
  mov edi, 0x21000
  mov eax, 0x7
  mov ecx, 1024
.fill:
  stosd
  add eax, 0x1000
  loop .fill
  mov dword [0x21000 + 7 * 4], 0x7003
  mov dword [0x20000], 0x21007
  mov eax, 0x20000
  mov cr3, eax
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
${TO_RING3('ring3')}
ring3:
  mov ax, 0x23
  mov ds, ax
  mov eax, [0x7ff0]
  ud2`), 'protected32');
    const f = fault(k);
    assert.equal(f.vector, 14, JSON.stringify(k.exit));
    assert.equal(f.errorCode, 5, 'present, read, user');
  });
});
