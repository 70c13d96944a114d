// The generated x86asm grammar: fails when syntaxes/x86asm.tmLanguage.json is stale against
// src/isa's table and register list, and runs the vscode-tmgrammar-test scope assertions in
// test/unit/vscode/grammar/*.asm through the real TextMate engine (vscode-textmate + oniguruma).
import { strict as assert } from 'assert';
import { spawnSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { buildGrammar, grammarText } from '../../../scripts/x86asmGrammar';
import { grammarPath } from '../../../scripts/generateGrammar';
import { allMnemonics, allPrefixes } from '../../../src/vscode/language/instructionCatalog';
import { registerNames } from '../../../src/isa/registers';

const root = path.resolve(__dirname, '..', '..', '..');

describe('x86asm TextMate grammar', function () {
  this.timeout(60_000);

  it('is fresh: the committed file equals what the generator builds from src/isa (run `npm run grammar`)', () => {
    assert.equal(fs.readFileSync(grammarPath, 'utf8'), grammarText());
  });

  it('names every mnemonic of the instruction table and every register of src/isa', () => {
    const repository = (buildGrammar().repository ?? {}) as Record<string, { match?: string; patterns?: { match?: string }[] }>;
    const instruction = repository.instruction.match ?? '';
    for (const mnemonic of allMnemonics) assert.match(instruction, new RegExp(`[|(]${mnemonic}[|)]`), `mnemonic ${mnemonic}`);
    for (const alias of ['jz', 'jnae', 'cmovz', 'setnz', 'xlat', 'loopz']) assert.ok(allMnemonics.includes(alias), `alias ${alias} from src/isa`);
    const prefixed = repository['prefixed-instruction'].match ?? '';
    for (const prefix of allPrefixes) assert.match(prefixed, new RegExp(`[|(]${prefix}[|)]`), `prefix ${prefix}`);
    const registers = (repository.registers.patterns ?? []).map((p) => p.match ?? '').join('\n');
    for (const register of registerNames) assert.match(registers, new RegExp(`[|:]${register}[|)]`), `register ${register}`);
  });

  it('passes the scope assertions of the grammar test files (vscode-tmgrammar-test)', () => {
    const cli = path.join(root, 'node_modules', 'vscode-tmgrammar-test', 'dist', 'unit.js');
    const files = fs.readdirSync(path.join(root, 'test', 'unit', 'vscode', 'grammar')).filter((f) => f.endsWith('.asm'));
    assert.ok(files.length >= 2, 'grammar test files exist');
    const result = spawnSync(process.execPath, [cli, '-g', grammarPath, ...files.map((f) => path.join('test', 'unit', 'vscode', 'grammar', f))], { cwd: root, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.equal((result.stdout.match(/run successfuly/g) ?? []).length, files.length, result.stdout);
  });
});
