// The debug unit: the guest's architectural DR0–DR7 and the debugger's own slots (setGuestDebug,
// KVM-style), checked debugger first, then guest, at every instruction boundary, data access and
// port I/O; RF, TF/BS, the MOV SS/POP SS shadow, trap merging, general detect, DR4/DR5 aliasing.
// The CPU core calls it through the hooks documented on each method (see /work/coord/dbg.md and the old debug.md).
// Imports ./registers, ./matcher, ./movDrDecode, ./debugTypes and the Exit contract of src/emu.

import type { DebugAccess, Exit } from '../exit';
import { EMULATOR_BIT, SlotMatcher } from './matcher';
import { movDrIndex } from './movDrDecode';
import type { BoundaryAction, DebugCpuPort, DrAccessResult, GuestDebugConfig, GuestDebugRegisters, HostDebugRegisters } from './debugTypes';
import {
  CR4_DE,
  DR6_BD,
  DR6_BS,
  DR6_BT,
  DR6_RESET,
  DR7_GD,
  DR7_LOCAL_MASK,
  DR7_RESET,
  EFLAGS_RF,
  EFLAGS_TF,
  dr6AfterDebugException,
  dr6AfterWrite,
  dr7AfterWrite,
  enabledMask,
  guestIncluded,
} from './registers';

export type { BoundaryAction, DebugCpuPort, DrAccessResult, GuestDebugConfig, GuestDebugRegisters, HostDebugRegisters } from './debugTypes';

const OK_ZERO: DrAccessResult = { kind: 'ok', lo: 0, hi: 0 };
const UD: DrAccessResult = { kind: 'exception', vector: 6 };
const GP0: DrAccessResult = { kind: 'exception', vector: 13, errorCode: 0 };
const DB_GD: DrAccessResult = { kind: 'exception', vector: 1 };
/** Bytes of an access recorded for the debugger (before/after). */
const MAX_RECORDED_BYTES = 64;
const TWO32 = 0x100000000;
/**
 * EFLAGS.TF|RF as a module-local literal for the per-instruction fast path: under tsx/esbuild's
 * CommonJS output an imported constant is a getter call on every use (measured ~10x slower here).
 */
const TF_OR_RF = 0x00010100;
/** Source of DebugUnit.slotGeneration values (unique across units). */
let slotGenerations = 0;

/** The two-layer debug unit; one per Machine. */
export class DebugUnit {
  // ---- hot-path guards the CPU reads (one boolean test each) ----
  /** Call beginInstruction when `armed || (rflags & (TF|RF)) !== 0`. */
  armed = false;
  /** Set to a value never used before (by any unit) whenever the slots are recompiled. */
  slotGeneration = 0;
  /** Call dataAccess for every data memory access when true. */
  dataArmed = false;
  /** Call ioAccess for every IN/OUT/INS/OUTS port access when true. */
  ioArmed = false;
  /** Call endInstruction after the instruction completes (or a REP iteration breaks) when true. */
  afterArmed = false;

  // ---- the guest's architectural registers ----
  private readonly guestLo = [0, 0, 0, 0];
  private readonly guestHi = [0, 0, 0, 0];
  private readonly guestAddr = [0, 0, 0, 0];
  private guestDr6 = DR6_RESET;
  private guestDr7 = DR7_RESET;
  /** Enabled guest slots (bit n). */
  private guestEnabled = 0;

  // ---- the debugger's slots ----
  private readonly hostAddr = [0, 0, 0, 0];
  private hostDr7 = 0;
  private hostEnabled = 0;
  private hostSingleStep = false;
  /** The debugger's DR7.GD: stop before every guest MOV to/from DRn that would execute (KVM handle_dr). */
  private hostGd = false;
  private readonly insnBytes = new Uint8Array(15);

  private readonly matcher = new SlotMatcher();
  private readonly dataPage = this.matcher.dataPage;
  private readonly dataGranule = this.matcher.dataGranule;

