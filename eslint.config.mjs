// Lint configuration. Besides the usual TypeScript rules it enforces the layers of DESIGN.md:
// src/isa imports nothing of ours; src/asm and src/emu import only src/isa (emu may take asm types);
// src/adapter never imports 'vscode'; isa/asm/emu import no Node built-ins.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const noNode = { paths: nodeBuiltins.map((name) => ({ name, message: 'isa/asm/emu are pure TypeScript: no Node built-ins (DESIGN.md layers).' })) };
const vscodeBan = { name: 'vscode', message: "Only src/vscode and src/extension.ts may import 'vscode'." };
const layer = (patterns) => ['error', { paths: [...noNode.paths, vscodeBan], patterns }];

export default tseslint.config(
  { ignores: ['dist/**', 'out/**', 'node_modules/**', '.vscode-test/**', 'syntaxes/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['src/isa/**/*.ts'],
    rules: { 'no-restricted-imports': layer([{ group: ['../**'], message: 'src/isa imports nothing of ours outside src/isa.' }]) },
  },
  {
    files: ['src/asm/**/*.ts'],
    rules: { 'no-restricted-imports': layer([{ group: ['**/emu/**', '**/adapter/**', '**/cli/**', '**/vscode/**', '**/extension'], message: 'src/asm imports only src/isa.' }]) },
  },
  {
    files: ['src/emu/**/*.ts'],
    rules: { 'no-restricted-imports': layer([{ group: ['**/adapter/**', '**/cli/**', '**/vscode/**', '**/extension'], message: 'src/emu imports only src/isa (and asm types).' }, { group: ['**/asm/**'], allowTypeImports: true, message: 'src/emu may import src/asm types only (import type).' }]) },
  },
  {
    files: ['src/adapter/**/*.ts', 'src/cli/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [vscodeBan], patterns: [{ group: ['**/vscode/**', '**/extension'], message: 'The adapter and CLI never import the VS Code layer.' }] }] },
  },
);
