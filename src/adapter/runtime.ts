// The runtime: owns the guest machine (through the DebugTarget port) and runs it in slices so the
// adapter stays responsive; programs DR0–DR3 from the breakpoint store, turns 'debug' exits into stop
// reports (DR6 → breakpoints, conditions, hit counts, logpoints, read filtering), steps, and reports
// output and the guest's end. Knows nothing of DAP. Imports adapter modules and shared emu types.
import type { Exit } from '../emu/exit';
import type { DebugTarget, HostDebugSetting } from './target';
import type { BreakpointRecord, BreakpointStore } from './breakpoints';
import { hitConditionMet } from './breakpoints';
import type { SymbolIndex } from './symbols';
import { evaluateExpression, type EvalContext } from './evaluate';
import { exceptionName } from './exceptions';
import type { ShadowStack } from './shadowStack';
import { StraightLine } from './straightLine';
import { describeAccess, hitSlots, reasonFor } from './stopText';
import type { ExceptionReport, FaultPolicy, InstructionDecoder, RuntimeEvents, StopReport } from './runtimeTypes';

type Plan =
  | { kind: 'continue' }
  /** Single instructions until `done` (line stepping) or one instruction. */
  | { kind: 'step'; over: boolean; lines: boolean; steps: number; until?: { address: number; minSp: number }; from?: { file: string; line: number; address: number } }
  /** Run until pc == address with the stack pointer at or above minSp (step over a call, step out). */
  | { kind: 'until'; address: number; minSp: number };

type SliceOutcome = { kind: 'again' } | { kind: 'stop'; stop: StopReport } | { kind: 'end'; code: number; message: string } | { kind: 'input' };
/** The outcome of most runs, shared (a run may last a few instructions while software breakpoints exist). */
const AGAIN: SliceOutcome = Object.freeze({ kind: 'again' });
/** A run that ended at an emulator breakpoint only: "look at pc" (the slice loop checks it). */
const LOOK_AT_PC: Exit = Object.freeze({ reason: 'budget' });
/** DR6 bits that make a debugger exit more than an emulator breakpoint: B0–B3, BD, BS. */
const DR6_HOST_CAUSES = 0xe00f;

/** Installs the target's emulator breakpoints (DebugTarget.setEmulatorBreakpoints). */
type EmulatorBreakpointPort = (addresses: ReadonlySet<number> | null) => void;

/**
 * The target's emulator breakpoints, when it has them; null: software breakpoints fall back to
 * spare DR slots and straight-line stretches.
 */
export function emulatorBreakpointPort(target: DebugTarget): EmulatorBreakpointPort | null {
  if (typeof target.setEmulatorBreakpoints !== 'function') return null;
  return (addresses) => target.setEmulatorBreakpoints?.(addresses);
}

const SLICE_MS = 8;
/** Operations whose memory write does not read the destination first (SDM instruction pages). */
const PURE_STORES = new Set(['mov', 'movs', 'stos', 'setcc', 'pop', 'push', 'pushSeg', 'pushf', 'pusha', 'callRel', 'callIndirect', 'callFar', 'callFarIndirect', 'enter', 'movbe', 'movFromSeg', 'sgdt', 'sidt', 'sldt', 'str', 'smsw', 'int', 'int3', 'into', 'int1', 'ins']);
const MAX_STEPS_PER_LINE = 5_000_000;

export class Runtime {
  state: 'configuring' | 'stopped' | 'running' | 'waiting-input' | 'ended' = 'configuring';
  lastStop: StopReport | null = null;
  lastException: ExceptionReport | null = null;
  /** DR6 of the last debugger-layer #DB (0xFFFF0FF0 when none fired yet). */
  lastDr6 = 0xffff0ff0;
  /** Instructions executed so far (as reported by run budgets). */
  executed = 0;
  private pauseRequested = false;
  private runToken = 0;
  private inputWaiter: (() => void) | null = null;
  private pendingEnd: { code: number; message: string } | null = null;
  private readonly straight: StraightLine;
  /** A REP instruction the last run left between iterations (its software breakpoint was already taken). */
  private midRepAt = -1;
  private softwareCache: { generation: number; goal: number | undefined; stops: ReadonlySet<number>; temp: number; setting: HostDebugSetting } | null = null;
  /** The debug unit's emulator breakpoints (null: the target has none). */
  private readonly emulator: EmulatorBreakpointPort | null;
  /** The address set installed there now (the Set object, compared by identity). */
  private installed: ReadonlySet<number> | null = null;
  /** The last run ended at an emulator breakpoint (no instruction at pc ran). */
  private emulatorStopped = false;