  // ---- the instruction in flight ----
  private tfAtStart = false;
  private curHost = 0;
  private curGuest = 0;
  private curAccesses: DebugAccess[] | null = null;
  private ssLoadedNow = false;
  private inShadowNow = false;
  private repBroken = false;

  // ---- pending at the next boundary ----
  private pendHost = 0;
  private pendGuest = 0;
  private pendIcebp = false;
  private pendAccesses: DebugAccess[] | null = null;
  /** The next boundary is inside a MOV SS/POP SS shadow (guest traps held, guest exec bp skipped). */
  private shadow = false;
  /** The next boundary resumes a REP instruction broken mid-way at repResumePc (no exec-slot check in either layer). */
  private repResume = false;
  private repResumePc = 0;
  /** Skip the debugger's exec slots once at hostSkipPc (RF semantics of a debug exit). */
  private hostSkip = false;
  private hostSkipPc = 0;
  private exit: Exit | null = null;
  /**
   * Nothing pending and no single-step: the boundary only has to look at the exec slots. Public so
   * compiled code can inline blockMayRunMemo's fast answer: `memo.clearGeneration === slotGeneration
   * && quiet && !afterArmed` means true (read only; the unit keeps it up to date).
   */
  quiet = true;

  constructor(private readonly port: DebugCpuPort) {
    this.rebuild();
  }

  /** RESET/INIT: DR0–3 = 0, DR6 = FFFF0FF0h, DR7 = 400h; the debugger's slots are kept. */
  reset(): void {
    for (let n = 0; n < 4; n++) this.guestLo[n] = this.guestHi[n] = this.guestAddr[n] = 0;
    this.guestDr6 = DR6_RESET;
    this.guestDr7 = DR7_RESET;
    this.clearTransient();
    this.rebuild();
  }

  /** Replace the debugger's slots (KVM_SET_GUEST_DEBUG). Invisible to the guest. null = detach. */
  setGuestDebug(config: GuestDebugConfig | null): void {
    this.hostSingleStep = config?.singleStep ?? false;
    const hw = config?.hw ?? null;
    this.hostDr7 = hw ? dr7AfterWrite(hw.dr7) : 0;
    this.hostGd = (this.hostDr7 & DR7_GD) !== 0;
    for (let n = 0; n < 4; n++) this.hostAddr[n] = hw ? hw.addr[n] ?? 0 : 0;
    if (!hw) this.pendHost &= DR6_BS;
    if (!this.hostSingleStep) this.pendHost &= ~DR6_BS;
    this.rebuild();
  }

  /**
   * The debugger's emulator breakpoints (linear addresses, unlimited; null or empty = none): checked
   * with the debugger's exec slots, before the instruction runs, invisible to the guest and to DR6/DR7.
   * A hit ends run() with `{ reason: 'debug', dr6: FFFF0FF0h | host bits, dr7, pc, exception: 1,
   * emulatorBreakpoint: true }`; resuming runs that instruction once (like RF for exec slots).
   */
  setEmulatorBreakpoints(addresses: ReadonlySet<number> | null): void {
    this.matcher.setEmulator(addresses);
    this.slotGeneration = ++slotGenerations;
    this.updateArmed();
  }

  /**
   * The linear pages holding a byte of an armed data slot of either layer into `pages` (≤ 8; returns
   * how many) and the k-th page's granule filters at k * 64 in `reads`/`writes` (1 where an access of
   * ≤ 8 bytes may hit a slot firing on that type, SlotMatcher.watchedGranules). Valid until slotGeneration changes.
   */
  watchedPages(pages: Float64Array, reads: Uint8Array, writes: Uint8Array): number {
    const count = this.matcher.dataSlotPages(pages);
    for (let k = 0; k < count; k++) {
      this.matcher.watchedGranules(pages[k], false, reads, k * 64);
      this.matcher.watchedGranules(pages[k], true, writes, k * 64);
    }
    return count;
  }

