// Table rows of the hint-NOP space 0F 19–0F 1F /r (SDM Vol. 2 Appendix A, Table A-3, "NOP"; the
// reserved-NOP opcodes execute as NOP and access no memory). NASM names them HINT_NOP8..HINT_NOP63:
// HINT_NOPn = 0F (18 + n/8) /(n mod 8). 0F 1F /0 is also the canonical `NOP r/m` (tableTwoByte.ts),
// which comes first in the table and is what the decoder returns for it. Imports only src/isa types.
import type { TableRow } from './table';

function hintNop(n: number): TableRow[] {
  const op = `0F ${(0x18 + (n >> 3)).toString(16).toUpperCase()} /${n & 7}`;
  const name = `HINT_NOP${n}`;
  return [
    { code: `Hint_nop${n}_rm16`, op, ins: `${name} r/m16`, exec: 'nop' },
    { code: `Hint_nop${n}_rm32`, op, ins: `${name} r/m32`, exec: 'nop' },
    { code: `Hint_nop${n}_rm64`, op: `REX.W + ${op}`, ins: `${name} r/m64`, exec: 'nop', modes: '64' },
  ];
}

/** HINT_NOP8..HINT_NOP63 (0F 19 /0 .. 0F 1F /7) for r/m16, r/m32 and r/m64. */
export const hintNopRows: readonly TableRow[] = Array.from({ length: 56 }, (_, i) => hintNop(i + 8)).flat();
