// Architectural exceptions (SDM Vol. 3 §6.3.1, Table 6-1): vector numbers, which ones push an
// error code, and the CpuFault value the access path and the handlers throw to abandon the
// current instruction. Faults are rare, so allocating one per fault is fine.
// Imports nothing.

export const DE = 0;
export const DB = 1;
export const NMI = 2;
export const BP = 3;
export const OF = 4;
export const BR = 5;
export const UD = 6;
export const NM = 7;
export const DF = 8;
export const TS = 10;
export const NP = 11;
export const SS = 12;
export const GP = 13;
export const PF = 14;
export const MF = 16;
export const AC = 17;

/** Mnemonics by vector, for messages. */
export const EXCEPTION_NAMES: readonly string[] = ['#DE', '#DB', 'NMI', '#BP', '#OF', '#BR', '#UD', '#NM', '#DF', '', '#TS', '#NP', '#SS', '#GP', '#PF', '', '#MF', '#AC', '#MC', '#XM'];

/** True when the exception pushes an error code (SDM Vol. 3 Table 6-1). */
export function hasErrorCode(vector: number): boolean {
  return vector === DF || vector === TS || vector === NP || vector === SS || vector === GP || vector === PF || vector === AC;
}

/** #PF error code bits (SDM Vol. 3 §4.7). */
export const PF_PRESENT = 1;
export const PF_WRITE = 2;
export const PF_USER = 4;
export const PF_FETCH = 16;

/** Thrown inside an instruction to abandon it with an exception. */
export class CpuFault {
  constructor(
    readonly vector: number,
    /** The error code pushed, for the vectors that push one. */
    readonly errorCode: number | undefined = undefined,
    /** Faulting linear address for #PF (becomes CR2). */
    readonly address: number | undefined = undefined,
    /** Human-readable detail for messages ("write to read-only page", "division by zero"). */
    readonly detail = '',
  ) {}
}

/** A one-line description, e.g. "#GP(0) general protection". */
export function describeFault(f: CpuFault): string {
  const name = EXCEPTION_NAMES[f.vector] || `vector ${f.vector}`;
  const code = f.errorCode !== undefined ? `(0x${f.errorCode.toString(16)})` : '';
  const addr = f.address !== undefined ? ` at 0x${f.address.toString(16)}` : '';
  return `${name}${code}${addr}${f.detail ? ': ' + f.detail : ''}`;
}
