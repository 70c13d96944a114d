// Data directives for the pass engine: DB/DW/DD/DQ/DT items (numbers, strings, floats under the
// FLOAT directive's settings), INCBIN, ALIGN/ALIGNB padding, AT/IEND padding, and which labels
// name the data (size and element size of the symbols before it). The pass engine (./passEngine)
// builds on it; sections, output and symbols are in ./passState.
// Imports ./passState, ./dataEncoding, ./floatConstants, ./preprocessor, ./statements, ./lexer.
import { fitsInSize, floatItemBytes, writeInt } from './dataEncoding';
import { DEFAULT_FLOAT_CONTROL, type FloatControl } from './floatConstants';
import { resolveInclude } from './preprocessor';
import { PassState } from './passState';
import type { DataItem, StatementBody } from './statements';
import type { Token } from './lexer';

/** The pass state with the data directives. */
export abstract class PassData extends PassState {
  /** The FLOAT directive's settings in effect (every pass starts from nasm's defaults). */
  protected floatControl: FloatControl = { ...DEFAULT_FLOAT_CONTROL };
  private readonly fileCache = new Map<string, Uint8Array | undefined>();

  protected padTo(target: number, tok: Token, what: string): void {
    const here = this.cur ? this.cur.len : Number(this.absCursor);
    if (target < here) {
      this.error(tok, `${what} goes backwards: fields must be given in the order of the structure`);
      return;
    }
    if (target > here) this.emit(new Uint8Array(target - here), false);
  }

  /** The labels before this statement no longer name what follows (no new array when none). */
  protected endLabelGroup(): void {
    this.labelCount = 0;
    this.groupMode = 'none';
  }

  protected attributeData(bytes: number, unit: number): void {
    if (this.labelCount === 0 || !this.cur) return;
    if (this.groupMode === 'fresh' || (this.groupMode === 'data' && this.groupUnit === unit)) {
      for (let i = 0; i < this.labelCount; i++) {
        const s = this.labelGroup[i];
        s.kind = 'data';
        s.elementSize = unit;
        s.size += bytes;
      }
      this.groupMode = 'data';
      this.groupUnit = unit;
    } else {
      this.labelCount = 0;
      this.groupMode = 'none';
    }
  }

  protected data(unit: number, items: readonly DataItem[]): void {
    const bytes = this.dataBytes(unit, items);
    this.emit(bytes, false);
    this.attributeData(bytes.length, unit);
  }

  protected dataBytes(unit: number, items: readonly DataItem[]): Uint8Array {
    let size = 0;
    for (const it of items) size += it.kind === 'string' ? Math.max(unit, Math.ceil(it.bytes.length / unit) * unit) : unit;
    const out = new Uint8Array(size);
    let at = 0;
    for (const it of items) {
      switch (it.kind) {
        case 'string': {
          for (let i = 0; i < it.bytes.length; i++) out[at + i] = it.bytes.charCodeAt(i);
          at += Math.max(unit, Math.ceil(it.bytes.length / unit) * unit);
          break;
        }
        case 'uninit':
          at += unit;
          break;
        case 'float': {
          const fb = floatItemBytes(it.text, unit, this.floatControl);
          if (!fb.ok) this.error(it.tok, fb.message);
          else {
            out.set(fb.bytes, at);
            for (const w of fb.warnings) this.warn(it.tok, w);
          }
          at += unit;
          break;
        }
        case 'expr': {
          const v = this.eval(it.expr);
          if (!v.unknown && v.sect < 0 && unit <= 8 && !fitsInSize(v.v, unit)) this.warn(it.tok, `value ${v.v} does not fit in ${unit === 1 ? 'a byte' : unit === 2 ? 'a word' : 'a dword'}: it is truncated`);
          writeInt(out, at, v.v, unit);
          at += unit;
          break;
        }
      }
    }
    return out;
  }

  protected incbin(b: Extract<StatementBody, { k: 'incbin' }>): void {
    const path = resolveInclude(this.stmt.origin.file, b.file);
    let data = this.fileCache.get(path);
    if (!this.fileCache.has(path)) {
      try {
        data = this.options.readFile?.(path);
      } catch {
        data = undefined;
      }
      this.fileCache.set(path, data);
    }
    if (!data) {
      this.error(b.tok, this.options.readFile ? `cannot open INCBIN file '${b.file}' (looked for ${path})` : `cannot read INCBIN file '${b.file}': no file access in this context`);
      return;
    }
    let start = 0;
    let end = data.length;
    if (b.skip) start = Math.min(data.length, Math.max(0, Number(this.critical(b.skip, b.tok, 'INCBIN offset') ?? 0n)));
    if (b.len) end = Math.min(data.length, start + Math.max(0, Number(this.critical(b.len, b.tok, 'INCBIN length') ?? 0n)));
    this.emit(data.subarray(start, end), false);
    this.attributeData(end - start, 1);
  }

  protected align(b: Extract<StatementBody, { k: 'align' }>): void {
    const a = this.critical(b.align, b.tok, 'ALIGN boundary');
    if (a === undefined) return;
    if (a <= 0n || (a & (a - 1n)) !== 0n) {
      this.error(b.tok, `ALIGN boundary ${a} is not a power of two`);
      return;
    }
    const n = Number(a);
    const here = this.cur ? this.cur.len : Number(this.absCursor & 0xffffffffn);
    const pad = (n - (here % n)) % n;
    if (this.cur && n > this.cur.align && b.fill !== 'res') this.cur.align = n;
    this.labelCount = 0;
    this.groupMode = 'none';
    if (pad === 0) return;
    if (b.fill === 'res' || !this.cur) {
      this.reserve(pad, b.tok);
      return;
    }
    if (b.fill === 'nop') {
      this.emit(new Uint8Array(pad).fill(0x90), true);
      return;
    }
    const unitBytes = b.pad ? this.dataBytes(1, [b.pad]) : new Uint8Array(1);
    const out = new Uint8Array(pad);
    for (let i = 0; i < pad; i++) out[i] = unitBytes[i % unitBytes.length];
    this.emit(out, false);
  }
}
