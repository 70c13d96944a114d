// Decoder throughput (instructions per second) per mode over a realistic mixed corpus: every
// encodable table row's generated variants (register, memory, immediate forms) encoded once by
// our encoder, concatenated, then decoded repeatedly with one reused Instruction; CPU time, best of 3.
// The same bytes are decoded by iced-x86 (Rust compiled to wasm) in the same run, as a reference ratio.
// Also the encoder's throughput on the same corpus requests (what the assembler calls per instruction).
import { Decoder, DecoderOptions, Instruction as IcedInstruction } from 'iced-x86';
import type { Benchmark, BenchFigure } from './run';
import { decode } from '../src/isa/decode';
import { encode, type AsmOperand, type EncodeRequest } from '../src/isa/encode';
import { Instruction } from '../src/isa/instruction';
import { generateCorpus } from '../test/unit/isa/corpus';

function buildCode(mode: 16 | 32 | 64): { code: Uint8Array; count: number } {
  const chunks: Uint8Array[] = [];
  let address = 0;
  for (const line of generateCorpus(mode)) {
    const operands: AsmOperand[] = line.request.operands.map((o, i) => {
      if (line.relative === undefined || i !== line.relativeOperand) return o;
      return o.kind === 'imm' ? { ...o, value: BigInt(address) + line.relative } : o.kind === 'mem' ? { ...o, disp: BigInt(address) + line.relative } : o;
    });
    const r = encode({ ...line.request, operands, address });
    if (r.kind !== 'ok') continue;
    chunks.push(r.bytes);
    address += r.bytes.length;
  }
  const code = new Uint8Array(address);
  let p = 0;
  for (const c of chunks) { code.set(c, p); p += c.length; }
  return { code, count: chunks.length };
}

/**
 * Instructions per second of CPU time (the machine is shared: wall time mostly measures the other
 * processes): `pass` returns the instructions it decoded; best of three runs of ~0.3 s CPU each.
 */
function rate(pass: () => number): number {
  for (let i = 0; i < 5; i++) pass(); // warm up
  let best = 0;
  for (let run = 0; run < 3; run++) {
    const start = process.cpuUsage();
    let decoded = 0;
    let micros = 0;
    while (micros < 300_000) {
      decoded += pass();
      const used = process.cpuUsage(start);
      micros = used.user + used.system;
    }
    best = Math.max(best, decoded / (micros / 1e6));
  }
  return best;
}

function measure(mode: 16 | 32 | 64): BenchFigure[] {
  const { code, count } = buildCode(mode);
  const insn = new Instruction();
  const ours = rate(() => {
    let n = 0;
    for (let p = 0; p < code.length; ) {
      const r = decode(code, p, code.length, mode, insn);
      if (r.kind === 'truncated' || (r.kind === 'invalid' && r.reason === 'tooLong')) break;
      p += r.kind === 'invalid' ? 1 : insn.length;
      n++;
    }
    return n;
  });
  const icedInsn = new IcedInstruction();
  const decoder = new Decoder(mode, code, DecoderOptions.None);
  const iced = rate(() => {
    let n = 0;
    decoder.position = 0;
    while (decoder.canDecode) { decoder.decodeOut(icedInsn); n++; }
    return n;
  });
  decoder.free();
  icedInsn.free();
  return [
    { name: `decode: mixed ${mode}-bit corpus (${count} insns, ${code.length} bytes)`, value: ours, unit: 'insn/s', note: 'CPU time, best of 3' },
    { name: `decode: iced-x86 (wasm) on the same ${mode}-bit bytes`, value: iced, unit: 'insn/s', note: `ours/iced ${(ours / iced).toFixed(2)}` },
  ];
}

/** Every corpus request of a mode (branch targets relative to 0x1000). */
function encoderRequests(mode: 16 | 32 | 64): EncodeRequest[] {
  return generateCorpus(mode).map((line) => ({ ...line.request, address: 0x1000 }));
}

/** Encodes per second of CPU time per mode; all three modes are warmed up first (the first mode measured would pay the JIT). */
function measureEncoder(): BenchFigure[] {
  const modes = [16, 32, 64] as const;
  const lists = modes.map(encoderRequests);
  for (let k = 0; k < 10; k++) for (const list of lists) for (const r of list) encode(r);
  return modes.map((mode, m) => {
    const requests = lists[m];
    let failed = 0;
    for (const r of requests) if (encode(r).kind !== 'ok') failed++;
    const perSecond = rate(() => {
      for (let i = 0; i < requests.length; i++) encode(requests[i]);
      return requests.length;
    });
    return { name: `encode: ${mode}-bit corpus requests (${requests.length}, ${failed} rejected)`, value: perSecond, unit: 'encodes/s', note: 'CPU time, best of 3' };
  });
}

export const benchmarks: Benchmark[] = [
  { name: 'isa decoder throughput', run: () => [...measure(16), ...measure(32), ...measure(64)] },
  { name: 'isa encoder throughput', run: measureEncoder },
];
