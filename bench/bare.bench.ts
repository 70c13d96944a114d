// The bare environment's devices on the run loop: one 32-bit bare guest (its own IDT, the 8259
// remapped to 20h, a timer handler that counts and EOIs) runs a 10 M-instruction register loop with
// the PIT off, at a tick every ~10 000 instructions (count 12 ≈ 10 056) and every ~1 000 (count 1
// is not allowed in mode 2, so 2 ≈ 1 676). Ratios are to the PIT-off run in the same process (best of 3).
import type { Benchmark, BenchFigure } from './run';
import { BufferConsole } from '../src/emu/console';
import { loadProgram } from '../src/emu/env/loadProgram';
import { loadFlatBinary } from '../src/asm/binaryLoaders';
import { INSTRUCTIONS_PER_PIT_TICK } from '../src/emu/devices/pit8254';
import { asm } from '../test/unit/emu/helpers';

function guest(count: number): string {
  const pit = count === 0 ? '' : `
        mov al, 0x34
        out 0x43, al
        mov al, ${count}
        out 0x40, al
        xor al, al
        out 0x40, al`;
  return `
        mov eax, tick
        mov [idt + 0x20 * 8], ax
        mov word [idt + 0x20 * 8 + 2], 0x08
        mov word [idt + 0x20 * 8 + 4], 0x8e00
        shr eax, 16
        mov [idt + 0x20 * 8 + 6], ax
        lidt [idtr]
        mov al, 0x11
        out 0x20, al
        mov al, 0x20
        out 0x21, al
        mov al, 4
        out 0x21, al
        mov al, 1
        out 0x21, al
        mov al, 0xfe
        out 0x21, al
        ${pit}
        sti
        mov ecx, 2000000
.l:     add eax, ecx
        xor ebx, eax
        sub edx, ebx
        dec ecx
        jnz .l
        cli
        hlt
tick:   inc dword [${TICKS}]
        push eax
        mov al, 0x20
        out 0x20, al
        pop eax
        iretd
idtr:   dw 256 * 8 - 1
        dd idt
idt:    times 256 * 8 db 0`;
}

/** Where the guest counts its ticks. */
const TICKS = 0x6000;

function once(count: number): { mips: number; ticks: number } {
  const org = 0x100000;
  const r = loadProgram(loadFlatBinary(asm(32, guest(count), org), { org, bits: 32 }), { console: new BufferConsole(), environment: 'bare', bits: 32 });
  if (!r.ok) throw new Error(r.message);
  const m = r.machine;
  const t0 = process.hrtime.bigint();
  let exit = m.run(50_000_000);
  while (exit.reason === 'budget') exit = m.run(50_000_000);
  const s = Number(process.hrtime.bigint() - t0) / 1e9;
  const t = m.readMemory(TICKS, 4) as Uint8Array;
  return { mips: m.icount / s, ticks: t[0] | (t[1] << 8) | (t[2] << 16) | (t[3] << 24) };
}

export const benchmarks: Benchmark[] = [
  {
    name: 'bare: PC devices on the run loop (32-bit guest, 10 M-instruction register loop, PIT → 8259 → IDT)',
    run(): BenchFigure[] {
      const cases: [string, number][] = [['PIT off', 0], ['PIT count 12 (IRQ 0 every ~10 000 insns)', 12], ['PIT count 2 (IRQ 0 every ~1 700 insns)', 2]];
      const best = cases.map(() => 0);
      const ticks = cases.map(() => 0);
      for (let rep = 0; rep < 3; rep++) {
        cases.forEach(([, count], i) => {
          const r = once(count);
          best[i] = Math.max(best[i], r.mips);
          ticks[i] = r.ticks;
        });
      }
      return cases.map(([name, count], i) => ({
        name,
        value: best[i],
        unit: 'insn/s',
        note: `${(best[i] / best[0]).toFixed(3)}x of PIT off; ${ticks[i]} ticks${count ? `, period ${count * INSTRUCTIONS_PER_PIT_TICK} insns` : ''}`,
      }));
    },
  },
];
