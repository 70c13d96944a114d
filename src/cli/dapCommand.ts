// x86dbg dap: placeholder until its owner lands it (see the open issues).
export async function dapCommand(_args: string[]): Promise<number> {
  process.stderr.write('x86dbg dap: not available yet\n');
  return 2;
}
