// The launch's assembly cache (src/adapter/assemblyCache.ts through loadProgramFile and
// sourceAssembly.ts): an unchanged source and include are reused, any change to the source or to a
// file it %included is assembled again, a launch's overrides never leak into the kept Program, and
// an assembly made by the extension (F5's inference, the editor's diagnostics) is reused only for
// the same text. Each image is compared with what nasm 2.16 makes of the same files.
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { loadProgramFile } from '../../src/adapter/launch';
import { assembleSourceFile, includeReader, offerAssembly } from '../../src/adapter/sourceAssembly';
import { assemble } from '../../src/asm/assembler';

/** The flat image of a loaded program (one segment for a .COM-style source). */
function imageOf(program: { segments: { bytes: Uint8Array }[] }): number[] {
  assert.equal(program.segments.length, 1);
  return [...program.segments[0].bytes];
}

function nasmImage(file: string): number[] {
  const out = file + '.bin';
  execFileSync('nasm', ['-f', 'bin', '-i', path.dirname(file) + path.sep, file, '-o', out]);
  return [...fs.readFileSync(out)];
}

describe('launch: reusing an unchanged assembly', () => {
  let dir: string;
  let main: string;
  let inc: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'x86dbg-asmcache-'));
    main = path.join(dir, 'main.asm');
    inc = path.join(dir, 'inc.asm');
    fs.writeFileSync(main, ['        bits 16', '        org 0x100', 'start:  mov ax, [val]', '        int 0x20', '%include "inc.asm"', ''].join('\n'));
    fs.writeFileSync(inc, 'val:    dw 0x1234\n');
  });

  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  function load(extra: { bits?: 16 | 32 | 64 } = {}): { reused: boolean; image: number[]; bits: number } {
    const r = loadProgramFile({ program: main, ...extra });
    if (!r.ok) throw new Error(r.message);
    return { reused: r.reused, image: imageOf(r.program), bits: r.program.bits };
  }

  it('reuses the Program while source and include are unchanged, and assembles again after either changes', () => {
    const first = load();
    assert.deepEqual(first.image, nasmImage(main));
    assert.equal(load().reused, true, 'same text, same include');
    fs.writeFileSync(inc, 'val:    dw 0x5678\n');
    const afterInclude = load();
    assert.equal(afterInclude.reused, false, 'the include changed');
    assert.deepEqual(afterInclude.image, nasmImage(main));
    assert.notDeepEqual(afterInclude.image, first.image);
    assert.equal(load().reused, true);
    fs.writeFileSync(main, fs.readFileSync(main, 'utf8').replace('int 0x20', 'nop\n        int 0x20'));
    const afterSource = load();
    assert.equal(afterSource.reused, false, 'the source changed');
    assert.deepEqual(afterSource.image, nasmImage(main));
  });

  it('a missing include that appears is read again (the failed assembly was not kept)', () => {
    fs.rmSync(inc);
    const r = loadProgramFile({ program: main });
    assert.equal(r.ok, false);
    fs.writeFileSync(inc, 'val:    dw 0x9abc\n');
    const again = load();
    assert.equal(again.reused, false);
    assert.deepEqual(again.image, nasmImage(main));
  });

  it("a launch's bits override stays with that launch", () => {
    assert.equal(load().bits, 16);
    const overridden = load({ bits: 32 });
    assert.equal(overridden.reused, true);
    assert.equal(overridden.bits, 32);
    const plain = load();
    assert.equal(plain.reused, true);
    assert.equal(plain.bits, 16, 'the kept Program still says what the source says');
  });

  it("F5's inference assembly (assembleSourceFile) is the one the launch then uses", () => {
    const inferred = assembleSourceFile(main);
    assert.equal(inferred.ok && inferred.reused, false);
    const launched = load();
    assert.equal(launched.reused, true);
    assert.deepEqual(launched.image, nasmImage(main));
  });

  it("the diagnostics' assembly of an editor buffer is reused only while the file on disk has the same text", () => {
    const offer = (text: string): void => {
      const reads = new Map<string, Uint8Array | undefined>();
      const read = includeReader(main);
      const r = assemble(text, { fileName: main, readFile: (p) => { const got = read(p); reads.set(p, got); return got; } });
      if (!r.ok) throw new Error('offered text does not assemble');
      offerAssembly(main, text, reads, r.program);
    };
    const saved = fs.readFileSync(main, 'utf8');
    offer(saved);
    assert.equal(load().reused, true, 'buffer = file');
    offer(saved.replace('int 0x20', 'nop\n        int 0x20'));
    const unsaved = load();
    assert.equal(unsaved.reused, false, 'the buffer has an edit the file does not');
    assert.deepEqual(unsaved.image, nasmImage(main));
  });
});
