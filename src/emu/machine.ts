// The Machine: the public face of the emulator. Construction in real, flat 32-bit protected or
// 64-bit long mode (hidden segment state set directly), registers by id, memory, step()/run()
// returning an Exit, pause, the debugger layer (setGuestDebug), exception/interrupt delivery and
// the environment. The per-instruction loop lives here; instruction semantics live in ops/.
// Imports src/isa, the emu core files, the debug unit and the environment interface.
import type { RegId } from '../isa/registers';
import { Cpu } from './cpu';
import * as cpuModule from './cpu';
import { Memory, type MapResult, type Region } from './memory';
import { DecodeCache } from './decodeCache';
import * as decodeCacheModule from './decodeCache';
import * as indexModule from './ops/index';
import { CpuFault } from './exceptions';
import * as exceptionsModule from './exceptions';
import * as flagsModule from './flags';
import type { Exit } from './exit';
import { BareEnvironment, type Environment, type SoftwareInterruptKind } from './environment';
import type { GuestDebugConfig } from './debug/debugUnit';
import type { InterruptSource } from './interruptSource';
import * as stateModule from './state';
import { getRegisterById, setRegisterById } from './registerAccess';
import * as raiseModule from './interrupts/raise';
import { InterruptWindow } from './interrupts/externalInterrupts';
import * as blockRunnerModule from './blockRunner';
import type { EventSource } from './interrupts/event';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { CS, DS, ES, FS, GS, SSEG, ATTR_DB, ATTR_L, ATTR_P, ATTR_S, ATTR_G, CR0_PE, EFER_LMA, EFER_LME } = cpuModule;
const { handlers, specialise } = indexModule;
const { compileBlock, COMPILE_AFTER } = decodeCacheModule;
const { describeFault, DB } = exceptionsModule;
const { getFlags, setFlags, TF, RF } = flagsModule;
const { raiseException, raiseSoftwareInterrupt } = raiseModule;
const { blockFits, chain, runArmedBlock, runBlock } = blockRunnerModule;

/** How to start the CPU: real mode, flat 32-bit protected mode, or 64-bit long mode. */
export type StartMode = 'real' | 'protected32' | 'long64';

export interface MachineOptions {
  /** Most bytes of guest memory that may be mapped (default 1 GiB). */
  memoryLimit?: number;
  /** The environment; default BareEnvironment (architectural delivery, HLT → halted). */
  env?: Environment;
}

/** Hidden and visible parts of a segment register. */
export interface SegmentState {
  selector: number;
  /** Linear base (64-bit FS/GS bases above 2^53 are not representable: 48-bit folded). */
  base: number;
  /** Limit in bytes (0xFFFF in real mode, 0xFFFFFFFF flat). */
  limit: number;
  /** Access rights in the VMX layout: type(0-3) S(4) DPL(5-6) P(7) AVL(12) L(13) D/B(14) G(15). */
  attributes: number;
}

const BUDGET: Exit = Object.freeze({ reason: 'budget' }) as Exit;
const TWO32 = 4294967296;

export class Machine extends Cpu {
  readonly cache: DecodeCache;
  /**
   * Called after each CALL, RET, IRET and each interrupt/exception delivered through the IVT, when
   * set (the adapter's shadow call stack): kind, linear address of the instruction, linear target,
   * and the stack pointer after the transfer (low 48 bits). One null test per such instruction.
   */
  controlTransferHook: ((kind: 'call' | 'ret' | 'int' | 'iret', from: number, to: number, sp: number) => void) | null = null;
  /**
   * Devices raising maskable interrupts (PIC/PIT/UART...), or null. The loop runs no further than
   * `nextEventAt()` and delivers requests at those boundaries (src/emu/interrupts/externalInterrupts.ts).
   */
  interrupts: InterruptSource | null = null;
  /** Set by requestPause(); the next run() (or the current one) returns {reason:'budget'}. */
  private pauseRequested = false;
  /** The STI / MOV SS shadow and interrupt re-checks. */
  private readonly irqWindow = new InterruptWindow();

