// x86dbg disasm: placeholder until its owner lands it (see the open issues).
export async function disasmCommand(_args: string[]): Promise<number> {
  process.stderr.write('x86dbg disasm: not available yet\n');
  return 2;
}
