// `npm run demo`: the one command that gives a person the debugger working on examples/ — builds the
// extension if needed, installs code-server 4.100.3 if needed (cached in .vscode-test/), serves a
// real VS Code on loopback with the extension installed and examples/ open, and prints the URL.
// Runs until Ctrl-C. Node only. Env: X86DBG_DEMO_PORT (default 8080, else a free port), X86DBG_DEMO_FOLDER.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as path from 'path';
import { ensureCodeServer, freePort, repoRoot, startCodeServer } from './codeServer';

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/** Builds dist/ with webpack when it is missing or older than src/. */
function ensureBuilt(): void {
  const bundle = path.join(repoRoot, 'dist', 'extension.js');
  if (fs.existsSync(bundle) && fs.statSync(bundle).mtimeMs >= newestMtime(path.join(repoRoot, 'src'))) return;
  process.stdout.write('building the extension (webpack)…\n');
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'node_modules', 'webpack-cli', 'bin', 'cli.js'), '--mode', 'production'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('webpack failed');
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function main(): Promise<void> {
  ensureBuilt();
  process.stdout.write('preparing code-server 4.100.3 (first run: about a minute)…\n');
  ensureCodeServer();
  const wanted = Number(process.env.X86DBG_DEMO_PORT ?? 8080);
  const port = (await portIsFree(wanted)) ? wanted : await freePort();
  const folder = path.resolve(process.env.X86DBG_DEMO_FOLDER ?? path.join(repoRoot, 'examples'));
  const stateDir = path.join(repoRoot, '.vscode-test', 'demo-state');
  fs.rmSync(stateDir, { recursive: true, force: true });
  const server = await startCodeServer({ folder, port, stateDir, installExtensionFrom: repoRoot, settings: { 'workbench.colorTheme': 'Default Dark Modern' } });
  process.stdout.write(
    [
      '',
      `x86dbg is ready in VS Code: ${server.url}`,
      '',
      'Open that URL in a browser on this machine. Open an .asm file from examples/, click in the gutter',
      'to set a breakpoint (it goes into DR0), press F5, and open "Debug Registers" in Run and Debug.',
      'Press Ctrl-C here to stop.',
      '',
    ].join('\n'),
  );
  const stop = (): void => {
    server.stop().then(() => process.exit(0), () => process.exit(1));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  server.process.once('exit', (code) => {
    process.stderr.write(`code-server exited (${String(code)})\n${server.log().slice(-2000)}\n`);
    process.exit(1);
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`demo: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
