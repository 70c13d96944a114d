// The extension-tests module the extension host loads (extensionTestsPath): runs every
// *.test.js beside it with mocha and resolves or rejects, as @vscode/test-electron expects.
// Runs inside VS Code's extension host; imports only Node, mocha and the test files.
import * as fs from 'fs';
import * as path from 'path';
import Mocha from 'mocha';

/** Called by the extension host; the promise's outcome becomes the exit code. */
export function run(): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', color: false, timeout: 60_000, reporter: 'spec' });
  for (const name of fs.readdirSync(__dirname).sort()) {
    if (name.endsWith('.test.js')) mocha.addFile(path.join(__dirname, name));
  }
  return new Promise((resolve, reject) => {
    mocha.run((failures) => (failures > 0 ? reject(new Error(`${failures} integration test(s) failed`)) : resolve()));
  });
}
