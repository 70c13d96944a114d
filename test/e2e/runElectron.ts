// `npm run test:electron`: the same in-host integration suite through @vscode/test-electron, which
// downloads a desktop VS Code — for machines that are online. (Offline CI uses code-server instead:
// test/e2e/run.ts.) Node only.
import * as path from 'path';
import { runTests } from '@vscode/test-electron';
import { repoRoot } from '../../scripts/codeServer';
import { suiteEntry } from './runIntegration';

async function main(): Promise<void> {
  await runTests({
    version: '1.100.3',
    extensionDevelopmentPath: repoRoot,
    extensionTestsPath: suiteEntry,
    launchArgs: [path.join(repoRoot, 'test', 'e2e', 'workspace'), '--disable-extensions', '--disable-workspace-trust'],
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`test:electron failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