  constructor(options: MachineOptions = {}) {
    super(new Memory(options.memoryLimit));
    this.env = options.env ?? new BareEnvironment();
    this.cache = new DecodeCache(this, handlers, specialise);
    this.resetRealMode();
  }

  // ================= modes ==================================================================

  /** Power-on-like real mode: CS:IP = 0000:0000 (the caller sets it), all segments base 0 limit 64 KiB. */
  resetRealMode(): void {
    this.cr0 = 0x60000010;
    this.efer = 0;
    this.cpl = 0;
    for (let s = 0; s < 6; s++) this.setSegmentRaw(s, 0, 0, 0xffff, ATTR_P | ATTR_S | (s === CS ? 0xb : 0x3));
    setFlags(this, 0x2);
    this.updateMode();
  }

  /**
   * Flat 32-bit protected mode without a GDT in guest memory: CS/SS/DS/ES/FS/GS base 0, limit 4 GiB,
   * 32-bit, DPL = `cpl` (3 for Linux user mode). Paging stays off.
   */
  enterProtected32(cpl: 0 | 3 = 3): void {
    this.cr0 = (this.cr0 | CR0_PE) >>> 0;
    this.efer = 0;
    this.cpl = cpl;
    this.idtrBase = this.idtrLimit = 0; // no guest IDT (environmentOwnsIdt)
    this.cplChanged();
    const dpl = cpl << 5;
    const rpl = cpl;
    this.setSegmentRaw(CS, 0x08 | rpl | (cpl === 3 ? 0x10 : 0), 0, 0xffffffff, ATTR_P | ATTR_S | ATTR_DB | ATTR_G | dpl | 0xb);
    for (const s of [ES, SSEG, DS, FS, GS]) this.setSegmentRaw(s, 0x10 | rpl | (cpl === 3 ? 0x10 : 0), 0, 0xffffffff, ATTR_P | ATTR_S | ATTR_DB | ATTR_G | dpl | 0x3);
    this.updateMode();
  }

  /**
   * 64-bit long mode without guest-built tables: EFER.LME/LMA set, CS.L = 1, data segments null
   * with base 0 (FS/GS bases settable through setSegment or the FS_BASE/GS_BASE MSRs).
   */
  enterLong64(cpl: 0 | 3 = 3): void {
    this.cr0 = (this.cr0 | CR0_PE | 0x80000000) >>> 0;
    this.cr4 |= 0x20;
    this.efer = EFER_LME | EFER_LMA | 0x1 | 0x800;
    this.cpl = cpl;
    this.idtrBase = this.idtrLimit = 0; // no guest IDT (environmentOwnsIdt)
    this.cplChanged();
    const dpl = cpl << 5;
    this.setSegmentRaw(CS, cpl === 3 ? 0x33 : 0x08, 0, 0xffffffff, ATTR_P | ATTR_S | ATTR_L | ATTR_G | dpl | 0xb);
    for (const s of [ES, SSEG, DS]) this.setSegmentRaw(s, cpl === 3 ? 0x2b : 0x10, 0, 0xffffffff, ATTR_P | ATTR_S | ATTR_DB | ATTR_G | dpl | 0x3);
    for (const s of [FS, GS]) this.setSegmentRaw(s, 0, 0, 0xffffffff, ATTR_P | ATTR_S | ATTR_DB | ATTR_G | dpl | 0x3);
    this.updateMode();
  }

  /** Start the machine in one of the three start modes (see enterProtected32/enterLong64). */
  start(mode: StartMode, cpl: 0 | 3 = 3): void {
    if (mode === 'real') this.resetRealMode();
    else if (mode === 'protected32') { this.resetRealMode(); this.enterProtected32(cpl); }
    else { this.resetRealMode(); this.enterLong64(cpl); }
  }

