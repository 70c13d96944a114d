// DR conformance cases as self-checking bare-metal guests: each case runs in real mode (IVT), 32-bit
// protected mode and 64-bit long mode (the guest's own IDT). The guest programs DR0–DR7 itself and
// its #DB handler records DR6, DR7, the pushed RIP/RFLAGS and RCX/RSI/RDI; the expectations are the
// cases of x86-debug-register-cases.md (SDM §17.2–17.3). Protected/long variants are pending while
// the machine cannot yet deliver an INT3 through a guest IDT (probe in guestHarness.ts).
import { strict as assert } from 'assert';
import {
  DB_CLEAR_TF,
  DB_DISARM,
  DB_KEEP_DR6,
  DB_SET_RF,
  GUEST_MODES,
  idtDeliveryWorks,
  loadGuest,
  type Guest,
  type GuestCase,
  type GuestMode,
  type GuestRecord,
} from './guestHarness';

const RF = 0x10000;
const TF = 0x100;
const B0 = 0xffff0ff1;
const B1 = 0xffff0ff2;
const BS = 0xffff4ff0;

const deliveryWorks = new Map<GuestMode, boolean>();

/** `it` per mode; protected/long variants skip (pending) until IDT delivery exists. */
export function eachMode(title: string, modes: readonly GuestMode[], fn: (mode: GuestMode) => void): void {
  describe(title, () => {
    for (const mode of modes) {
      it(`[${mode}]`, function () {
        if (!deliveryWorks.has(mode)) deliveryWorks.set(mode, idtDeliveryWorks(mode));
        if (!deliveryWorks.get(mode)) this.skip();
        fn(mode);
      });
    }
  });
}

/** NASM: DRn = address, then DR7 = dr7 (through xax, as MOV DRn needs a register). */
export function arm(slot: number, address: string, dr7: number): string {
  return `mov xax, ${address}\nmov dr${slot}, xax\nmov eax, 0x${dr7.toString(16)}\nmov dr7, xax`;
}

/** Run a case to its final HLT and return the guest and its records. */
function runCase(mode: GuestMode, c: GuestCase): { g: Guest; rec: GuestRecord[] } {
  const g = loadGuest(mode, c);
  const exit = g.run();
  assert.equal(exit.reason, 'halted', `guest did not reach its HLT: ${JSON.stringify(exit)}`);
  return { g, rec: g.records() };
}

/** The fields a case compares: vector, pushed RIP, DR6 and (outside real mode, where FLAGS has no RF) the pushed RF. */
function summary(mode: GuestMode, rec: GuestRecord[]): { vector: number; rip: number; dr6?: number; rf?: boolean }[] {
  return rec.map((r) => {
    const s: { vector: number; rip: number; dr6?: number; rf?: boolean } = { vector: r.vector, rip: r.rip };
    if (r.vector === 1) s.dr6 = r.dr6;
    if (mode !== 'real') s.rf = (r.rflags & RF) !== 0;
    return s;
  });
}

function db(mode: GuestMode, rip: number, dr6: number, rf = false): { vector: number; rip: number; dr6: number; rf?: boolean } {
  return mode === 'real' ? { vector: 1, rip, dr6 } : { vector: 1, rip, dr6, rf };
}

function other(mode: GuestMode, vector: number, rip: number, rf = false): { vector: number; rip: number; rf?: boolean } {
  return mode === 'real' ? { vector, rip } : { vector, rip, rf };
}

const SP_TO_XAX = '%if MODE_BITS == 16\nmovzx eax, sp\n%else\nmov xax, xsp\n%endif';
const SET_TF = 'pushf\npop xfa\nor xfa, 0x100\npush xfa\npopf';

