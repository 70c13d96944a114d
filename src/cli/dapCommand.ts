// x86dbg dap [--port N]: the debug adapter on stdin/stdout, or on a loopback port for any DAP client.
// Node APIs allowed; never imports 'vscode'.
import { serveDap } from '../adapter/serve';

export async function dapCommand(args: string[]): Promise<number> {
  let port: number | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    if (a === '--port' || a === '-p') {
      port = Number(args[++i]);
    } else if (a.startsWith('--port=')) {
      port = Number(a.slice('--port='.length));
    } else if (a === '--help' || a === '-h') {
      process.stdout.write('usage: x86dbg dap [--port N]   serve the debug adapter on stdin/stdout, or on 127.0.0.1:N\n');
      return 0;
    } else {
      process.stderr.write(`x86dbg dap: unknown option '${a}'\n`);
      return 2;
    }
  }
  if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
    process.stderr.write('x86dbg dap: --port needs a number from 0 to 65535\n');
    return 2;
  }
  try {
    const bound = await serveDap(port);
    if (bound !== undefined) process.stderr.write(`x86dbg dap: listening on 127.0.0.1:${bound}\n`);
  } catch (e) {
    process.stderr.write(`x86dbg dap: ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  }
  // Keep the process alive while the session/server runs: never resolve.
  return new Promise<number>(() => undefined);
}
