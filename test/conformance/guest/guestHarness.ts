// Self-checking bare-metal guests for the DR conformance cases: one NASM skeleton per mode (real mode
// with its IVT, 32-bit protected and 64-bit long mode with their own GDT and IDT) around a per-case
// body. The guest's exception handlers log vector, DR6, DR7, the pushed RIP/RFLAGS, the error code and
// RCX/RSI/RDI/RAX into memory this harness reads back. Bytes come from Debian's nasm. Tests import this.
import { Machine } from '../../../src/emu/machine';
import { Reg } from '../../../src/isa/registers';
import { BufferConsole } from '../../../src/emu/console';
import { loadProgram } from '../../../src/emu/env/loadProgram';
import { loadBinary } from '../../../src/asm/loadBinary';
import type { Exit } from '../../../src/emu/exit';
import type { Environment } from '../../../src/emu/environment';
import { nasm } from '../harness';

/** Modes a guest skeleton exists for. */
export type GuestMode = 'real' | 'protected32' | 'long64';
export const GUEST_MODES: readonly GuestMode[] = ['real', 'protected32', 'long64'];

/** One handler invocation, as the guest recorded it. */
export interface GuestRecord {
  vector: number;
  /** DR6 read by the #DB handler on entry (before it resets DR6 to 0, unless KEEP_DR6); 0 for other vectors. */
  dr6: number;
  /** DR7 read by the #DB handler on entry; 0 for other vectors (their handlers touch no DRn: GD may be set). */
  dr7: number;
  /** RIP/EIP/IP pushed in the frame. */
  rip: number;
  /** RFLAGS/EFLAGS/FLAGS pushed in the frame (16 bits in real mode: no RF there). */
  rflags: number;
  errorCode: number;
  rcx: number;
  rsi: number;
  rdi: number;
  rax: number;
}

/** Bits of the guest's `db_action` dword: what the #DB handler does to the frame before IRET. */
export const DB_SET_RF = 1;
export const DB_CLEAR_TF = 2;
export const DB_KEEP_DR6 = 4;
export const DB_DISARM = 8;

const RECORD = 64;
const MAX_RECORDS = 32;
/** Code of the protected/long guests (the cases' default layout). */
export const GUEST_ORG = 0x401000;
/** Code of the real-mode guest (CS = 0). */
export const REAL_ORG = 0x1000;
const REAL_STACK = 0xfff0;
const STACK_TOP = 0x800000;
/** Long mode: PML4, PDPT, PD (2 MiB pages over the first GiB) and one 4 KiB page table. */
const PML4 = 0x20000;
const PDPT = 0x21000;
const PD = 0x22000;
/** The 4 KiB page table maps linear 0xA00000–0xBFFFFF (identity, P|RW) so cases can edit single pages. */
export const PT4K = 0x23000;
export const PT4K_BASE = 0xa00000;
const RAM = 16 * 1024 * 1024;
/** Vectors with an error code (SDM Vol. 3 Table 6-1). */
const ERROR_CODE_VECTORS = new Set([8, 10, 11, 12, 13, 14, 17]);
const VECTORS = 20;

const WIDTH: Record<GuestMode, { bits: number; ax: string; bx: string; cx: string; dx: string; si: string; di: string; sp: string; word: string }> = {
  real: { bits: 16, ax: 'eax', bx: 'ebx', cx: 'cx', dx: 'edx', si: 'si', di: 'di', sp: 'sp', word: 'word' },
  protected32: { bits: 32, ax: 'eax', bx: 'ebx', cx: 'ecx', dx: 'edx', si: 'esi', di: 'edi', sp: 'esp', word: 'dword' },
  long64: { bits: 64, ax: 'rax', bx: 'rbx', cx: 'rcx', dx: 'rdx', si: 'rsi', di: 'rdi', sp: 'rsp', word: 'qword' },
};

/**
 * NASM macros every body may use, so one body serves all modes: xax/xbx/xdx (registers that MOV DRn
 * accepts: EAX.. in real and 32-bit mode, RAX.. in 64-bit), xcx/xsi/xdi/xsp (the string-instruction
 * and stack registers of the mode), xfa (the accumulator as wide as PUSHF/POPF: AX/EAX/RAX), XWORD (the push/frame size) and MODE_BITS.
 */
