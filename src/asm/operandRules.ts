// Operand rules of the pass engine that need no engine state: how a memory operand decomposes into
// base/index/scale/displacement the way nasm does it, which statements encode the same in every pass,
// and which mnemonics take a branch target. Imports ./expressions, ./statements, ./isaBridge, ./lexer.
import * as expressionsModule from './expressions';
import type { EvalContext, Expr } from './expressions';
import type { OperandAst, StatementBody } from './statements';
import { isRegister, type ResolvedMem } from './isaBridge';
import type { Token } from './lexer';

// hot code binds imported functions once (under tsx an imported binding is a getter call per use)
const { containsReg, evalAddress, isConstantTree } = expressionsModule;

/** Decomposes a memory operand for this pass: base, index, scale (nasm's [eax*2] → [eax+eax]
 *  splitting, ESP never an index), displacement value, and RIP-relative under REL / DEFAULT REL. */
export function resolveMemoryOperand(o: Extract<OperandAst, { kind: 'mem' }>, ctx: EvalContext, bits: number, defaultRel: boolean): ResolvedMem | { error: string; tok: Token } {
  const m: ResolvedMem = { kind: 'mem', size: o.size, scale: 1, disp: 0n, dispRelocatable: false, dispWritten: false, segment: o.segment, rip: false, dispSize: o.dispSize, nosplit: o.nosplit, jump: o.jump };
  if (!o.addr) return m;
  const form = evalAddress(o.addr, ctx);
  if (typeof form === 'string') {
    return { error: form, tok: o.tok };
  }
  m.disp = form.disp.v;
  m.dispWritten = form.hasDisp;
  m.dispRelocatable = form.disp.sect >= 0 || form.disp.unknown;
  const regs = form.regs;
  if (regs.length > 2) {
    return { error: 'a memory operand can use at most two registers (base + index*scale)', tok: regs[2].tok };
  }
  for (const r of regs) {
    if (!isRegister(r.name)) {
      return { error: `'${r.name}' cannot be used in an address`, tok: r.tok };
    }
  }
  if (regs.length === 1) {
    const r = regs[0];
    if (r.name === 'rip' || r.name === 'eip') {
      if (r.scale !== 1) {
        return { error: `${r.name.toUpperCase()} cannot be scaled`, tok: r.tok };
      }
      m.rip = true;
      m.base = r.name;
      return m;
    }
    if (r.scale === 1) m.base = r.name;
    else if (!o.nosplit && (r.scale === 2 || r.scale === 3 || r.scale === 5 || r.scale === 9)) {
      // nasm splits [eax*2] into [eax+eax*1] (and *3, *5, *9 likewise) unless NOSPLIT
      m.base = r.name;
      m.index = r.name;
      m.scale = r.scale - 1;
    } else {
      m.index = r.name;
      m.scale = r.scale;
    }
  } else if (regs.length === 2) {
    let [a, b] = regs;
    if (a.scale !== 1 && b.scale === 1) [a, b] = [b, a];
    if (a.scale !== 1) {
      return { error: 'only one register in an address can be scaled', tok: b.tok };
    }
    m.base = a.name;
    m.index = b.name;
    m.scale = b.scale;
    // ESP/RSP cannot be an index: nasm swaps base and index when the scale is 1
    if (m.scale === 1 && /^(e|r)?sp$/.test(m.index)) [m.base, m.index] = [m.index, m.base];
  }
  for (const r of regs) {
    if (r.scale < 0) return { error: 'a register cannot be subtracted in an address: only base + index*scale + displacement', tok: r.tok };
  }
  if (m.index !== undefined && ![1, 2, 4, 8].includes(m.scale)) {
    return { error: `scale ${m.scale} is not allowed: use 1, 2, 4 or 8`, tok: o.tok };
  }
  if (regs.length === 0 && bits === 64 && o.rel !== false && (o.rel === true || (defaultRel && o.segment !== 'fs' && o.segment !== 'gs'))) m.rip = true;
  return m;
}

/** true when a statement's bytes depend on nothing that can change between passes. */
export function fixedEncoding(b: StatementBody): boolean {
  if (b.k !== 'insn' || isBranch(b.mnemonic)) return false;
  for (const o of b.operands) {
    if (o.kind === 'imm' && !isConstantTree(o.expr)) return false;
    if (o.kind === 'far' && !(isConstantTree(o.seg) && isConstantTree(o.off))) return false;
    if (o.kind === 'mem') {
      if (!o.addr || o.rel !== undefined || !containsReg(o.addr) || !constantExceptRegisters(o.addr)) return false;
    }
  }
  return true;
}

function constantExceptRegisters(e: Expr): boolean {
  switch (e.k) {
    case 'num':
    case 'reg':
      return true;
    case 'un':
      return constantExceptRegisters(e.a);
    case 'bin':
      return constantExceptRegisters(e.a) && constantExceptRegisters(e.b);
    case 'cond':
      return constantExceptRegisters(e.c) && constantExceptRegisters(e.a) && constantExceptRegisters(e.b);
    default:
      return false;
  }
}

const BRANCHES = new Set(['jmp', 'call', 'jcxz', 'jecxz', 'jrcxz', 'loop', 'loope', 'loopz', 'loopne', 'loopnz']);

/** true for mnemonics whose immediate operand is a branch target. */
export function isBranch(mnemonic: string): boolean {
  return BRANCHES.has(mnemonic) || (mnemonic.length <= 5 && mnemonic.startsWith('j'));
}
