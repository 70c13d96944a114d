// x86dbg asm: placeholder until its owner lands it (see the open issues).
export async function asmCommand(_args: string[]): Promise<number> {
  process.stderr.write('x86dbg asm: not available yet\n');
  return 2;
}