function defines(mode: GuestMode): string {
  const w = WIDTH[mode];
  return [
    `%define MODE_BITS ${w.bits}`,
    `%define xax ${w.ax}`, `%define xbx ${w.bx}`, `%define xcx ${w.cx}`, `%define xdx ${w.dx}`,
    `%define xfa ${w.bits === 16 ? 'ax' : w.ax}`, `%define xsi ${w.si}`, `%define xdi ${w.di}`, `%define xsp ${w.sp}`, `%define XWORD ${w.word}`,
    `%define IMAGE_ORG 0x${(mode === 'real' ? REAL_ORG : GUEST_ORG).toString(16)}`,
    '%define ABS(l) ((l) - $$ + IMAGE_ORG)',
    `%define PT4K 0x${PT4K.toString(16)}`, `%define PT4K_BASE 0x${PT4K_BASE.toString(16)}`,
    '%define DB_SET_RF 1', '%define DB_CLEAR_TF 2', '%define DB_KEEP_DR6 4', '%define DB_DISARM 8',
  ].join('\n');
}

/** Data every skeleton carries; `vars` of the case go after it (labels var1.. aligned to 64). */
function commonData(extraData: string): string {
  return [
    'align 64',
    'log_count: dd 0',
    'db_action: dd 0',
    'fault_skip: dd 0',
    'align 8',
    'pf_fix: dq 0',
    'db_hook: dq 0',
    'align 64',
    `log: times ${RECORD * MAX_RECORDS} db 0`,
    'align 64',
    'var1: times 64 db 0',
    'var2: times 64 db 0',
    'buf_src: times 64 db 0',
    'buf_dst: times 64 db 0',
    extraData,
  ].join('\n');
}

function stubs(mode: GuestMode): string {
  const out: string[] = [];
  const push = mode === 'real' ? 'push word' : mode === 'protected32' ? 'push dword' : 'push qword';
  for (let v = 0; v < VECTORS; v++) {
    out.push(`stub_${v}:`);
    if (!ERROR_CODE_VECTORS.has(v)) out.push(`${push} 0`);
    out.push(`${push} ${v}`, 'jmp handler_common');
  }
  return out.join('\n');
}

/**
 * The common handler. Frame after the stub and the handler's own pushes (slot = XWORD):
 * [sp] saved bx, +1 saved ax, +2 vector, +3 error code, +4 RIP, +5 CS, +6 RFLAGS.
 * Real mode keeps 32-bit saved registers and 16-bit frame slots, so it gets its own offsets.
 */