  /** The debugger layer's registers. */
  hostRegisters(): HostDebugRegisters {
    return { dr: [...this.hostAddr], dr7: this.hostDr7, singleStep: this.hostSingleStep };
  }

  /** The guest's DR0–DR3, DR6, DR7 (what MOV from DRn reads). */
  guestRegisters(): GuestDebugRegisters {
    return { dr: [...this.guestAddr], dr6: this.guestDr6, dr7: this.guestDr7 };
  }

  /**
   * Set a guest register directly (debugger edits, saved-state load): no privilege or GD checks;
   * DR6/DR7 still get their write masks. index 0–3, 6 or 7; value as a number (exact below 2^53).
   */
  setGuestRegister(index: number, value: number): void {
    const lo = value % TWO32 >>> 0;
    const hi = Math.floor(value / TWO32) >>> 0;
    this.writeGuest(index, lo, hi);
  }

  // ================= instruction boundary =================

  /**
   * Call before the instruction at linear `pc` (CS base + RIP) is fetched, when
   * `armed || (rflags & (TF|RF)) !== 0`. `rflags` needs exact TF and RF. Checks pending traps of the
   * previous instruction and the exec slots (debugger layer first, then the guest's), clears RF
   * after the check, notes TF for single-step.
   */
  beginInstruction(pc: number, rflags: number): BoundaryAction {
    // Fast path: only exec slots armed, nothing pending, TF and RF clear, no slot at pc.
    if (this.quiet && (rflags & TF_OR_RF) === 0 && this.matcher.matchExec(pc) === 0) return 'execute';
    return this.checkBoundary(pc, rflags);
  }

  private checkBoundary(pc: number, rflags: number): BoundaryAction {
    if ((this.curHost | this.curGuest) !== 0) this.foldEventHits();
    const rf = (rflags & EFLAGS_RF) !== 0;
    const skipExec = this.repResume && pc === this.repResumePc;
    // The debugger layer, first (never blocked by the MOV SS shadow or the guest's RF).
    let host = this.pendHost;
    const resumed = this.hostSkip && pc === this.hostSkipPc;
    let emulator = false;
    if (!skipExec && this.matcher.execSlots & (0xf | EMULATOR_BIT) && !resumed) {
      const m = this.matcher.matchExec(pc);
      host |= m & 0xf;
      emulator = (m & EMULATOR_BIT) !== 0;
    }
    // The debugger's general detect: a fault-like stop before the MOV DRn (after its #UD and CPL
    // checks, which stay the guest's); resuming runs the MOV once, as after an exec-slot exit.
    if (this.hostGd && !resumed && this.hostGeneralDetect(pc)) host |= DR6_BD;
    this.hostSkip = false;
    if (host !== 0 || emulator) return this.exitAt(pc, host, emulator);
    // The guest's layer.
    if (this.shadow) {
      // MOV SS/POP SS shadow: held traps wait one more instruction, no guest exec check (Intel).
      this.shadow = false;
      this.inShadowNow = true;
    } else {
      let guest = this.pendGuest;
      if (!rf && !skipExec && this.matcher.execSlots & 0xf0) {
        const m = this.matcher.matchExec(pc) >>> 4;
        if (m & this.guestEnabled) guest |= m;
      }
      if (guest !== 0 || this.pendIcebp) return this.deliverGuest(guest);
    }
    this.repResume = false;
    if (rf) this.port.setResumeFlag(false);
    this.tfAtStart = (rflags & EFLAGS_TF) !== 0;
    this.afterArmed = this.tfAtStart || this.hostSingleStep || this.inShadowNow;
    this.updateArmed();
    return 'execute';
  }

  /**
   * true when a debugger-layer trap (data/I/O hit, single-step) of the last instruction waits for the
   * next boundary. run() checks it when its budget ends so the exit is not deferred to the next run():
   * `if (debug.hostTrapPending && debug.beginInstruction(pc, rflags) === 'exit') return debug.takeExit()`
   * (with host bits pending, beginInstruction exits before touching RF, TF or the guest layer).
   */
  get hostTrapPending(): boolean {
    return this.pendHost !== 0;
  }

