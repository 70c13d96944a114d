// %stacksize, %arg and %local (NASM manual §4.8): names for a procedure's arguments and locals as
// single-line macros `(ebp+8)` / `(ebp-4)`, offsets advancing by each size rounded up to the stack
// width. The start offsets are the ones nasm 2.16 uses (checked against it): flat ebp+8, flat64
// rbp+16, large bp+4, small bp+6; locals start right below the frame pointer.
// Imports ./lexer.
import { joinTokens, lexLine, type Token } from './lexer';

type Report = (tok: Token, message: string) => void;

const SIZES: Record<string, number> = { byte: 1, word: 2, dword: 4, qword: 8, tword: 10, oword: 16, yword: 32, zword: 64 };

const MODELS: Record<string, { width: number; pointer: string; args: number }> = {
  flat: { width: 4, pointer: 'ebp', args: 8 },
  flat64: { width: 8, pointer: 'rbp', args: 16 },
  large: { width: 2, pointer: 'bp', args: 4 },
  small: { width: 2, pointer: 'bp', args: 6 },
};

/** One `name:size` of an %arg or %local line. */
interface FrameName {
  tok: Token;
  size: number;
}

/** The frame model in effect and the next free argument and local offsets. */
export class StackFrameMacros {
  private width = 4;
  private pointer = 'ebp';
  private argOffset = 8;
  private localOffset = 0;

  /** %stacksize flat|flat64|large|small: a new model, offsets back to its start. */
  stacksize(head: Token, rest: Token[], report: (tok: Token, message: string) => void): void {
    const word = rest[0];
    const model = word && word.kind === 'id' ? MODELS[word.text.toLowerCase()] : undefined;
    if (!model || rest.length > 1) {
      report(word ?? head, '%stacksize takes one of flat, flat64, large or small');
      return;
    }
    this.width = model.width;
    this.pointer = model.pointer;
    this.argOffset = model.args;
    this.localOffset = 0;
  }

  /** %arg a:word, b:dword: defines each name as (frame pointer + offset). */
  arg(head: Token, rest: Token[], define: (name: Token, body: Token[]) => void, report: Report, warn: Report): void {
    for (const n of this.names(head, rest, report, warn)) {
      define(n.tok, lexLine(`(${this.pointer}+${this.argOffset})`).tokens);
      this.argOffset += this.rounded(n.size);
    }
  }

  /** %local a:word, b:dword: defines each name as (frame pointer - offset); returns the bytes added. */
  local(head: Token, rest: Token[], define: (name: Token, body: Token[]) => void, report: Report, warn: Report): number {
    let added = 0;
    for (const n of this.names(head, rest, report, warn)) {
      const size = this.rounded(n.size);
      this.localOffset += size;
      added += size;
      define(n.tok, lexLine(`(${this.pointer}-${this.localOffset})`).tokens);
    }
    return added;
  }

  private rounded(size: number): number {
    return Math.ceil(size / this.width) * this.width;
  }

  /**
   * The `name:size` list; reports a malformed entry and skips it. Like nasm, reading stops at the
   * first entry not followed by a comma, and the rest of the line is ignored — with a warning here
   * (nasm says nothing), since `%local buf:byte[16]` reserves one slot, not an array.
   */
  private names(head: Token, rest: Token[], report: Report, warn: Report): FrameName[] {
    const out: FrameName[] = [];
    let i = 0;
    if (rest.length === 0) report(head, `${head.text} expects name:size pairs, e.g. ${head.text} count:dword`);
    while (i < rest.length) {
      const name = rest[i];
      const colon = rest[i + 1];
      const type = rest[i + 2];
      const size = type && type.kind === 'id' ? SIZES[type.text.toLowerCase()] : undefined;
      if (name.kind !== 'id' || !colon || colon.kind !== 'op' || colon.text !== ':' || size === undefined) {
        report(name, `${head.text} expects name:size pairs (size byte, word, dword, qword, tword, ...), e.g. ${head.text} count:dword`);
        while (i < rest.length && !(rest[i].kind === 'op' && rest[i].text === ',')) i++;
        i++;
        continue;
      }
      out.push({ tok: name, size });
      i += 3;
      if (i < rest.length) {
        if (rest[i].kind === 'op' && rest[i].text === ',') i++;
        else {
          const ignored = joinTokens(rest.slice(i));
          const hint =
            rest[i].kind === 'op' && rest[i].text === '['
              ? `there are no arrays here: '${name.text}' gets one ${type.text.toLowerCase()} slot (make room for an array by adding its size to %$localsize)`
              : 'separate the names with commas';
          warn(rest[i], `${head.text} stops at '${ignored}', as nasm does, and ignores it: ${hint}`);
          break;
        }
      }
    }
    return out;
  }
}
