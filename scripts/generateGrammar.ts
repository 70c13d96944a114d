// `npm run grammar`: writes syntaxes/x86asm.tmLanguage.json from src/isa's tables.
// `--check`: exits 1 when the committed grammar is stale (a unit test does the same).
// Node only; imports the grammar builder.
import * as fs from 'fs';
import * as path from 'path';
import { grammarText } from './x86asmGrammar';

/** Where the generated grammar lives. */
export const grammarPath = path.resolve(__dirname, '..', 'syntaxes', 'x86asm.tmLanguage.json');

function main(argv: string[]): number {
  const text = grammarText();
  if (argv.includes('--check')) {
    const current = fs.existsSync(grammarPath) ? fs.readFileSync(grammarPath, 'utf8') : '';
    if (current !== text) {
      process.stderr.write(`${grammarPath} is stale: run \`npm run grammar\` and commit it\n`);
      return 1;
    }
    return 0;
  }
  fs.mkdirSync(path.dirname(grammarPath), { recursive: true });
  fs.writeFileSync(grammarPath, text);
  process.stdout.write(`wrote ${grammarPath}\n`);
  return 0;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));
