// Running decoded blocks whole for Machine.loop: the interpreted form (runBlock), the compiled
// forms with chaining from one compiled block to the next while nothing armed in the debug unit
// could stop inside them (chain), while only exec slots are armed (runArmedBlock), and
// while a data or I/O slot is armed (the watched forms, chain(…, true)). Every path retires the same
// instructions with the same state as stepping one at a time.
// Imports the decode cache, the ops registry and flags; the Machine as a type.
import type { Machine } from './machine';
import type { Block, Op } from './decodeCache';
import * as decodeCacheModule from './decodeCache';
import * as indexModule from './ops/index';
import * as flagsModule from './flags';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { compileBlock, COMPILE_AFTER } = decodeCacheModule;
const { watchedForm } = indexModule;
const { TF, RF } = flagsModule;

const TWO32 = 4294967296;
const TWO48 = 281474976710656;

/**
 * Block chaining: after a compiled block, run the next block's compiled function straight away, for
 * as long as Machine.loop would run it whole anyway: the same code (unwatched, or `watched` while a
 * data or I/O slot is armed), no after-instruction work pending, TF/RF clear, the next block decoded
 * in the current code page and compiled in that form, the budget covers it (blockFits), and when
 * slots are armed, no exec slot inside it with nothing pending (blockMayRunMemo). Anything else
 * returns to Machine.loop, which handles it (a pause or stop() sets stopAt to 0, so blockFits fails
 * at the next block).
 */
export function chain(m: Machine, watched: boolean): void {
  const cache = m.cache;
  const dbg = m.debug;
  for (;;) {
    if (dbg.afterArmed || (m.flagsRest & (TF | RF)) !== 0 || (dbg.dataArmed || dbg.ioArmed) !== watched) return;
    const rip = m.rip;
    const lin = m.codeLinear(rip);
    if (lin >= TWO32 || lin >>> 12 !== cache.curPn) return;
    const block = cache.curSlots[lin & 0xfff];
    if (block === undefined) return;
    const compiled = watched ? block.compiledWatched : block.compiled;
    if (compiled === null || !blockFits(m, block, rip)) return;
    if ((watched || dbg.armed) && !dbg.blockMayRunMemo(lin, block.bytes, block)) return;
    compiled(m, rip, cache);
  }
}

/**
 * A whole block while something is armed (the caller checked blockMayRunMemo): with a data or I/O
 * slot armed, runBlock(…, watched = true) or its compiled form; with only exec slots (nothing
 * pending), the unwatched code, as nothing inside the block can hit.
 */
export function runArmedBlock(m: Machine, block: Block, rip: number): void {
  const dbg = m.debug;
  if (dbg.dataArmed || dbg.ioArmed) { runWatchedBlock(m, block, rip); return; }
  const compiled = block.compiled;
  if (compiled !== null) { compiled(m, rip, m.cache); chain(m, false); }
  else if (++block.runs >= COMPILE_AFTER) (block.compiled = compileBlock(block, false, m.codeBits))(m, rip, m.cache);
  else runBlock(m, block.ops, block.ops.length, rip, false);
}

/** runBlock(…, watched = true), compiled once the block is hot. */
function runWatchedBlock(m: Machine, block: Block, rip: number): void {
  const compiled = block.compiledWatched;
  if (compiled !== null) { compiled(m, rip, m.cache); chain(m, true); }
  else if (++block.runs >= COMPILE_AFTER) (block.compiledWatched = compileBlock(block, true, m.codeBits, watchedForm))(m, rip, m.cache);
  else runBlock(m, block.ops, block.ops.length, rip, true);
}

/** A block of more than one op may run whole: the budget covers it and no IP wraps inside it. */
export function blockFits(m: Machine, block: Block, rip: number): boolean {
  const n = block.ops.length;
  return n > 1 && m.icount + n <= m.stopAt && rip + block.bytes < ipLimit(m);
}

/** One past the largest IP of the current code size. */
function ipLimit(m: Machine): number {
  return m.codeBits === 32 ? TWO32 : m.codeBits === 16 ? 0x10000 : TWO48;
}

/**
 * Run a whole block (budget sufficient, no IP wrap inside it). Only the last op may transfer
 * control; the block stops early when an op rewrote decoded code (epoch changed) or, when
 * `watched`, when an op armed the after-instruction hook (a data/I/O breakpoint hit). On a throw,
 * insnStart names the faulting op and icount counts the ops before it.
 */
export function runBlock(m: Machine, ops: Op[], n: number, rip: number, watched: boolean): void {
  const cache = m.cache;
  const dbg = m.debug;
  const epoch = cache.epoch;
  let r = rip;
  let i = 0;
  try {
    while (i < n) {
      const op = ops[i];
      m.insnStart = r;
      r += op.len;
      m.rip = r;
      op.h(m, op);
      i++;
      if (cache.epoch !== epoch) break;
      if (watched && dbg.afterArmed && i < n) { dbg.endInstruction(); break; }
    }
  } catch (e) {
    // insnStart already names the faulting op; the ops before it retired.
    m.icount += i;
    throw e;
  }
  m.icount += i;
}
