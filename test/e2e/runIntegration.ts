// Runs the extension integration tests (test/e2e/suite, compiled to out/e2e) inside the Node
// extension host of a real VS Code: code-server has no --extensionTestsPath flag, so the workbench
// URL carries them in its `payload` parameter and the host reports back through
// codeAutomationExit/codeAutomationLog, which we expose on the page (see /work/shared/vscode-e2e.md).
import * as fs from 'fs';
import * as path from 'path';
import { startCodeServer, repoRoot } from '../../scripts/codeServer';
import { artifactsDir, launchBrowser, screenshot } from './browser';

/** The compiled suite entry (tsc -p test/e2e/suite). */
export const suiteEntry = path.join(repoRoot, 'out', 'e2e', 'test', 'e2e', 'suite', 'index.js');

/** Formats console.log-style arguments the way Node does for the common %s/%d/%i/%j placeholders. */
export function formatConsoleArgs(args: unknown[]): string {
  const show = (a: unknown): string => (typeof a === 'string' ? a : JSON.stringify(a));
  if (args.length === 0) return '';
  const [first, ...rest] = args;
  if (typeof first !== 'string') return args.map(show).join(' ');
  let text = first.replace(/%[sdijo%]/g, (token) => {
    if (token === '%%') return '%';
    if (rest.length === 0) return token;
    const value = rest.shift();
    return token === '%d' || token === '%i' ? String(Number(value)) : show(value);
  });
  if (rest.length > 0) text += ' ' + rest.map(show).join(' ');
  return text;
}

/** Starts code-server on `folder`, runs the suite in its extension host, resolves to the exit code. */
export async function runIntegrationTests(folder: string, timeoutMs = 240_000): Promise<number> {
  if (!fs.existsSync(suiteEntry)) throw new Error(`${suiteEntry} is missing: compile the suite first (tsc -p test/e2e/suite)`);
  const server = await startCodeServer({ folder });
  const browser = await launchBrowser();
  const remote = (p: string): string => `vscode-remote://127.0.0.1:${server.port}${p}`;
  const payload = [
    ['extensionDevelopmentPath', remote(repoRoot)],
    ['extensionTestsPath', remote(suiteEntry)],
  ];
  const url = `${server.url}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
  let resolveExit: (code: number) => void = () => undefined;
  const exited = new Promise<number>((resolve) => (resolveExit = resolve));
  try {
    await browser.page.exposeFunction('codeAutomationExit', (code: number) => resolveExit(code));
    const hostLog: string[] = [];
    await browser.page.exposeFunction('codeAutomationLog', (type: string, args: unknown[]) => {
      const text = formatConsoleArgs(args);
      if (type === 'log' || type === 'info') process.stdout.write(text + '\n');
      hostLog.push(`[${type}] ${text}`);
    });
    await browser.page.goto(url, { waitUntil: 'domcontentloaded', timeout: 120_000 });
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<number>((resolve) => {
      timer = setTimeout(() => {
        process.stderr.write(`integration tests did not finish within ${timeoutMs} ms\n`);
        resolve(124);
      }, timeoutMs);
    });
    const code = await Promise.race([exited, timedOut]);
    clearTimeout(timer);
    if (code !== 0) {
      await screenshot(browser.page, 'integration-failure').catch(() => undefined);
      fs.mkdirSync(artifactsDir, { recursive: true });
      fs.writeFileSync(path.join(artifactsDir, 'integration-code-server.log'), server.log());
    }
    fs.mkdirSync(artifactsDir, { recursive: true });
    fs.writeFileSync(path.join(artifactsDir, 'integration-host.log'), hostLog.join('\n') + '\n');
    return code;
  } finally {
    await browser.close();
    await server.stop();
  }
}
