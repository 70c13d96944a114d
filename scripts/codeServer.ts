// Starts a real VS Code (code-server 4.100.3, installed by scripts/install-code-server.sh) on a
// loopback port with its own config, data, cache and extensions folders, so it never touches the
// user's ~/.config. Used by the real-VS-Code tests (test/e2e) and by `npm run demo`.
// Node only; imports nothing of ours.
import { spawn, spawnSync, type ChildProcess } from 'child_process';
import * as fs from 'fs';
import * as net from 'net';
import * as os from 'os';
import * as path from 'path';

/** The repository root (this file lives in scripts/). */
export const repoRoot = path.resolve(__dirname, '..');

/** Options for {@link startCodeServer}. */
export interface CodeServerOptions {
  /** Folder the workbench opens. */
  folder: string;
  /** Loopback port; a free one is picked when absent. */
  port?: number;
  /** Install the extension at this path into the isolated extensions folder (a link, as a user install). */
  installExtensionFrom?: string;
  /** Where the user-data, config and extensions folders go; a fresh temp folder when absent. */
  stateDir?: string;
  /** Extra user settings merged into settings.json. */
  settings?: Record<string, unknown>;
  /** Echo code-server's own output to this process's stderr. */
  verbose?: boolean;
}

/** A running code-server. */
export interface CodeServer {
  port: number;
  /** The workbench URL with the folder opened. */
  url: string;
  stateDir: string;
  process: ChildProcess;
  /** Output collected from code-server (for diagnosing a failed start). */
  log(): string;
  /** Stops code-server (by its PID) and waits for it to exit. */
  stop(): Promise<void>;
}

/** Installs code-server if needed (fast when cached) and returns the code-server package folder. */
export function ensureCodeServer(): string {
  const script = path.join(repoRoot, 'scripts', 'install-code-server.sh');
  const result = spawnSync('bash', [script], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (result.status !== 0) throw new Error(`install-code-server.sh failed (exit ${String(result.status)})`);
  const dest = result.stdout.trim().split('\n').pop() ?? '';
  return path.join(dest, 'node_modules', 'code-server');
}

/** Asks the OS for a free loopback port. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Settings that keep the workbench quiet and deterministic (no welcome page, tips, telemetry, trust prompts). */
export const quietSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'security.workspace.trust.enabled': false,
  'git.enabled': false,
  'window.restoreWindows': 'none',
  'workbench.editor.restoreViewState': false,
  'files.hotExit': 'off',
  'chat.disableAIFeatures': true,
  'chat.commandCenter.enabled': false,
};

function waitForPort(port: number, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  return new Promise((resolve, reject) => {
    const attempt = (): void => {
      if (child.exitCode !== null) return reject(new Error(`code-server exited with ${child.exitCode}`));
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve();
      });
      socket.once('error', () => {
        socket.destroy();
        if (Date.now() > deadline) reject(new Error(`code-server did not listen on ${port} within ${timeoutMs} ms`));
        else setTimeout(attempt, 100);
      });
    };
    attempt();
  });
}

/** Installs (if needed) and starts code-server; resolves once it listens. */
export async function startCodeServer(options: CodeServerOptions): Promise<CodeServer> {
  const pkg = ensureCodeServer();
  const port = options.port ?? (await freePort());
  const stateDir = options.stateDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-code-server-'));
  const config = path.join(stateDir, 'config.yaml');
  const userData = path.join(stateDir, 'user-data');
  const extensions = path.join(stateDir, 'extensions');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extensions, { recursive: true });
  fs.writeFileSync(config, `auth: none\nbind-addr: 127.0.0.1:${port}\ncert: false\n`);
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify({ ...quietSettings, ...options.settings }, null, 2));
  if (options.installExtensionFrom) {
    const manifest = JSON.parse(fs.readFileSync(path.join(options.installExtensionFrom, 'package.json'), 'utf8')) as { publisher: string; name: string; version: string };
    const link = path.join(extensions, `${manifest.publisher}.${manifest.name}-${manifest.version}`);
    fs.rmSync(link, { force: true, recursive: true });
    fs.symlinkSync(path.resolve(options.installExtensionFrom), link, 'dir');
  }
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    XDG_CONFIG_HOME: path.join(stateDir, 'xdg-config'),
    XDG_DATA_HOME: path.join(stateDir, 'xdg-data'),
    XDG_CACHE_HOME: path.join(stateDir, 'xdg-cache'),
  };
  delete env.VSCODE_IPC_HOOK_CLI;
  delete env.ELECTRON_RUN_AS_NODE;
  const args = [
    path.join(pkg, 'out', 'node', 'entry.js'),
    '--config', config,
    '--auth', 'none',
    '--bind-addr', `127.0.0.1:${port}`,
    '--user-data-dir', userData,
    '--extensions-dir', extensions,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    options.folder,
  ];
  const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    output += chunk.toString();
    if (output.length > 200_000) output = output.slice(-100_000);
    if (options.verbose) process.stderr.write(chunk);
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  try {
    await waitForPort(port, child, 30_000);
  } catch (err) {
    child.kill('SIGTERM');
    throw new Error(`${(err as Error).message}\n${output}`);
  }
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(timer);
  };
  return {
    port,
    url: `http://127.0.0.1:${port}/?folder=${encodeURIComponent(options.folder)}`,
    stateDir,
    process: child,
    log: () => output,
    stop,
  };
}
