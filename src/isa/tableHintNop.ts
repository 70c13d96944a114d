// Table rows of the hint-NOP space 0F 18–0F 1F /r (SDM Vol. 2 Appendix A, Table A-3, "NOP"; the
// reserved-NOP opcodes execute as NOP and access no memory). NASM names them HINT_NOP0..HINT_NOP63:
// HINT_NOPn = 0F (18 + n/8) /(n mod 8). Where a named row has the same encoding (0F 1F /0 `NOP r/m`,
// the 0F 18 PREFETCHh m8 forms in tableTwoByte.ts) it comes first in the table and is what the decoder
// returns; 0F 18 rows share PREFETCHh's exec 'prefetch' (a no-op too). Imports only src/isa types.
import type { TableRow } from './table';

function hintNop(n: number): TableRow[] {
  const op = `0F ${(0x18 + (n >> 3)).toString(16).toUpperCase()} /${n & 7}`;
  const name = `HINT_NOP${n}`;
  const exec = n < 8 ? 'prefetch' : 'nop';
  return [
    { code: `Hint_nop${n}_rm16`, op, ins: `${name} r/m16`, exec },
    { code: `Hint_nop${n}_rm32`, op, ins: `${name} r/m32`, exec },
    { code: `Hint_nop${n}_rm64`, op: `REX.W + ${op}`, ins: `${name} r/m64`, exec, modes: '64' },
  ];
}

/** HINT_NOP0..HINT_NOP63 (0F 18 /0 .. 0F 1F /7) for r/m16, r/m32 and r/m64. */
export const hintNopRows: readonly TableRow[] = Array.from({ length: 64 }, (_, i) => hintNop(i)).flat();
