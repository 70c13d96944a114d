// The DebugUnit's protocol with the CPU, driven directly through a fake CPU port: the parts the
// machine cannot reach yet (task switch BT and L-bit clearing, case 85 arithmetic), the MOV DR check
// order (§6 REC), sticky bits, detaching the debugger layer, and the hook contract itself.
import { strict as assert } from 'assert';
import { DebugUnit, type DebugCpuPort } from '../../../../src/emu/debug/debugUnit';
import { CR4_DE, EFLAGS_RF, EFLAGS_TF } from '../../../../src/emu/debug/registers';

class FakeCpu implements DebugCpuPort {
  rf = false;
  cr4 = 0;
  cpl = 0;
  pc = 0x401000;
  memory = new Uint8Array(16);
  setResumeFlag(on: boolean): void {
    this.rf = on;
  }
  getCr4(): number {
    return this.cr4;
  }
  getCpl(): number {
    return this.cpl;
  }
  instructionAddress(): number {
    return this.pc;
  }
  peekLinear(_address: number, out: Uint8Array): boolean {
    out.set(this.memory.subarray(0, out.length));
    return true;
  }
}

function unit(): { cpu: FakeCpu; d: DebugUnit } {
  const cpu = new FakeCpu();
  return { cpu, d: new DebugUnit(cpu) };
}

