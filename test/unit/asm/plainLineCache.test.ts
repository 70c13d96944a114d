// The preprocessor's plain-line cache: a text is remembered only from its second sighting on, a
// remembered text gives back the very token array it was offered with, and forget() drops them all.
import * as assert from 'assert';
import { PlainLineCache } from '../../../src/asm/plainLineCache';
import { lexLine } from '../../../src/asm/lexer';

describe('asm: PlainLineCache', () => {
  it('remembers a line from its second sighting, returns the same array, forgets on a directive', () => {
    const c = new PlainLineCache();
    const text = '  add [ebx+4], eax';
    const first = lexLine(text).tokens;
    assert.strictEqual(c.lookup(text), undefined);
    assert.strictEqual(c.offer(text, first), false, 'a text seen once is not kept');
    assert.strictEqual(c.lookup(text), undefined);
    const second = lexLine(text).tokens;
    assert.strictEqual(c.offer(text, second), true);
    assert.strictEqual(c.lookup(text), second);
    assert.strictEqual(c.lookup('  add [ebx+4], ecx'), undefined, 'another text is another line');
    c.forget();
    assert.strictEqual(c.lookup(text), undefined);
  });

  it('keeps at most its limit of lines (starting again when full) and never throws on odd texts', () => {
    const c = new PlainLineCache();
    const texts = Array.from({ length: 20000 }, (_, i) => `  mov eax, ${i} ; \u{1F600} \0`);
    for (const t of texts) c.lookup(t);
    let kept = 0;
    for (const t of texts) {
      c.lookup(t);
      if (c.offer(t, lexLine(t).tokens)) kept++;
    }
    assert.strictEqual(kept, texts.length);
    let found = 0;
    for (const t of texts) if (c.lookup(t) !== undefined) found++;
    assert.ok(found > 0 && found <= 8192, `found ${found}`);
  });
});
