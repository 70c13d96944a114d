// Issue 8 "guest and debugger together": a self-checking guest watches its own variable with DR0 while
// the debugger layer (setGuestDebug, KVM_SET_GUEST_DEBUG style) watches the same variable and another
// one. The debugger layer is checked first (a 'debug' exit, guest DR6 untouched), then the guest's #DB
// goes through the guest's own IVT/IDT. Also the debugger's own DR7.GD (KVM handle_dr under USE_HW_BP).
import { strict as assert } from 'assert';
import { GUEST_MODES, idtDeliveryWorks, loadGuest, type Guest, type GuestMode } from './guest/guestHarness';
import type { Exit } from '../../src/emu/exit';

const DR6_BASE = 0xffff0ff0;
const DR6_B0 = 0xffff0ff1;
const DR6_B1 = 0xffff0ff2;
const deliveryWorks = new Map<GuestMode, boolean>();

function eachMode(title: string, fn: (mode: GuestMode) => void): void {
  describe(title, () => {
    for (const mode of GUEST_MODES) {
      it(`[${mode}]`, function () {
        if (!deliveryWorks.has(mode)) deliveryWorks.set(mode, idtDeliveryWorks(mode));
        if (!deliveryWorks.get(mode)) this.skip();
        fn(mode);
      });
    }
  });
}

/** One observation per run() call: the exit, the guest's DR6 and how many #DBs the guest handled so far. */
interface Step {
  reason: Exit['reason'];
  pc?: number;
  dr6?: number;
  guestDr6: number;
  guestRecords: number;
}

function runAll(g: Guest): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < 20; i++) {
    const exit = g.run();
    const step: Step = { reason: exit.reason, guestDr6: g.m.debug.guestRegisters().dr6, guestRecords: g.records().length };
    if (exit.reason === 'debug') { step.pc = exit.pc; step.dr6 = exit.dr6; }
    steps.push(step);
    if (exit.reason !== 'debug') break;
  }
  return steps;
}