describe('DebugUnit protocol', () => {
  it('case 85 (register side): a task switch clears L0-L3/LE and a T bit raises BT before the first instruction', () => {
    const { d } = unit();
    assert.deepEqual(d.movToDr(7, 0x00000503, 0), { kind: 'ok', lo: 0, hi: 0 });
    d.taskSwitched(true);
    assert.equal(d.guestRegisters().dr7, 0x402);
    assert.equal(d.beginInstruction(0x500000, 0x2), 'guest-db');
    assert.equal(d.guestRegisters().dr6, 0xffff8ff0);
  });

  it('BT stays set (sticky) through a later #DB with other causes (REC, not Bochs)', () => {
    const { d } = unit();
    d.setGuestRegister(6, 0xffff8ff0);
    d.setGuestRegister(0, 0x401000);
    d.setGuestRegister(7, 0x401);
    assert.equal(d.beginInstruction(0x401000, 0x2), 'guest-db');
    assert.equal(d.guestRegisters().dr6, 0xffff8ff1);
  });

  it('MOV DR check order: #UD (DR8-15, DR4/5 with DE) before #GP (CPL) before GD before reserved bits', () => {
    const { cpu, d } = unit();
    d.setGuestRegister(7, 0x2400);
    assert.deepEqual(d.movFromDr(8), { kind: 'exception', vector: 6 });
    cpu.cr4 = CR4_DE;
    assert.deepEqual(d.movFromDr(4), { kind: 'exception', vector: 6 });
    cpu.cr4 = 0;
    cpu.cpl = 3;
    assert.deepEqual(d.movFromDr(0), { kind: 'exception', vector: 13, errorCode: 0 }, 'CPL 3 with GD: #GP (KVM order), not #DB');
    assert.equal(d.guestRegisters().dr7, 0x2400, 'GD untouched by the #GP');
    cpu.cpl = 0;
    assert.deepEqual(d.movToDr(7, 0, 1), { kind: 'exception', vector: 1 }, 'GD before the reserved-bit #GP');
    assert.equal(d.guestRegisters().dr6, 0xffff2ff0);
    assert.equal(d.guestRegisters().dr7, 0x400);
    assert.deepEqual(d.movToDr(7, 0, 1), { kind: 'exception', vector: 13, errorCode: 0 });
  });

  it('DR0-DR3 keep all 64 bits; DR6/DR7 reads carry the fixed bits', () => {
    const { d } = unit();
    d.movToDr(1, 0x89abcdef, 0xffff8000);
    assert.deepEqual(d.movFromDr(1), { kind: 'ok', lo: 0x89abcdef, hi: 0xffff8000 });
    d.movToDr(6, 0, 0);
    assert.deepEqual(d.movFromDr(6), { kind: 'ok', lo: 0xffff0ff0, hi: 0 });
  });

  it('ICEBP alone delivers #DB with B0–B3 cleared and BS kept (every Intel #DB rewrites B0–B3, §3.2; Xen x86_merge_dr6)', () => {
    const { d } = unit();
    d.setGuestRegister(6, 0xffff4ff2);
    d.icebp();
    assert.equal(d.beginInstruction(0x401001, 0x2), 'guest-db');
    assert.equal(d.guestRegisters().dr6, 0xffff4ff0);
  });

  it('I/O slots need CR4.DE at the time of the access', () => {
    const { cpu, d } = unit();
    d.setGuestDebug({ singleStep: false, hw: { dr7: 0x00020401, addr: [0x60, 0, 0, 0] } });
    assert.equal(d.ioArmed, true);
    d.ioAccess(0x60, 1, false);
    assert.equal(d.afterArmed, false, 'ignored without DE');
    cpu.cr4 = CR4_DE;
    d.ioAccess(0x60, 1, false);
    assert.equal(d.afterArmed, true);
    d.endInstruction();
    assert.equal(d.beginInstruction(0x401002, 0x2), 'exit');
    const exit = d.takeExit();
    assert.ok(exit.reason === 'debug');
    assert.equal(exit.dr6, 0xffff0ff1);
    assert.deepEqual(exit.access?.map((a) => [a.address, a.size, a.kind]), [[0x60, 1, 'io-read']]);
  });

  it('detaching the debugger (setGuestDebug(null)) drops its pending trap and disarms', () => {
    const { d } = unit();
    d.setGuestDebug({ singleStep: false, hw: { dr7: 0x00010401, addr: [0x601000, 0, 0, 0] } });
    d.dataAccess(0x601000, 1, true);
    d.endInstruction();
    d.setGuestDebug(null);
    assert.equal(d.hostTrapPending, false);
    assert.equal(d.armed, false);
    assert.equal(d.dataArmed, false);
  });

  it('RF: cleared after a boundary check, suppresses guest exec slots only', () => {
    const { cpu, d } = unit();
    d.setGuestRegister(0, 0x401000);
    d.setGuestRegister(7, 0x401);
    cpu.rf = true;
    assert.equal(d.beginInstruction(0x401000, 0x2 | EFLAGS_RF), 'execute');
    assert.equal(cpu.rf, false);
    d.setGuestDebug({ singleStep: false, hw: { dr7: 0x401, addr: [0x401000, 0, 0, 0] } });
    assert.equal(d.beginInstruction(0x401000, 0x2 | EFLAGS_RF), 'exit', 'the debugger layer ignores the guest RF');
  });

  it('the debugger layer ignores the MOV SS shadow while the guest layer holds its single-step', () => {
    const { d } = unit();
    d.setGuestDebug({ singleStep: true, hw: null });
    assert.equal(d.beginInstruction(0x401000, 0x2 | EFLAGS_TF), 'execute');
    d.ssLoaded();
    d.endInstruction();
    assert.equal(d.beginInstruction(0x401002, 0x2 | EFLAGS_TF), 'exit', 'host single-step after MOV SS');
    assert.equal(d.takeExit().reason, 'debug');
    assert.equal(d.beginInstruction(0x401002, 0x2 | EFLAGS_TF), 'execute', 'guest BS held in the shadow');
    d.endInstruction();
    assert.equal(d.beginInstruction(0x401005, 0x2), 'exit');
    d.takeExit();
    assert.equal(d.beginInstruction(0x401005, 0x2), 'guest-db', 'both held and new BS delivered once');
    assert.equal(d.guestRegisters().dr6, 0xffff4ff0);
  });
});