function commonHandler(mode: GuestMode): string {
  if (mode === 'real') {
    // [bp] bp, +2 ebx, +6 eax, +10 vector, +12 error code, +14 IP, +16 CS, +18 FLAGS
    return `
handler_common:
  push eax
  push ebx
  push bp
  mov bp, sp
  movzx ebx, word [log_count]
  cmp ebx, ${MAX_RECORDS}
  jae full
  shl ebx, 6
  add ebx, log
  movzx eax, word [bp+10]
  mov [ebx], eax
  cmp eax, 1
  jne .nodr
  mov eax, dr6
  mov [ebx+4], eax
  mov eax, dr7
  mov [ebx+24], eax
.nodr:
  movzx eax, word [bp+14]
  mov [ebx+8], eax
  movzx eax, word [bp+18]
  mov [ebx+16], eax
  movzx eax, word [bp+12]
  mov [ebx+28], eax
  mov [ebx+32], ecx
  mov [ebx+40], esi
  mov [ebx+48], edi
  mov eax, [bp+6]
  mov [ebx+56], eax
  inc word [log_count]
  cmp word [bp+10], 1
  jne .notdb
  test byte [db_action], DB_CLEAR_TF
  jz .tf
  and word [bp+18], ~0x100
.tf:
  call db_actions
  jmp .done
.notdb:
  mov ax, [fault_skip]
  add [bp+14], ax
.done:
  pop bp
  pop ebx
  pop eax
  add sp, 4
  iret`;
  }
  const s = mode === 'long64' ? 8 : 4;
  const a = WIDTH[mode];
  const iret = mode === 'long64' ? 'iretq' : 'iretd';
  const at = (slot: number): string => `[${a.sp}+${slot * s}]`;
  const pfFix = mode === 'long64'
    ? `  mov rax, [pf_fix]
  test rax, rax
  jz .skip
  or qword [rax], 1
  mov rax, cr2
  invlpg [rax]
  jmp .done`
    : '  jmp .skip';
  return `
handler_common:
  push ${a.ax}
  push ${a.bx}
${mode === 'protected32' ? PROTECTED_DATA_RELOAD : ''}
  mov ebx, [log_count]
  cmp ebx, ${MAX_RECORDS}
  jae full
  shl ebx, 6
  add ${a.bx}, log
  mov ${a.ax}, ${at(2)}
  mov [${a.bx}], eax
  cmp eax, 1
  jne .nodr
  mov ${a.ax}, dr6
  mov [${a.bx}+4], eax
  mov ${a.ax}, dr7
  mov [${a.bx}+24], eax
.nodr:
  mov ${a.ax}, ${at(4)}
  mov [${a.bx}+8], ${a.ax}
  mov ${a.ax}, ${at(6)}
  mov [${a.bx}+16], ${a.ax}
  mov ${a.ax}, ${at(3)}
  mov [${a.bx}+28], eax
  mov [${a.bx}+32], ${a.cx}
  mov [${a.bx}+40], ${a.si}
  mov [${a.bx}+48], ${a.di}
  mov ${a.ax}, ${at(1)}
  mov [${a.bx}+56], ${a.ax}
  inc dword [log_count]
  cmp ${a.word} ${at(2)}, 1
  jne .notdb
  test byte [db_action], DB_SET_RF
  jz .rf
  or ${a.word} ${at(6)}, 0x10000
.rf:
  test byte [db_action], DB_CLEAR_TF
  jz .tf
  and ${a.word} ${at(6)}, ~0x100
.tf:
  call db_actions
  jmp .done
.notdb:
  cmp ${a.word} ${at(2)}, 14
  jne .skip
${pfFix}
.skip:
  mov eax, [fault_skip]
  add ${a.word} ${at(4)}, ${a.ax}
.done:
  pop ${a.bx}
  pop ${a.ax}
  add ${a.sp}, ${2 * s}
  ${iret}`;
}

/** Flat data selectors for the 32-bit handler: an exception from virtual-8086 mode arrives with DS/ES null (its IRET restores them). */
const PROTECTED_DATA_RELOAD = '  mov ax, 0x10\n  mov ds, ax\n  mov es, ax';

/** Shared #DB actions (DR6 reset, disarm, the case's hook), written once in the mode's width. */
function dbActions(mode: GuestMode): string {
  const a = WIDTH[mode];
  return `
db_actions:
  push ${a.ax}
  test byte [db_action], DB_KEEP_DR6
  jnz .keep
  xor eax, eax
  mov dr6, ${a.ax}
.keep:
  test byte [db_action], DB_DISARM
  jz .armed
  mov eax, 0x400
  mov dr7, ${a.ax}
.armed:
  mov ${a.ax}, [db_hook]
  test ${a.ax}, ${a.ax}
  jz .nohook
  call ${a.ax}
.nohook:
  pop ${a.ax}
  ret
full:
  hlt
  jmp full`;
}