describe('DR conformance through the guest\'s own IVT/IDT', () => {
  eachMode('case 19 + 24: exec breakpoint #DB-F (pushed RF = 0); RF set in the frame resumes once, the loop hits again', GUEST_MODES, (mode) => {
    // Real mode has a 16-bit FLAGS image (no RF): the handler disarms instead.
    const action = mode === 'real' ? DB_DISARM : DB_SET_RF;
    const { g, rec } = runCase(mode, {
      body: `${arm(0, 'T', 0x401)}\nmov dword [db_action], ${action}\nmov dword [var2], 2\nL:\nT: nop\ndec dword [var2]\njnz L`,
    });
    const hit = db(mode, g.labels.T, B0, false);
    assert.deepEqual(summary(mode, rec), mode === 'real' ? [hit] : [hit, hit]);
    assert.ok(rec.every((r) => r.dr7 === (mode === 'real' ? 0x401 : 0x401)));
    assert.equal(g.peek(g.labels.var2, 4), 0, 'the loop ran to its end');
    assert.equal(g.m.getRflags() & RF, 0, 'RF is cleared after the instruction it suppressed');
  });

  eachMode('case 14: general detect — #DB-F at the MOV, DR6 = BD, GD cleared in the handler, pushed RF = 0; IRET re-executes the MOV', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, {
      body: 'mov eax, 0x1234\nmov dr0, xax\nmov eax, 0x2400\nmov dr7, xax\nA: mov xbx, dr0\nmov [var1], ebx',
    });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.A, 0xffff2ff0)]);
    assert.equal(rec[0].dr7, 0x400, 'DR7.GD cleared on delivery');
    assert.equal(g.peek(g.labels.var1, 4), 0x1234, 'the MOV ran after IRET');
  });

  eachMode('case 26: exec breakpoint beats #UD; after IRET with RF = 1 the #UD has pushed RF = 1', GUEST_MODES, (mode) => {
    const action = mode === 'real' ? DB_DISARM : DB_SET_RF;
    const { g, rec } = runCase(mode, {
      body: `${arm(0, 'A', 0x401)}\nmov dword [db_action], ${action}\nmov dword [fault_skip], 2\nA: ud2\nB:`,
    });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.A, B0, false), other(mode, 6, g.labels.A, true)]);
  });

  eachMode('case 60: REP MOVSB hit mid-way — #DB with RCX/RSI/RDI of the 6th iteration, RIP = the REP, pushed RF = 1; IRET finishes it', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, {
      body: `cld\nmov xsi, buf_src\nmov xdi, buf_dst\nmov xcx, 16\n${arm(0, 'buf_dst+5', 0x10401)}\nA: rep movsb\nB:`,
    });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.A, B0, true)]);
    assert.deepEqual([rec[0].rcx & 0xffff, rec[0].rsi, rec[0].rdi], [10, g.labels.buf_src + 6, g.labels.buf_dst + 6]);
    assert.equal(g.m.regs[1] & 0xffff, 0);
    assert.equal(g.m.regs[6] & 0xffff, (g.labels.buf_src + 16) & 0xffff);
  });

  eachMode('case 61: REP MOVSB hit on the last iteration — RIP = next, RCX = 0, pushed RF = 0', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, {
      body: `cld\nmov xsi, buf_src\nmov xdi, buf_dst\nmov xcx, 6\n${arm(0, 'buf_dst+5', 0x10401)}\nA: rep movsb\nB:`,
    });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.B, B0, false)]);
    assert.equal(rec[0].rcx & 0xffff, 0);
  });

  eachMode('case 36: data write breakpoint — #DB-T after the write, memory updated', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `${arm(0, 'var1', 0x10401)}\nmov al, 0x5a\nA: mov [var1], al\nB:` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.B, B0)]);
    assert.equal(g.peek(g.labels.var1, 1), 0x5a);
  });

  eachMode('case 43/42: RW = 11 fires on a read, RW = 01 does not', GUEST_MODES, (mode) => {
    const rw = runCase(mode, { body: `${arm(0, 'var1', 0x30401)}\nA: mov al, [var1]\nB:` });
    assert.deepEqual(summary(mode, rw.rec), [db(mode, rw.g.labels.B, B0)]);
    const w = runCase(mode, { body: `${arm(0, 'var1', 0x10401)}\nA: mov al, [var1]\nB:` });
    assert.deepEqual(w.rec, []);
  });

  eachMode('case 56: PUSH hits a write slot on the stack slot it writes', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `${SP_TO_XAX}\nsub xax, MODE_BITS/8\nmov dr0, xax\nmov eax, 0x10401\nmov dr7, xax\nA: push xax\nB: pop xax` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.B, B0)]);
  });

  eachMode('interrupt frame: INT3\'s frame push hits a write slot — #DB at the #BP handler\'s first instruction, then the #BP', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `${SP_TO_XAX}\nsub xax, MODE_BITS/8\nmov dr0, xax\nmov eax, 0x10401\nmov dr7, xax\nA: int3\nB:` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.stub_3, B0), other(mode, 3, g.labels.B)]);
  });

  eachMode('case 65: single-step — 3 #DBs, none after the POPF that set TF; pushed TF 1, 1, 0', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `${SET_TF}\nand xfa, ~0x100\nL: push xfa\nL1: popf\nL2: nop` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.L, BS), db(mode, g.labels.L1, BS), db(mode, g.labels.L2, BS)]);
    assert.deepEqual(rec.map((r) => (r.rflags & TF) !== 0), [true, true, false]);
  });

  eachMode('case 66: TF + data breakpoint on one instruction — one #DB with BS|B0', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, {
      body: `${arm(0, 'var1', 0x10401)}\nmov dword [db_action], ${DB_CLEAR_TF}\n${SET_TF}\nA: mov [var1], al\nB: nop`,
    });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.B, 0xffff4ff1)]);
  });

  eachMode('case 70: sticky BS, B1 replaced by the code breakpoint\'s B2', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, {
      body: `mov eax, 0x4002\nmov dr6, xax\n${arm(2, 'L', 0x420)}\nmov dword [db_action], ${DB_KEEP_DR6 | DB_DISARM}\nL: nop`,
    });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.L, 0xffff4ff4)]);
  });

  eachMode('case 72: ICEBP — #DB-T after it, DR6 without status bits (earlier B0 cleared)', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: 'mov eax, 1\nmov dr6, xax\nA: int1\nB: nop' });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.B, 0xffff0ff0)]);
  });

  eachMode('case 79/81/83: OUT hits an I/O slot only with CR4.DE = 1; a memory slot never matches a port', GUEST_MODES, (mode) => {
    const de = 'mov xax, cr4\nor eax, 8\nmov cr4, xax';
    const io = runCase(mode, { body: `${de}\n${arm(0, '0x3f8', 0x20401)}\nmov dx, 0x3f8\nA: out dx, al\nB: nop` });
    assert.deepEqual(summary(mode, io.rec), [db(mode, io.g.labels.B, B0)]);
    const noDe = runCase(mode, { body: `${arm(0, '0x3f8', 0x20401)}\nmov dx, 0x3f8\nA: out dx, al\nB: nop` });
    assert.deepEqual(noDe.rec, []);
    const mem = runCase(mode, { body: `${de}\n${arm(0, '0x3f8', 0x10401)}\nmov dx, 0x3f8\nA: out dx, al\nB: nop` });
    assert.deepEqual(mem.rec, []);
  });

  eachMode('case 73: MOV SS delays single-step by one instruction — 3 #DBs', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `mov dx, ss\n${SET_TF}\nmov ss, dx\nand xfa, ~0x100\nL: push xfa\nL1: popf\nL2: nop` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.L, BS), db(mode, g.labels.L1, BS), db(mode, g.labels.L2, BS)]);
  });

  eachMode('case 75: MOV SS + watchpoint + ICEBP — one #DB after the ICEBP with B1', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `mov word [var1], ss\n${arm(1, 'var1', 0xf00404)}\nmov ss, [var1]\nA: db 0x2e, 0x2e, 0xf1\nB: nop` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.B, B1)]);
  });

  eachMode('case 77: MOV SS + watchpoint + INT3 — the held #DB arrives on the #BP handler\'s entry, then the #BP', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `mov word [var1], ss\n${arm(1, 'var1', 0xf00404)}\nmov ss, [var1]\nA: int3\nB: nop` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.stub_3, B1), other(mode, 3, g.labels.B)]);
  });
  eachMode('case 18: GD is not blocked by the MOV SS shadow and the held single-step is not merged — BD at the MOV DR6, then 4 × BS', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, {
      body: `mov eax, 0x2400\nmov dr7, xax\nmov dx, ss\n${SET_TF}\nS0: mov ss, dx\nS1: mov dr6, xax\nS2: and xfa, ~0x100\nS3: push xfa\nS4: popf\nS5: nop`,
    });
    assert.deepEqual(summary(mode, rec).map((r) => [r.rip, r.dr6]), [
      [g.labels.S1, 0xffff2ff0], [g.labels.S2, BS], [g.labels.S3, BS], [g.labels.S4, BS], [g.labels.S5, BS],
    ]);
    assert.equal(rec[0].dr7, 0x400);
  });

  eachMode('case 78: POP SS watched by an rw2 slot — one #DB-T after the next instruction (its frame re-hits the slot: nested #DB on entry)', ['real', 'protected32'], (mode) => {
    const { g, rec } = runCase(mode, {
      body: `push ss\n${SP_TO_XAX}\nmov dr0, xax\nmov eax, 0x70401\nmov dr7, xax\nmov dword [db_action], ${DB_KEEP_DR6 | DB_DISARM}\nA: pop ss\nB: nop\nC: nop`,
    });
    // The #DB at C pushes its frame where POP SS read: that write hits the rw slot too, so a second
    // #DB arrives on the handler's first instruction; its handler runs (and records) first.
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.stub_1, B0), db(mode, g.labels.C, B0)]);
  });

  eachMode('case 84: INSB — the memory write of INS hits a write slot (CR4.DE = 0)', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `cld\nmov xdi, var1\nmov dx, 0x60\n${arm(0, 'var1', 0x10401)}\nA: insb\nB: nop` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.B, B0)]);
    assert.equal(g.peek(g.labels.var1, 1), 0xff, 'the port read all-ones');
  });

  eachMode('case 29: code breakpoint on a jump target — the JMP completes, #DB-F at the target', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `${arm(0, 'T', 0x401)}\nmov dword [db_action], ${DB_DISARM}\nA: jmp T\ntimes 4 nop\nT: nop` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.T, B0)]);
  });

  eachMode('case 31: two exec slots on one address — one #DB-F with B0|B2', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `mov xax, L\nmov dr0, xax\nmov dr2, xax\nmov eax, 0x411\nmov dr7, xax\nmov dword [db_action], ${DB_DISARM}\nL: nop` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.L, 0xffff0ff5)]);
  });

  eachMode('case 58: POP reads its stack slot — an rw slot fires (the #DB frame written there nests a second #DB), a write slot does not', GUEST_MODES, (mode) => {
    const body = (dr7: number): string => `push xax\n${SP_TO_XAX}\nmov dr0, xax\nmov eax, 0x${dr7.toString(16)}\nmov dr7, xax\nmov dword [db_action], ${DB_KEEP_DR6 | DB_DISARM}\nA: pop xbx\nB: nop`;
    const rw = runCase(mode, { body: body(0x30401) });
    assert.deepEqual(summary(mode, rw.rec), [db(mode, rw.g.labels.stub_1, B0), db(mode, rw.g.labels.B, B0)]);
    assert.deepEqual(runCase(mode, { body: body(0x10401) }).rec, []);
  });

  eachMode('CALL pushes its return address into a watched slot — #DB-T at the call target', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `${SP_TO_XAX}\nsub xax, MODE_BITS/8\nmov dr0, xax\nmov eax, 0x10401\nmov dr7, xax\nA: call callee\nB: nop`, code: 'callee: ret' });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.callee, B0)]);
  });

  eachMode('case 53: the segment base is added before matching (FS base 0x1000 in real mode, 0x100000 in 32-bit mode)', ['real', 'protected32'], (mode) => {
    const real = mode === 'real';
    const load = real ? 'mov ax, 0x100\nmov fs, ax' : 'mov ax, 0x20\nmov fs, ax';
    const gdtExtra = 'dw 0xffff, 0\ndb 0x10, 0x93, 0xcf, 0'; // 0x20: data, base 0x00100000
    const linear = real ? '0x1010' : '0x101000';
    const offset = real ? '0x10' : '0x1000';
    const hit = runCase(mode, { body: `${load}\n${arm(0, linear, 0x10401)}\nA: mov [fs:${offset}], al\nB: nop`, gdtExtra });
    assert.deepEqual(summary(mode, hit.rec), [db(mode, hit.g.labels.B, B0)]);
    const miss = runCase(mode, { body: `${load}\n${arm(0, offset, 0x10401)}\nA: mov [fs:${offset}], al\nB: nop`, gdtExtra });
    assert.deepEqual(miss.rec, []);
  });

  eachMode('case 54: FS base from the FS_BASE MSR in 64-bit mode', ['long64'], (mode) => {
    const { g, rec } = runCase(mode, {
      body: `mov ecx, 0xc0000100\nmov eax, 0x700000\nxor edx, edx\nwrmsr\n${arm(0, '0x700010', 0xd0401)}\nA: mov [fs:0x10], eax\nB: nop`,
    });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.B, B0)]);
  });
  eachMode('case 20/21: exec slot enabled by G0 fires; with L0 = G0 = 0 nothing fires and DR6 stays', GUEST_MODES, (mode) => {
    const g0 = runCase(mode, { body: `${arm(0, 'T', 0x402)}\nmov dword [db_action], ${DB_DISARM}\nT: nop` });
    assert.deepEqual(summary(mode, g0.rec), [db(mode, g0.g.labels.T, B0)]);
    const off = runCase(mode, { body: `${arm(0, 'T', 0x400)}\nT: nop\nmov xbx, dr6` });
    assert.deepEqual(off.rec, []);
    assert.equal(off.g.m.regs[3] >>> 0, 0xffff0ff0);
  });

  eachMode('case 22/23: exec slot inside an instruction or on a byte after the prefix never fires; on the first prefix it does', GUEST_MODES, (mode) => {
    const inside = runCase(mode, { body: `${arm(0, 'T+2', 0x401)}\nT: mov eax, 0x12345678\nU: db 0x66, 0x90` });
    assert.deepEqual(inside.rec, []);
    const afterPrefix = runCase(mode, { body: `${arm(0, 'U+1', 0x401)}\nT: mov eax, 0x12345678\nU: db 0x66, 0x90` });
    assert.deepEqual(afterPrefix.rec, []);
    const prefix = runCase(mode, { body: `${arm(0, 'U', 0x401)}\nmov dword [db_action], ${DB_DISARM}\nT: mov eax, 0x12345678\nU: db 0x66, 0x90` });
    assert.deepEqual(summary(mode, prefix.rec), [db(mode, prefix.g.labels.U, B0)]);
  });

  eachMode('case 34: the MOV SS shadow hides a code breakpoint on the next instruction (Intel)', GUEST_MODES, (mode) => {
    const { rec } = runCase(mode, { body: `mov dx, ss\n${arm(0, 'T', 0x401)}\nmov ss, dx\nT: nop\nU: nop` });
    assert.deepEqual(rec, []);
  });

  eachMode('case 37/38/40: overlap from below fires, an adjacent access does not, an unaligned 4-byte slot is masked down', GUEST_MODES, (mode) => {
    const below = runCase(mode, { body: `${arm(0, 'var1+4', 0xd0401)}\nA: mov dword [var1+2], eax\nB: nop` });
    assert.deepEqual(summary(mode, below.rec), [db(mode, below.g.labels.B, B0)]);
    const adjacent = runCase(mode, { body: `${arm(0, 'var1+4', 0xd0401)}\nA: mov dword [var1], eax\nB: nop` });
    assert.deepEqual(adjacent.rec, []);
    const masked = runCase(mode, { body: `${arm(0, 'var1+3', 0xd0401)}\nA: mov byte [var1], al\nB: mov byte [var1+4], al\nC: nop` });
    assert.deepEqual(summary(mode, masked.rec), [db(mode, masked.g.labels.B, B0)]);
  });

  eachMode('case 44/45/49: RW = 11 ignores instruction fetches; a read-modify-write hits a write slot; only a disabled slot matching → no #DB', GUEST_MODES, (mode) => {
    const fetch = runCase(mode, { body: `${arm(0, 'T', 0x30401)}\nT: nop\nU: nop` });
    assert.deepEqual(fetch.rec, []);
    const rmw = runCase(mode, { body: `${arm(0, 'var1', 0x10401)}\nA: add byte [var1], 1\nB: nop` });
    assert.deepEqual(summary(mode, rmw.rec), [db(mode, rmw.g.labels.B, B0)]);
    const disabled = runCase(mode, { body: `${arm(0, 'var1', 0x30400)}\nA: mov al, [var1]\nB: mov xbx, dr6` });
    assert.deepEqual(disabled.rec, []);
    assert.equal(disabled.g.m.regs[3] >>> 0, 0xffff0ff0);
  });

  eachMode('case 10/16: DR4/DR5 with CR4.DE = 1 → #UD at the MOV, before general detect (GD stays set)', GUEST_MODES, (mode) => {
    const de = 'mov xax, cr4\nor eax, 8\nmov cr4, xax';
    const { g, rec } = runCase(mode, { body: `${de}\nmov dword [fault_skip], 3\nmov eax, 0x2400\nmov dr7, xax\nA: mov xbx, dr5\nB: nop` });
    // 64-bit MOV DR needs no REX here (RBX < 8), so the MOV is 3 bytes in every mode.
    assert.deepEqual(summary(mode, rec), [other(mode, 6, g.labels.A, true)]);
    assert.equal(g.m.debug.guestRegisters().dr7, 0x2400, 'GD still set: no #DB was delivered');
  });

  eachMode('TF set in the #DB frame: IRET resumes single-stepping, one BS per instruction until the guest clears TF', GUEST_MODES, (mode) => {
    // The handler returns with TF still set in the image: the next instruction after IRET traps again.
    const { g, rec } = runCase(mode, { body: `${SET_TF}\nL0: nop\nL1: nop\nL2: pushf\nL3: pop xfa\nL4: and xfa, ~0x100\nL5: push xfa\nL6: popf\nL7: nop` });
    assert.deepEqual(rec.map((r) => r.rip), ['L0', 'L1', 'L2', 'L3', 'L4', 'L5', 'L6', 'L7'].slice(1).map((l) => g.labels[l]));
    assert.ok(rec.every((r) => r.dr6 === BS));
  });
  eachMode('case 50: SDM Table 16-1 — each access of the matrix alone, in one guest (B bits per row, no #DB for the others)', ['protected32', 'long64'], (mode) => {
    // [kind, address, size, DR6 or null]; rw = a read-modify-write (ADD m, 0).
    const rows: ['r' | 'w' | 'rw', number, 1 | 2 | 4, number | null][] = [
      ['r', 0xa0001, 1, 0xffff0ff1], ['r', 0xa0001, 2, 0xffff0ff1], ['w', 0xa0001, 2, 0xffff0ff3],
      ['w', 0xa0002, 1, 0xffff0ff2], ['w', 0xa0002, 2, 0xffff0ff2], ['rw', 0xb0001, 4, 0xffff0ff4],
      ['rw', 0xb0002, 1, 0xffff0ff4], ['rw', 0xb0002, 2, 0xffff0ff4], ['w', 0xc0000, 4, 0xffff0ff8],
      ['w', 0xc0001, 2, 0xffff0ff8], ['w', 0xc0003, 1, 0xffff0ff8], ['rw', 0xa0000, 1, null],
      ['r', 0xa0002, 1, null], ['rw', 0xa0003, 4, null], ['rw', 0xb0000, 2, null],
      ['r', 0xc0000, 2, null], ['rw', 0xc0004, 4, null],
    ];
    const reg = { 1: 'al', 2: 'ax', 4: 'eax' } as const;
    const width = { 1: 'byte', 2: 'word', 4: 'dword' } as const;
    const insn = ([kind, address, size]: (typeof rows)[number]): string =>
      kind === 'r' ? `mov ${reg[size]}, [0x${address.toString(16)}]` : kind === 'w' ? `mov [0x${address.toString(16)}], ${reg[size]}` : `add ${width[size]} [0x${address.toString(16)}], 0`;
    const body = [
      'mov eax, 0xa0001\nmov dr0, xax\nmov eax, 0xa0002\nmov dr1, xax\nmov eax, 0xb0002\nmov dr2, xax\nmov eax, 0xc0000\nmov dr3, xax',
      'mov eax, 0xd7130455\nmov dr7, xax\nxor eax, eax',
      ...rows.map((row, n) => `${insn(row)}\nrow${n}:`),
    ].join('\n');
    const { g, rec } = runCase(mode, { body });
    const expected = rows.flatMap(([, , , dr6], n) => (dr6 === null ? [] : [[g.labels[`row${n}`], dr6]]));
    assert.deepEqual(rec.map((r) => [r.rip, r.dr6]), expected);
  });
  eachMode('REP OUTSB on an I/O slot — a #DB after every iteration: RIP on the REP with RF = 1 until the last', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, {
      body: `mov xax, cr4\nor eax, 8\nmov cr4, xax\n${arm(0, '0x3f8', 0x20401)}\ncld\nmov xsi, buf_src\nmov xcx, 4\nmov dx, 0x3f8\nA: rep outsb\nB: nop`,
    });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.A, B0, true), db(mode, g.labels.A, B0, true), db(mode, g.labels.A, B0, true), db(mode, g.labels.B, B0, false)]);
    assert.deepEqual(rec.map((r) => r.rcx & 0xffff), [3, 2, 1, 0]);
  });
  eachMode('MOV SS + watchpoint + INT 1 (CD 01, KUT): the #DB handler runs twice — the held data #DB on the handler\'s entry, then the software INT 1 (DR6 untouched)', GUEST_MODES, (mode) => {
    const { g, rec } = runCase(mode, { body: `mov word [var1], ss\n${arm(1, 'var1', 0xf00404)}\nmov ss, [var1]\nA: int 1\nB: nop` });
    assert.deepEqual(summary(mode, rec), [db(mode, g.labels.stub_1, B1), db(mode, g.labels.B, 0xffff0ff0)]);
  });
});
