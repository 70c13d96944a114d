// Serving the x86dbg debug adapter: on stdin/stdout (one session for the process) or on a loopback
// TCP port (one session per connection). Used by dist/adapter.js, `x86dbg dap` and the benchmark.
// Node APIs allowed.
import * as net from 'net';
import { X86DebugSession } from './session';

/** A listening loopback server. */
export interface DapServer {
  port: number;
  close(): Promise<void>;
}

/** Serve sessions on 127.0.0.1:port (0 = any free port). */
export function listenDap(port: number): Promise<DapServer> {
  return new Promise((resolve, reject) => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((socket) => {
      // DAP messages are small header+body writes: without this, Nagle + delayed ACK add ~40 ms per message.
      socket.setNoDelay(true);
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => socket.destroy());
      const session = new X86DebugSession();
      session.setRunAsServer(true);
      session.start(socket, socket);
    });
    server.on('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const addr = server.address();
      resolve({
        port: typeof addr === 'object' && addr ? addr.port : port,
        close: () =>
          new Promise<void>((done) => {
            for (const s of sockets) s.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}

/** Serve on stdio when port is undefined, else on 127.0.0.1:port. Resolves with the bound port. */
export async function serveDap(port?: number): Promise<number | undefined> {
  if (port === undefined) {
    const session = new X86DebugSession();
    process.on('SIGTERM', () => session.shutdown());
    // A failing guest or client must not crash the adapter process.
    process.on('uncaughtException', (e) => process.stderr.write(`x86dbg adapter: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`));
    session.start(process.stdin, process.stdout);
    return undefined;
  }
  return (await listenDap(port)).port;
}
