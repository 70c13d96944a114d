// The source index behind Outline, go to definition and find references: NASM label rules
// (`.local` labels belong to the previous non-local label; `label:` or `label db`; EQU constants;
// %macro and %define names; sections), built on the assembler's lexer.
import { strict as assert } from 'assert';
import { indexSource, nameAt } from '../../../src/vscode/language/sourceIndex';
import { isMnemonic } from '../../../src/vscode/language/instructionCatalog';

const source = [
  '%define COUNT 3',
  '%macro exit 1',
  '        mov eax, %1',
  '%endmacro',
  '        section .data',
  'message db "hi", 10',
  'length  equ $ - message',
  'counter: dq 0',
  '        section .text',
  'main:',
  '.loop:  dec dword [counter]',
  '        jnz .loop',
  'other:',
  '.loop:  jmp main.loop',
  '        mov ecx, length ; counter in a comment',
].join('\n');

describe('source index (outline, definitions, references)', () => {
  const index = indexSource(source, isMnemonic);

  it('finds labels, data, constants, macros, defines and sections with their kinds', () => {
    const defs = index.definitions.map((d) => `${d.kind}:${d.name}`);
    assert.deepEqual(defs, ['define:COUNT', 'macro:exit', 'section:.data', 'data:message', 'constant:length', 'data:counter', 'section:.text', 'label:main', 'label:main.loop', 'label:other', 'label:other.loop']);
    const local = index.definitions.find((d) => d.name === 'main.loop');
    assert.equal(local?.written, '.loop');
    assert.equal(local?.section, '.text');
    assert.deepEqual([local?.line, local?.start, local?.end], [10, 0, 5]);
  });

  it('qualifies local references by the enclosing label, and skips mnemonics, registers and comments', () => {
    const refs = index.references.map((r) => `${r.line}:${r.name}`);
    assert.ok(refs.includes('11:main.loop'), 'jnz .loop inside main');
    assert.ok(refs.includes('13:main.loop'), 'the explicit main.loop from other');
    assert.ok(refs.includes('10:counter'));
    assert.ok(refs.includes('14:length'));
    assert.ok(!refs.some((r) => r.endsWith(':ecx') || r.endsWith(':dec') || r.endsWith(':jnz')));
    assert.equal(refs.filter((r) => r.endsWith(':counter')).length, 1, 'the comment is not a reference');
  });

  it('resolves the name under a position', () => {
    assert.equal(nameAt(index, 11, 13)?.name, 'main.loop');
    assert.equal(nameAt(index, 13, 1)?.name, 'other.loop');
    assert.equal(nameAt(index, 13, 40), undefined);
  });

  it('never throws on malformed text', () => {
    for (const text of ['"unterminated', ':::', '%macro', '[section', 'a:b:c:', '\u0000\uffff']) assert.doesNotThrow(() => indexSource(text, isMnemonic));
  });
});
