// The preprocessor's context stack (NASM manual §4.7): %push / %pop / %repl, and the names local
// to a context — `%$name` belongs to the innermost context, `%$$name` to the one below it, and so
// on. A local name becomes `..@<n>.name` with n unique per pushed context (like %%labels), so
// context-local labels never reach the symbol table and local %defines live in the usual table.
// Imports ./lexer (types).
import type { Token } from './lexer';

interface Context {
  name: string;
  id: number;
}

/** The stack of %push'ed contexts. */
export class ContextStack {
  private readonly stack: Context[] = [];

  /** Number of contexts on the stack. */
  get depth(): number {
    return this.stack.length;
  }

  /** Name of the innermost context, or undefined when the stack is empty. */
  get topName(): string | undefined {
    return this.stack[this.stack.length - 1]?.name;
  }

  /** %push: a new innermost context named `name` (may be empty), numbered `id`. */
  push(name: string, id: number): undefined {
    this.stack.push({ name, id });
    return undefined;
  }

  /** %pop: removes the innermost context; a message when the stack is empty or the name differs. */
  pop(name: string | undefined): string | undefined {
    const top = this.stack[this.stack.length - 1];
    if (!top) return '%pop without a context: the context stack is empty (missing %push?)';
    if (name !== undefined && name !== top.name) return `%pop ${name}: the innermost context is '${top.name}'`;
    this.stack.pop();
    return undefined;
  }

  /** %repl: renames the innermost context (its local names stay the same). */
  repl(name: string): string | undefined {
    const top = this.stack[this.stack.length - 1];
    if (!top) return '%repl without a context: the context stack is empty (missing %push?)';
    top.name = name;
    return undefined;
  }

  /** true when `tokens` hold a `%$` name (the cheap test before localize). */
  static mentions(tokens: readonly Token[]): boolean {
    for (const t of tokens) if (t.kind === 'pp' && t.text.charCodeAt(1) === 36) return true;
    return false;
  }

  /** Replaces every `%$…name` token by its context-local identifier; reports names with no context. */
  localize(tokens: Token[], report: (tok: Token, message: string) => void): Token[] {
    if (!ContextStack.mentions(tokens)) return tokens;
    const out: Token[] = [];
    for (const t of tokens) {
      if (t.kind !== 'pp' || t.text.charCodeAt(1) !== 36) {
        out.push(t);
        continue;
      }
      let level = 0;
      while (t.text.charCodeAt(1 + level) === 36) level++;
      const name = t.text.slice(1 + level);
      const ctx = this.stack[this.stack.length - level];
      if (!ctx) {
        report(t, this.stack.length === 0 ? `'${t.text}' is local to a context, but no context is open (use %push first)` : `'${t.text}' refers to a context ${level - 1} below the innermost, but only ${this.stack.length} context${this.stack.length === 1 ? ' is' : 's are'} open`);
        out.push({ ...t, kind: 'id', text: `..@ctx.${name}` });
        continue;
      }
      out.push({ kind: 'id', text: `..@${ctx.id}.${name}`, col: t.col, end: t.end, value: undefined, bytes: undefined, space: t.space });
    }
    return out;
  }
}
