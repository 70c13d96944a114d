// The program's line map from the stable pass's emit records: one entry per record (address,
// length, instruction or data) with the file:line of the statement that produced it, sorted by
// address. Built when first read (a caller that only wants bytes or diagnostics never pays for it).
// Imports ./emitRecords, ./passState, ./statements, ./program (types).
import type { EmitRecords } from './emitRecords';
import type { SectionState } from './passState';
import type { Statement } from './statements';
import type { LineMapEntry } from './program';

/** The line map of `records` (records of `stmts`, offsets in `sections`). */
export function buildLineMap(records: EmitRecords, sections: readonly SectionState[], stmts: readonly Statement[]): LineMapEntry[] {
  const rec = records;
  const lineMap: LineMapEntry[] = new Array<LineMapEntry>(rec.count);
  let sorted = true;
  let lastStmt = -1;
  let location = { file: '', line: 0 };
  for (let i = 0; i < rec.count; i++) {
    const k = rec.stmt[i];
    // one location object per statement (TIMES and merged records share it)
    if (k !== lastStmt) {
      const o = stmts[k].origin;
      location = { file: o.file, line: o.line };
      lastStmt = k;
    }
    const address = sections[rec.section[i]].base + rec.offset[i];
    lineMap[i] = { address, length: rec.length[i], location, isInstruction: rec.instruction[i] === 1 };
    if (i > 0 && lineMap[i - 1].address > address) sorted = false;
  }
  if (!sorted) lineMap.sort((a, b) => a.address - b.address);
  return lineMap;
}
