// The catalogue of single-instruction cases for the per-instruction comparison with the real CPU,
// and the seeded generator of their input vectors (random and edge-case register values, flags,
// data window). Texts are NASM syntax; `{di}`/`{si}` become rdi/rsi (64-bit) or edi/esi (32-bit).
// Test-only code (BigInt is fine here).

/** Where the tracer maps things (must match cpuTracer.c). */
export const CODE_ADDR = 0x10000000;
export const DATA_PAGE = 0x20000000;
export const WINDOW_SIZE = 256;
export const WINDOW_ADDR = DATA_PAGE + 0x1000 - WINDOW_SIZE;

/** Register order everywhere: x86 encoding numbers (rax rcx rdx rbx rsp rbp rsi rdi r8..r15). */
export const GPR_NAMES = ['rax', 'rcx', 'rdx', 'rbx', 'rsp', 'rbp', 'rsi', 'rdi', 'r8', 'r9', 'r10', 'r11', 'r12', 'r13', 'r14', 'r15'];
const RAX = 0, RCX = 1, RDX = 2, RBX = 3, RSI = 6, RDI = 7;

/** Arithmetic flags plus DF: what vectors set and results compare. */
export const CF = 0x1, PF = 0x4, AF = 0x10, ZF = 0x40, SF = 0x80, DF = 0x400, OF = 0x800;
export const COMPARED_FLAGS = CF | PF | AF | ZF | SF | DF | OF;

/** A vector's initial machine state. */
export interface VectorInput {
  regs: bigint[];
  flags: number;
  window: Uint8Array;
}

/** One instruction to test. */
export interface InstructionCase {
  /** Instruction group (arith, logic, shift, bit, muldiv, string, convert, cmov, exchange, fault...). */
  group: string;
  /** NASM text with {di}/{si} placeholders. */
  text: string;
  /** Adjust a random input for this instruction (pointer registers, counts, divisors). */
  prepare?: (v: VectorInput, rng: Rng, bits: 32 | 64) => void;
  /** Vectors to generate (default 24). */
  vectors?: number;
  /** Semantics differ outside 64-bit mode (stack width), so the 32-bit run leaves it out. */
  only64?: boolean;
}

/** A small deterministic PRNG (xorshift128+ on two 32-bit halves via BigInt-free math). */
export class Rng {
  private s0: number;
  private s1: number;

  constructor(seed: number) {
    this.s0 = seed | 0 || 1;
    this.s1 = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) | 0 || 2;
  }

  u32(): number {
    let x = this.s0;
    const y = this.s1;
    this.s0 = y;
    x ^= x << 23;
    x ^= x >>> 17;
    x ^= y ^ (y >>> 26);
    this.s1 = x;
    return (x + y) >>> 0;
  }

  below(n: number): number {
    return this.u32() % n;
  }

  pick<T>(list: readonly T[]): T {
    return list[this.below(list.length)];
  }

  u64(): bigint {
    return (BigInt(this.u32()) << 32n) | BigInt(this.u32());
  }
}

const M64 = (1n << 64n) - 1n;
const EDGES: bigint[] = [0n, 1n, 2n, 0x7fn, 0x80n, 0xffn, 0x100n, 0x7fffn, 0x8000n, 0xffffn, 0x10000n, 0x7fffffffn, 0x80000000n,
  0xffffffffn, 0x100000000n, 0x7fffffffffffffffn, 0x8000000000000000n, M64, M64 - 1n, 0x8000000000000001n, 0x55n, 0xaaaan, 0x0f0f0f0fn];

/** A register value: edge cases, sign-extended small values, or random bits of some width. */
export function interestingValue(rng: Rng): bigint {
  switch (rng.below(6)) {
    case 0: case 1: return rng.pick(EDGES);
    case 2: return BigInt.asUintN(64, BigInt.asIntN(8, BigInt(rng.u32())));
    case 3: return BigInt((rng.u32() & rng.pick([0xff, 0xffff, 0xffffffff])) >>> 0);
    case 4: return BigInt.asUintN(64, BigInt.asIntN(32, BigInt(rng.u32())));
    default: return rng.u64();
  }
}

