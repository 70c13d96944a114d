// IA-32e mode against SDM Vol. 3 §10.8.5 (initialisation order: PE, PAE, CR3, EFER.LME, PG → LMA,
// far jump to a 64-bit CS) and §5.2.1/§3.4.5 (compatibility mode when CS.L = 0), the #GP(0) of
// the illegal orders MOV CR0/CR4 and WRMSR EFER name, and SYSCALL/SYSRET (SDM Vol. 2) round trips.
import { strict as assert } from 'assert';
import { fault, runKernel, peek, OUT } from './protectedKernel';

const GP = 13, UD = 6;

/** Real mode → protected mode → IA-32e: GDT 08 code32, 10 data, 18 code64, 20 code32 (compat); identity 2 MiB page. */
const BOOT = `bits 16
  cli
  lgdt [gdt_ptr]
  mov eax, cr0
  or eax, 1
  mov cr0, eax
  jmp 0x08:pm32
bits 32
pm32:
  mov ax, 0x10
  mov ds, ax
  mov es, ax
  mov ss, ax
  mov esp, 0x9000
  mov dword [0x10000], 0x11003
  mov dword [0x10004], 0
  mov dword [0x11000], 0x12003
  mov dword [0x11004], 0
  mov dword [0x12000], 0x83
  mov dword [0x12004], 0
  mov eax, cr4
  or eax, 0x20
  mov cr4, eax
  mov eax, 0x10000
  mov cr3, eax
  mov ecx, 0xc0000080
  rdmsr
  or eax, 0x100
  wrmsr
  mov eax, cr0
  or eax, 0x80000000
  mov cr0, eax
in_compat:
  mov ecx, 0xc0000080
  rdmsr
  mov [${OUT}], eax
  jmp 0x18:lm64
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff
  dq 0x00cf92000000ffff
  dq 0x00af9a000000ffff
  dq 0x00cf9a000000ffff
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt
bits 64
lm64:
`;

