// The self-checking DR guests run by the `bare` environment's own loader (x86dbg run --env bare):
// its GDT/paging/stack set-up, its devices and its HLT rule. Each guest also prints its #DB count
// through port E9h, so the console is checked beside the records in memory.
import { strict as assert } from 'assert';
import { DB_DISARM, DB_SET_RF, GUEST_MODES, idtDeliveryWorks, loadGuestBare, type GuestMode } from './guestHarness';

const deliveryWorks = new Map<GuestMode, boolean>();
const RF = 0x10000;
const PRINT_COUNT = 'mov al, [log_count]\nadd al, 0x30\nout 0xe9, al\nmov al, 10\nout 0xe9, al';

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

function stdout(bytes: number[]): string {
  return String.fromCharCode(...bytes);
}

describe('DR guests in the bare environment (loadProgram environment "bare")', () => {
  eachMode('exec breakpoint in a loop, RF set by the handler (disarm in real mode): #DBs counted on port E9h', (mode) => {
    const action = mode === 'real' ? DB_DISARM : DB_SET_RF;
    const g = loadGuestBare(mode, {
      body: `mov xax, T\nmov dr0, xax\nmov eax, 0x401\nmov dr7, xax\nmov dword [db_action], ${action}\nmov dword [var2], 3\nL:\nT: nop\ndec dword [var2]\njnz L\n${PRINT_COUNT}`,
    });
    assert.deepEqual(g.run(), { reason: 'exited', code: 0 });
    const n = mode === 'real' ? 1 : 3;
    assert.equal(stdout(g.console.stdout), `${n}\n`);
    const rec = g.records();
    assert.deepEqual(rec.map((r) => [r.vector, r.rip, r.dr6]), Array.from({ length: n }, () => [1, g.labels.T, 0xffff0ff1]));
    if (mode !== 'real') assert.ok(rec.every((r) => (r.rflags & RF) === 0));
  });

  eachMode('REP MOVSB stopped mid-way by a write slot, resumed by IRET', (mode) => {
    const g = loadGuestBare(mode, {
      body: `cld\nmov xsi, buf_src\nmov xdi, buf_dst\nmov xcx, 16\nmov xax, buf_dst+5\nmov dr0, xax\nmov eax, 0x10401\nmov dr7, xax\nA: rep movsb\n${PRINT_COUNT}`,
    });
    assert.deepEqual(g.run(), { reason: 'exited', code: 0 });
    assert.equal(stdout(g.console.stdout), '1\n');
    const rec = g.records();
    assert.deepEqual(rec.map((r) => [r.rip, r.rcx & 0xffff, r.rdi]), [[g.labels.A, 10, g.labels.buf_dst + 6]]);
    if (mode !== 'real') assert.equal(rec[0].rflags & RF, RF);
  });

  eachMode('general detect, then the guest and the debugger watching one variable', (mode) => {
    const g = loadGuestBare(mode, {
      body: `mov eax, 0x2400\nmov dr7, xax\nG: mov xbx, dr6\nmov xax, var1\nmov dr0, xax\nmov eax, 0x10401\nmov dr7, xax\nW: mov byte [var1], 7\nX: ${PRINT_COUNT}`,
    });
    g.m.setGuestDebug({ singleStep: false, hw: { dr7: 0x10402, addr: [g.labels.var1, 0, 0, 0] } });
    const first = g.run();
    assert.deepEqual(first.reason === 'debug' && [first.pc, first.dr6], [g.labels.X, 0xffff0ff1]);
    assert.equal(g.records().length, 1, 'only the GD #DB so far: the guest\'s data #DB waits behind the debugger exit');
    assert.deepEqual(g.run(), { reason: 'exited', code: 0 });
    assert.equal(stdout(g.console.stdout), '2\n');
    assert.deepEqual(g.records().map((r) => [r.rip, r.dr6]), [[g.labels.G, 0xffff2ff0], [g.labels.X, 0xffff0ff1]]);
  });
});
