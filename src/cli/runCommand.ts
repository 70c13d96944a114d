// x86dbg run: placeholder until its owner lands it (see the open issues).
export async function runCommand(_args: string[]): Promise<number> {
  process.stderr.write('x86dbg run: not available yet\n');
  return 2;
}