  /**
   * true when the next boundary has debug work that outranks an external interrupt (SDM Table 6-2:
   * traps on the previous instruction, priority 4, before INTR, priority 5): a pending trap of either
   * layer (data/I/O hit, single-step, BT), a pending ICEBP, or an open MOV SS/POP SS shadow.
   * The run loop then lets beginInstruction run before it delivers an interrupt.
   */
  get trapPending(): boolean {
    return this.pendHost !== 0 || this.pendGuest !== 0 || this.pendIcebp || this.shadow;
  }

  /**
   * For a CPU that runs straight-line blocks without per-instruction boundary calls: true when the
   * block of `length` bytes at linear `start` may run that way although `armed` is set — nothing is
   * pending, no single-step, and no exec slot of either layer lies inside it (the caller already
   * checked TF/RF clear). Inside such a block the CPU must still check `afterArmed` after each
   * instruction and, when set, call endInstruction() and leave the block (a data/I/O hit, a MOV SS).
   */
  blockMayRun(start: number, length: number): boolean {
    return this.quiet && !this.afterArmed && !this.matcher.execInRange(start, length);
  }

  /**
   * blockMayRun for a block whose address and length never change, with a memo the CPU keeps on the
   * block: "no exec slot inside" is remembered under `slotGeneration`, so a loop pays one compare.
   */
  blockMayRunMemo(start: number, length: number, memo: { clearGeneration: number }): boolean {
    if (!this.quiet || this.afterArmed) return false;
    if (memo.clearGeneration === this.slotGeneration) return true;
    if (this.matcher.execInRange(start, length)) return false;
    memo.clearGeneration = this.slotGeneration;
    return true;
  }

  /** The 'debug' Exit prepared by the last beginInstruction that returned 'exit'. */
  takeExit(): Exit {
    const exit = this.exit ?? { reason: 'debug', dr6: DR6_RESET, dr7: this.hostDr7, pc: 0, exception: 1 };
    this.exit = null;
    return exit;
  }

  private exitAt(pc: number, bits: number, emulator: boolean): BoundaryAction {
    const exit: Exit = { reason: 'debug', dr6: (bits | DR6_RESET) >>> 0, dr7: this.hostDr7 >>> 0, pc, exception: 1 };
    if (this.pendAccesses) exit.access = this.pendAccesses;
    if (emulator) exit.emulatorBreakpoint = true;
    this.exit = exit;
    this.pendHost = 0;
    this.pendAccesses = null;
    this.hostSkip = true;
    this.hostSkipPc = pc;
    this.updateArmed();
    return 'exit';
  }

  /**
   * true when the instruction about to run is a MOV to/from DR0–DR7 that passes the #UD (DR8–15,
   * DR4/DR5 with CR4.DE) and CPL checks — what KVM's handle_dr reports as a GD exit under USE_HW_BP.
   */
  private hostGeneralDetect(pc: number): boolean {
    const bytes = this.insnBytes;
    let length = bytes.length;
    while (length > 2 && !this.port.peekLinear(pc, bytes.subarray(0, length))) length--;
    if (length <= 2) return false;
    const index = movDrIndex(bytes, length, this.port.mode64 === true);
    if (index < 0 || index >= 8) return false;
    if ((index === 4 || index === 5) && (this.port.getCr4() & CR4_DE) !== 0) return false;
    return this.port.getCpl() === 0;
  }

  private deliverGuest(payload: number): BoundaryAction {
    // Every #DB replaces B0–B3 (none for ICEBP alone) and keeps BD/BS/BT (§3.2).
    this.guestDr6 = dr6AfterDebugException(this.guestDr6, payload);
    this.guestDr7 &= ~DR7_GD;
    this.pendGuest = 0;
    this.pendIcebp = false;
    this.repResume = false;
    this.updateArmed();
    return 'guest-db';
  }

  // ================= during the instruction =================

