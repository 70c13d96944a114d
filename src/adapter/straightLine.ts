// Fallback for targets without emulator breakpoints (DebugUnit.setEmulatorBreakpoints, which a
// MachineTarget has and the runtime prefers), for software breakpoints that do not fit in the
// debugger's spare slots: how many instructions from an address run in a straight line (no jump,
// call, return, interrupt, mode or paging change) before one of the stop addresses. The runtime
// runs exactly that many at once, so a stop address is never passed unseen; interrupts and
// exceptions delivered to the guest end such a run early (DebugTarget.runStraight). Imports
// src/isa and adapter types.
import { Instruction, Prefix } from '../isa/instruction';
import { decode } from '../isa/decode';
import type { ExecName } from '../isa/execNames';
import type { DebugTarget } from './target';

/** Instructions after which control may go anywhere, or decoding may change (SDM Vol. 3 §9.9, §4.10.4). */
const ENDS_STRETCH: ReadonlySet<ExecName> = new Set<ExecName>([
  'jmpRel', 'jmpIndirect', 'jmpFar', 'jmpFarIndirect', 'callRel', 'callIndirect', 'callFar', 'callFarIndirect',
  'ret', 'retFar', 'jcc', 'jcxz', 'loop', 'loope', 'loopne', 'int', 'int3', 'into', 'int1', 'iret', 'bound',
  'syscall', 'sysret', 'sysenter', 'sysexit', 'hlt', 'ud', 'unsupported', 'movToCr', 'lmsw', 'clts', 'wrmsr',
  'invlpg', 'swapgs', 'lgdt', 'lidt', 'lldt', 'ltr', 'popf', 'sti', 'movToSeg', 'popSeg', 'lss',
]);
const STRING_OPS: ReadonlySet<ExecName> = new Set<ExecName>(['movs', 'stos', 'lods', 'ins', 'outs', 'cmps', 'scas']);
const COUNTED_STRING_OPS: ReadonlySet<ExecName> = new Set<ExecName>(['movs', 'stos', 'lods', 'ins', 'outs']);
/** Longest stretch looked at (a longer one simply runs in pieces). */
const MAX_STRETCH = 256;
const MAX_INSN = 15;

/** A stretch starting at an address: `count` plain instructions, or one REP string instruction. */
type Stretch = { kind: 'plain'; count: number } | { kind: 'rep'; counted: boolean; addrSize: number };

/** Stretch lengths, remembered per address until the code, the mode or the stop set changes. */
export class StraightLine {
  private readonly memo = new Map<number, Stretch>();
  private memoMode = 0;
  private memoEpoch = -1;
  private memoStops: ReadonlySet<number> | null = null;
  private readonly insn = new Instruction();

  constructor(private readonly target: DebugTarget) {}

  /**
   * How many instructions to run from `pc` (at least 1, at most `budget`) so that the run does not
   * start an instruction at any address of `stops` other than pc itself. Pass the same Set object
   * while the stop addresses stay the same (stretches are remembered for it). A REP string instruction at
   * pc runs as its remaining iterations when they are counted by (R/E)CX alone, else one iteration.
   */
  count(pc: number, stops: ReadonlySet<number>, budget: number): number {
    const mode = this.target.mode();
    const epoch = this.target.codeEpoch();
    if (stops !== this.memoStops || mode !== this.memoMode || epoch !== this.memoEpoch || this.memo.size > 100_000) {
      this.memo.clear();
      this.memoStops = stops;
      this.memoMode = mode;
      this.memoEpoch = epoch;
    }
    let s = this.memo.get(pc);
    if (s === undefined) {
      s = this.scan(pc, stops);
      this.memo.set(pc, s);
    }
    if (s.kind === 'plain') return Math.max(1, Math.min(s.count, budget));
    if (!s.counted) return 1;
    const cx = this.target.getRegister(s.addrSize === 8 ? 'rcx' : s.addrSize === 4 ? 'ecx' : 'cx') ?? 1n;
    return Math.max(1, Math.min(Number(cx), budget));
  }

  private scan(pc: number, stops: ReadonlySet<number>): Stretch {
    const mode = this.target.mode();
    const insn = this.insn;
    let a = pc;
    let count = 0;
    while (count < MAX_STRETCH) {
      if (count > 0 && stops.has(a)) break;
      const bytes = this.read(a);
      if (bytes.length === 0 || decode(bytes, 0, bytes.length, mode, insn).kind !== 'ok') return { kind: 'plain', count: Math.max(1, count) };
      if (STRING_OPS.has(insn.exec) && (insn.prefixes & (Prefix.Rep | Prefix.Repne)) !== 0) {
        // One REP instruction is its own stretch: its iterations each count against the budget.
        if (count > 0) break;
        return { kind: 'rep', counted: COUNTED_STRING_OPS.has(insn.exec), addrSize: insn.addrSize };
      }
      count++;
      if (ENDS_STRETCH.has(insn.exec)) break;
      a += insn.length;
    }
    return { kind: 'plain', count: Math.max(1, count) };
  }

  private read(address: number): Uint8Array {
    const b = this.target.read(address, MAX_INSN);
    if (b) return b;
    for (let n = MAX_INSN - 1; n > 0; n--) {
      const part = this.target.read(address, n);
      if (part) return part;
    }
    return new Uint8Array(0);
  }
}