describe('guest and debugger together (issue 8)', () => {
  eachMode('both watch var1, the debugger also var2: debugger exit first with the guest DR6 untouched, then the guest #DB', (mode) => {
    const g = loadGuest(mode, {
      // The guest's DR0 watches var1 (write, 4 bytes); the handler keeps DR6 so the test sees what the CPU wrote.
      body: 'mov xax, var1\nmov dr0, xax\nmov eax, 0xd0401\nmov dr7, xax\nmov dword [db_action], 4\n' +
        'A: mov dword [var1], 1\nB: mov dword [var2], 2\nC: mov dword [var1], 3\nD: nop',
    });
    // Debugger: slot 0 on var1 (write 4), slot 1 on var2 (write 4): G0|G1, R/W0 = 01 LEN0 = 11, R/W1 = 01 LEN1 = 11.
    g.m.setGuestDebug({ singleStep: false, hw: { dr7: 0xdd000a | 0x400, addr: [g.labels.var1, g.labels.var2, 0, 0] } });
    const steps = runAll(g);
    // The guest's pushed RIP for its hits.
    const rec = g.records();
    assert.deepEqual(rec.map((r) => [r.vector, r.rip, r.dr6]), [
      [1, g.labels.B, DR6_B0],
      [1, g.labels.D, DR6_B0],
    ]);
    assert.deepEqual(steps, [
      // A's write: the debugger's slot 0 first; the guest has not seen anything yet.
      { reason: 'debug', pc: g.labels.B, dr6: DR6_B0, guestDr6: DR6_BASE, guestRecords: 0 },
      // Resumed: the guest's #DB for A ran (1 record), then B's write hits only the debugger's slot 1.
      { reason: 'debug', pc: g.labels.C, dr6: DR6_B1, guestDr6: DR6_B0, guestRecords: 1 },
      // C's write: the debugger's slot 0 again, before the guest's second #DB.
      { reason: 'debug', pc: g.labels.D, dr6: DR6_B0, guestDr6: DR6_B0, guestRecords: 1 },
      { reason: 'halted', guestDr6: DR6_B0, guestRecords: 2 },
    ]);
  });

  eachMode('a debugger exec slot on the guest\'s #DB handler entry stops there after the guest\'s data hit', (mode) => {
    const g = loadGuest(mode, { body: 'mov xax, var1\nmov dr0, xax\nmov eax, 0x10401\nmov dr7, xax\nA: mov byte [var1], 1\nB: nop' });
    g.m.setGuestDebug({ singleStep: false, hw: { dr7: 0x402, addr: [g.labels.stub_1, 0, 0, 0] } });
    const first = g.run();
    assert.equal(first.reason, 'debug');
    if (first.reason !== 'debug') return;
    assert.equal(first.pc, g.labels.stub_1);
    assert.equal(first.dr6, DR6_B0);
    assert.equal(g.m.debug.guestRegisters().dr6, DR6_B0, 'the guest\'s #DB was delivered (its DR6 written) before the handler\'s first instruction');
    assert.equal(g.run().reason, 'halted');
    assert.deepEqual(g.records().map((r) => [r.vector, r.rip]), [[1, g.labels.B]]);
  });

  eachMode('the debugger\'s DR7.GD stops before a guest MOV DRn (dr6 = BD, pc = the MOV); resuming runs it; the guest\'s DR7 stays the guest\'s', (mode) => {
    const g = loadGuest(mode, { body: 'mov eax, 0x401\nA: mov dr7, xax\nB: mov xbx, dr7\nC: nop' });
    g.m.setGuestDebug({ singleStep: false, hw: { dr7: 0x2400, addr: [0, 0, 0, 0] } });
    const a = g.run();
    assert.deepEqual(a.reason === 'debug' && [a.pc, a.dr6, a.dr7], [g.labels.A, 0xffff2ff0, 0x2400]);
    assert.equal(g.m.debug.guestRegisters().dr7, 0x400, 'the MOV has not run');
    const b = g.run();
    assert.deepEqual(b.reason === 'debug' && [b.pc, b.dr6], [g.labels.B, 0xffff2ff0]);
    assert.equal(g.m.debug.guestRegisters().dr7, 0x401, 'resumed: the MOV ran once');
    assert.equal(g.run().reason, 'halted');
    assert.equal(g.m.regs[3] & 0xffff, 0x401);
    assert.deepEqual(g.records(), [], 'no #DB for the guest: GD was the debugger\'s');
    assert.equal(g.m.debug.guestRegisters().dr6, DR6_BASE);
  });

  eachMode('debugger GD and guest GD: the debugger exit first, then on resume the guest\'s own general-detect #DB', (mode) => {
    const g = loadGuest(mode, { body: 'mov eax, 0x2400\nmov dr7, xax\nA: mov xbx, dr6\nB: nop' });
    g.m.setGuestDebug({ singleStep: false, hw: { dr7: 0x2400, addr: [0, 0, 0, 0] } });
    // The guest's own MOV to DR7 (setting its GD) is itself stopped first.
    const first = g.run();
    assert.equal(first.reason === 'debug' && first.dr6, 0xffff2ff0);
    const second = g.run();
    assert.deepEqual(second.reason === 'debug' && [second.pc, second.dr6], [g.labels.A, 0xffff2ff0]);
    // Resumed: the guest's GD fires (#DB to the guest at A); the handler's own MOV DRn run with GD
    // cleared by the delivery, but the debugger's GD still stops each of them.
    const stops: number[] = [];
    let exit = g.run();
    while (exit.reason === 'debug') { stops.push(exit.pc); exit = g.run(); }
    assert.equal(exit.reason, 'halted');
    assert.ok(stops.length >= 2, 'the handler\'s MOV DR6/DR7 stopped too');
    assert.deepEqual(g.records().map((r) => [r.vector, r.rip, r.dr6, r.dr7]), [[1, g.labels.A, 0xffff2ff0, 0x400]]);
  });

  it('the debugger\'s GD ignores MOV DRn that fault first (#GP at CPL 3 is the guest\'s)', () => {
    const g = loadGuest('long64', { body: 'nop' });
    g.m.start('long64', 3);
    g.m.writeMemory(0x402000, new Uint8Array([0x0f, 0x21, 0xf8, 0xf4])); // mov rax, dr7 ; hlt
    g.m.setRip(0x402000);
    g.m.setGuestDebug({ singleStep: false, hw: { dr7: 0x2400, addr: [0, 0, 0, 0] } });
    const exit = g.run();
    assert.notEqual(exit.reason, 'debug');
    assert.equal(g.m.debug.guestRegisters().dr6, DR6_BASE);
  });
  eachMode('case 96: the guest\'s own TF under debugger hardware slots goes straight to the guest (no exit); the debugger\'s slots stay armed', (mode) => {
    const g = loadGuest(mode, { body: 'pushf\npop xfa\nor xfa, 0x100\npush xfa\npopf\nA: nop\nB: nop\nC: pushf\nD: pop xfa\nand xfa, ~0x100\npush xfa\npopf\nE: nop' });
    g.m.setGuestDebug({ singleStep: false, hw: { dr7: 0x402, addr: [g.labels.E, 0, 0, 0] } });
    const exit = g.run();
    assert.deepEqual(exit.reason === 'debug' && [exit.pc, exit.dr6], [g.labels.E, DR6_B0], 'only the debugger\'s own exec slot exits');
    assert.deepEqual(g.records().slice(0, 3).map((r) => [r.rip, r.dr6]), [[g.labels.B, 0xffff4ff0], [g.labels.C, 0xffff4ff0], [g.labels.D, 0xffff4ff0]]);
    // Resumed at E: the guest's pending BS (TF was set when the POPF before E started) is delivered
    // first; when its handler returns to E, E is reached anew and the debugger's slot stops it again.
    const again = g.run();
    assert.deepEqual(again.reason === 'debug' && [again.pc, again.dr6], [g.labels.E, DR6_B0]);
    assert.equal(g.records().at(-1)?.rip, g.labels.E);
    assert.equal(g.run().reason, 'halted');
  });

  eachMode('case 94: the debugger\'s single-step exits after every instruction (dr6 = BS, pc = next) and leaves the guest DR6 alone', (mode) => {
    const g = loadGuest(mode, { body: 'A: nop\nB: nop\nC: nop' });
    g.m.setRip(g.labels.A);
    g.m.setGuestDebug({ singleStep: true, hw: null });
    const pcs: number[] = [];
    for (let i = 0; i < 2; i++) {
      const exit = g.run();
      assert.equal(exit.reason === 'debug' && exit.dr6, 0xffff4ff0);
      if (exit.reason === 'debug') pcs.push(exit.pc);
    }
    assert.deepEqual(pcs, [g.labels.B, g.labels.C]);
    assert.equal(g.m.debug.guestRegisters().dr6, DR6_BASE);
    g.m.setGuestDebug(null);
    assert.equal(g.run().reason, 'halted');
  });
});
