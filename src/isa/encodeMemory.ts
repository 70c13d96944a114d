// The encoder's memory operands: ModRM.mod/rm, SIB, REX.X/B and the displacement for 16-, 32- and
// 64-bit addressing (SDM Vol. 2 Tables 2-1..2-3), with nasm's choices ([eax*2] → [eax+eax], the
// shortest displacement unless a size or a label says otherwise, RIP-relative targets).
// On the assembler's hot path: writes into the caller's plan, allocates nothing. Imports only src/isa.
import type { AsmMemory } from './encode';
import { Reg, RegKind, regKind, regName, regNumber, regSize, type RegId } from './registers';
import * as immediateRangeModule from './immediateRange';

// Bound once (hot path: an imported binding can be a getter call per use under some loaders).
const { big, fitsSigned, wrapSigned } = immediateRangeModule;

/** The plan fields a memory operand fills (the encoder's one reused plan). */
export interface MemoryPlan {
  rex: number;
  sib: number;
  disp: bigint;
  dispSize: number;
  /** true when disp is an absolute RIP-relative target to resolve against the end of the instruction. */
  dispRipTarget: boolean;
}

/** ModRM.mod/rm and address size of the memory operand encodeMemory last planned (one object, reused). */
export const memoryModrm = { mod: 0, rm: 0, asz: 0 };

function memResult(mod: number, rm: number, asz: number): null {
  memoryModrm.mod = mod; memoryModrm.rm = rm; memoryModrm.asz = asz;
  return null;
}

/** log2 of a valid SIB scale (1, 2, 4, 8). */
const scaleBits: readonly number[] = [0, 0, 1, 0, 2, 0, 0, 0, 3];

/** Why register `r` cannot address memory of `asz` bytes, or null. */
function addressRegProblem(r: RegId | undefined, asz: number): string | null {
  if (r === undefined || regKind(r) === (asz === 4 ? RegKind.Gpr32 : RegKind.Gpr64)) return null;
  return `invalid effective address register '${regName(r)}'`;
}

/**
 * ModRM.mod/rm and address size (memoryModrm), SIB, REX.X/B and displacement (into plan) of a memory
 * operand (SDM Vol. 2 Tables 2-1..2-3), nasm's choices; null when done, else why not.
 */
export function encodeMemory(m: AsmMemory, mode: number, plan: MemoryPlan): string | null {
  let base = m.base;
  let index = m.index;
  let scale = m.scale ?? 1;
  let disp = big(m.disp);
  if (index !== undefined && base === undefined && !m.nosplit && (scale === 2 || scale === 3 || scale === 5 || scale === 9)) {
    base = index;
    scale = scale - 1;
  }
  if (index !== undefined && scale === 1 && base === undefined && !m.nosplit) { base = index; index = undefined; }
  if (index !== undefined && scale === 1 && base !== undefined && (regNumber(index) === 4 && regKind(index) !== RegKind.Gpr16)) { const t = base; base = index; index = t; }
  if (scale !== 1 && scale !== 2 && scale !== 4 && scale !== 8) return `invalid scale ${m.scale}`;
  const width = base !== undefined ? regSize(base) : index !== undefined ? regSize(index) : 0;
  if (base !== undefined && index !== undefined && regSize(base) !== regSize(index)) return 'base and index registers differ in size';
  if (base === Reg.RIP || base === Reg.EIP) {
    if (mode !== 64 || index !== undefined) return 'RIP-relative addressing only in 64-bit mode, without an index';
    plan.disp = disp; plan.dispSize = 4;
    return memResult(0, 5, base === Reg.EIP ? 4 : 8);
  }
  const asz = width !== 0 ? width : mode === 16 ? 2 : mode === 32 ? 4 : 8;
  if (asz === 2) return encodeMemory16(base, index, scale, disp, m, plan);
  const problem = addressRegProblem(base, asz) ?? addressRegProblem(index, asz);
  if (problem !== null) return problem;
  if (index !== undefined && regNumber(index) === 4) return 'ESP/RSP cannot be an index register';
  if (m.ripRelative) {
    if (mode !== 64) return 'REL addressing only in 64-bit mode';
    if (base !== undefined || index !== undefined) return 'REL addressing takes no registers';
    plan.disp = disp; plan.dispSize = 4; plan.dispRipTarget = true;
    return memResult(0, 5, asz);
  }
  disp = wrapSigned(disp, asz === 8 ? 8 : 4);
  if (asz === 8 && !fitsSigned(disp, 4)) return 'displacement out of range (signed 32 bits)';
  if (base === undefined && index === undefined) {
    plan.disp = disp; plan.dispSize = 4;
    if (mode === 64) { plan.sib = 0x25; return memResult(0, 4, asz); }
    return memResult(0, 5, asz);
  }
  if (base === undefined) {
    // [index*scale + disp32]: SIB with base 101 and mod 00.
    const ix = regNumber(index as RegId);
    plan.sib = (scaleBits[scale] << 6) | ((ix & 7) << 3) | 5;
    plan.rex |= ((ix >> 3) & 1) << 1;
    plan.disp = disp; plan.dispSize = 4;
    return memResult(0, 4, asz);
  }
  const b = regNumber(base);
  // Displacement size: forced by [dword x]/a label, [byte x] when it fits, none for 0 unless base is (r/e)bp/r13.
  let dmod: number;
  let dsize: number;
  if (m.dispSize === 4 || m.dispSize === 8 || m.relocatable) { dmod = 2; dsize = 4; }
  else if (m.dispSize === 1 && fitsSigned(disp, 1)) { dmod = 1; dsize = 1; }
  else if (disp === 0n && (b & 7) !== 5) { dmod = 0; dsize = 0; }
  else if (fitsSigned(disp, 1)) { dmod = 1; dsize = 1; }
  else { dmod = 2; dsize = 4; }
  plan.disp = disp; plan.dispSize = dsize;
  plan.rex |= (b >> 3) & 1;
  if (index === undefined && (b & 7) !== 4) return memResult(dmod, b & 7, asz);
  const ix = index === undefined ? 4 : regNumber(index);
  plan.sib = (scaleBits[scale] << 6) | ((ix & 7) << 3) | (b & 7);
  plan.rex |= ((ix >> 3) & 1) << 1;
  return memResult(dmod, 4, asz);
}

