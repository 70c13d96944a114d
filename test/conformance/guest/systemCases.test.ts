// DR conformance cases that need the guest's system architecture: 85 (TSS T bit through a real task
// switch), 28 (code breakpoint before the #PF of a not-present page) and data breakpoints on LINEAR
// addresses under paging, 12 (MOV DRn in virtual-8086 mode). Self-checking guests (guestHarness.ts);
// each test is pending while the machine lacks the piece it needs (IDT delivery, paging, VM86),
// found by a probe guest, and runs as soon as that lands.
import { strict as assert } from 'assert';
import { DB_SET_RF, PT4K, PT4K_BASE, idtDeliveryWorks, loadGuest, type Guest, type GuestCase, type GuestMode, type GuestRecord } from './guestHarness';

const RF = 0x10000;
const VM = 0x20000;
const probes = new Map<string, boolean>();

function probe(name: string, check: () => boolean): boolean {
  if (!probes.has(name)) probes.set(name, check());
  return probes.get(name) === true;
}

function runCase(mode: GuestMode, c: GuestCase): { g: Guest; rec: GuestRecord[] } {
  const g = loadGuest(mode, c);
  const exit = g.run();
  assert.equal(exit.reason, 'halted', `guest did not reach its HLT: ${JSON.stringify(exit)}`);
  return { g, rec: g.records() };
}

/** Paging is on in the long-mode guest: a load from a page whose PTE has P = 0 raises #PF. */
function pagingWorks(): boolean {
  if (!idtDeliveryWorks('long64')) return false;
  const g = loadGuest('long64', {
    body: `and qword [PT4K + 8], ~1\ninvlpg [PT4K_BASE + 0x1000]\nmov qword [pf_fix], PT4K + 8\nmov al, [PT4K_BASE + 0x1000]`,
  });
  const exit = g.run(20000);
  const rec = g.records();
  return exit.reason === 'halted' && rec.length === 1 && rec[0].vector === 14;
}

/** A hardware task switch by far JMP to a TSS descriptor works in the 32-bit guest (T = 0 here). */
const TSS_GDT = 'dw 0x67, ABS(tss_a) & 0xffff\ndb (ABS(tss_a) >> 16) & 0xff, 0x89, 0, ABS(tss_a) >> 24\n' +
  'dw 0x67, ABS(tss_b) & 0xffff\ndb (ABS(tss_b) >> 16) & 0xff, 0x89, 0, ABS(tss_b) >> 24';
const TSS_DATA = 'align 16\ntss_a: times 104 db 0\ntss_b: times 104 db 0';

function taskSwitchBody(tBit: number): string {
  return [
    'mov ax, 0x20',
    'ltr ax',
    'mov dword [tss_b+0x20], task_b',
    'mov dword [tss_b+0x24], 2',
    'mov dword [tss_b+0x38], 0x7f0000',
    ...[0x48, 0x50, 0x54, 0x58, 0x5c].map((o) => `mov dword [tss_b+0x${o.toString(16)}], 0x10`),
    'mov dword [tss_b+0x4c], 0x08',
    `mov word [tss_b+0x64], ${tBit}`,
    'mov word [tss_b+0x66], 0x68',
    'mov eax, 0x403',
    'mov dr7, eax',
    'A: jmp 0x28:0',
  ].join('\n');
}

function taskSwitchWorks(): boolean {
  if (!idtDeliveryWorks('protected32')) return false;
  const g = loadGuest('protected32', { body: taskSwitchBody(0), code: 'task_b: nop\njmp done', gdtExtra: TSS_GDT, data: TSS_DATA });
  const exit = g.run(20000);
  return exit.reason === 'halted' && g.records().length === 0 && g.m.getSegment(1).selector === 0x08 && g.peek(g.labels.tss_a + 0x20, 4) === g.labels.done;
}

/** IRET to virtual-8086 mode works and a privileged instruction there (HLT) raises #GP with EFLAGS.VM pushed. */
const V86_CODE = 0x7000;
function vm86Body(code: number[]): string {
  return [
    `mov edi, ${V86_CODE}`,
    ...code.map((b, i) => `mov byte [edi+${i}], 0x${b.toString(16)}`),
    'mov dword [tss_a+4], 0x7f8000',
    'mov dword [tss_a+8], 0x10',
    'mov ax, 0x20',
    'ltr ax',
    'mov dword [fault_skip], 3',
    'push dword 0', 'push dword 0', 'push dword 0', 'push dword 0', // GS FS DS ES
    'push dword 0', 'push dword 0x8000', // SS:ESP
    `push dword 0x${(VM | 2).toString(16)}`, 'push dword 0', `push dword ${V86_CODE}`, // EFLAGS CS EIP
    'iretd',
  ].join('\n');
}
const V86_FILL = Array.from({ length: 40 }, () => [0xf4, 0x90, 0x90]).flat();