  /** Recompute the derived mode fields after CR0/EFER/CS/SS changed; flushes decoded code when the code size changes. */
  updateMode(): void {
    const old = this.codeBits;
    this.real = (this.cr0 & CR0_PE) === 0;
    const lma = (this.efer & EFER_LMA) !== 0;
    const csAttr = this.segAttr[CS];
    this.mode64 = !this.real && lma && (csAttr & ATTR_L) !== 0;
    this.codeBits = this.mode64 ? 64 : !this.real && (csAttr & ATTR_DB) !== 0 ? 32 : 16;
    this.stackSize = this.mode64 ? 8 : !this.real && (this.segAttr[SSEG] & ATTR_DB) !== 0 ? 4 : 2;
    if (this.real && this.cpl !== 0) {
      this.cpl = 0;
      this.cplChanged();
    }
    if (old !== this.codeBits) this.cache.flush();
  }

  /** The A20 gate (real mode wraps at 1 MiB while it is off). */
  setA20(enabled: boolean): void {
    this.a20Mask = enabled ? 0x1fffff : 0xfffff;
    this.cache.flush();
  }

  /** Current mode name for views: 'real', 'protected32', 'protected16', 'long64', 'compat32', 'compat16'. */
  modeName(): string {
    if (this.real) return 'real';
    if (this.mode64) return 'long64';
    const lma = (this.efer & EFER_LMA) !== 0;
    return (lma ? 'compat' : 'protected') + this.codeBits;
  }

  // ================= segments ================================================================

  private setSegmentRaw(s: number, sel: number, base: number, limit: number, attr: number): void {
    this.segSel[s] = sel;
    this.segBase[s] = base;
    this.segLimit[s] = limit;
    this.segAttr[s] = attr;
    this.segmentLoaded(s);
  }

  /** Read a segment register with its hidden part (s: 0..5 = ES CS SS DS FS GS). */
  getSegment(s: number): SegmentState {
    return { selector: this.segSel[s], base: this.segBase[s], limit: this.segLimit[s], attributes: this.segAttr[s] };
  }

  /** Set a segment register's visible and hidden parts directly (no descriptor checks). */
  setSegment(s: number, st: SegmentState): void {
    this.setSegmentRaw(s, st.selector & 0xffff, st.base, st.limit, st.attributes);
    if (s === CS || s === SSEG) this.updateMode();
  }

  /** Real-mode segment load: base = selector * 16. */
  loadRealSegment(s: number, selector: number): void {
    this.segSel[s] = selector & 0xffff;
    this.segBase[s] = (selector & 0xffff) * 16;
    this.segmentLoaded(s);
  }

  // ================= registers ==============================================================

  /** Value of any register by id (src/isa/registers.ts), as bigint (exact at every width). */
  getRegister(id: RegId): bigint {
    return getRegisterById(this, id);
  }

  /** Set any register by id; the value is truncated to the register's width. */
  setRegister(id: RegId, value: bigint | number): void {
    setRegisterById(this, id, value);
  }

  /** RIP as a 64-bit value. */
  getRip(): bigint {
    if (!this.mode64) return BigInt(this.rip);
    const [lo, hi] = Cpu.unfold(this.rip);
    return (BigInt(hi >>> 0) << 32n) | BigInt(lo);
  }

  /** Set RIP (64-bit values are folded to 48 bits; non-canonical values keep their low 48 bits). */
  setRip(v: bigint | number): void {
    const b = BigInt.asUintN(64, BigInt(v));
    if (this.mode64) this.rip = Number(b & 0xffffffffffffn);
    else if (this.codeBits === 32) this.rip = Number(b & 0xffffffffn);
    else this.rip = Number(b & 0xffffn);
  }

  /** Linear address of the next instruction (CS base + RIP): what breakpoints and Exit.pc use. */
  pc(): number {
    return this.codeLinear(this.rip);
  }

  /** RFLAGS (exact; lazy flags evaluated). */
  getRflags(): number {
    return getFlags(this);
  }

  /** Set RFLAGS (reserved bits forced as the CPU does). */
  setRflags(v: number): void {
    setFlags(this, v);
  }

  // ================= memory =================================================================