  constructor(
    readonly target: DebugTarget,
    readonly symbols: SymbolIndex,
    readonly store: BreakpointStore,
    readonly decode: InstructionDecoder,
    private readonly events: RuntimeEvents,
    private readonly options: { shadow?: ShadowStack; maxInstructions?: number; faultPolicy: FaultPolicy; trace: boolean; countInstructions?: () => number; sourceText?: (file: string, line: number) => string | undefined },
  ) {
    this.straight = new StraightLine(target);
    this.emulator = emulatorBreakpointPort(target);
    // Start from none (a machine kept across a restart must not keep an earlier runtime's set).
    this.emulator?.(null);
  }

  /** The shadow call stack, when the machine reports control transfers. */
  get shadow(): ShadowStack | null {
    return this.options.shadow ?? null;
  }

  /** Called after configurationDone. */
  start(stopOnEntry: boolean): void {
    this.programSlots(false);
    if (stopOnEntry) {
      this.state = 'stopped';
      this.report({ reason: 'entry', description: 'Paused on entry', hitBreakpointIds: [], dr6: 0, dr7: this.hostDr7(), pc: this.target.pc(), exception: null });
      return;
    }
    // Starting: a breakpoint on the entry instruction must fire, so nothing is stepped over.
    void this.drive({ kind: 'continue' }, false);
  }

  continue(): void {
    if (this.finishPendingEnd()) return;
    void this.drive({ kind: 'continue' });
  }

  /** One instruction (stepIn with granularity instruction) or, with over, one instruction stepping over CALL/INT/REP/LOOP. */
  stepInstruction(over: boolean): void {
    if (this.finishPendingEnd()) return;
    const insn = this.decode(this.target.pc());
    if (over && insn && insn.flow !== 'other' && insn.flow !== 'ret' && insn.flow !== 'iret') {
      void this.drive({ kind: 'until', address: insn.address + insn.length, minSp: this.target.sp() });
      return;
    }
    void this.drive({ kind: 'step', over: false, lines: false, steps: 0 });
  }

  /** A source line (stepIn) or a source line stepping over calls (next). Without line info: one instruction. */
  stepLine(over: boolean): void {
    if (this.finishPendingEnd()) return;
    const pc = this.target.pc();
    const here = this.symbols.lineAt(pc);
    if (!here) {
      this.stepInstruction(over);
      return;
    }
    const first = this.symbols.resolveLine(here.file, here.line);
    void this.drive({ kind: 'step', over, lines: true, steps: 0, from: { file: here.file, line: here.line, address: first?.address ?? here.address } });
  }

  /** Run until the current frame returns: to the return address on the shadow stack top. */
  stepOut(returnAddress: number | undefined, frameSp: number): void {
    if (this.finishPendingEnd()) return;
    if (returnAddress === undefined) {
      void this.drive({ kind: 'continue' });
      return;
    }
    void this.drive({ kind: 'until', address: returnAddress, minSp: frameSp });
  }

  pause(): void {
    if (this.state === 'running' || this.state === 'waiting-input') {
      this.pauseRequested = true;
      if (this.inputWaiter) this.inputWaiter();
    }
  }

  /** Set the instruction pointer to a linear address ("Jump to Cursor"). */
  goto(address: number): boolean {
    const cs = this.target.segment('cs');
    const ok = this.target.setRegister(this.target.mode() === 64 ? 'rip' : this.target.mode() === 32 ? 'eip' : 'ip', BigInt(address - cs.base));
    if (!ok) return false;
    this.state = 'stopped';
    this.report({ reason: 'goto', description: 'Paused after goto', hitBreakpointIds: [], dr6: 0, dr7: this.hostDr7(), pc: this.target.pc(), exception: null });
    return true;
  }