/** Gate tables and set-up code per mode. */
function setup(mode: GuestMode): string {
  const org = mode === 'real' ? REAL_ORG : GUEST_ORG;
  if (mode === 'real') {
    const ivt: string[] = [];
    for (let v = 0; v < VECTORS; v++) ivt.push(`mov word [${v * 4}], stub_${v}`, `mov word [${v * 4 + 2}], 0`);
    return ['start:', 'xor ax, ax', 'mov ds, ax', 'mov es, ax', ...ivt].join('\n');
  }
  const off = (v: number): string => `(stub_${v} - $$ + 0x${org.toString(16)})`;
  const idt: string[] = ['align 16', 'idt:'];
  for (let v = 0; v < VECTORS; v++) {
    if (mode === 'long64') idt.push(`dw ${off(v)} & 0xffff, 0x08`, 'db 0, 0x8e', `dw (${off(v)} >> 16) & 0xffff`, 'dd 0, 0');
    else idt.push(`dw ${off(v)} & 0xffff, 0x08`, 'db 0, 0x8e', `dw (${off(v)} >> 16) & 0xffff`);
  }
  const gate = mode === 'long64' ? 16 : 8;
  const code = mode === 'long64' ? '0x00af9b000000ffff' : '0x00cf9b000000ffff';
  return [
    'align 8',
    'gdt: dq 0',
    `dq ${code}`, // 0x08 code (64-bit in long mode)
    'dq 0x00cf93000000ffff', // 0x10 data
    'dq 0x00cf9b000000ffff', // 0x18 32-bit code
    'gdt_extra:',
    '%ifdef GDT_EXTRA',
    'GDT_EXTRA',
    '%endif',
    'gdt_end:',
    'gdtr: dw gdt_end - gdt - 1',
    mode === 'long64' ? 'dq gdt' : 'dd gdt',
    ...idt,
    'idt_end:',
    'idtr: dw idt_end - idt - 1',
    mode === 'long64' ? 'dq idt' : 'dd idt',
    `%if (idt_end - idt) != ${VECTORS * gate}`,
    '%error IDT size',
    '%endif',
    'start:',
    'lgdt [gdtr]',
    'lidt [idtr]',
  ].join('\n');
}

/** What a case adds to the skeleton. */
export interface GuestCase {
  /** Code run after the set-up; falls into `hlt` at its end (label `done`). */
  body: string;
  /** Code placed after the handlers (subroutines, a second task, hook functions). */
  code?: string;
  /** Data placed after the common data (labels of the case). */
  data?: string;
  /** NASM text defining GDT_EXTRA entries (descriptors after 0x18), e.g. TSS descriptors. */
  gdtExtra?: string;
}

/** Full NASM source of a guest in `mode` (exported for debugging a failing case). */
export function guestSource(mode: GuestMode, c: GuestCase): string {
  const org = mode === 'real' ? REAL_ORG : GUEST_ORG;
  return [
    `bits ${WIDTH[mode].bits}`,
    `org 0x${org.toString(16)}`,
    defines(mode),
    c.gdtExtra ? `%macro GDT_EXTRA 0\n${c.gdtExtra}\n%endmacro\n%define GDT_EXTRA GDT_EXTRA` : '',
    'jmp start',
    stubs(mode),
    commonHandler(mode),
    dbActions(mode),
    c.code ?? '',
    setup(mode),
    c.body,
    'done:',
    'hlt',
    'jmp done',
    commonData(c.data ?? ''),
  ].join('\n');
}

/** A guest assembled and loaded into a Machine, ready to run. */
export interface Guest {
  m: Machine;
  mode: GuestMode;
  labels: Record<string, number>;
  /** Run until an exit other than 'budget' or until `budget` instructions ran. */
  run(budget?: number): Exit;
  /** The handler's records in order. */
  records(): GuestRecord[];
  /** Read a little-endian unsigned value of `size` bytes (≤ 6) at linear `address`. */
  peek(address: number, size: number): number;
}

/**
 * Assemble `c` for `mode` and load it: RAM 0–16 MiB, code at 0x401000 (protected/long; stack top
 * 0x800000) or 0x1000 (real mode, CS = DS = SS = 0, SP = FFF0h); long mode gets identity page tables
 * (2 MiB pages over 1 GiB, with 0xA00000–0xBFFFFF through the 4 KiB table PT4K) and CR3 set.
 */