  /** Map guest memory (page-rounded) with PERM_* bits from memory.ts. */
  map(addr: number, size: number, perm: number, name = ''): MapResult {
    return this.mem.map(addr, size, perm, name);
  }
  unmap(addr: number, size: number): MapResult {
    return this.mem.unmap(addr, size);
  }
  protect(addr: number, size: number, perm: number): MapResult {
    return this.mem.protect(addr, size, perm);
  }
  regions(): Region[] {
    return this.mem.listRegions();
  }
  /** Read guest memory (linear) with no permission checks, faults or debug hooks; null if unmapped. */
  readMemory(addr: number, len: number): Uint8Array | null {
    return this.debuggerRead(addr, len);
  }
  /** Write guest memory (linear) with no permission checks or hooks; decoded code there is dropped. */
  writeMemory(addr: number, bytes: Uint8Array): boolean {
    return this.debuggerWrite(addr, bytes);
  }

  // ================= state ==================================================================

  /** The machine state as JSON (docs/machine-state.md). */
  saveState(): stateModule.MachineStateJson {
    return stateModule.saveState(this);
  }

  /** Apply a full or partial JSON state; errors are returned, never thrown. */
  loadState(state: unknown): stateModule.LoadStateResult {
    try {
      return stateModule.loadState(this, state);
    } catch (e) {
      return { ok: false, message: e instanceof Error ? e.message : String(e) };
    }
  }

  // ================= debugger layer ==========================================================

  /** The debugger's own DR slots (KVM_SET_GUEST_DEBUG); see src/emu/debug/debugUnit.ts. */
  setGuestDebug(config: GuestDebugConfig | null): void {
    this.debug.setGuestDebug(config);
    this.syncDataWatch();
  }

  /** Ask a running (or the next) run() to return {reason:'budget'} at the next instruction boundary. */
  requestPause(): void {
    this.pauseRequested = true;
    this.stopAt = 0;
  }

  /**
   * HLT with IF = 1 (Environment.halt of a bare machine): idle the InterruptSource until a request is
   * pending — true, the run loop delivers it right after the HLT — or nothing can raise one (false,
   * also with IF = 0 or no interrupts attached): end the run as halted then.
   */
  waitForInterrupt(): boolean {
    const src = this.interrupts;
    if (src === null || !this.irqWindow.waitForInterrupt(this, src)) return false;
    this.stopAt = 0;
    return true;
  }

  /**
   * An instruction set RFLAGS.IF from 0 to 1: STI (`shadow` = true: interrupts wait until after the
   * next instruction, SDM Vol. 2 STI), POPF, IRET, SYSRET, a task switch (false). The loop stops after
   * it to look at pending requests. No-op without an InterruptSource.
   */
  interruptWindowOpened(shadow: boolean): void {
    if (this.interrupts === null) return;
    if (shadow) this.irqWindow.openShadow();
    this.irqWindow.recheckNow(this);
    this.stopAt = 0;
  }

  /**
   * A device changed its request lines or its next event time outside the loop's schedule (a port
   * write programming the PIT or unmasking the PIC, HLT idling the devices): the loop stops after the
   * current instruction, re-reads nextEventAt() and delivers what is pending. No-op without interrupts.
   */
  interruptsChanged(): void {
    this.interruptWindowOpened(false);
  }

  /** MOV SS / POP SS executed: no external interrupt before the next instruction retires (SDM Vol. 3 §6.8.3). */
  interruptShadow(): void {
    this.interruptWindowOpened(true);
  }

  /** End the current run with `exit` after the current instruction (environments call this). */
  stop(exit: Exit): void {
    this.pendingExit = exit;
    this.stopAt = 0;
  }

  // ================= running ================================================================

  /** Execute one instruction (or one REP iteration). */
  step(): Exit {
    return this.run(1);
  }

