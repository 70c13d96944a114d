// Language features for x86asm: the Outline (sections, labels with their .local labels, data,
// constants, macros), go to definition and find references of labels, and hover — a mnemonic's
// forms and flags from the instruction table, and while debugging the value of a register or label
// (an `evaluate` request with context "hover"). Imports 'vscode', the source index and the catalog.
import * as vscode from 'vscode';
import { parseReg } from '../../isa/registers';
import { describeFlags, isMnemonic, mnemonicInfo } from './instructionCatalog';
import { indexSource, nameAt, type Definition, type SourceIndex, type TextSpan } from './sourceIndex';

const selector: vscode.DocumentSelector = [{ language: 'x86asm' }];

const cache = new WeakMap<vscode.TextDocument, { version: number; index: SourceIndex }>();

/** The index of a document, rebuilt when it changes. */
export function documentIndex(document: vscode.TextDocument): SourceIndex {
  const cached = cache.get(document);
  if (cached && cached.version === document.version) return cached.index;
  const index = indexSource(document.getText(), isMnemonic);
  cache.set(document, { version: document.version, index });
  return index;
}

function range(span: TextSpan): vscode.Range {
  return new vscode.Range(span.line, span.start, span.line, span.end);
}

const symbolKinds: Record<Definition['kind'], vscode.SymbolKind> = {
  label: vscode.SymbolKind.Function,
  data: vscode.SymbolKind.Variable,
  constant: vscode.SymbolKind.Constant,
  macro: vscode.SymbolKind.Module,
  define: vscode.SymbolKind.Constant,
  section: vscode.SymbolKind.Namespace,
};

/** Outline: sections hold their labels; local labels sit under their global label. */
export function documentSymbols(document: vscode.TextDocument): vscode.DocumentSymbol[] {
  const index = documentIndex(document);
  const top: vscode.DocumentSymbol[] = [];
  let currentSection: vscode.DocumentSymbol | undefined;
  let currentGlobal: vscode.DocumentSymbol | undefined;
  const lastLine = document.lineCount - 1;
  for (const d of index.definitions) {
    const symbol = new vscode.DocumentSymbol(d.written, d.kind === 'section' ? 'section' : d.kind, symbolKinds[d.kind], new vscode.Range(d.line, 0, d.line, document.lineAt(d.line).text.length), range(d));
    if (d.kind === 'section') {
      currentSection = symbol;
      currentGlobal = undefined;
      top.push(symbol);
    } else if (d.kind === 'macro' || d.kind === 'define') {
      top.push(symbol);
    } else if (d.parent !== undefined && currentGlobal) {
      currentGlobal.children.push(symbol);
    } else {
      if (d.kind === 'label') currentGlobal = symbol;
      (currentSection ? currentSection.children : top).push(symbol);
    }
  }
  // Sections and labels extend to the next one of their level.
  const extend = (list: vscode.DocumentSymbol[], end: number): void => {
    list.forEach((s, i) => {
      const next = i + 1 < list.length ? list[i + 1].range.start.line - 1 : end;
      s.range = new vscode.Range(s.range.start, new vscode.Position(Math.max(next, s.range.start.line), next >= s.range.start.line ? document.lineAt(Math.max(next, s.range.start.line)).text.length : s.range.end.character));
      extend(s.children, s.range.end.line);
    });
  };
  extend(top, lastLine);
  return top;
}

function definitionsNamed(index: SourceIndex, name: string): Definition[] {
  return index.definitions.filter((d) => d.name === name && d.kind !== 'section');
}

async function hoverWhileDebugging(word: string): Promise<vscode.MarkdownString | undefined> {
  const session = vscode.debug.activeDebugSession;
  if (!session || session.type !== 'x86dbg') return undefined;
  const item = vscode.debug.activeStackItem;
  const frameId = item instanceof vscode.DebugStackFrame && item.session === session ? item.frameId : undefined;
  try {
    const response = (await session.customRequest('evaluate', { expression: word, context: 'hover', frameId })) as { result?: string };
    if (response?.result === undefined) return undefined;
    const md = new vscode.MarkdownString();
    md.appendCodeblock(`${word} = ${response.result}`, 'text');
    return md;
  } catch {
    return undefined;
  }
}

/** Hover text for a mnemonic: its forms with opcodes and the flags it touches, from the table. */
export function mnemonicHover(lower: string): vscode.MarkdownString | undefined {
  const info = mnemonicInfo(lower);
  if (!info) return undefined;
  const md = new vscode.MarkdownString();
  md.appendMarkdown(`**${lower.toUpperCase()}**${info.aliasOf ? ` (= ${info.aliasOf.toUpperCase()})` : ''} — ${info.forms.length} form${info.forms.length === 1 ? '' : 's'}\n\n`);
  const shown = info.forms.slice(0, 16);
  md.appendCodeblock(shown.map((f) => `${f.ins.padEnd(28)} ${f.op}${f.modes === '64' ? '   (64-bit only)' : f.modes === '16/32' ? '   (not in 64-bit)' : ''}${f.cpl0 ? '   CPL0' : ''}`).join('\n') + (info.forms.length > shown.length ? `\n… ${info.forms.length - shown.length} more` : ''), 'text');
  md.appendMarkdown(info.flags.length ? `Flags: ${info.flags.map(describeFlags).join(' | ')}` : 'Flags: none affected');
  return md;
}

/** Registers the language providers. */
export function registerLanguageFeatures(): vscode.Disposable[] {
  return [
    vscode.languages.registerDocumentSymbolProvider(selector, { provideDocumentSymbols: (document) => documentSymbols(document) }, { label: 'x86dbg' }),
    vscode.languages.registerDefinitionProvider(selector, {
      provideDefinition(document, position) {
        const index = documentIndex(document);
        const at = nameAt(index, position.line, position.character);
        if (!at) return undefined;
        return definitionsNamed(index, at.name).map((d) => new vscode.Location(document.uri, range(d)));
      },
    }),
    vscode.languages.registerReferenceProvider(selector, {
      provideReferences(document, position, context) {
        const index = documentIndex(document);
        const at = nameAt(index, position.line, position.character);
        if (!at) return undefined;
        const spans: TextSpan[] = index.references.filter((r) => r.name === at.name);
        if (context.includeDeclaration) spans.unshift(...definitionsNamed(index, at.name));
        return spans.map((s) => new vscode.Location(document.uri, range(s)));
      },
    }),
    vscode.languages.registerHoverProvider(selector, {
      async provideHover(document, position) {
        const wordRange = document.getWordRangeAtPosition(position);
        if (!wordRange) return undefined;
        const word = document.getText(wordRange);
        const lower = word.toLowerCase();
        const index = documentIndex(document);
        const isSymbol = parseReg(lower) !== undefined || index.definitions.some((d) => d.written === word || d.name === word);
        if (isSymbol) {
          const value = await hoverWhileDebugging(word);
          if (value) return new vscode.Hover(value, wordRange);
        }
        const md = mnemonicHover(lower);
        return md ? new vscode.Hover(md, wordRange) : undefined;
      },
    }),
  ];
}