describe('IA-32e mode', () => {
  it('activation from real mode: PE, PAE, CR3, LME, PG sets LMA; far jump to a 64-bit CS runs 64-bit code', () => {
    const k = runKernel(`${BOOT}
  mov rax, 0x123456789abcdef0
  mov [${OUT + 8}], rax
  lea rbx, [rel lm64]
  hlt`, 'real');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    const m = k.m;
    assert.equal(peek(m, OUT) & 0x500, 0x500, 'EFER.LME and LMA read back right after CR0.PG');
    assert.equal(peek(m, OUT + 8), 0x9abcdef0);
    assert.equal(peek(m, OUT + 12), 0x12345678);
    assert.equal(m.regs[3] >>> 0, k.labels['lm64'], 'RIP-relative LEA in 64-bit mode');
    assert.ok(m.mode64);
    assert.equal(m.modeName(), 'long64');
    assert.equal(m.efer & 0x500, 0x500);
    assert.ok(m.pagingEnabled(), 'translation latched on');
  });

  it('compatibility mode: a 32-bit CS (L = 0) under IA-32e runs 32-bit code (0x40 is INC EAX, not REX)', () => {
    const k = runKernel(`${BOOT}
  mov eax, 5
  jmp far dword [rel to_compat]
to_compat:
  dd compat
  dw 0x20
bits 32
compat:
  inc eax
  mov ebx, 7
  hlt`, 'real');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.modeName(), 'compat32');
    assert.equal(k.m.regs[0] >>> 0, 6);
    assert.equal(k.m.regs[3] >>> 0, 7);
  });

  it('back from compatibility mode to 64-bit mode with a far JMP to the 64-bit CS', () => {
    const k = runKernel(`${BOOT}
  jmp far dword [rel to_compat]
to_compat:
  dd compat
  dw 0x20
bits 32
compat:
  jmp 0x18:again64
bits 64
again64:
  mov rax, -1
  hlt`, 'real');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.modeName(), 'long64');
    assert.equal(k.m.regsHi[0], -1);
  });

  const illegal: [string, string, 'protected32' | 'long64'][] = [
    ['CR0.PG with EFER.LME = 1 and CR4.PAE = 0', 'mov ecx, 0xc0000080\nrdmsr\nor eax, 0x100\nwrmsr\nmov eax, cr0\nor eax, 0x80000000\nfault_here:\nmov cr0, eax', 'protected32'],
    ['clearing CR0.PG in 64-bit mode', 'mov rax, cr0\nbtr rax, 31\nfault_here:\nmov cr0, rax', 'long64'],
    ['clearing CR4.PAE in IA-32e mode', 'mov rax, cr4\nand eax, ~0x20\nfault_here:\nmov cr4, rax', 'long64'],
    ['WRMSR EFER.LME = 0 with paging on', 'mov ecx, 0xc0000080\nrdmsr\nand eax, ~0x100\nfault_here:\nwrmsr', 'long64'],
    ['WRMSR EFER reserved bit 1', 'mov ecx, 0xc0000080\nrdmsr\nor eax, 2\nfault_here:\nwrmsr', 'long64'],
    ['CR4 reserved bit (VME is not implemented)', 'mov rax, cr4\nor eax, 1\nfault_here:\nmov cr4, rax', 'long64'],
    ['CR4 bit 63', 'mov rax, cr4\nbts rax, 63\nfault_here:\nmov cr4, rax', 'long64'],
    ['CR0 bit 32 in 64-bit mode', 'mov rax, cr0\nbts rax, 32\nfault_here:\nmov cr0, rax', 'long64'],
    ['CR0.NW without CD', 'mov eax, cr0\nand eax, ~0x40000000\nor eax, 0x20000000\nfault_here:\nmov cr0, eax', 'protected32'],
    ['CR8 bit 4', 'mov eax, 16\nfault_here:\nmov cr8, rax', 'long64'],
    ['CR3 above MAXPHYADDR in IA-32e mode', 'mov rax, 1 << 45\nfault_here:\nmov cr3, rax', 'long64'],
    ['RDMSR of an MSR we do not implement', 'mov ecx, 0x12345\nfault_here:\nrdmsr', 'long64'],
    ['WRMSR of a non-canonical LSTAR', 'mov ecx, 0xc0000082\nxor eax, eax\nmov edx, 0x8000\nfault_here:\nwrmsr', 'long64'],
    ['WRMSR of a reserved PAT type', 'mov ecx, 0x277\nmov eax, 2\nxor edx, edx\nfault_here:\nwrmsr', 'long64'],
  ];
  for (const [name, body, mode] of illegal) {
    it(`${name} → #GP(0)`, () => {
      const k = runKernel(`bits ${mode === 'long64' ? 64 : 32}\n${body}\nhlt`, mode);
      const f = fault(k);
      assert.equal(f.vector, GP, JSON.stringify(k.exit));
      assert.equal(f.errorCode, 0);
      assert.equal(f.pc, k.labels['fault_here']);
    });
  }

  it('MOV to CR1 or CR5 is #UD', () => {
    const k = runKernel('bits 64\ndb 0x0f, 0x22, 0xc8\nhlt', 'long64');
    assert.equal(fault(k).vector, UD, JSON.stringify(k.exit));
  });

  it('CR0 reserved bits are ignored, ET reads as 1; CR2/CR3/CR8 round-trip', () => {
    const k = runKernel(`bits 64
  mov rax, cr0
  or eax, 0x00000f00
  and eax, ~0x10
  mov cr0, rax
  mov rbx, cr0
  mov rax, 0x0000123456789000
  mov cr2, rax
  mov rcx, cr2
  mov eax, 9
  mov cr8, rax
  mov rdx, cr8
  hlt`, 'long64');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.regs[3] & 0xf10, 0x10);
    assert.equal(k.m.regs[1] >>> 0, 0x56789000);
    assert.equal(k.m.regsHi[1], 0x1234);
    assert.equal(k.m.regs[2], 9);
  });

  it('SYSRET to ring 3 and SYSCALL back: selectors from STAR, RCX/R11, FMASK, CPL', () => {
    const k = runKernel(`bits 64
  mov ecx, 0xc0000081
  xor eax, eax
  mov edx, 0x00230010
  wrmsr
  mov ecx, 0xc0000082
  mov rax, kernel_entry
  xor edx, edx
  wrmsr
  mov ecx, 0xc0000084
  mov eax, 0x500
  wrmsr
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1
  wrmsr
  mov rcx, user
  mov r11, 0x602
  o64 sysret
user:
  mov ax, cs
  mov [${OUT}], ax
  mov ax, ss
  mov [${OUT + 2}], ax
  pushfq
  pop rax
  mov [${OUT + 4}], eax
  syscall
after_syscall:
  ud2
kernel_entry:
  mov [${OUT + 8}], rcx
  mov [${OUT + 16}], r11
  mov ax, cs
  mov [${OUT + 24}], ax
  mov ax, ss
  mov [${OUT + 26}], ax
  pushfq
  pop rax
  mov [${OUT + 28}], eax
  hlt`, 'long64');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    const m = k.m;
    assert.equal(peek(m, OUT, 2), 0x33, 'SYSRET CS = STAR[63:48] + 16 | 3');
    assert.equal(peek(m, OUT + 2, 2), 0x2b, 'SYSRET SS = STAR[63:48] + 8 | 3');
    assert.equal(peek(m, OUT + 4) & 0x702, 0x602, 'RFLAGS from R11');
    assert.equal(peek(m, OUT + 8), k.labels['after_syscall'], 'RCX = return RIP');
    assert.equal(peek(m, OUT + 16) & 0x702, 0x602, 'R11 = RFLAGS at SYSCALL');
    assert.equal(peek(m, OUT + 24, 2), 0x10, 'SYSCALL CS = STAR[47:32]');
    assert.equal(peek(m, OUT + 26, 2), 0x18, 'SYSCALL SS = STAR[47:32] + 8');
    assert.equal(peek(m, OUT + 28) & 0x700, 0x200, 'FMASK 0x500 cleared TF and DF, IF kept');
    assert.equal(m.cpl, 0);
  });

  it('SYSRET to a non-canonical RCX → #GP(0) at CPL 0 with nothing changed', () => {
    const k = runKernel(`bits 64
  mov ecx, 0xc0000080
  rdmsr
  or eax, 1
  wrmsr
  mov rcx, 0x0000800000000000
fault_here:
  o64 sysret`, 'long64');
    const f = fault(k);
    assert.equal(f.vector, GP, JSON.stringify(k.exit));
    assert.equal(f.errorCode, 0);
    assert.equal(f.pc, k.labels['fault_here']);
    assert.equal(k.m.cpl, 0);
    assert.equal(k.m.segSel[1], 0x08);
  });

  it('SYSCALL with EFER.SCE = 0 → #UD; SYSRET at CPL 3 → #GP(0)', () => {
    const k1 = runKernel('bits 64\nsyscall', 'long64', (m) => { m.efer &= ~1; });
    assert.equal(fault(k1).vector, UD, JSON.stringify(k1.exit));
    const k2 = runKernel('bits 64\no64 sysret', 'long64', (m) => { m.start('long64', 3); m.rip = 0x1000; m.regs[4] = 0x9000; });
    const f2 = fault(k2);
    assert.equal(f2.vector, GP, JSON.stringify(k2.exit));
    assert.equal(f2.errorCode, 0);
  });

  it('SWAPGS exchanges GS base with KERNEL_GS_BASE; FS/GS base MSRs', () => {
    const k = runKernel(`bits 64
  mov ecx, 0xc0000101
  mov eax, 0x1000
  xor edx, edx
  wrmsr
  mov ecx, 0xc0000102
  mov eax, 0x2000
  mov edx, 0x7fff
  wrmsr
  swapgs
  mov ecx, 0xc0000101
  rdmsr
  mov ecx, 0xc0000100
  mov ebx, eax
  mov esi, edx
  hlt`, 'long64');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.regs[3], 0x2000);
    assert.equal(k.m.regs[6], 0x7fff);
    assert.equal(k.m.kernelGsBase, 0x1000);
  });

  it('real → protected (PE, far JMP) → back to real mode (clear PE, far JMP): 16-bit code runs with base = sel * 16', () => {
    const k = runKernel(`bits 16
  cli
  lgdt [gdt_ptr]
  mov eax, cr0
  or eax, 1
  mov cr0, eax
  jmp 0x08:pm32
bits 32
pm32:
  mov ax, 0x10
  mov ds, ax
  mov dword [${OUT}], 0x11223344
  jmp 0x18:pm16
bits 16
pm16:
  mov eax, cr0
  and eax, ~1
  mov cr0, eax
  jmp 0x0000:rm16
rm16:
  mov ax, 0x0600
  mov ds, ax
  mov bx, [0]
  hlt
align 8
gdt:
  dq 0
  dq 0x00cf9a000000ffff
  dq 0x00cf92000000ffff
  dq 0x00009a000000ffff
gdt_end:
gdt_ptr:
  dw gdt_end - gdt - 1
  dd gdt`, 'real');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.modeName(), 'real');
    assert.equal(k.m.regs[3] & 0xffff, 0x3344, 'DS = 0600h reads linear 6000h');
  });

  it('a 1-GByte page (CPUID 80000001h EDX bit 26): linear 40000000h + x reads physical x', () => {
    const boot = BOOT.replace('mov dword [0x11000], 0x12003', 'mov dword [0x11000], 0x83\n  mov dword [0x11008], 0x83');
    const k = runKernel(`${boot}
  mov eax, 0x80000001
  cpuid
  mov rax, [0x40000000 + ${OUT + 0x100}]
  hlt`, 'real', (m) => { m.writeMemory(OUT + 0x100, new Uint8Array([0x78, 0x56, 0x34, 0x12])); });
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal((k.m.regs[2] >>> 26) & 1, 1, 'Page1GB claimed');
    assert.equal(k.m.regs[0] >>> 0, 0x12345678, 'read through the second 1-GByte page');
  });

  it('deactivation: from compatibility mode, clearing CR0.PG clears EFER.LMA (legacy protected mode, paging off)', () => {
    const k = runKernel(`${BOOT}
  jmp far dword [rel to_compat]
to_compat:
  dd compat
  dw 0x20
bits 32
compat:
  mov eax, cr0
  and eax, 0x7fffffff
  mov cr0, eax
  mov ecx, 0xc0000080
  rdmsr
  and eax, ~0x100
  wrmsr
  mov ebx, eax
  hlt`, 'real');
    assert.equal(k.exit.reason, 'halted', JSON.stringify(k.exit));
    assert.equal(k.m.efer & 0x500, 0);
    assert.equal(k.m.regs[3] & 0x500, 0, 'RDMSR saw LMA = 0 after CR0.PG was cleared');
    assert.equal(k.m.modeName(), 'protected32');
    assert.ok(!k.m.pagingEnabled());
  });
});