/** The 16-bit ModRM.rm for base/index registers (SDM Vol. 2 Table 2-1), or -1 when no encoding has them. */
function rm16Of(base: RegId | undefined, index: RegId | undefined): number {
  let bxbp = -1;
  let sidi = -1;
  for (let k = 0; k < 2; k++) {
    const r = k === 0 ? base : index;
    if (r === undefined) continue;
    if (r === Reg.BX || r === Reg.BP) { if (bxbp >= 0) return -1; bxbp = r; }
    else if (r === Reg.SI || r === Reg.DI) { if (sidi >= 0) return -1; sidi = r; }
    else return -1;
  }
  if (bxbp < 0) return sidi === Reg.SI ? 4 : 5;
  if (sidi < 0) return bxbp === Reg.BP ? 6 : 7;
  return (bxbp === Reg.BP ? 2 : 0) + (sidi === Reg.DI ? 1 : 0);
}

/** The error for 16-bit base/index registers without an encoding (names as written, bx/bp first). */
function invalid16(base: RegId | undefined, index: RegId | undefined): string {
  const names: string[] = [];
  if (base !== undefined) names.push(regName(base) ?? '?');
  if (index !== undefined) names.push(regName(index) ?? '?');
  if (names.length === 2 && (names[1] === 'bx' || names[1] === 'bp')) names.reverse();
  return `invalid 16-bit effective address [${names.join('+')}]`;
}

function encodeMemory16(base: RegId | undefined, index: RegId | undefined, scale: number, disp: bigint, m: AsmMemory, plan: MemoryPlan): string | null {
  if (scale !== 1) return '16-bit addressing has no scale';
  const d = wrapSigned(disp, 2);
  plan.disp = d;
  if (base === undefined && index === undefined) { plan.dispSize = 2; return memResult(0, 6, 2); }
  const rm = rm16Of(base, index);
  if (rm < 0) return invalid16(base, index);
  if (m.dispSize === 2 || m.dispSize === 4 || m.relocatable) { plan.dispSize = 2; return memResult(2, rm, 2); }
  if (d === 0n && rm !== 6 && m.dispSize === undefined) { plan.dispSize = 0; return memResult(0, rm, 2); }
  if (fitsSigned(d, 1)) { plan.dispSize = 1; return memResult(1, rm, 2); }
  plan.dispSize = 2;
  return memResult(2, rm, 2);
}
