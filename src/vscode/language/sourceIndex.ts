// An index of one assembly source for the editor: label, data, constant, macro and section
// definitions and every identifier reference, with `.local` labels qualified by the preceding
// global label as NASM does. Built on the assembler's own lexer (no second tokenizer). Pure:
// imports src/asm/lexer and src/isa/registers only.
import { lexLine, type Token } from '../../asm/lexer';
import { parseReg } from '../../isa/registers';

/** What a definition defines. */
export type DefinitionKind = 'label' | 'data' | 'constant' | 'macro' | 'define' | 'section';

/** A place in the text: 0-based line, 0-based columns [start, end). */
export interface TextSpan {
  line: number;
  start: number;
  end: number;
}

export interface Definition extends TextSpan {
  kind: DefinitionKind;
  /** Qualified name (`main.loop` for `.loop` after `main:`). */
  name: string;
  /** As written (`.loop`). */
  written: string;
  /** The global label a local one belongs to. */
  parent?: string;
  /** The section it was defined in. */
  section?: string;
}

export interface Reference extends TextSpan {
  name: string;
}

export interface SourceIndex {
  definitions: Definition[];
  /** Every identifier use that is not a definition (mnemonics and registers excluded). */
  references: Reference[];
}

const dataWords = new Set(['db', 'dw', 'dd', 'dq', 'dt', 'do', 'dy', 'dz', 'resb', 'resw', 'resd', 'resq', 'rest', 'reso', 'resy', 'resz', 'times', 'incbin', 'istruc']);
const defineWords = new Set(['%define', '%xdefine', '%idefine', '%ixdefine', '%assign', '%iassign']);
const macroWords = new Set(['%macro', '%imacro']);

function isLocal(name: string): boolean {
  return name.startsWith('.') && !name.startsWith('..');
}

/** Indexes a whole document. Never throws. */
export function indexSource(text: string, isMnemonic: (lower: string) => boolean): SourceIndex {
  const definitions: Definition[] = [];
  const references: Reference[] = [];
  let lastGlobal = '';
  let section: string | undefined;
  const lines = text.split(/\r?\n/);
  const qualify = (name: string): string => (isLocal(name) ? lastGlobal + name : name);
  const span = (line: number, t: Token): TextSpan => ({ line, start: t.col - 1, end: t.end - 1 });
  for (let line = 0; line < lines.length; line++) {
    const tokens = lexLine(lines[line]).tokens;
    if (tokens.length === 0) continue;
    let from = 0;
    const [t0, t1, t2] = tokens;
    if (t0.kind === 'pp' && macroWords.has(t0.text.toLowerCase()) && t1?.kind === 'id') {
      definitions.push({ kind: 'macro', name: t1.text, written: t1.text, section, ...span(line, t1) });
      continue;
    }
    if (t0.kind === 'pp' && defineWords.has(t0.text.toLowerCase()) && t1?.kind === 'id') {
      definitions.push({ kind: 'define', name: t1.text, written: t1.text, section, ...span(line, t1) });
      from = 2;
    } else if (t0.kind === 'pp') {
      from = 1;
    }
    const sectionWord = t0.kind === 'op' && t0.text === '[' ? t1 : t0;
    const sectionName = t0.kind === 'op' && t0.text === '[' ? t2 : t1;
    if (sectionWord?.kind === 'id' && /^(section|segment)$/i.test(sectionWord.text) && sectionName?.kind === 'id') {
      section = sectionName.text;
      definitions.push({ kind: 'section', name: sectionName.text, written: sectionName.text, section, ...span(line, sectionName) });
      continue;
    }
    if (from === 0 && t0.kind === 'id') {
      const lower0 = t0.text.toLowerCase();
      const colon = t1?.kind === 'op' && t1.text === ':';
      const dataNext = t1?.kind === 'id' && (dataWords.has(t1.text.toLowerCase()) || t1.text.toLowerCase() === 'equ');
      if ((colon || dataNext) && !isMnemonic(lower0) && parseReg(lower0) === undefined && !dataWords.has(lower0)) {
        const name = qualify(t0.text);
        if (!isLocal(t0.text) && !t0.text.startsWith('..@')) lastGlobal = t0.text;
        const after = colon ? tokens[2] : t1;
        const afterWord = after?.kind === 'id' ? after.text.toLowerCase() : '';
        const kind: DefinitionKind = afterWord === 'equ' ? 'constant' : dataWords.has(afterWord) ? 'data' : 'label';
        definitions.push({ kind, name, written: t0.text, parent: isLocal(t0.text) ? name.slice(0, name.length - t0.text.length) : undefined, section, ...span(line, t0) });
        from = colon ? 2 : 1;
      }
    }
    for (let i = from; i < tokens.length; i++) {
      const t = tokens[i];
      if (t.kind !== 'id' && !(t.kind === 'pp' && t.text.startsWith('%%'))) continue;
      const lower = t.text.toLowerCase();
      if (i === from && isMnemonic(lower)) continue;
      if (parseReg(lower) !== undefined) continue;
      references.push({ name: qualify(t.text), ...span(line, t) });
    }
  }
  return { definitions, references };
}

/** The definition or reference under a 0-based position, with its qualified name. */
export function nameAt(index: SourceIndex, line: number, character: number): { name: string; span: TextSpan } | undefined {
  const hit = (s: TextSpan): boolean => s.line === line && character >= s.start && character <= s.end;
  const d = index.definitions.find(hit);
  if (d) return { name: d.name, span: d };
  const r = index.references.find(hit);
  return r ? { name: r.name, span: r } : undefined;
}
