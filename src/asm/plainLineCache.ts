// The preprocessor's memory of plain source lines: lines it passed through unchanged (no directive,
// no % token, nothing expanded), by their text, with their tokens — so a repeated line is handed
// out again without lexing it; multi-line macro invocations among them are kept apart (they still
// go through the preprocessor, with the same token array each time). Only a text seen before is
// stored (a one-bit-per-hash filter tells), so lines that occur once cost no tokens kept alive.
// Imports ./lexer (types), ./seenFilter.
import type { Token } from './lexer';
import * as seenFilterModule from './seenFilter';
// bound once: under tsx imported bindings are getter calls on every use
const { FNV_BASIS, fnv1a, SeenFilter } = seenFilterModule;

/** Distinct lines remembered (the table starts again when full). */
const LIMIT = 8192;

/** Plain lines by text; one per preprocessing run. */
export class PlainLineCache {
  private readonly lines = new Map<string, Token[]>();
  private readonly invocations = new Map<string, Token[]>();
  private readonly seen = new SeenFilter();
  /** Whether the text of the last lookup had (probably) been looked up before. */
  private lastSeen = false;

  /** The tokens of `text` when it is a remembered macro invocation line (ask after a lookup that
   *  found no plain line). */
  invocation(text: string): Token[] | undefined {
    return this.lastSeen && this.invocations.size > 0 ? this.invocations.get(text) : undefined;
  }

  /** The tokens of `text` when it is a remembered plain line; notes that `text` was seen. */
  lookup(text: string): Token[] | undefined {
    this.lastSeen = this.seen.testAndSet(fnv1a(FNV_BASIS, text));
    return this.lastSeen ? this.lines.get(text) : undefined;
  }

  /** Remembers `tokens` as the plain line `text` (the text of the last lookup) when that text was
   *  seen before; true when remembered (the array may then be handed out again). */
  offer(text: string, tokens: Token[]): boolean {
    return this.keep(this.lines, text, tokens);
  }

  /** The same for a line that invokes a multi-line macro. */
  offerInvocation(text: string, tokens: Token[]): boolean {
    return this.keep(this.invocations, text, tokens);
  }

  private keep(table: Map<string, Token[]>, text: string, tokens: Token[]): boolean {
    if (!this.lastSeen) return false;
    if (table.size >= LIMIT) table.clear();
    table.set(text, tokens);
    return true;
  }

  /** Forgets every line (a directive may have changed what any word means). */
  forget(): void {
    if (this.lines.size > 0) this.lines.clear();
    if (this.invocations.size > 0) this.invocations.clear();
  }
}
