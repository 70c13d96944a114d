// The lines of one source text, read one at a time: no array of every line is built up front (for a
// large file that array lives through the whole preprocessing run and costs the garbage collector
// more than reading it). Texts with CR line ends or backslash continuations are split the general
// way. Imports ./preprocessorTokens.
import { splitLines } from './preprocessorTokens';

/** A cursor over the lines of a text, as splitLines numbers them. */
export class SourceLines {
  private pos = 0;
  private index = 0;
  /** The split lines when the text needs the general path, else undefined. */
  private readonly split: string[] | undefined;

  constructor(private readonly text: string) {
    this.split = text.indexOf('\r') >= 0 || text.indexOf('\\') >= 0 ? splitLines(text) : undefined;
  }

  /** The next line (without its line end), or undefined after the last one. */
  next(): string | undefined {
    const split = this.split;
    if (split !== undefined) return this.index < split.length ? split[this.index++] : undefined;
    const text = this.text;
    if (this.pos > text.length) return undefined;
    let end = text.indexOf('\n', this.pos);
    if (end < 0) end = text.length;
    const line = text.slice(this.pos, end);
    this.pos = end + 1;
    return line;
  }
}

/** The lines of the file at `path` (UTF-8) read through `readFile`; undefined when it cannot be read. */
export function readSource(readFile: (path: string) => Uint8Array | undefined, path: string): SourceLines | undefined {
  let data: Uint8Array | undefined;
  try {
    data = readFile(path);
  } catch {
    data = undefined;
  }
  return data ? new SourceLines(new TextDecoder('utf-8').decode(data)) : undefined;
}