/** Creates a vector's random starting state; pointer registers aim into the data window. */
export function randomInput(rng: Rng, bits: 32 | 64): VectorInput {
  const regs: bigint[] = [];
  for (let i = 0; i < 16; i++) regs.push(interestingValue(rng));
  regs[RSI] = BigInt(WINDOW_ADDR + 0x80);
  regs[RDI] = BigInt(WINDOW_ADDR + 0x40);
  regs[4] = BigInt(WINDOW_ADDR + 0xf0);
  if (bits === 32) for (let i = 0; i < 16; i++) regs[i] = i < 8 ? regs[i] & 0xffffffffn : 0n;
  const flags = rng.u32() & (CF | PF | AF | ZF | SF | OF);
  const window = new Uint8Array(WINDOW_SIZE);
  for (let i = 0; i < WINDOW_SIZE; i++) window[i] = rng.below(4) === 0 ? rng.pick([0, 0xff, 0x80, 0x7f]) : rng.below(256);
  return { regs, flags, window };
}

const SHIFT_COUNTS = [0n, 1n, 2n, 7n, 8n, 9n, 15n, 16n, 17n, 31n, 32n, 33n, 63n, 64n, 65n, 0xffn, 0x120n];

/** rcx = an interesting shift count (low byte matters). */
const shiftCount = (v: VectorInput, rng: Rng): void => {
  v.regs[RCX] = rng.below(3) === 0 ? BigInt(rng.below(256)) | (v.regs[RCX] & ~0xffn) : rng.pick(SHIFT_COUNTS);
};

/** Dividend/divisor mixes: zero divisors, overflows and in-range quotients. */
const divisorSetup = (size: number, signed: boolean) => (v: VectorInput, rng: Rng): void => {
  const bits = BigInt(size * 8);
  const mask = (1n << bits) - 1n;
  const r = rng.below(8);
  let divisor = r === 0 ? 0n : r === 1 ? rng.pick([1n, mask, mask >> 1n, 1n << (bits - 1n)]) : interestingValue(rng) & mask;
  if (divisor === 0n && r !== 0) divisor = 3n;
  v.regs[RBX] = (v.regs[RBX] & ~mask) | divisor;
  if (rng.below(3) !== 0 && divisor !== 0n) {
    // Keep the quotient in range: high half of the dividend below the divisor (unsigned) or a sign extension.
    const hiReg = size === 1 ? -1 : RDX;
    if (signed) {
      const lo = interestingValue(rng) & (mask >> 1n);
      if (size === 1) v.regs[RAX] = (v.regs[RAX] & ~0xffffn) | lo;
      else { v.regs[RAX] = (v.regs[RAX] & ~mask) | lo; v.regs[RDX] &= ~mask; }
    } else if (hiReg === -1) {
      v.regs[RAX] = (v.regs[RAX] & ~0xff00n) | ((BigInt(rng.below(Number(divisor))) & 0xffn) << 8n);
    } else {
      const hi = divisor > 1n ? interestingValue(rng) % divisor : 0n;
      v.regs[RDX] = (v.regs[RDX] & ~mask) | hi;
    }
  }
};

/** String instructions: small counts, DF either way, pointers with room in both directions. */
const stringSetup = (v: VectorInput, rng: Rng): void => {
  v.regs[RCX] = BigInt(rng.below(6));
  if (rng.below(2)) v.flags |= DF;
  v.regs[RSI] = BigInt(WINDOW_ADDR + 0x60 + rng.below(32));
  v.regs[RDI] = BigInt(WINDOW_ADDR + 0x98 + rng.below(32));
  if (rng.below(3) === 0) v.window.copyWithin(0x98, 0x60, 0x60 + 0x40);
};

/** Bit-string offsets for BT* with a memory operand: the addressed byte stays in the window. */
const bitOffset = (v: VectorInput, rng: Rng): void => {
  v.regs[RBX] = BigInt.asUintN(64, BigInt(rng.below(1024) - 512));
};

/** CMPXCHG: make the accumulator equal the destination half of the time. */
const cmpxchgSetup = (size: number, memory: boolean) => (v: VectorInput, rng: Rng): void => {
  if (rng.below(2)) return;
  const mask = (1n << BigInt(size * 8)) - 1n;
  let dest = 0n;
  if (memory) for (let i = size - 1; i >= 0; i--) dest = (dest << 8n) | BigInt(v.window[0x40 + i]);
  else dest = v.regs[RCX] & mask;
  v.regs[RAX] = (v.regs[RAX] & ~mask) | dest;
};

