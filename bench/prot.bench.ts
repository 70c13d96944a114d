// Cost of protected-mode system transfers, as instructions per second of small 32-bit kernels
// (test/unit/emu/protectedKernel.ts's GDT/TSS): a register loop (baseline), a loop reloading DS
// four times per iteration, ring 3 → ring 0 → ring 3 through a call gate, and hardware task
// switches back and forth between two TSSs. Ratios are to the baseline of the same run (best of 3
// CPU-time runs, interleaved).
import type { Benchmark, BenchFigure } from './run';
import { loadKernel, kernel32, TO_RING3 } from '../test/unit/emu/protectedKernel';

const N = 200_000;
const RING3 = `${TO_RING3('ring3')}
ring3:`;

interface Kernel {
  name: string;
  body: string;
  parts: { gate?: string; taskB?: string };
  /** Instructions per loop iteration, and the events (loads, transfers) it makes. */
  perIteration: number;
  events: number;
  eventName: string;
}

const KERNELS: Kernel[] = [
  { name: 'register loop (baseline)', body: `mov ecx, ${N}\n.l:\n  add eax, ecx\n  xor ebx, eax\n  sub edx, ebx\n  add esi, edx\n  dec ecx\n  jnz .l\n  hlt`, parts: {}, perIteration: 6, events: 0, eventName: '' },
  { name: 'MOV DS, AX x4 per iteration', body: `mov ecx, ${N}\n  mov ax, 0x10\n.l:\n  mov ds, ax\n  mov ds, ax\n  mov ds, ax\n  mov ds, ax\n  dec ecx\n  jnz .l\n  hlt`, parts: {}, perIteration: 6, events: 4, eventName: 'segment loads' },
  { name: 'call gate ring 3 → 0 → 3 (2 params, CALL FAR + RETF 8)', body: `${RING3}\n  mov ecx, ${N}\n.l:\n  push ecx\n  push ecx\n  call 0x33:0\n  dec ecx\n  jnz .l\n  ud2`, parts: { gate: '  retf 8' }, perIteration: 6, events: 1, eventName: 'round trips' },
  { name: 'task switch A → B → A (JMP to a TSS)', body: `mov ax, 0x28\n  ltr ax\n  mov ecx, ${N}\n.l:\n  jmp 0x50:0\n  dec ecx\n  jnz .l\n  hlt`, parts: { taskB: '.b:\n  jmp 0x28:0\n  jmp .b' }, perIteration: 5, events: 2, eventName: 'task switches' },
];

/** Instructions per CPU second of one run of `source` to its end (HLT or the final UD2; anything else is an error). */
function once(source: string): number {
  const { m } = loadKernel(source, 'protected32');
  const start = process.cpuUsage();
  let exit = m.run(50_000_000);
  while (exit.reason === 'budget') exit = m.run(50_000_000);
  const u = process.cpuUsage(start);
  if (exit.reason !== 'halted' && !(exit.reason === 'fault' && exit.vector === 6)) throw new Error(`kernel ended with ${JSON.stringify(exit)}`);
  if (m.icount < N) throw new Error(`kernel ran only ${m.icount} instructions`);
  return m.icount / ((u.user + u.system) / 1e6);
}

export const benchmarks: Benchmark[] = [
  {
    name: `prot: protected-mode system transfers (${N} loop iterations each, 32-bit kernels)`,
    run(): BenchFigure[] {
      const sources = KERNELS.map((k) => kernel32(k.body, k.parts));
      const best = KERNELS.map(() => 0);
      for (let rep = 0; rep < 3; rep++) sources.forEach((s, i) => { best[i] = Math.max(best[i], once(s)); });
      return KERNELS.map((k, i) => ({
        name: k.name,
        value: best[i],
        unit: 'insn/s',
        note: `${(best[i] / best[0]).toFixed(3)}x of the register loop` + (k.events > 0 ? `; ${Math.round((best[i] / k.perIteration) * k.events)} ${k.eventName}/s` : ''),
      }));
    },
  },
];
