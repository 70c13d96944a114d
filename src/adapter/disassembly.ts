// Instructions for the Disassembly view and for stepping: decodes guest memory with src/isa's decoder,
// formats it in NASM syntax with labels, classifies control flow (CALL/INT/REP/LOOP/RET) and answers
// `disassemble` including negative instruction offsets. Imports src/isa and adapter modules.
import type { DebugProtocol } from '@vscode/debugprotocol';
import { Instruction, Prefix } from '../isa/instruction';
import { decode } from '../isa/decode';
import { formatInstruction } from '../isa/format';
import type { DebugTarget } from './target';
import type { Runtime } from './runtime';
import type { FlowKind, InstructionDecoder, InstructionInfo } from './runtimeTypes';

const MAX_INSN = 15;

function flowOf(insn: Instruction): FlowKind {
  switch (insn.exec) {
    case 'callRel':
    case 'callIndirect':
    case 'callFar':
    case 'callFarIndirect':
      return 'call';
    case 'int':
    case 'int3':
    case 'into':
    case 'int1':
      return 'int';
    case 'loop':
    case 'loope':
    case 'loopne':
      return 'loop';
    case 'ret':
    case 'retFar':
      return 'ret';
    case 'iret':
      return 'iret';
    case 'movs':
    case 'cmps':
    case 'stos':
    case 'lods':
    case 'scas':
    case 'ins':
    case 'outs':
      return (insn.prefixes & (Prefix.Rep | Prefix.Repne)) !== 0 ? 'rep' : 'other';
    default:
      return 'other';
  }
}

/** A decoder over a target's memory in its current mode, with an optional symbolizer. */
export function decoderFor(target: DebugTarget, symbolize?: (address: number) => string | undefined): InstructionDecoder {
  const insn = new Instruction();
  return (address: number): InstructionInfo | null => {
    const bytes = target.read(address, MAX_INSN) ?? readShort(target, address);
    if (bytes.length === 0) return null;
    const r = decode(bytes, 0, bytes.length, target.mode(), insn);
    if (r.kind !== 'ok') {
      if (r.kind === 'unsupported' && insn.length > 0) return { address, length: insn.length, text: `(${r.family} instruction)`, flow: 'other', exec: 'unsupported' };
      return null;
    }
    const text = formatInstruction(insn, { address, symbolize });
    return { address, length: insn.length, text, flow: flowOf(insn), exec: insn.exec };
  };
}

function readShort(target: DebugTarget, address: number): Uint8Array {
  for (let n = MAX_INSN - 1; n > 0; n--) {
    const b = target.read(address, n);
    if (b) return b;
  }
  return new Uint8Array(0);
}

/** Find an address `back` instructions before `address`: known line-map starts first, else a decode that re-synchronises. */
function walkBack(rt: Runtime, decodeAt: InstructionDecoder, address: number, back: number): number {
  const starts = rt.symbols.lines;
  // Line map: instruction starts known exactly.
  let idx = -1;
  for (let i = starts.length - 1; i >= 0; i--) {
    if (starts[i].address < address) {
      idx = i;
      break;
    }
  }
  if (idx >= 0 && idx - back + 1 >= 0 && address - starts[idx - back + 1].address <= back * MAX_INSN) {
    const cand = starts[idx - back + 1].address;
    // verify the chain reaches `address`
    let a = cand;
    for (let k = 0; k < back && a < address; k++) {
      const d = decodeAt(a);
      if (!d) break;
      a += d.length;
    }
    if (a === address) return cand;
  }
  // Try start points far enough back; keep the one whose chain lands exactly on `address`.
  for (let slack = back * MAX_INSN; slack >= back; slack--) {
    const from = address - slack;
    if (from < 0) continue;
    const chain: number[] = [];
    let a = from;
    while (a < address) {
      const d = decodeAt(a);
      if (!d) break;
      chain.push(a);
      a += d.length;
    }
    if (a === address && chain.length >= back) return chain[chain.length - back];
  }
  return Math.max(0, address - back);
}

/** The `disassemble` response instructions. */
export function disassembleRange(rt: Runtime, _plain: InstructionDecoder, start: number, instructionOffset: number, count: number): DebugProtocol.DisassembledInstruction[] {
  const decodeAt = decoderFor(rt.target, (a) => rt.symbols.describe(a, 'code') ?? rt.symbols.describe(a, 'data'));
  let address = start;
  let skip = 0;
  if (instructionOffset < 0) address = walkBack(rt, decodeAt, start, -instructionOffset);
  else skip = instructionOffset;
  const out: DebugProtocol.DisassembledInstruction[] = [];
  let lastLine: string | undefined;
  while (out.length < count) {
    const d = address >= 0 ? decodeAt(address) : null;
    const bytes = d ? rt.target.read(address, d.length) : rt.target.read(address, 1);
    if (skip > 0) {
      skip--;
      address += d ? d.length : 1;
      continue;
    }
    const entry: DebugProtocol.DisassembledInstruction = {
      address: '0x' + Math.max(0, address).toString(16),
      instruction: d ? d.text : bytes ? '(bad)' : '??',
      instructionBytes: bytes ? [...bytes].map((b) => b.toString(16).padStart(2, '0')).join(' ') : undefined,
    };
    if (!d) entry.presentationHint = 'invalid';
    const sym = rt.symbols.labelFor(address);
    if (sym && sym.linear === address) entry.symbol = sym.name;
    const line = rt.symbols.lineAt(address);
    if (line) {
      const key = `${line.file}:${line.line}`;
      if (key !== lastLine) {
        entry.location = { path: line.file, name: line.file.slice(Math.max(line.file.lastIndexOf('/'), line.file.lastIndexOf('\\')) + 1) };
        entry.line = line.line;
        lastLine = key;
      }
    }
    out.push(entry);
    address += d ? d.length : 1;
  }
  return out;
}
