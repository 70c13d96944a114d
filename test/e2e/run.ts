// `npm run test:e2e`: the real-VS-Code tests. Installs code-server if needed (cached in
// .vscode-test/), checks the extension bundle exists, compiles the in-host suite, runs the
// integration tests inside code-server's extension host, then the Playwright UI tests.
// Node only. Exit code 0 only when both routes pass.
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';
import { ensureCodeServer, repoRoot } from '../../scripts/codeServer';
import { runIntegrationTests } from './runIntegration';

/** The workspace folder both routes open (small programs owned by these tests). */
export const workspaceFolder = path.join(repoRoot, 'test', 'e2e', 'workspace');

function compileSuite(): void {
  const tsc = path.join(repoRoot, 'node_modules', 'typescript', 'bin', 'tsc');
  const result = spawnSync(process.execPath, [tsc, '-p', path.join(repoRoot, 'test', 'e2e', 'suite')], { stdio: 'inherit' });
  if (result.status !== 0) throw new Error('compiling test/e2e/suite failed');
}

function runUiTests(): Promise<number> {
  const mocha = new Mocha({ ui: 'bdd', timeout: 120_000, reporter: 'spec' });
  const uiDir = path.join(repoRoot, 'test', 'e2e', 'ui');
  for (const name of fs.readdirSync(uiDir).sort()) if (name.endsWith('.ui.ts')) mocha.addFile(path.join(uiDir, name));
  return new Promise((resolve) => mocha.run((failures) => resolve(failures)));
}

async function main(): Promise<number> {
  const started = Date.now();
  if (!fs.existsSync(path.join(repoRoot, 'dist', 'extension.js'))) {
    process.stderr.write('dist/extension.js is missing: run `npm run build` first\n');
    return 2;
  }
  ensureCodeServer();
  compileSuite();
  const only = process.env.X86DBG_E2E;
  let failed = 0;
  if (only !== 'ui') {
    process.stdout.write('\n== integration tests (vscode API in the extension host of code-server) ==\n');
    const code = await runIntegrationTests(workspaceFolder);
    process.stdout.write(`integration tests: exit ${code}\n`);
    if (code !== 0) failed++;
  }
  if (only !== 'integration') {
    process.stdout.write('\n== UI tests (Playwright driving code-server in Chromium) ==\n');
    const failures = await runUiTests();
    if (failures !== 0) failed++;
  }
  process.stdout.write(`\nreal-VS-Code tests ${failed === 0 ? 'passed' : 'FAILED'} in ${Math.round((Date.now() - started) / 1000)} s\n`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(1);
  },
);
