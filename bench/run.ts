// `npm run bench`: runs every bench/*.bench.ts module in one process and prints their figures.
// A module exports `benchmarks: Benchmark[]`; each returns lines of results. Ratios are computed
// inside a module from figures measured in the same run (never against stored numbers).
// Usage: npm run bench [-- NAME-FILTER]
import * as fs from 'fs';
import * as path from 'path';

export interface BenchFigure {
  /** What was measured, e.g. "decode: mixed 64-bit corpus". */
  name: string;
  value: number;
  /** Unit of value, e.g. "insn/s", "lines/s", "ms", "x". */
  unit: string;
  /** Extra words, e.g. "ratio to native 0.02". */
  note?: string;
}

export interface Benchmark {
  name: string;
  run(): Promise<BenchFigure[]> | BenchFigure[];
}

function format(f: BenchFigure): string {
  const v = Math.abs(f.value) >= 1e6 ? `${(f.value / 1e6).toFixed(2)} M` : Math.abs(f.value) >= 1e3 ? `${(f.value / 1e3).toFixed(1)} k` : f.value.toFixed(3);
  return `  ${f.name.padEnd(56)} ${v.padStart(12)} ${f.unit}${f.note ? '   (' + f.note + ')' : ''}`;
}

async function main(): Promise<void> {
  const filter = process.argv[2];
  const dir = __dirname;
  const files = fs.readdirSync(dir).filter((f) => f.endsWith('.bench.ts')).sort();
  for (const file of files) {
    const mod = (await import(path.join(dir, file))) as { benchmarks?: Benchmark[] };
    for (const b of mod.benchmarks ?? []) {
      if (filter && !b.name.includes(filter) && !file.includes(filter)) continue;
      process.stdout.write(`${b.name}\n`);
      const figures = await b.run();
      for (const f of figures) process.stdout.write(format(f) + '\n');
    }
  }
}

main().catch((err: unknown) => {
  process.stderr.write(String(err instanceof Error ? err.stack : err) + '\n');
  process.exitCode = 1;
});