  /**
   * Call for every data memory access of the instruction when `dataArmed`, BEFORE the access is
   * performed (so the bytes before it can be recorded): explicit operands and implicit ones (stack,
   * string iterations, frames, far pointers...), linear address, size in bytes, write = true for
   * writes and read-modify-writes. Never for instruction fetches or descriptor-table reads.
   */
  dataAccess(address: number, size: number, write: boolean): void {
    // Page filter first, here, so accesses to unwatched pages cost no further call (the same index
    // and span as SlotMatcher's filter; literals because imported constants cost a getter under tsx).
    if (size <= 64) {
      const page = this.dataPage[(address >>> 12) & 4095];
      if (page === 0) return;
      // The granule filter too (as SlotMatcher.matchData does), so a miss costs no further call.
      if ((page & this.dataGranule[(address >>> 6) & 65535] & (write ? this.matcher.writeSlots : this.matcher.readSlots)) === 0) return;
    }
    const m = this.matcher.matchData(address, size, write);
    if (m === 0) return;
    this.recordHits(m, address, size, write ? 'write' : 'read');
  }

  /** Call for every port access of IN/OUT/INS/OUTS when `ioArmed` (port, size in bytes). */
  ioAccess(portNumber: number, size: number, write: boolean): void {
    if ((this.port.getCr4() & CR4_DE) === 0) return; // R/W = 10 is undefined without CR4.DE (§4.3 REC)
    const m = this.matcher.matchIo(portNumber, size);
    if (m === 0) return;
    this.recordHits(m, portNumber, size, write ? 'io-write' : 'io-read');
  }

  private recordHits(m: number, address: number, size: number, kind: DebugAccess['kind']): void {
    const host = m & 0xf & this.hostEnabled;
    if (host !== 0) {
      this.curHost |= host;
      const n = Math.min(size, MAX_RECORDED_BYTES);
      const before = new Uint8Array(kind === 'read' || kind === 'write' ? n : 0);
      if (before.length) this.port.peekLinear(address, before);
      (this.curAccesses ??= []).push({ address, size, kind, before, after: before, by: this.port.instructionAddress() });
    }
    const guest = m >>> 4;
    if (guest & this.guestEnabled) this.curGuest |= guest; // disabled slots that matched too (§3.2 REC)
    if (this.curHost | this.curGuest) {
      this.afterArmed = true;
      // A hit outside any instruction (the frame pushes of an event delivery) must reach the next
      // boundary, which then has to be checked (see foldEventHits).
      this.quiet = false;
      this.armed = true;
    }
  }

  /** Call when the instruction is MOV SS or POP SS (it opens the one-instruction shadow, SDM §6.8.3). */
  ssLoaded(): void {
    // Only matters when something could be held: a slot, a pending trap, single-step or a hit of this
    // instruction (otherwise a MOV SS inside a fast-path block would leave stale state).
    if (!this.armed && !this.afterArmed && !this.dataArmed && !this.ioArmed) return;
    this.ssLoadedNow = true;
    this.afterArmed = true;
  }

  /** Call when the instruction is ICEBP (F1): a trap-class #DB with no status bit (§5 table). */
  icebp(): void {
    this.pendIcebp = true;
    this.updateArmed();
  }

  /**
   * Hardware task switch (issue 8): L0–L3 and LE are cleared; with the new TSS's T bit a BT trap
   * is raised before the new task's first instruction (SDM §17.2.4, §17.3.1.5).
   */
  taskSwitched(tBit: boolean): void {
    this.guestDr7 &= ~DR7_LOCAL_MASK;
    if (tBit) this.pendGuest |= DR6_BT;
    this.rebuild();
  }

  /**
   * Call after each iteration of a REP string instruction that leaves iterations to do, when
   * `afterArmed`. true = stop here: leave RIP on the REP with the registers of this iteration, then
   * call endInstruction (the unit sets RF so the trap reports RF = 1 and the REP resumes unchecked).
   */
  repIterationBreak(): boolean {
    if (this.curHost !== 0 || this.curGuest !== 0 || this.tfAtStart || this.hostSingleStep) {
      this.repBroken = true;
      return true;
    }
    return false;
  }

