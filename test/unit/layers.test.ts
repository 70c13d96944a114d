// Checks the lint rule that enforces DESIGN.md's layers actually rejects forbidden imports:
// a rule that never fires would let the layers rot silently.
import { strict as assert } from 'assert';
import { ESLint } from 'eslint';

async function lintAs(filePath: string, code: string): Promise<string[]> {
  const eslint = new ESLint({ cwd: process.cwd() });
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules (eslint no-restricted-imports)', function () {
  this.timeout(60000);
  it('rejects Node built-ins in src/emu', async () => {
    assert.equal((await lintAs('src/emu/x.ts', "import * as fs from 'fs';\nexport const a = fs;\n")).length, 1);
    assert.equal((await lintAs('src/isa/x.ts', "import * as p from 'node:path';\nexport const a = p;\n")).length, 1);
  });
  it("rejects 'vscode' in the adapter and allows it in src/vscode", async () => {
    assert.equal((await lintAs('src/adapter/x.ts', "import * as v from 'vscode';\nexport const a = v;\n")).length, 1);
    assert.equal((await lintAs('src/vscode/x.ts', "import * as v from 'vscode';\nexport const a = v;\n")).length, 0);
  });
  it('keeps src/isa free of other layers and src/asm free of src/emu', async () => {
    assert.equal((await lintAs('src/isa/x.ts', "import { Program } from '../asm/program';\nexport type A = Program;\n")).length, 1);
    assert.equal((await lintAs('src/asm/x.ts', "import { Exit } from '../emu/exit';\nexport type A = Exit;\n")).length, 1);
  });
  it('lets src/emu import src/asm types only', async () => {
    assert.equal((await lintAs('src/emu/x.ts', "import type { Program } from '../asm/program';\nexport type A = Program;\n")).length, 0);
    assert.equal((await lintAs('src/emu/x.ts', "import { Program } from '../asm/program';\nexport const a: Program | null = null;\n")).length, 1);
  });
});
