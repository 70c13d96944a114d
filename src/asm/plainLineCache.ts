// The preprocessor's memory of plain source lines: lines it passed through unchanged (no directive,
// no % token, nothing expanded), by their text, with their tokens — so a repeated line is handed
// out again without lexing it; multi-line macro invocations among them are kept apart (they still
// go through the preprocessor, with the same token array each time). Only a text seen before is
// stored (a one-bit-per-hash filter tells), so lines that occur once cost no tokens kept alive.
// Imports ./lexer (types).
import type { Token } from './lexer';

/** Distinct lines remembered (the table starts again when full). */
const LIMIT = 8192;
/** Bits of the seen-before filter (a power of two). */
const FILTER_BITS = 1 << 20;

/** Plain lines by text; one per preprocessing run. */
export class PlainLineCache {
  private readonly lines = new Map<string, Token[]>();
  private readonly invocations = new Map<string, Token[]>();
  private readonly seen = new Uint32Array(FILTER_BITS >>> 5);
  /** Whether the text of the last lookup had (probably) been looked up before. */
  private lastSeen = false;

  /** The tokens of `text` when it is a remembered macro invocation line (ask after a lookup that
   *  found no plain line). */
  invocation(text: string): Token[] | undefined {
    return this.lastSeen && this.invocations.size > 0 ? this.invocations.get(text) : undefined;
  }

  /** The tokens of `text` when it is a remembered plain line; notes that `text` was seen. */
  lookup(text: string): Token[] | undefined {
    // FNV-1a over the UTF-16 units: a collision only means a line seen once gets remembered
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
    const bit = (h >>> 0) & (FILTER_BITS - 1);
    const word = bit >>> 5;
    const mask = 1 << (bit & 31);
    this.lastSeen = (this.seen[word] & mask) !== 0;
    if (!this.lastSeen) {
      this.seen[word] |= mask;
      return undefined;
    }
    return this.lines.get(text);
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