  /**
   * Call when a REP string instruction stops mid-way for a reason of the emulator's own (budget,
   * pause), RIP left on it: resuming it must not re-check exec slots on it in either layer, as the
   * hardware never sees that stop (SDM §17.3.1.1; Bochs in_repeat).
   */
  repSuspended(): void {
    this.repResume = true;
    this.repResumePc = this.port.instructionAddress();
    this.updateArmed();
  }

  /**
   * Call when the instruction completed, or a REP broke mid-way, and `afterArmed` (read it after
   * executing). Folds this instruction's hits and single-step into the traps reported at the next
   * boundary, and opens the MOV SS shadow.
   */
  endInstruction(): void {
    let host = this.curHost;
    let guest = this.curGuest;
    if (this.hostSingleStep) host |= DR6_BS;
    if (this.tfAtStart) guest |= DR6_BS;
    this.pendHost |= host;
    this.pendGuest |= guest;
    this.foldAccesses();
    // Two consecutive SS loads do not extend the window (Bochs inhibit_interrupts).
    if (this.ssLoadedNow && !this.inShadowNow) this.shadow = true;
    if (this.repBroken) {
      this.port.setResumeFlag(true);
      this.repResume = true;
      this.repResumePc = this.port.instructionAddress();
    }
    this.clearCurrent();
    this.updateArmed();
  }

  /** endInstruction for compiled code that set insnStart only on seeing afterArmed: this instruction's accesses take `by` now. */
  endInstructionNamed(): void {
    const accesses = this.curAccesses;
    if (accesses !== null) {
      const by = this.port.instructionAddress();
      for (const a of accesses) a.by = by;
    }
    this.endInstruction();
  }

  /**
   * Hits recorded outside any instruction — the frame pushes of an exception or #DB delivered after
   * the last instruction's hooks ran — are traps of that event: reported at this boundary, the
   * handler's first instruction, before it runs (a #DB whose own frame lands in a watched slot nests
   * a second #DB there, as on hardware).
   */
  private foldEventHits(): void {
    this.pendHost |= this.curHost;
    this.pendGuest |= this.curGuest;
    this.foldAccesses();
    this.clearCurrent();
  }

  /** Move this instruction's recorded accesses (with their bytes after) to the pending exit. */
  private foldAccesses(): void {
    if (!this.curAccesses) return;
    for (const a of this.curAccesses) {
      if (a.before.length) {
        const after = new Uint8Array(a.before.length);
        this.port.peekLinear(a.address, after);
        a.after = after;
      }
    }
    this.pendAccesses = this.pendAccesses ? this.pendAccesses.concat(this.curAccesses) : this.curAccesses;
  }

  /** Call when the instruction raised an exception: its data hits and single-step are discarded. */
  instructionFaulted(): void {
    if (this.inShadowNow) this.pendGuest = 0; // held MOV SS traps are lost too (KUT movss + GD)
    this.clearCurrent();
    this.updateArmed();
  }

  // ================= MOV to/from DRn (SDM Vol. 3 §17.2; spec §6) =================

  /** MOV r, DRn. index = the ModRM reg field with REX.R (0–15). */
  movFromDr(index: number): DrAccessResult {
    const denied = this.checkDrAccess(index);
    if (denied) return denied;
    const reg = this.resolveAlias(index);
    if (reg < 4) return { kind: 'ok', lo: this.guestLo[reg], hi: this.guestHi[reg] };
    return reg === 6 ? { kind: 'ok', lo: this.guestDr6, hi: 0 } : reg === 7 ? { kind: 'ok', lo: this.guestDr7, hi: 0 } : OK_ZERO;
  }

