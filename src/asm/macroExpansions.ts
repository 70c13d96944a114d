// Multi-line macro invocations remembered by their line's token array: a line the preprocessor
// hands out again (a repeated source line, an unchanged macro body line) invokes the same macro
// with the same arguments, so the binding is kept, and each body line's substitution is made once
// and handed out as the same array every time (so what the parser derives from it is reused too).
// Body lines with a %%label are substituted per invocation (each gets its own label number).
// Any %macro definition forgets everything. Imports ./lexer, ./multiLineMacros.
import type { Token } from './lexer';
import type { BodyLine, MMacro } from './multiLineMacros';

/** A remembered binding of one invocation line. */
export interface MacroExpansion {
  macro: MMacro;
  args: Token[][];
  given: number;
  /** Per body line: its substituted tokens once made (undefined: not yet, or made per invocation). */
  lines: (Token[] | undefined)[];
}

/** Invocation lines with more distinct token arrays than this start the table again. */
const LIMIT = 4096;

/** The remembered bindings; one per preprocessing run. */
export class MacroExpansions {
  private readonly byLine = new Map<readonly Token[], MacroExpansion>();

  /** The binding remembered for the invocation line `line`. */
  get(line: readonly Token[]): MacroExpansion | undefined {
    return this.byLine.get(line);
  }

  /** Remembers a binding of the invocation line `line` (an array that will be handed out again). */
  remember(line: readonly Token[], macro: MMacro, args: Token[][], given: number): MacroExpansion {
    if (this.byLine.size >= LIMIT) this.byLine.clear();
    const e: MacroExpansion = { macro, args, given, lines: [] };
    this.byLine.set(line, e);
    return e;
  }

  /** A macro was defined or redefined: a remembered binding may name the wrong macro now. */
  forget(): void {
    if (this.byLine.size > 0) this.byLine.clear();
  }

  /** Keeps `tokens`, the substitution of body line `index` of `e`, to hand out for every later
   *  invocation (unless the line has a %%label, which differs per invocation). */
  keep(e: MacroExpansion, index: number, body: BodyLine, tokens: Token[]): void {
    if (tokens !== body.tokens && !hasLocalLabel(body.tokens)) e.lines[index] = tokens;
  }
}

/** true when the line has a %%name (a label local to one invocation). */
function hasLocalLabel(tokens: readonly Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === 'pp' && t.text.length > 2 && t.text.charCodeAt(0) === 37 && t.text.charCodeAt(1) === 37) return true;
  }
  return false;
}
