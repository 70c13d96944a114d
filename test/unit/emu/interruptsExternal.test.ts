// External (maskable) interrupts in the run loop, through a fake InterruptSource in the test: timer
// ticks counted by a guest handler at exactly the tick times, IF masking with the request latched,
// the STI and MOV SS one-instruction shadows (SDM Vol. 2 STI, Vol. 3 §6.8.3), HLT woken by an
// interrupt (RIP after the HLT), the budget and a pause still ending runs of a guest that spins.
import { strict as assert } from 'assert';
import type { Machine } from '../../../src/emu/machine';
import { BareEnvironment, CONTINUE, type EnvResult } from '../../../src/emu/environment';
import { NO_INTERRUPT, type InterruptRequest, type InterruptSource } from '../../../src/emu/interruptSource';
import { OUT, kernel, kernel32 } from './interruptsKernel';

/** A periodic request line latched at every `period` instructions; stops after `ticks` ticks. */
class FakeTimer implements InterruptSource {
  next: number;
  requested = false;
  readonly acknowledgedAt: number[] = [];
  private raised = 0;
  constructor(private readonly period: number, private readonly vector: number, private readonly ticks = Infinity, first = period) {
    this.next = first;
  }
  nextEventAt(): number {
    return this.raised < this.ticks ? this.next : Infinity;
  }
  advance(m: Machine): void {
    while (this.raised < this.ticks && m.icount >= this.next) {
      this.requested = true;
      this.raised++;
      this.next += this.period;
    }
  }
  pending(): boolean {
    return this.requested;
  }
  acknowledge(m: Machine): InterruptRequest {
    if (!this.requested) return NO_INTERRUPT;
    this.requested = false;
    this.acknowledgedAt.push(m.icount);
    return { kind: 'vector', vector: this.vector };
  }
  idleUntilNextEvent(m: Machine): boolean {
    if (this.raised >= this.ticks) return false;
    m.icount = Math.max(m.icount, this.next);
    return true;
  }
}

/** Bare machine whose HLT with IF = 1 waits for the next interrupt. */
class WaitingEnvironment extends BareEnvironment {
  override halt(m: Machine): EnvResult {
    return m.waitForInterrupt() ? CONTINUE : super.halt(m);
  }
}

/** 32-bit kernel with a timer handler at vector 20h (interrupt gate) counting ticks at OUT and logging return EIPs at OUT+0x100. */
function timerKernel(body: string): string {
  return kernel32(`
  gate 0x20, tick, 0x8E00
${body}
  hlt
tick:
  push eax
  mov eax, [${OUT}]
  mov ecx, [esp+4]
  mov [${OUT + 0x100} + eax*4], ecx
  inc dword [${OUT}]
  pop eax
  iretd`);
}