  /** Guest input from the client (x86dbg.input) or the launch's stdin. */
  input(bytes: Uint8Array, eof: boolean): void {
    this.target.feedInput(bytes, eof);
    if (this.inputWaiter) this.inputWaiter();
  }

  /** Stop running for good (terminate/disconnect/restart). */
  dispose(): void {
    this.runToken++;
    this.state = 'ended';
    if (this.inputWaiter) this.inputWaiter();
  }

  /** Re-program DR0–DR3 after breakpoints changed (also while running: takes effect next slice). */
  programSlots(singleStep: boolean, skipExecAt?: number): void {
    const addr = this.store.slots.addresses();
    let dr7 = this.store.slots.dr7();
    if (skipExecAt !== undefined) {
      for (const s of this.store.slots.info()) if (s.kind === 'exec' && s.address === skipExecAt) dr7 &= ~(3 << (2 * s.index));
    }
    const setting: HostDebugSetting = { singleStep, dr7, addr };
    this.target.setHostDebug(setting);
  }

  /** The debugger layer's DR7 as the emulator holds it (bit 10 reads as 1, SDM Vol. 3 §17.2.4). */
  hostDr7(): number {
    return (this.store.slots.dr7() | 0x400) >>> 0;
  }

  /** Evaluation context over the live machine. */
  evalContext(): EvalContext {
    const t = this.target;
    return {
      register: (name) => t.getRegister(name),
      symbol: (name) => {
        const s = this.symbols.lookup(name);
        return s ? { address: s.linear, elementSize: s.elementSize, size: s.size, kind: s.kind, offset: s.kind === 'constant' ? undefined : s.address } : undefined;
      },
      addressing: { mode: t.mode(), segmentBase: (segment) => t.segment(segment).base },
      readMemory: (address, size) => {
        const b = t.read(address, size);
        if (!b || b.length < size) return undefined;
        let v = 0n;
        for (let i = size - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
        return v;
      },
    };
  }

  private finishPendingEnd(): boolean {
    if (!this.pendingEnd) return false;
    const end = this.pendingEnd;
    this.pendingEnd = null;
    this.end(end.code, end.message);
    return true;
  }

  private report(stop: StopReport): void {
    this.lastStop = stop;
    this.events.stopped(stop);
  }

  private end(code: number, message: string): void {
    this.state = 'ended';
    this.runToken++;
    this.events.ended(code, message);
  }

  /** Run a plan in slices. stepOverCurrent: resuming from a stop, so a breakpoint at pc is not hit again. */
  private async drive(plan: Plan, stepOverCurrent = true): Promise<void> {
    const token = ++this.runToken;
    this.state = 'running';
    this.pauseRequested = false;
    this.lastException = null;
    let first = stepOverCurrent;
    let budget = 20_000;
    for (;;) {
      let outcome: SliceOutcome;
      try {
        const began = Date.now();
        outcome = this.slice(plan, first, budget);
        const took = Date.now() - began;
        if (took < SLICE_MS / 4 && budget < 1_000_000) budget *= 2;
        else if (took > SLICE_MS && budget > 1000) budget = Math.floor(budget / 2);
      } catch (e) {
        outcome = { kind: 'end', code: 70, message: `x86dbg: internal error while running the guest: ${e instanceof Error ? e.message : String(e)}` };
      }
      first = false;
      if (token !== this.runToken) return;
      if (outcome.kind === 'stop') {
        this.state = 'stopped';
        this.report(outcome.stop);
        return;
      }
      if (outcome.kind === 'end') {
        this.end(outcome.code, outcome.message);
        return;
      }
      if (outcome.kind === 'input') {
        this.state = 'waiting-input';
        await new Promise<void>((resolve) => (this.inputWaiter = resolve));
        this.inputWaiter = null;
        if (token !== this.runToken) return;
        this.state = 'running';
      } else {
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (token !== this.runToken) return;
      }
      if (this.pauseRequested) {
        this.pauseRequested = false;
        this.state = 'stopped';
        this.report({ reason: 'pause', description: 'Paused', hitBreakpointIds: [], dr6: 0, dr7: this.hostDr7(), pc: this.target.pc(), exception: null });
        return;
      }
    }
  }

  /** Run for about SLICE_MS. */
  private slice(plan: Plan, first: boolean, budget: number): SliceOutcome {
    const deadline = Date.now() + SLICE_MS;
    let resuming = first;
    if (first) this.midRepAt = -1;
    while (Date.now() < deadline) {
      const pc = this.target.pc();
      if (!resuming && pc !== this.midRepAt && this.store.hasSoftware()) {
        const hit = this.softwareHit(pc);
        if (hit) return hit;
      }
      const goal = plan.kind === 'until' ? plan : plan.kind === 'step' ? plan.until : undefined;
      if (goal && !resuming && pc === goal.address && this.target.sp() >= goal.minSp) {
        if (plan.kind !== 'step') return { kind: 'stop', stop: this.stepStop() };
        plan.until = undefined;
        if (!plan.lines || this.atNewLine(plan, pc)) return { kind: 'stop', stop: this.stepStop() };
      }
      if (plan.kind === 'step' && plan.over && !plan.until) {
        const insn = this.decode(pc);
        if (insn && (insn.flow === 'call' || insn.flow === 'int' || insn.flow === 'rep' || insn.flow === 'loop')) {
          plan.until = { address: insn.address + insn.length, minSp: this.target.sp() };
        }
      }
      const target = plan.kind === 'until' ? plan : plan.kind === 'step' ? plan.until : undefined;
      const lineStep = plan.kind === 'step' && !plan.until;
      const software = this.store.hasSoftware();
      // A step-over/step-out goal rides in the emulator breakpoints too, when the target has them
      // (so a full DR0–DR3 does not mean stepping the whole callee one instruction at a time).
      const viaEmulator = this.emulator !== null && target !== undefined && !lineStep;
      const stepwise = lineStep || (!software && !viaEmulator && target !== undefined && !this.store.slots.info().some((s) => s.kind === 'vacant'));
      let exit: Exit;
      let ran = 1;
      if (!software && !viaEmulator) this.install(null);
      this.emulatorStopped = false;
      if ((resuming && this.store.hasExecAt(pc)) || (software && pc !== this.midRepAt && this.store.softwareAt(pc) !== undefined)) {
        // Step over the breakpoint we are standing on (the RF flag's job on hardware); a software
        // breakpoint here was checked above and did not stop. (A REP resumed between iterations is
        // not re-checked by the debug unit, so it needs no step here.)
        const hardware = this.store.hasExecAt(pc);
        if (hardware) this.programSlots(false, pc);
        exit = this.runOne(pc);
        if (hardware) this.programSlots(false);
      } else if (stepwise || (target !== undefined && pc === target.address)) {
        exit = this.runOne(pc);
      } else if (software || viaEmulator) {
        exit = this.runToSoftware(target?.address, budget);
        ran = budget;
      } else if (target !== undefined) {
        exit = this.runUntil(target.address, budget);
        ran = budget;
      } else {
        exit = this.target.run(budget);
        ran = budget;
      }
      resuming = false;
      // A REP instruction stopped between iterations is not reached again: no second software hit.
      this.midRepAt = exit.reason === 'budget' && !this.emulatorStopped && this.target.pc() === pc && this.decode(pc)?.flow === 'rep' ? pc : -1;
      const handled = this.handleExit(exit, ran);
      if (handled.kind !== 'again') return handled;
      if (plan.kind === 'step' && !plan.until) {
        plan.steps++;
        if (!plan.lines) return { kind: 'stop', stop: this.stepStop() };
        if (this.atNewLine(plan, this.target.pc())) return { kind: 'stop', stop: this.stepStop() };
        if (plan.steps > MAX_STEPS_PER_LINE) return { kind: 'stop', stop: this.stepStop() };
      }
    }
    return AGAIN;
  }

  /**
   * A line step ends at the start of a different source line, or when execution comes back to the
   * first instruction of the line it started on (a loop); not between the instructions of one line
   * (a macro invocation).
   */
  private atNewLine(plan: Extract<Plan, { kind: 'step' }>, pc: number): boolean {
    if (!this.symbols.isLineStart(pc)) return false;
    const from = plan.from;
    if (!from) return true;
    const e = this.symbols.lineAt(pc);
    return !e || e.file !== from.file || e.line !== from.line || pc === from.address;
  }

  /** Run with a temporary exec slot at `address` in a vacant DRn; the exit says whether it fired. */
  private runUntil(address: number, budget: number): Exit {
    const info = this.store.slots.info();
    const vacant = info.find((s) => s.kind === 'vacant');
    if (!vacant) return this.target.run(1);
    const addr = this.store.slots.addresses();
    addr[vacant.index] = address;
    const dr7 = this.store.slots.dr7() | (1 << (2 * vacant.index));
    this.target.setHostDebug({ singleStep: false, dr7, addr });
    const exit = this.target.run(budget);
    this.programSlots(false);
    if (exit.reason === 'debug' && ((exit.dr6 >>> vacant.index) & 1) !== 0) {
      const rest = exit.dr6 & ~(1 << vacant.index);
      // Only the temporary slot fired: not a user breakpoint. Report as budget so the loop checks pc/sp.
      if ((rest & 0xf) === 0) return { reason: 'budget' };
      return { ...exit, dr6: rest };
    }
    return exit;
  }

  /**
   * Run while software breakpoints exist, so that the run ends at each of their addresses (and at
   * `goal`) before the instruction there executes. When they fit in the vacant debugger slots they
   * ride there for this run only (exec slots the guest cannot see, never reported: DR7 as shown
   * and the stop's DR6 hold only the user's hardware slots); otherwise one straight-line stretch at
   * a time (StraightLine). A 'budget' exit means "look at pc": the loop checks it.
   */
  private runToSoftware(goal: number | undefined, budget: number): Exit {
    const plan = this.softwarePlan(goal);
    if (this.emulator) {
      // The debug unit checks them where it checks exec slots: whole blocks run at full speed.
      this.install(plan.stops);
      return this.emulatorExit(this.target.run(budget));
    }
    if (plan.temp === 0) return this.target.runStraight(this.straight.count(this.target.pc(), plan.stops, budget));
    this.target.setHostDebug(plan.setting);
    const exit = this.target.run(budget);
    this.programSlots(false);
    if (exit.reason !== 'debug') return exit;
    const rest = exit.dr6 & ~plan.temp;
    if ((rest & 0xf) === 0 && (rest & 0x4000) === 0) return { reason: 'budget' };
    return { ...exit, dr6: rest >>> 0, dr7: this.hostDr7() };
  }

  /** One instruction; an emulator breakpoint at pc (e.g. a step-over goal) is taken off first. */
  private runOne(pc: number): Exit {
    if (this.installed?.has(pc)) this.install(null);
    return this.emulatorExit(this.target.run(1));
  }

  /** Put `stops` into the debug unit's emulator breakpoints (no-op when already there). */
  private install(stops: ReadonlySet<number> | null): void {
    if (stops === this.installed || !this.emulator) return;
    this.emulator(stops);
    this.installed = stops;
  }

  /** An emulator breakpoint exit alone means "look at pc"; with debugger-slot causes it stays a debug exit. */
  private emulatorExit(exit: Exit): Exit {
    if (exit.reason !== 'debug' || exit.emulatorBreakpoint !== true) return exit;
    this.emulatorStopped = true;
    if ((exit.dr6 & DR6_HOST_CAUSES) === 0) return LOOK_AT_PC;
    return { ...exit, emulatorBreakpoint: false };
  }

  /** The stop addresses and, when they fit in the vacant slots, the debugger setting carrying them (kept per breakpoint generation and goal). */
  private softwarePlan(goal: number | undefined): { stops: ReadonlySet<number>; temp: number; setting: HostDebugSetting } {
    const cached = this.softwareCache;
    if (cached && cached.generation === this.store.generation && cached.goal === goal) return cached;
    const stops = new Set(this.store.softwareAddresses());
    if (goal !== undefined) stops.add(goal);
    const vacant = this.store.slots.info().filter((s) => s.kind === 'vacant').map((s) => s.index);
    const addr = this.store.slots.addresses();
    let dr7 = this.store.slots.dr7();
    let temp = 0;
    if (stops.size <= vacant.length) {
      [...stops].forEach((a, i) => {
        const n = vacant[i];
        addr[n] = a;
        dr7 = (dr7 & ~(0xf << (16 + 4 * n))) | (1 << (2 * n));
        temp |= 1 << n;
      });
    }
    this.softwareCache = { generation: this.store.generation, goal, stops, temp, setting: { singleStep: false, dr7, addr } };
    return this.softwareCache;
  }

  private stepStop(): StopReport {
    return { reason: 'step', description: 'Paused after step', hitBreakpointIds: [], dr6: 0, dr7: this.hostDr7(), pc: this.target.pc(), exception: null };
  }

  private handleExit(exit: Exit, ran: number): SliceOutcome {
    switch (exit.reason) {
      case 'budget':
        this.executed = this.options.countInstructions ? this.options.countInstructions() : this.executed + ran;
        if (this.options.maxInstructions !== undefined && this.executed >= this.options.maxInstructions) {
          return { kind: 'end', code: 124, message: `x86dbg: stopped after ${this.executed} instructions (maxInstructions)` };
        }
        return AGAIN;
      case 'debug':
        return this.debugExit(exit);
      case 'exited':
        return { kind: 'end', code: exit.code, message: `Guest exited with code ${exit.code}` };
      case 'halted':
        return { kind: 'end', code: 0, message: 'Guest halted (HLT with interrupts disabled)' };
      case 'input':
        return { kind: 'input' };
      case 'fault':
        return this.faultExit(exit);
    }
  }

  private faultExit(exit: Extract<Exit, { reason: 'fault' }>): SliceOutcome {
    const name = exceptionName(exit.vector);
    const code = exit.signal !== undefined ? 128 + exit.signal : 128 + 11;
    const report: ExceptionReport = { vector: exit.vector, name, errorCode: exit.errorCode, address: exit.address, pc: exit.pc, message: exit.message, exitCode: code };
    this.events.output('stderr', `${exit.message}\n`);
    const decision = this.options.faultPolicy({ vector: exit.vector, errorCode: exit.errorCode, address: exit.address, pc: exit.pc }, this.evalContext());
    if (decision.note) this.events.output('console', decision.note + '\n');
    if (!decision.stop) return { kind: 'end', code, message: exit.message };
    this.lastException = report;
    this.pendingEnd = { code, message: exit.message };
    return {
      kind: 'stop',
      stop: { reason: 'exception', description: `Paused on ${name}`, text: exit.message, hitBreakpointIds: [], dr6: 0, dr7: this.hostDr7(), pc: exit.pc, exception: exit.vector },
    };
  }

  /** Does the instruction at `address` only store to memory (MOV, STOS, PUSH...), without reading its destination? */
  private isPureStore(address: number): boolean {
    const insn = this.decode(address);
    return insn !== null && PURE_STORES.has(insn.exec);
  }

  /** Conditions, hit counts and logpoints of records that fired. Returns those that stop. */
  private filterHits(records: BreakpointRecord[]): BreakpointRecord[] {
    const stopping: BreakpointRecord[] = [];
    for (const r of records) {
      if (r.condition && r.condition.trim() !== '') {
        const v = evaluateExpression(r.condition, this.evalContext());
        if (!v.ok) {
          this.events.output('console', `x86dbg: condition '${r.condition}' of ${r.label}: ${v.message} (stopping)\n`);
        } else if (v.value === 0n) continue;
      }
      r.hits++;
      if (r.hitCondition && r.hitCondition.trim() !== '') {
        const met = hitConditionMet(r.hitCondition, r.hits);
        if (typeof met === 'string') this.events.output('console', `x86dbg: ${met}\n`);
        else if (!met) continue;
      }
      if (r.logMessage !== undefined && r.logMessage !== '') {
        this.events.output('console', this.interpolate(r.logMessage) + '\n');
        continue;
      }
      stopping.push(r);
    }
    return stopping;
  }

  /** Logpoint text with `{expr}` replaced by values. */
  interpolate(message: string): string {
    return message.replace(/\{([^{}]+)\}/g, (_m, expr: string) => {
      const v = evaluateExpression(expr, this.evalContext());
      return v.ok ? '0x' + v.value.toString(16) : `<${v.message}>`;
    });
  }

  private softwareHit(pc: number): SliceOutcome | null {
    const ids = this.store.softwareAt(pc);
    if (!ids) return null;
    const records = ids.map((id) => this.store.get(id)).filter((r): r is BreakpointRecord => r !== undefined);
    const stopping = this.filterHits(records);
    if (stopping.length === 0) return null;
    const first = stopping[0];
    return {
      kind: 'stop',
      stop: {
        reason: reasonFor(first),
        description: `Paused on software breakpoint (${first.label})`,
        text: `Emulator breakpoint at 0x${pc.toString(16)} (not in DR0–DR3, invisible to the guest)`,
        hitBreakpointIds: stopping.map((r) => r.id),
        dr6: 0,
        dr7: this.hostDr7(),
        pc,
        exception: null,
      },
    };
  }

  /** A debugger-layer #DB: map B0–B3 to breakpoints, filter reads, evaluate conditions. */
  private debugExit(exit: Extract<Exit, { reason: 'debug' }>): SliceOutcome {
    this.lastDr6 = exit.dr6;
    const fired = this.store.recordsForDr6(exit.dr6);
    const accesses = exit.access ?? [];
    const relevant = fired.filter((r) => {
      if (r.origin !== 'data' || r.access !== 'read') return true;
      // R/W = 11 catches writes too: a read watch ignores accesses that only wrote its bytes.
      // The emulator reports a read-modify-write (ADD [m], r) as one write: that one also read.
      const touching = accesses.filter((a) => a.address <= r.address + r.length - 1 && a.address + a.size - 1 >= r.address);
      return touching.length === 0 || touching.some((a) => a.kind === 'read' || (a.kind === 'write' && !this.isPureStore(a.by)));
    });
    const stopping = this.filterHits(relevant);
    const singleStep = (exit.dr6 & 0x4000) !== 0;
    if (stopping.length === 0 && !singleStep) return AGAIN;
    const slotsHit = hitSlots(exit.dr6);
    const info = this.store.slots.info();
    const first = stopping[0];
    const slotIndex = first ? (slotsHit.find((i) => info[i].breakpointIds.includes(first.id)) ?? slotsHit[0]) : slotsHit[0];
    const slotKind = slotIndex !== undefined ? info[slotIndex].kind : 'exec';
    const what = slotKind === 'exec' ? 'instruction breakpoint' : slotKind === 'write' ? 'write watchpoint' : first?.access === 'read' ? 'read watchpoint' : 'read/write watchpoint';
    const description = first ? `Paused on DR${slotIndex} ${what}` : 'Paused after single step';
    const lines = [`DR6 = 0x${(exit.dr6 >>> 0).toString(16).toUpperCase().padStart(8, '0')} (${slotsHit.map((i) => `B${i}`).join(' ') || 'BS'})`];
    for (const r of stopping.filter((x) => x.origin === 'data')) lines.push(...describeAccess(r, accesses, { decode: this.decode, symbols: this.symbols, sourceText: this.options.sourceText }));
    return {
      kind: 'stop',
      stop: {
        reason: first ? reasonFor(first) : 'step',
        description,
        text: lines.join('\n'),
        hitBreakpointIds: stopping.map((r) => r.id),
        dr6: exit.dr6,
        dr7: exit.dr7,
        pc: exit.pc,
        exception: exit.exception,
      },
    };
  }
}
