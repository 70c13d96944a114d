// The x86dbg command line: dispatches to one module per subcommand (run, asm, disasm, dap).
// Node APIs are allowed here; it never imports the VS Code layer.
import { runCommand } from './runCommand';
import { asmCommand } from './asmCommand';
import { disasmCommand } from './disasmCommand';
import { dapCommand } from './dapCommand';

/** A subcommand takes its arguments (after the subcommand name) and resolves to the exit code. */
export type Command = (args: string[]) => Promise<number>;

const commands: Record<string, { run: Command; summary: string }> = {
  run: { run: runCommand, summary: 'run FILE [--env linux|dos|boot|bare] [--bits 16|32|64] ...  run a program' },
  asm: { run: asmCommand, summary: 'asm FILE -o OUT [--format bin|com|elf32|elf64] [--listing FILE]  assemble' },
  disasm: { run: disasmCommand, summary: 'disasm FILE [--bits 16|32|64] [--org ADDR]  disassemble' },
  dap: { run: dapCommand, summary: 'dap [--port N]  serve the debug adapter on stdin/stdout or a loopback port' },
};

function usage(): string {
  return ['usage: x86dbg <command> [options]', '', ...Object.values(commands).map((c) => '  x86dbg ' + c.summary)].join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage() + '\n');
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`x86dbg: unknown command '${name}'\n${usage()}\n`);
    return 2;
  }
  return command.run(rest);
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`x86dbg: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 70;
    },
  );
}