  /** Run until an exit or `budget` instructions have retired. Never throws. */
  run(budget: number): Exit {
    this.pendingExit = null;
    this.syncDataWatch(); // slots changed between runs (setGuestRegister, loadState, reset, ...)
    if (this.pauseRequested) {
      this.pauseRequested = false;
      return BUDGET;
    }
    const end = this.icount + Math.max(0, Math.floor(budget));
    const src = this.interrupts;
    if (src === null) {
      this.stopAt = end;
      do this.slice();
      while (this.pendingExit === null && this.icount < this.stopAt);
    } else {
      this.runWithInterrupts(src, end);
    }
    this.pauseRequested = false;
    const exit = this.pendingExit;
    this.pendingExit = null;
    // DEBUG HOOK 5 (added by helper "debug"): a debugger trap of the slice's last instruction
    // (data hit, single-step) ends this run() rather than waiting for the next one.
    if (exit === null && this.debug.hostTrapPending && this.debug.beginInstruction(this.pc(), getFlags(this)) === 'exit') return this.debug.takeExit();
    return exit ?? BUDGET;
  }

  /**
   * run() with an InterruptSource: slices end at the devices' next event (or a re-check after IF was
   * set), where the devices advance and a pending request is delivered; the budget still ends the
   * run, and a pause ends it at the end of the current slice.
   */
  private runWithInterrupts(src: InterruptSource, end: number): void {
    const win = this.irqWindow;
    for (;;) {
      win.service(this, src);
      if (this.pendingExit !== null || this.pauseRequested || this.icount >= end) return;
      const next = win.nextStop(this, src); // at least one instruction: a stuck (or NaN) event time cannot stall the loop
      this.stopAt = Math.min(end, next > this.icount ? next : this.icount + 1);
      this.slice();
      if (this.pendingExit !== null || this.pauseRequested || this.icount >= end) return;
    }
  }

  /** Run the loop up to stopAt; a fault is delivered (or ends the run) and the slice ends. */
  private slice(): void {
    try {
      this.loop();
    } catch (e) {
      this.onThrow(e);
    }
  }

  /**
   * The hot loop. With nothing armed in the debug unit and no TF/RF, whole blocks run back to back
   * (no per-instruction boundary work); otherwise one instruction at a time with the debug hooks.
   */
  private loop(): void {
    const cache = this.cache;
    const dbg = this.debug;
    while (this.icount < this.stopAt) {
      const rip = this.rip;
      const lin = this.mode64 ? rip : this.real ? (this.segBase[CS] + rip) & this.a20Mask : (this.segBase[CS] + rip) >>> 0;
      let block = lin < TWO32 && lin >>> 12 === cache.curPn ? cache.curSlots[lin & 0xfff] : undefined;
      const trapFlags = (this.flagsRest & (TF | RF)) !== 0;
      // DEBUG HOOK 1: instruction boundary (exec slots, pending traps, RF, TF).
      if (dbg.armed || trapFlags) {
        // One check per block: when an already decoded block may run whole (nothing pending, no exec
        // slot inside it, TF/RF clear), beginInstruction at its start would answer 'execute' with no
        // effect, so it is skipped. Otherwise (or when the block is not decoded yet: decoding may
        // fault, and an exec slot comes first) the boundary call is made as usual.
        if (!trapFlags && block !== undefined && blockFits(this, block, rip) && dbg.blockMayRunMemo(lin, block.bytes, block)) {
          runArmedBlock(this, block, rip);
          // DEBUG HOOK 4 for the last op (a data/I/O hit, MOV SS shadow, ICEBP).
          if (dbg.afterArmed) dbg.endInstruction();
          continue;
        }
        this.insnStart = rip;
        const action = dbg.beginInstruction(lin, this.flagsRest | 2);
        if (action === 'exit') { this.stop(dbg.takeExit()); return; }
        if (action === 'guest-db') { this.deliverTrapOrFault(DB, undefined, undefined, rip, ''); continue; }
      }
      if (block === undefined) {
        this.insnStart = rip;
        block = cache.lookup(lin);
      }
      const ops = block.ops;
      const n = ops.length;
      if (!trapFlags && blockFits(this, block, rip)) {
        const unarmed = !dbg.armed && !dbg.dataArmed && !dbg.ioArmed && !dbg.afterArmed;
        // With slots armed, a block may still run whole when no exec slot lies inside it and nothing
        // is pending; data/I/O hits then end it after the hitting instruction (checked per op).
        if (unarmed) {
          // Nothing watched: a hot block runs as one compiled function (same semantics as runBlock).
          const compiled = block.compiled;
          if (compiled !== null) { compiled(this, rip, cache); chain(this, false); }
          else if (++block.runs >= COMPILE_AFTER) (block.compiled = compileBlock(block, false, this.codeBits))(this, rip, cache);
          else runBlock(this, ops, n, rip, false);
          // DEBUG HOOK 4 for the last op (an op of the block may have armed it, e.g. MOV SS).
          if (dbg.afterArmed) dbg.endInstruction();
          continue;
        }
        if (dbg.blockMayRunMemo(lin, block.bytes, block)) {
          runArmedBlock(this, block, rip);
          // DEBUG HOOK 4 for the last op (a data/I/O hit, MOV SS shadow, ICEBP).
          if (dbg.afterArmed) dbg.endInstruction();
          continue;
        }
      }
      const op = ops[0];
      this.insnStart = rip;
      const next = rip + op.len;
      this.rip = this.codeBits === 32 ? next >>> 0 : this.codeBits === 16 ? next & 0xffff : next;
      op.h(this, op);
      this.icount++;
      // DEBUG HOOK 4: after the instruction (data hits, single-step, MOV SS shadow, REP break).
      if (dbg.afterArmed) dbg.endInstruction();
    }
  }