describe('DebugUnit addresses', () => {
  it('a kernel-half DRn matches the CPU 48-bit folded linear address', () => {
    const { d } = unit();
    d.movToDr(0, 0x00001000, 0xffff8000);
    d.movToDr(7, 0x00010401, 0);
    d.dataAccess(0x800000001000, 1, true);
    assert.equal(d.afterArmed, true);
    assert.deepEqual(d.movFromDr(0), { kind: 'ok', lo: 0x1000, hi: 0xffff8000 });
  });
});

describe('DebugUnit block gate', () => {
  it('blockMayRun: false with an exec slot inside the block, a pending trap or single-step', () => {
    const { d } = unit();
    d.setGuestDebug({ singleStep: false, hw: { dr7: 0x401, addr: [0x401010, 0, 0, 0] } });
    assert.equal(d.blockMayRun(0x401000, 0x10), true, 'slot just past the block');
    assert.equal(d.blockMayRun(0x401000, 0x11), false, 'slot on the last byte');
    d.setGuestRegister(0, 0x500000);
    d.setGuestRegister(7, 0x401);
    assert.equal(d.blockMayRun(0x4ffff0, 0x20), false, 'guest exec slot inside');
    d.setGuestDebug({ singleStep: true, hw: null });
    assert.equal(d.blockMayRun(0x401000, 0x10), false, 'single-step needs every boundary');
  });
});

describe('DebugUnit block gate after changes', () => {
  it('blockMayRun answers anew after the slots change (range cache cleared on rebuild)', () => {
    const { d } = unit();
    d.setGuestDebug({ singleStep: false, hw: { dr7: 0x401, addr: [0x402000, 0, 0, 0] } });
    assert.equal(d.blockMayRun(0x401000, 0x20), true);
    assert.equal(d.blockMayRun(0x401000, 0x20), true, 'cached');
    d.setGuestDebug({ singleStep: false, hw: { dr7: 0x401, addr: [0x401008, 0, 0, 0] } });
    assert.equal(d.blockMayRun(0x401000, 0x20), false);
  });
});

describe('DebugUnit data hook agrees with the SDM overlap rule', () => {
  it('random write slots and accesses: a hit is recorded exactly when an enabled slot overlaps', () => {
    let seed = 0x1234567;
    const rnd = (n: number): number => {
      seed ^= seed << 13;
      seed ^= seed >>> 17;
      seed ^= seed << 5;
      return (seed >>> 0) % n;
    };
    for (let round = 0; round < 10; round++) {
      const { d } = unit();
      const lens = [1, 2, 4, 8];
      const addr: number[] = [];
      const len: number[] = [];
      let dr7 = 0x400;
      for (let n = 0; n < 4; n++) {
        addr.push(0x600000 + rnd(0x3000));
        len.push(lens[rnd(4)]);
        dr7 |= (1 << (2 * n)) | ((((len[n] === 8 ? 2 : len[n] === 4 ? 3 : len[n] - 1) << 2) | 1) << (16 + 4 * n));
      }
      d.setGuestDebug({ singleStep: false, hw: { dr7, addr } });
      for (let i = 0; i < 500; i++) {
        const a = 0x600000 - 100 + rnd(0x3100);
        const size = [1, 2, 4, 8, 16, 64, 100][rnd(7)];
        let expect = 0;
        for (let n = 0; n < 4; n++) {
          const start = addr[n] - (addr[n] % len[n]);
          if (a <= start + len[n] - 1 && a + size - 1 >= start) expect |= 1 << n;
        }
        d.dataAccess(a, size, true);
        assert.equal(d.afterArmed, expect !== 0, `access ${a.toString(16)}+${size}`);
        if (d.afterArmed) {
          d.endInstruction();
          assert.equal(d.beginInstruction(0x401000, 2), 'exit');
          const exit = d.takeExit();
          assert.ok(exit.reason === 'debug');
          assert.equal(exit.dr6 & 0xf, expect);
        }
      }
    }
  });
});
