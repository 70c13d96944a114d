// The emulator side of the per-instruction comparison: one Machine per mode (64-bit long mode or
// 32-bit protected mode, CPL 3) with the tracer's code page and data page mapped at the same
// addresses; each vector loads registers, flags, code and the data window, then either steps until
// RIP passes the instruction (REP string instructions take one step per iteration) or calls
// run() on the instruction followed by INT3 — the hot path with its decoded blocks — until the
// INT3 exits (as #BP with no handler) or a fault does.
import { Machine } from '../../../src/emu/machine';
import { PERM_RW, PERM_RWX } from '../../../src/emu/memory';
import { CODE_ADDR, DATA_PAGE, WINDOW_ADDR, WINDOW_SIZE, type VectorInput } from './instructionCases';

/** What the emulator did with one vector. */
export type EmulatorOutcome =
  | { kind: 'completed'; rip: number; regs: bigint[]; flags: number; window: Uint8Array }
  | { kind: 'fault'; vector: number; pc: number; address?: number; regs: bigint[]; flags: number; window: Uint8Array }
  | { kind: 'other'; message: string };

const MAX_STEPS = 1000;

/** A Machine prepared for single-instruction vectors in one mode. */
export class EmulatorCpu {
  private readonly m: Machine;

  constructor(readonly bits: 32 | 64) {
    this.m = new Machine();
    this.m.start(bits === 64 ? 'long64' : 'protected32', 3);
    const a = this.m.map(CODE_ADDR, 0x1000, PERM_RWX, 'code');
    const b = this.m.map(DATA_PAGE, 0x1000, PERM_RW, 'data');
    if (!a.ok || !b.ok) throw new Error('cannot map the vector pages');
  }

  private readRegs(): bigint[] {
    const out: bigint[] = [];
    for (let i = 0; i < 16; i++) out.push((BigInt(this.m.regsHi[i] >>> 0) << 32n) | BigInt(this.m.regs[i] >>> 0));
    return out;
  }

  private readWindow(): Uint8Array {
    return this.m.readMemory(WINDOW_ADDR, WINDOW_SIZE) ?? new Uint8Array(WINDOW_SIZE);
  }

  /**
   * Runs `code` once from the vector's state, by single steps or by run(). Never throws
   * (emulator crashes become 'other').
   */
  run(code: Uint8Array, input: VectorInput, path: 'step' | 'run' = 'step'): EmulatorOutcome {
    const m = this.m;
    try {
      if (path === 'run') {
        const withTrap = new Uint8Array(code.length + 1);
        withTrap.set(code);
        withTrap[code.length] = 0xcc;
        code = withTrap;
      }
      m.writeMemory(CODE_ADDR, code);
      m.writeMemory(WINDOW_ADDR, input.window);
      for (let i = 0; i < 16; i++) {
        const v = input.regs[i];
        m.set64(i, Number(v & 0xffffffffn) | 0, Number(v >> 32n) | 0);
      }
      m.setRip(CODE_ADDR);
      m.setRflags(input.flags | 0x202);
      if (path === 'run') {
        const end = CODE_ADDR + code.length - 1;
        const exit = m.run(MAX_STEPS);
        if (exit.reason === 'fault' && exit.vector === 3 && exit.pc === end) {
          return { kind: 'completed', rip: end, regs: this.readRegs(), flags: m.getRflags(), window: this.readWindow() };
        }
        if (exit.reason === 'fault') {
          return { kind: 'fault', vector: exit.vector, pc: exit.pc, ...(exit.address !== undefined ? { address: exit.address } : {}), regs: this.readRegs(), flags: m.getRflags(), window: this.readWindow() };
        }
        return { kind: 'other', message: `run() ended with ${exit.reason}` };
      }
      const end = CODE_ADDR + code.length;
      for (let steps = 0; steps < MAX_STEPS; steps++) {
        const exit = m.step();
        if (exit.reason === 'fault') {
          return { kind: 'fault', vector: exit.vector, pc: exit.pc, ...(exit.address !== undefined ? { address: exit.address } : {}), regs: this.readRegs(), flags: m.getRflags(), window: this.readWindow() };
        }
        if (exit.reason !== 'budget') return { kind: 'other', message: `exit ${exit.reason}` };
        if (m.rip === end) return { kind: 'completed', rip: m.rip, regs: this.readRegs(), flags: m.getRflags(), window: this.readWindow() };
        if (m.rip !== CODE_ADDR) return { kind: 'other', message: `RIP went to 0x${m.rip.toString(16)}` };
      }
      return { kind: 'other', message: `no completion after ${MAX_STEPS} steps` };
    } catch (e) {
      return { kind: 'other', message: `emulator threw: ${e instanceof Error ? e.message : String(e)}` };
    }
  }
}