const SIZES = [
  { a: 'al', b: 'bl', c: 'cl', d: 'dl', mem: 'byte', size: 1 },
  { a: 'ax', b: 'bx', c: 'cx', d: 'dx', mem: 'word', size: 2 },
  { a: 'eax', b: 'ebx', c: 'ecx', d: 'edx', mem: 'dword', size: 4 },
  { a: 'rax', b: 'rbx', c: 'rcx', d: 'rdx', mem: 'qword', size: 8 },
];

const CONDITIONS = ['o', 'no', 'b', 'ae', 'e', 'ne', 'be', 'a', 's', 'ns', 'p', 'np', 'l', 'ge', 'le', 'g'];

/** Builds the whole catalogue. */
export function instructionCases(): InstructionCase[] {
  const cases: InstructionCase[] = [];
  const add = (group: string, text: string, prepare?: InstructionCase['prepare'], vectors?: number, only64?: boolean): void => {
    cases.push({ group, text, ...(prepare ? { prepare } : {}), ...(vectors ? { vectors } : {}), ...(only64 ? { only64 } : {}) });
  };

  for (const op of ['add', 'adc', 'sub', 'sbb', 'cmp', 'and', 'or', 'xor', 'test']) {
    const group = ['and', 'or', 'xor', 'test'].includes(op) ? 'logic' : 'arith';
    for (const s of SIZES) {
      add(group, `${op} ${s.a}, ${s.b}`);
      add(group, `${op} ${s.mem} [{di}+8], ${s.b}`);
      if (op !== 'test') add(group, `${op} ${s.b}, ${s.mem} [{di}+8]`);
      const imms = s.size === 1 ? ['0x7f', '0x80', '0xff'] : ['0x7f', '-128', s.size === 2 ? '0x8001' : '0x7fffffff', s.size === 2 ? '-1' : '-0x80000000'];
      for (const imm of imms) add(group, `${op} ${s.c}, ${imm}`);
      if (op !== 'test') add(group, `${op} ${s.a}, 5`);
    }
    add(group, `${op} ah, bh`);
    add(group, `${op} r9d, r10d`);
  }
  for (const op of ['inc', 'dec', 'neg', 'not']) {
    for (const s of SIZES) add(op === 'not' ? 'logic' : 'arith', `${op} ${s.b}`);
    add(op === 'not' ? 'logic' : 'arith', `${op} dword [{di}+12]`);
    add(op === 'not' ? 'logic' : 'arith', `${op} ch`);
  }

  for (const op of ['rol', 'ror', 'rcl', 'rcr', 'shl', 'shr', 'sar']) {
    for (const s of SIZES) {
      add('shift', `${op} ${s.b}, cl`, shiftCount, 40);
      add('shift', `${op} ${s.b}, 1`);
      for (const n of [0, 3, s.size * 8 - 1, s.size * 8, s.size * 8 + 1, 33, 65, 255]) add('shift', `${op} ${s.b}, ${n}`, undefined, 12);
    }
    add('shift', `${op} dword [{di}+4], cl`, shiftCount);
  }
  for (const op of ['shld', 'shrd']) {
    for (const s of SIZES.slice(1)) {
      add('shift', `${op} ${s.a}, ${s.b}, cl`, shiftCount, 40);
      for (const n of [0, 1, 5, s.size * 8 - 1, 31, 63]) add('shift', `${op} ${s.a}, ${s.b}, ${n}`, undefined, 12);
    }
    add('shift', `${op} dword [{di}+4], ebx, cl`, shiftCount);
  }

  for (const op of ['bt', 'bts', 'btr', 'btc']) {
    for (const s of SIZES.slice(1)) {
      add('bit', `${op} ${s.a}, ${s.b}`);
      for (const n of [0, 5, s.size * 8 - 1, s.size * 8 + 3]) add('bit', `${op} ${s.a}, ${n}`, undefined, 12);
      add('bit', `${op} ${s.mem} [{di}+64], ${s.b}`, bitOffset);
      add('bit', `${op} ${s.mem} [{di}], 13`);
    }
  }
  for (const op of ['bsf', 'bsr', 'tzcnt', 'lzcnt', 'popcnt']) {
    for (const s of SIZES.slice(1)) {
      add('bit', `${op} ${s.a}, ${s.b}`, (v, rng) => { if (rng.below(4) === 0) v.regs[RBX] &= ~((1n << BigInt(s.size * 8)) - 1n); });
      add('bit', `${op} ${s.a}, ${s.mem} [{di}+16]`);
    }
  }

  for (const s of SIZES) {
    add('muldiv', `mul ${s.b}`);
    add('muldiv', `imul ${s.b}`);
    add('muldiv', `mul ${s.mem} [{di}+24]`);
    add('muldiv', `div ${s.b}`, divisorSetup(s.size, false), 40);
    add('muldiv', `idiv ${s.b}`, divisorSetup(s.size, true), 40);
    if (s.size > 1) {
      add('muldiv', `imul ${s.a}, ${s.b}`);
      add('muldiv', `imul ${s.a}, ${s.mem} [{di}+24]`);
      add('muldiv', `imul ${s.a}, ${s.b}, 7`);
      add('muldiv', `imul ${s.a}, ${s.b}, -100`);
      add('muldiv', `imul ${s.a}, ${s.b}, ${s.size === 2 ? '0x7fff' : '0x12345678'}`);
    }
  }
  add('muldiv', 'div byte [{di}+24]', (v) => { v.window[0x40 + 24] = 0; });

  for (const name of ['b', 'w', 'd', 'q']) {
    for (const op of ['movs', 'stos', 'lods']) {
      add('string', `${op}${name}`, stringSetup, 12);
      add('string', `rep ${op}${name}`, stringSetup, 20);
    }
    for (const op of ['cmps', 'scas']) {
      add('string', `${op}${name}`, stringSetup, 12);
      add('string', `repe ${op}${name}`, stringSetup, 20);
      add('string', `repne ${op}${name}`, stringSetup, 20);
    }
  }

  for (const t of ['cbw', 'cwde', 'cdqe', 'cwd', 'cdq', 'cqo']) add('convert', t);
  for (const t of ['movsx ax, bl', 'movsx eax, bl', 'movsx rax, bl', 'movsx eax, bx', 'movsx rax, bx', 'movsxd rax, ebx',
    'movzx ax, bl', 'movzx eax, bl', 'movzx rax, bl', 'movzx eax, bx', 'movzx rax, bx', 'movsx eax, byte [{di}+3]', 'movzx eax, word [{di}+3]',
    'bswap eax', 'bswap rax', 'bswap r11', 'movsx ax, ah']) add('convert', t);

  for (const cc of CONDITIONS) {
    add('cmov', `cmov${cc} eax, ebx`);
    add('cmov', `cmov${cc} rax, qword [{di}+8]`);
    add('cmov', `cmov${cc} ax, bx`);
    add('setcc', `set${cc} al`);
    add('setcc', `set${cc} byte [{di}+5]`);
  }

  for (const s of SIZES) {
    add('exchange', `xadd ${s.c}, ${s.b}`);
    add('exchange', `xadd ${s.mem} [{di}], ${s.b}`);
    add('exchange', `lock xadd ${s.mem} [{di}], ${s.b}`);
    add('exchange', `cmpxchg ${s.c}, ${s.b}`, cmpxchgSetup(s.size, false));
    add('exchange', `cmpxchg ${s.mem} [{di}], ${s.b}`, cmpxchgSetup(s.size, true));
    add('exchange', `lock cmpxchg ${s.mem} [{di}], ${s.b}`, cmpxchgSetup(s.size, true));
    add('exchange', `xchg ${s.a}, ${s.b}`);
    add('exchange', `xchg ${s.mem} [{di}+8], ${s.b}`);
  }
  add('arith', 'lock add dword [{di}+8], ebx');
  add('arith', 'lock sbb qword [{di}+8], rbx');
  add('flags', 'lahf');
  add('flags', 'sahf');
  add('flags', 'clc');
  add('flags', 'stc');
  add('flags', 'cmc');

  // Data movement and address arithmetic.
  for (const t of ['lea eax, [ebx+ecx*4+0x12345678]', 'lea eax, [ebx+ecx*2+0x7fffffff]', 'lea ax, [ebx+ecx*8-3]', 'lea rax, [rbx+rcx*8-8]',
    'lea rax, [rbx+r12*2+0x7fffffff]', 'lea eax, [rbx+rcx]', 'mov eax, [{di}+8]', 'mov [{di}+8], bx', 'mov al, [{di}+1]', 'mov ah, [{di}+2]',
    'mov rax, [{di}+3]', 'mov qword [{di}+8], -2', 'mov byte [{di}+9], 0x80', 'movbe eax, [{di}+8]', 'movbe [{di}+8], rbx', 'movbe [{di}+8], bx',
    'mov rax, 0x123456789abcdef0', 'mov eax, -1']) add('move', t);
  add('move', 'xlatb', (v, rng) => { v.regs[RBX] = BigInt(WINDOW_ADDR + rng.below(64)); });

  // Stack (64-bit only: the stack width differs in 32-bit mode). RSP points into the data window.
  const popfSafe = (v: VectorInput): void => { v.window[0xf0 + 1] &= ~0x01; v.window[0xf0 + 2] &= ~0x04; };
  for (const t of ['push rbx', 'pop rcx', 'push qword [rdi+8]', 'pop qword [rdi+8]', 'push 0x12345678', 'push -5', 'push word 0x1234', 'pushfq', 'pop rsp', 'push rsp']) add('stack', t, undefined, 12, true);
  add('stack', 'popfq', popfSafe, 24, true);
  add('stack', 'leave', (v) => { v.regs[5] = BigInt(WINDOW_ADDR + 0x90); }, 12, true);

  add('exchange', 'cmpxchg8b [{di}]', (v, rng) => {
    if (rng.below(2)) return;
    let lo = 0n, hi = 0n;
    for (let i = 3; i >= 0; i--) { lo = (lo << 8n) | BigInt(v.window[0x40 + i]); hi = (hi << 8n) | BigInt(v.window[0x44 + i]); }
    v.regs[RAX] = (v.regs[RAX] & ~0xffffffffn) | lo;
    v.regs[RDX] = (v.regs[RDX] & ~0xffffffffn) | hi;
  });
  add('exchange', 'cmpxchg16b [rdi]', (v, rng) => {
    if (rng.below(2)) return;
    let lo = 0n, hi = 0n;
    for (let i = 7; i >= 0; i--) { lo = (lo << 8n) | BigInt(v.window[0x40 + i]); hi = (hi << 8n) | BigInt(v.window[0x48 + i]); }
    v.regs[RAX] = lo;
    v.regs[RDX] = hi;
  });

  // Faults: which exception, at which RIP.
  add('fault', 'mov eax, [{si}+0x100]', undefined, 4);
  add('fault', 'mov dword [{di}+0xfc0], ebx', undefined, 4);
  add('fault', 'ud2', undefined, 2);
  add('fault', 'db 0xf0, 0x01, 0xd8 ; lock add eax, ebx', undefined, 2);
  add('fault', 'mov rax, [rbx]', (v) => { v.regs[RBX] = 0x8000000000000000n; }, 2);
  add('fault', 'idiv ebx', (v) => { v.regs[RAX] = 0x80000000n; v.regs[RDX] = 0xffffffffn; v.regs[RBX] = 0xffffffffn; }, 2);
  add('fault', 'cmpxchg16b [rdi+8]', undefined, 2);
  add('fault', 'db 0xce ; into (invalid in 64-bit mode)', undefined, 2, true);
  add('fault', 'mov eax, [0]', undefined, 2);
  add('fault', 'rep movsb', (v) => { v.regs[RCX] = 300n; v.flags &= ~DF; v.regs[RSI] = BigInt(WINDOW_ADDR); v.regs[RDI] = BigInt(WINDOW_ADDR + 0x80); }, 2);
  return cases;
}

/** true when the text needs 64-bit mode (64-bit registers, REX registers, qword data, 64-bit-only mnemonics). */
export function is64Only(text: string): boolean {
  return /\b(r[a-z]x|r[sd]i|r[sb]p|r\d+[dwb]?|qword|cdqe|cqo|movsxd|movsq|stosq|lodsq|cmpsq|scasq)\b/.test(text.replace(/;.*$/, ''));
}

/** The case's NASM text for a mode. */
export function renderText(c: InstructionCase, bits: 32 | 64): string {
  return c.text.replace(/\{di\}/g, bits === 64 ? 'rdi' : 'edi').replace(/\{si\}/g, bits === 64 ? 'rsi' : 'esi');
}