describe('interrupts: external interrupts in the run loop', () => {
  it('timer ticks are delivered at exactly the tick times while IF = 1', () => {
    const k = kernel(timerKernel(`
  sti
.spin:
  cmp dword [${OUT}], 5
  jb .spin
  cli`), 'protected32');
    const timer = new FakeTimer(1000, 0x20);
    k.m.interrupts = timer;
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 5);
    assert.deepEqual(timer.acknowledgedAt, [1000, 2000, 3000, 4000, 5000]);
  });

  it('IF = 0 holds the request; it is delivered after the instruction following STI (STI shadow)', () => {
    const k = kernel(timerKernel(`
  mov ecx, 3000
.wait:
  dec ecx
  jnz .wait
  mov eax, [${OUT}]
  mov [${OUT + 8}], eax
  sti
  nop
after_nop:
  cli`), 'protected32');
    const timer = new FakeTimer(500, 0x20);
    k.m.interrupts = timer;
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(8), 0, 'nothing delivered while IF = 0');
    assert.equal(k.out(0), 1, 'the latched request, once');
    assert.equal(k.out(0x100), k.labels.after_nop, 'pushed EIP: after the instruction that follows STI');
  });

  it('STI; CLI never lets a pending interrupt in', () => {
    const k = kernel(timerKernel(`
  mov ecx, 2000
.l:
  sti
  cli
  dec ecx
  jnz .l`), 'protected32');
    k.m.interrupts = new FakeTimer(100, 0x20);
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 0);
  });

  it('POPF setting IF delivers at the next boundary (no shadow)', () => {
    const k = kernel(timerKernel(`
  mov ecx, 1000
.wait:
  dec ecx
  jnz .wait
  push 0x202
  popfd
after_popf:
  nop
  cli`), 'protected32');
    k.m.interrupts = new FakeTimer(300, 0x20);
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 1);
    assert.equal(k.out(0x100), k.labels.after_popf);
  });

  it('MOV SS holds a request that arrives right after it until the next instruction retired', () => {
    const k = kernel(timerKernel(`
  sti
  mov ax, ss
movss:
  mov ss, ax
  mov esp, 0x9000
after_esp:
  nop
  cli`), 'protected32');
    while (k.m.pc() !== k.labels.movss) k.m.step();
    const timer = new FakeTimer(1, 0x20, 1, k.m.icount + 1);
    k.m.interrupts = timer;
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0), 1);
    assert.equal(k.out(0x100), k.labels.after_esp, 'not between MOV SS and MOV ESP');
  });

  it('HLT with IF = 1 waits for the next tick; the handler returns after the HLT', () => {
    const k = kernel(timerKernel(`
  sti
again:
  hlt
after_hlt:
  cmp dword [${OUT}], 3
  jb again
  cli`), 'protected32', new WaitingEnvironment());
    const timer = new FakeTimer(100000, 0x20, 3);
    k.m.interrupts = timer;
    assert.equal(k.run(1_000_000).reason, 'halted');
    assert.equal(k.out(0), 3);
    assert.deepEqual([k.out(0x100), k.out(0x104), k.out(0x108)], [k.labels.after_hlt, k.labels.after_hlt, k.labels.after_hlt]);
    assert.ok(k.m.icount >= 300000, 'virtual time skipped to the ticks');
  });

  it('HLT with IF = 1 and nothing that can wake ends as halted', () => {
    const k = kernel(kernel32(`
  sti
  hlt`), 'protected32', new WaitingEnvironment());
    k.m.interrupts = new FakeTimer(100, 0x20, 0);
    assert.equal(k.run().reason, 'halted');
  });

  it('the budget ends a run exactly, with interrupts flowing', () => {
    const k = kernel(timerKernel(`
  sti
  jmp $`), 'protected32');
    k.m.interrupts = new FakeTimer(37, 0x20);
    k.m.run(200);
    const start = k.m.icount;
    const exit = k.m.run(1234);
    assert.equal(exit.reason, 'budget');
    assert.equal(k.m.icount - start, 1234);
    assert.ok(k.out(0) > 30);
  });

  it('requestPause stops a guest spinning on timer interrupts within the slice', () => {
    const k = kernel(timerKernel(`
  sti
  jmp $`), 'protected32');
    k.m.interrupts = new FakeTimer(50, 0x20);
    let ints = 0;
    k.m.controlTransferHook = (kind) => { if (kind === 'int' && ++ints === 3) k.m.requestPause(); };
    const exit = k.m.run(1_000_000);
    assert.equal(exit.reason, 'budget');
    assert.equal(ints, 3);
    assert.ok(k.m.icount < 200, `paused at icount ${k.m.icount}`);
  });

  it('a source whose next event time is stuck in the past or NaN cannot stall the loop', () => {
    for (const at of [0, Number.NaN]) {
      const k = kernel(timerKernel(`
  sti
  jmp $`), 'protected32');
      k.m.interrupts = { nextEventAt: () => at, advance: () => undefined, pending: () => false, acknowledge: () => NO_INTERRUPT, idleUntilNextEvent: () => false };
      const start = k.m.icount;
      assert.equal(k.m.run(5000).reason, 'budget');
      assert.equal(k.m.icount - start, 5000);
    }
  });

  it('real mode: a timer IRQ goes through the IVT; FLAGS, CS:IP restored by IRET', () => {
    const k = kernel(`bits 16
  mov word [8*4], tick
  mov word [8*4+2], 0
  sti
.spin:
  cmp word [${OUT}], 4
  jb .spin
  cli
  hlt
tick:
  inc word [${OUT}]
  iret`, 'real');
    const timer = new FakeTimer(200, 8);
    k.m.interrupts = timer;
    assert.equal(k.run().reason, 'halted');
    assert.equal(k.out(0, 2), 4);
    assert.deepEqual(timer.acknowledgedAt, [200, 400, 600, 800]);
  });
});