  /** A throw out of a handler: an architectural fault (restart at insnStart) or an emulator bug. */
  private onThrow(e: unknown): void {
    // DEBUG HOOK 4': the faulting instruction's pending traps are discarded.
    this.debug.instructionFaulted();
    if (e instanceof CpuFault) {
      this.rip = this.insnStart;
      this.deliverTrapOrFault(e.vector, e.errorCode, e.address, this.insnStart, describeFault(e));
      return;
    }
    const msg = e instanceof Error ? e.message : String(e);
    this.rip = this.insnStart;
    this.stop({ reason: 'fault', vector: 6, pc: this.pc(), message: `emulator internal error: ${msg}` });
  }

  /**
   * Raise exception `vector` to the guest: the environment decides first; 'deliver' goes through the
   * IVT (real mode) or the guest's IDT (src/emu/interrupts/), or becomes a 'fault' Exit while the
   * environment owns the IDT (environmentOwnsIdt). `rip` is the value pushed (faulting instruction
   * for faults, next instruction for traps); `source` 'fault' pushes RF = 1 (except #DB).
   */
  deliverTrapOrFault(vector: number, errorCode: number | undefined, address: number | undefined, rip: number, message: string, source: EventSource = 'fault'): void {
    raiseException(this, vector, errorCode, address, rip, message, source);
  }

  /** Report a control transfer of the current instruction to controlTransferHook. */
  reportControlTransfer(kind: 'call' | 'ret' | 'int' | 'iret'): void {
    const sp = this.stackSize === 8 ? (this.regsHi[4] & 0xffff) * TWO32 + (this.regs[4] >>> 0) : this.stackSize === 4 ? this.regs[4] >>> 0 : this.regs[4] & 0xffff;
    this.controlTransferHook?.(kind, this.codeLinear(this.insnStart), this.pc(), sp);
  }

  /** Apply an environment's 'stop' result: retry rewinds RIP to the instruction. */
  applyStop(r: { exit: Exit; retry?: boolean }): void {
    if (r.retry) this.rip = this.insnStart;
    this.stop(r.exit);
  }

  /**
   * INT n / INT3 / INTO / INT1 after the environment was asked (RIP is past the instruction):
   * through the IVT or the guest's IDT (INT n, INT3, INTO check the gate DPL; INT1 does not).
   * While the environment owns the IDT: INT3/INTO become #BP/#OF and INT n #GP(n·8+2) for it.
   */
  softwareInterrupt(vector: number, kind: SoftwareInterruptKind): void {
    raiseSoftwareInterrupt(this, vector, kind);
  }
}