  /** MOV DRn, r. lo/hi = the 32-bit halves of the source (hi = 0 outside 64-bit mode). */
  movToDr(index: number, lo: number, hi: number): DrAccessResult {
    const denied = this.checkDrAccess(index);
    if (denied) return denied;
    const reg = this.resolveAlias(index);
    if (reg >= 6 && hi !== 0) return GP0; // reserved upper half of DR6/DR7
    this.writeGuest(reg, lo >>> 0, hi >>> 0);
    return OK_ZERO;
  }

  /** #UD for DR8–15 and DR4/5 with CR4.DE, then #GP(0) above CPL 0, then general detect (§6 REC order). */
  private checkDrAccess(index: number): DrAccessResult | null {
    if (index >= 8 || ((index === 4 || index === 5) && (this.port.getCr4() & CR4_DE) !== 0)) return UD;
    if (this.port.getCpl() !== 0) return GP0;
    if (this.guestDr7 & DR7_GD) {
      // General detect: a fault; BD set, B0–B3 cleared, GD cleared for the handler (SDM §17.2.4).
      this.guestDr6 = dr6AfterDebugException(this.guestDr6, DR6_BD);
      this.guestDr7 &= ~DR7_GD;
      if (this.inShadowNow) this.pendGuest = 0;
      this.clearCurrent();
      this.updateArmed();
      return DB_GD;
    }
    return null;
  }

  private resolveAlias(index: number): number {
    return index === 4 ? 6 : index === 5 ? 7 : index; // DR4/DR5 alias DR6/DR7 without CR4.DE (SDM §17.2.2)
  }

  private writeGuest(reg: number, lo: number, hi: number): void {
    if (reg < 4) {
      this.guestLo[reg] = lo;
      this.guestHi[reg] = hi;
      // Matched as the CPU forms linear addresses: 48 bits (bits 63:48 of a canonical address are
      // implied by bit 47), so kernel-half DRn values compare exactly as numbers.
      this.guestAddr[reg] = (hi & 0xffff) * TWO32 + lo;
    } else if (reg === 6) {
      this.guestDr6 = dr6AfterWrite(lo);
      return;
    } else if (reg === 7) {
      this.guestDr7 = dr7AfterWrite(lo);
    } else {
      return;
    }
    this.rebuild();
  }

  // ================= bookkeeping =================

  private clearCurrent(): void {
    this.tfAtStart = false;
    this.curHost = 0;
    this.curGuest = 0;
    this.curAccesses = null;
    this.ssLoadedNow = false;
    this.inShadowNow = false;
    this.repBroken = false;
    this.afterArmed = false;
  }

  private clearTransient(): void {
    this.clearCurrent();
    this.pendHost = 0;
    this.pendGuest = 0;
    this.pendIcebp = false;
    this.pendAccesses = null;
    this.shadow = false;
    this.repResume = false;
    this.hostSkip = false;
    this.exit = null;
  }

  /** Recompile the matcher after DR0–DR3/DR7 of either layer changed. */
  private rebuild(): void {
    this.hostEnabled = enabledMask(this.hostDr7);
    this.guestEnabled = enabledMask(this.guestDr7);
    this.matcher.rebuild(
      { dr7: this.hostDr7, addresses: this.hostAddr, include: this.hostEnabled },
      { dr7: this.guestDr7, addresses: this.guestAddr, include: guestIncluded(this.guestDr7, this.guestEnabled) },
    );
    this.slotGeneration = ++slotGenerations;
    this.dataArmed = (this.matcher.writeSlots | this.matcher.readSlots) !== 0;
    this.ioArmed = this.matcher.ioSlots !== 0;
    this.updateArmed();
  }

  private updateArmed(): void {
    this.quiet = !(this.hostSingleStep || this.hostGd || this.pendHost !== 0 || this.pendGuest !== 0 || this.pendIcebp || this.shadow || this.repResume || this.hostSkip);
    this.armed = this.matcher.execSlots !== 0 || !this.quiet;
  }

  /** Guest B0–B3 status as the guest would read it, for tests and the view. */
  get guestDr6Value(): number {
    return this.guestDr6;
  }
}
