// Serving the x86dbg debug adapter: on stdin/stdout (one session for the process) or on a loopback
// TCP port (one session per connection). Used by dist/adapter.js and `x86dbg dap`. Node APIs allowed.
import * as net from 'net';
import { X86DebugSession } from './session';

/** Serve on stdio when port is undefined, else on 127.0.0.1:port. Resolves with the bound port. */
export function serveDap(port?: number): Promise<number | undefined> {
  if (port === undefined) {
    const session = new X86DebugSession();
    process.on('SIGTERM', () => session.shutdown());
    // A failing guest or client must not crash the adapter process.
    process.on('uncaughtException', (e) => process.stderr.write(`x86dbg adapter: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
    session.start(process.stdin, process.stdout);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve, reject) => {
    const server = net.createServer((socket) => {
      const session = new X86DebugSession();
      session.setRunAsServer(true);
      socket.on('error', () => socket.destroy());
      session.start(socket, socket);
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      resolve(typeof addr === 'object' && addr ? addr.port : port);
    });
  });
}