function vm86Works(): boolean {
  if (!idtDeliveryWorks('protected32')) return false;
  const g = loadGuest('protected32', { body: vm86Body(V86_FILL), gdtExtra: TSS_GDT, data: TSS_DATA });
  const exit = g.run(20000);
  const rec = g.records();
  return exit.reason === 'halted' && rec.length > 0 && rec[0].vector === 13 && rec[0].rip === V86_CODE && (rec[0].rflags & VM) !== 0;
}

describe('DR conformance through the guest: task switch, paging, virtual-8086 mode', () => {
  it('case 85: JMP to a TSS with T = 1 → #DB-T before the new task\'s first instruction, DR6 = BT, DR7 L0 cleared (0x402)', function () {
    if (!probe('task switch', taskSwitchWorks)) this.skip();
    const { g, rec } = runCase('protected32', { body: taskSwitchBody(1), code: 'task_b: nop\njmp done', gdtExtra: TSS_GDT, data: TSS_DATA });
    assert.deepEqual(rec.map((r) => [r.vector, r.rip, r.dr6, r.dr7]), [[1, g.labels.task_b, 0xffff8ff0, 0x402]]);
    assert.equal((rec[0].rflags & RF) !== 0, false, 'trap-class: pushed RF as is (0)');
    assert.equal(g.m.debug.guestRegisters().dr7, 0x402);
  });

  it('case 28: code breakpoint on the first byte of a not-present page → #DB-F first, then (RF = 1) the fetch #PF', function () {
    if (!probe('paging', pagingWorks)) this.skip();
    const page = PT4K_BASE + 0x1000;
    const { g, rec } = runCase('long64', {
      body: [
        `mov rdi, 0x${page.toString(16)}`,
        'mov word [rdi], 0xc390', // nop ; ret
        `and qword [0x${(PT4K + 8).toString(16)}], ~1`,
        'invlpg [rdi]',
        `mov qword [pf_fix], 0x${(PT4K + 8).toString(16)}`,
        `mov dword [db_action], ${DB_SET_RF}`,
        'mov dr0, rdi',
        'mov eax, 0x401',
        'mov dr7, rax',
        'A: call rdi',
        'B: nop',
      ].join('\n'),
    });
    assert.deepEqual(rec.map((r) => [r.vector, r.rip, r.vector === 1 ? r.dr6 : r.errorCode, (r.rflags & RF) !== 0]), [
      [1, page, 0xffff0ff1, false],
      [14, page, 0x10, true], // not present, supervisor, read, instruction fetch (EFER.NXE = 1)
    ]);
    assert.equal(g.m.cr2, page);
  });

  it('paging: a data breakpoint matches the LINEAR address, not another alias of the same physical byte', function () {
    if (!probe('paging', pagingWorks)) this.skip();
    const alias = PT4K_BASE + 0x2000;
    const { g, rec } = runCase('long64', {
      body: [
        `mov qword [0x${(PT4K + 16).toString(16)}], 0x600003`, // linear alias → physical 0x600000
        `invlpg [0x${alias.toString(16)}]`,
        `mov rax, 0x${alias.toString(16)}`,
        'mov dr0, rax',
        'mov eax, 0x10401',
        'mov dr7, rax',
        `A: mov byte [0x${alias.toString(16)}], 1`,
        'B: mov byte [0x600000], 2',
        `C: mov byte [0x${(alias + 1).toString(16)}], 3`,
        'D: nop',
      ].join('\n'),
    });
    assert.deepEqual(rec.map((r) => [r.vector, r.rip, r.dr6]), [[1, g.labels.B, 0xffff0ff1]]);
    assert.deepEqual([g.peek(0x600000, 1), g.peek(0x600001, 1)], [2, 3]);
  });

  it('case 12: MOV from DR6 in virtual-8086 mode (CPL 3) → #GP(0) with EFLAGS.VM in the frame', function () {
    if (!probe('vm86', vm86Works)) this.skip();
    // 0F 21 F0 = mov eax, dr6; then HLTs padded to the handler's 3-byte skip.
    const { rec } = runCase('protected32', { body: vm86Body([0x0f, 0x21, 0xf0, ...V86_FILL]), gdtExtra: TSS_GDT, data: TSS_DATA });
    assert.deepEqual(rec.slice(0, 2).map((r) => [r.vector, r.rip, r.errorCode, (r.rflags & VM) !== 0]), [
      [13, V86_CODE, 0, true],
      [13, V86_CODE + 3, 0, true],
    ]);
  });
});
