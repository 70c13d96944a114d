// Software breakpoints in-process (Runtime over a MachineTarget, no DAP): the same program and
// breakpoints run on the debug unit's emulator breakpoints and, with the target's machine hidden,
// on the fallback paths (spare DR slots for ≤ 4 addresses, straight-line stretches for more).
// Both must stop at the same places with the same state.
import { strict as assert } from 'assert';
import * as path from 'path';
import { loadProgramFile } from '../../src/adapter/launch';
import { BreakpointStore, type BreakpointSpec } from '../../src/adapter/breakpoints';
import { createGuestMachine } from '../../src/adapter/guestMachine';
import { MachineTarget, SessionConsole } from '../../src/adapter/machineTarget';
import { SymbolIndex } from '../../src/adapter/symbols';
import { decoderFor } from '../../src/adapter/disassembly';
import { Runtime, emulatorBreakpointPort } from '../../src/adapter/runtime';
import type { StopReport } from '../../src/adapter/runtimeTypes';
import type { DebugTarget } from '../../src/adapter/target';
import { fixture, lineOf } from './harness';

const LOOP = fixture('swloop64.asm');

/** A target that forwards everything to `t` but has no `setEmulatorBreakpoints` (so the fallbacks run). */
function withoutEmulator(t: MachineTarget): DebugTarget {
  return new Proxy(t, {
    get(target, key) {
      if (key === 'setEmulatorBreakpoints') return undefined;
      const v: unknown = Reflect.get(target, key, target);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  }) as DebugTarget;
}

interface Rig {
  runtime: Runtime;
  target: MachineTarget;
  stops: StopReport[];
  next(): Promise<StopReport | 'ended'>;
}

function rig(lines: string[], emulator: boolean): Rig {
  const loaded = loadProgramFile({ program: LOOP });
  if (!loaded.ok) throw new Error(loaded.message);
  const console = new SessionConsole(() => undefined);
  const created = createGuestMachine(loaded.program, { args: [], console });
  if (!created.ok) throw new Error(created.message);
  const target = new MachineTarget(created.machine, console);
  const symbols = new SymbolIndex(loaded.program, created.loadBase, (p) => path.resolve(p));
  const used: DebugTarget = emulator ? target : withoutEmulator(target);
  const decode = decoderFor(used, (a) => symbols.describe(a, 'code'));
  const store = new BreakpointStore(8, 'hardware');
  const specs: BreakpointSpec[] = lines.map((text) => {
    const r = symbols.resolveLine(LOOP, lineOf('swloop64.asm', text));
    if (!r) throw new Error(`no line for ${text}`);
    return { origin: 'source', key: `${r.line}`, address: r.address, length: 1, label: text, mode: 'software', source: { path: LOOP, line: r.line } };
  });
  store.replaceGroup(() => false, specs);
  const stops: StopReport[] = [];
  const waiters: ((s: StopReport | 'ended') => void)[] = [];
  const runtime = new Runtime(used, symbols, store, decode, {
    stopped: (s) => { stops.push(s); waiters.shift()?.(s); },
    output: () => undefined,
    ended: () => waiters.shift()?.('ended'),
  }, { faultPolicy: () => ({ stop: true }), trace: false });
  return {
    runtime,
    target,
    stops,
    next: () => new Promise((resolve) => waiters.push(resolve)),
  };
}

async function sequence(lines: string[], emulator: boolean, count: number): Promise<{ lines: number[]; rcx: bigint[] }> {
  const r = rig(lines, emulator);
  assert.equal(emulatorBreakpointPort(emulator ? r.target : withoutEmulator(r.target)) !== null, emulator);
  const out: number[] = [];
  const rcx: bigint[] = [];
  let wait = r.next();
  r.runtime.start(false);
  for (let i = 0; i < count; i++) {
    const s = await wait;
    if (s === 'ended') break;
    out.push(s.pc);
    rcx.push(r.target.getRegister('rcx') ?? -1n);
    wait = r.next();
    r.runtime.continue();
  }
  r.runtime.dispose();
  return { lines: out, rcx };
}

describe('software breakpoints: emulator path and fallback paths agree', function () {
  this.timeout(60000);
  for (const [what, lines] of [
    ['2 breakpoints (fallback: spare DR slots)', ['call bump', 'ret']],
    ['7 breakpoints (fallback: straight-line stretches)', ['again:  add rax, rcx', 'call bump', 'bump:   add qword [acc], 1', 'ret', 'dec ecx', 'jnz again', 'xor eax, eax']],
  ] as const) {
    it(what, async () => {
      const fast = await sequence([...lines], true, 12);
      const slow = await sequence([...lines], false, 12);
      assert.equal(fast.lines.length, 12);
      assert.deepEqual(fast, slow);
    });
  }
});