export function loadGuest(mode: GuestMode, c: GuestCase, env?: Environment): Guest {
  const asm = nasm(guestSource(mode, c));
  const m = new Machine(env ? { env } : {});
  const mapped = m.map(0, RAM, 7);
  if (!mapped.ok) throw new Error(mapped.message);
  if (mode === 'real') {
    m.start('real');
    m.writeMemory(REAL_ORG, asm.bytes);
    m.setRip(REAL_ORG);
    m.regs[4] = REAL_STACK;
  } else {
    m.start(mode, 0);
    if (mode === 'long64') writeIdentityPaging(m);
    m.writeMemory(GUEST_ORG, asm.bytes);
    m.setRip(GUEST_ORG);
    m.regs[4] = STACK_TOP - 0x1000;
    m.regsHi[4] = 0;
  }
  return guestOn(m, mode, asm.labels);
}

/**
 * The same guest loaded by the `bare` environment's own loader (helper dev's loadProgram with
 * environment 'bare', org = the skeleton's ORG): its RAM, flat GDT / identity paging (2 MiB pages,
 * no 4 KiB table, EFER.NXE off), its devices (port E9h/COM1 output in `console`), HLT with IF = 0
 * ending as {reason: 'exited', code: 0}.
 */
export function loadGuestBare(mode: GuestMode, c: GuestCase): Guest & { console: BufferConsole } {
  const asm = nasm(guestSource(mode, c));
  const bits = WIDTH[mode].bits as 16 | 32 | 64;
  const org = mode === 'real' ? REAL_ORG : GUEST_ORG;
  const program = loadBinary(asm.bytes, 'guest.bin', { format: 'bin', bits, org });
  if (!program.ok) throw new Error(program.message);
  const console = new BufferConsole();
  const launched = loadProgram(program.program, { console, environment: 'bare', bits, org });
  if (!launched.ok) throw new Error(launched.message);
  return { ...guestOn(launched.machine, mode, asm.labels), console };
}

function guestOn(m: Machine, mode: GuestMode, labels: Record<string, number>): Guest {
  const peek = (address: number, size: number): number => {
    const b = m.readMemory(address, size);
    if (b === null) throw new Error(`guest memory 0x${address.toString(16)} not readable`);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = v * 256 + b[i];
    return v;
  };
  return {
    m,
    mode,
    labels,
    run(budget = 200000): Exit {
      return m.run(budget);
    },
    records(): GuestRecord[] {
      const n = Math.min(peek(labels.log_count, 4), MAX_RECORDS);
      const out: GuestRecord[] = [];
      for (let i = 0; i < n; i++) {
        const at = labels.log + i * RECORD;
        out.push({
          vector: peek(at, 4),
          dr6: peek(at + 4, 4),
          rip: peek(at + 8, 6),
          rflags: peek(at + 16, 4),
          dr7: peek(at + 24, 4),
          errorCode: peek(at + 28, 4),
          rcx: peek(at + 32, 6),
          rsi: peek(at + 40, 6),
          rdi: peek(at + 48, 6),
          rax: peek(at + 56, 6),
        });
      }
      return out;
    },
    peek,
  };
}

function writeIdentityPaging(m: Machine): void {
  const entry = (v: number): Uint8Array => {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return b;
  };
  m.writeMemory(PML4, entry(PDPT | 3));
  m.writeMemory(PDPT, entry(PD | 3));
  for (let i = 0; i < 512; i++) {
    const base = i * 0x200000;
    m.writeMemory(PD + i * 8, base === PT4K_BASE ? entry(PT4K | 3) : entry(base | 0x83));
  }
  for (let i = 0; i < 512; i++) m.writeMemory(PT4K + i * 8, entry((PT4K_BASE + i * 0x1000) | 3));
  m.setRegister(Reg.CR3, PML4);
  m.flushTlb(); // latch the translation mode: start('long64') alone leaves linear = physical
}

/** true when the machine delivers INT3 through the guest's IDT in `mode` (real mode: always). */
export function idtDeliveryWorks(mode: GuestMode): boolean {
  if (mode === 'real') return true;
  const g = loadGuest(mode, { body: 'int3' });
  const exit = g.run(10000);
  const rec = g.records();
  return exit.reason === 'halted' && rec.length === 1 && rec[0].vector === 3;
}
