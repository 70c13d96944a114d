// ADCX and ADOX (ADX: 66 / F3 0F 38 F6): unsigned add with carry where the carry in and out is CF
// (ADCX) or OF (ADOX) and no other flag changes (SDM Vol. 2 "ADCX", "ADOX"). Imports the CPU core.
import type { Machine } from '../machine';
import { type Op } from '../decodeCache';
import * as operandsModule from './operands';
import * as flagsModule from '../flags';
// Bound once at load: tsx/esbuild compiles imported bindings to getter calls on every use (hot path).
const { read1 } = operandsModule;
const { materializeFlags, CF, OF } = flagsModule;

/** dest += src + flag (flag = CF or OF); the carry out goes to that flag only. Size from operand 0. */
function addWithFlag(m: Machine, o: Op, flag: number): void {
  const size = o.s0;
  materializeFlags(m);
  const c = (m.flagsRest & flag) !== 0 ? 1 : 0;
  const s = read1(m, o, size);
  const sHi = m.hi;
  const d = m.getReg(o.r0, size);
  const dHi = m.hi;
  const lo = (d >>> 0) + (s >>> 0) + c;
  let carry = lo > 0xffffffff ? 1 : 0;
  let hi = 0;
  if (size === 8) {
    const h = (dHi >>> 0) + (sHi >>> 0) + carry;
    carry = h > 0xffffffff ? 1 : 0;
    hi = h | 0;
  }
  m.setReg(o.r0, size, lo | 0, hi);
  m.flagsRest = (m.flagsRest & ~flag) | (carry ? flag : 0);
}

/** ADCX r32/r64, r/m32/64: carry through CF. */
export function adcx(m: Machine, o: Op): void {
  addWithFlag(m, o, CF);
}

/** ADOX r32/r64, r/m32/64: carry through OF. */
export function adox(m: Machine, o: Op): void {
  addWithFlag(m, o, OF);
}
