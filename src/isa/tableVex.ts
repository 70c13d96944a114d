// Table rows of the VEX-encoded general-purpose instructions: BMI1 (ANDN, BEXTR, BLSI, BLSMSK, BLSR)
// and BMI2 (BZHI, MULX, PDEP, PEXT, RORX, SARX, SHLX, SHRX), SDM Vol. 2 notation: `VEX.LZ.pp.map.Wn`
// opcode, and the Op/En column (`en`) saying which operand is ModRM.reg (R), VEX.vvvv (V), ModRM.rm
// (M) or an immediate (I). W1 forms exist in 64-bit mode only (SDM: "V/N.E."); in other modes VEX.W
// is ignored and the operation is 32-bit. Data only. Imports only src/isa types.
import type { TableRow } from './table';

/** The 32-bit (W0) and 64-bit (W1) rows of one BMI instruction. */
function both(name: string, vex: (w: string) => string, operands: (n: number) => string, en: TableRow['en'], flags?: string): TableRow[] {
  const code = name[0] + name.slice(1).toLowerCase();
  const ins = (n: number): string => `${name} ${operands(n)}`;
  const sizeCode = (n: number): string => operands(n).replace(/\//g, '').replace(/, /g, '_').replace(/[ab]\b/g, '');
  return [
    { code: `${code}_${sizeCode(32)}`, op: vex('W0'), ins: ins(32), exec: name.toLowerCase() as TableRow['exec'], en, ...(flags ? { flags } : {}) },
    { code: `${code}_${sizeCode(64)}`, op: vex('W1'), ins: ins(64), exec: name.toLowerCase() as TableRow['exec'], en, modes: '64', ...(flags ? { flags } : {}) },
  ];
}

const rvm = (n: number): string => `r${n}a, r${n}b, r/m${n}`;
const rmv = (n: number): string => `r${n}a, r/m${n}, r${n}b`;
const vm = (n: number): string => `r${n}, r/m${n}`;

/** BMI1/BMI2 forms (SDM Vol. 2 per instruction; flags: w = written, u = undefined). */
export const vexRows: readonly TableRow[] = [
  ...both('ANDN', (w) => `VEX.LZ.0F38.${w} F2 /r`, rvm, 'RVM', 'w:oszc u:ap'),
  ...both('BEXTR', (w) => `VEX.LZ.0F38.${w} F7 /r`, rmv, 'RMV', 'w:ozc u:asp'),
  ...both('BLSI', (w) => `VEX.LZ.0F38.${w} F3 /3`, vm, 'VM', 'w:oszc u:ap'),
  ...both('BLSMSK', (w) => `VEX.LZ.0F38.${w} F3 /2`, vm, 'VM', 'w:oszc u:ap'),
  ...both('BLSR', (w) => `VEX.LZ.0F38.${w} F3 /1`, vm, 'VM', 'w:oszc u:ap'),
  ...both('BZHI', (w) => `VEX.LZ.0F38.${w} F5 /r`, rmv, 'RMV', 'w:oszc u:ap'),
  ...both('MULX', (w) => `VEX.LZ.F2.0F38.${w} F6 /r`, rvm, 'RVM'),
  ...both('PDEP', (w) => `VEX.LZ.F2.0F38.${w} F5 /r`, rvm, 'RVM'),
  ...both('PEXT', (w) => `VEX.LZ.F3.0F38.${w} F5 /r`, rvm, 'RVM'),
  ...both('RORX', (w) => `VEX.LZ.F2.0F3A.${w} F0 /r ib`, (n) => `r${n}, r/m${n}, imm8`, 'RMI'),
  ...both('SARX', (w) => `VEX.LZ.F3.0F38.${w} F7 /r`, rmv, 'RMV'),
  ...both('SHLX', (w) => `VEX.LZ.66.0F38.${w} F7 /r`, rmv, 'RMV'),
  ...both('SHRX', (w) => `VEX.LZ.F2.0F38.${w} F7 /r`, rmv, 'RMV'),
];
