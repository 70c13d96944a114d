// Cost of external interrupts in the run loop: one 32-bit kernel (own GDT/IDT, a timer handler that
// counts ticks) runs a register loop with Machine.interrupts null, with an InterruptSource attached
// that never schedules anything, and with timer ticks every 10 000 and every 1 000 instructions.
// Ratios are to the null case measured in the same process (best of 3, interleaved).
import type { Benchmark, BenchFigure } from './run';
import { Machine } from '../src/emu/machine';
import { NO_INTERRUPT, type InterruptRequest, type InterruptSource } from '../src/emu/interruptSource';
import { kernel, kernel32 } from '../test/unit/emu/interruptsKernel';

const LOOP = `
  gate 0x20, tick, 0x8E00
  sti
  mov ecx, 2000000
.l:
  add eax, ecx
  xor ebx, eax
  sub edx, ebx
  dec ecx
  jnz .l
  cli
  hlt
tick:
  inc dword [0x6000]
  iretd`;

/** A source with ticks every `period` instructions (Infinity: never). */
class Ticks implements InterruptSource {
  private next: number;
  private requested = false;
  constructor(private readonly period: number, start: number) {
    this.next = start + period;
  }
  nextEventAt(): number {
    return this.next;
  }
  advance(m: Machine): void {
    while (m.icount >= this.next) {
      this.requested = true;
      this.next += this.period;
    }
  }
  pending(): boolean {
    return this.requested;
  }
  acknowledge(): InterruptRequest {
    if (!this.requested) return NO_INTERRUPT;
    this.requested = false;
    return { kind: 'vector', vector: 0x20 };
  }
  idleUntilNextEvent(): boolean {
    return false;
  }
}

function once(period: number | null): { mips: number; ticks: number } {
  const k = kernel(kernel32(LOOP), 'protected32');
  k.m.interrupts = period === null ? null : new Ticks(period, k.m.icount);
  const t0 = process.hrtime.bigint();
  let exit = k.m.run(50_000_000);
  while (exit.reason === 'budget') exit = k.m.run(50_000_000);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  return { mips: k.m.icount / s, ticks: k.out(0) };
}

/** Cost of one delivered IRQ and its IRETD: a guest spinning on JMP $ with a tick every 10 instructions. */
function perTick(): number {
  const k = kernel(kernel32(`
  gate 0x20, tick, 0x8E00
  sti
  jmp $
tick:
  iretd`), 'protected32');
  k.m.interrupts = new Ticks(10, k.m.icount);
  k.m.run(300_000); // warm up
  let ticks = 0;
  k.m.controlTransferHook = (kind) => { if (kind === 'int') ticks++; };
  const t0 = process.hrtime.bigint();
  k.m.run(2_000_000);
  return Number(process.hrtime.bigint() - t0) / 1e3 / ticks;
}

export const benchmarks: Benchmark[] = [
  {
    name: 'interrupts: one IRQ delivered through a 32-bit interrupt gate plus its IRETD (tick every 10 insns)',
    run(): BenchFigure[] {
      let best = Infinity;
      for (let rep = 0; rep < 3; rep++) best = Math.min(best, perTick());
      return [{ name: 'delivery + IRETD + 9 JMPs, per tick', value: best, unit: 'µs', note: 'best of 3' }];
    },
  },
  {
    name: 'interrupts: run loop with an InterruptSource (10 M-instruction register loop, 32-bit kernel)',
    run(): BenchFigure[] {
      const cases: [string, number | null][] = [['interrupts = null', null], ['source attached, nothing scheduled', Infinity], ['timer tick every 10 000 insns', 10_000], ['timer tick every 1 000 insns', 1_000]];
      const best = cases.map(() => 0);
      const ticks = cases.map(() => 0);
      for (let rep = 0; rep < 3; rep++) {
        cases.forEach(([, p], i) => {
          const r = once(p);
          best[i] = Math.max(best[i], r.mips);
          ticks[i] = r.ticks;
        });
      }
      return cases.map(([name], i) => ({ name, value: best[i], unit: 'insn/s', note: `${(best[i] / best[0]).toFixed(3)}x of null; ${ticks[i]} ticks handled` }));
    },
  },
];
