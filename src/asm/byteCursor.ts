// A bounds-checked little-endian reader over a Uint8Array for the binary loaders (ELF, DWARF).
// Reading past the end throws FormatError, which every public loader catches and turns into an
// error result, so malformed input never escapes as an exception. Imports nothing.

/** Thrown inside the loaders on malformed input; never escapes a public loader API. */
export class FormatError extends Error {}

/** Cursor over `bytes[start, end)`; `pos` is an absolute offset into `bytes`. */
export class ByteCursor {
  pos: number;

  constructor(readonly bytes: Uint8Array, start = 0, readonly end = bytes.length) {
    if (start < 0 || end > bytes.length || start > end) throw new FormatError(`range ${start}..${end} is outside the ${bytes.length}-byte file`);
    this.pos = start;
  }

  /** Bytes left before `end`. */
  get remaining(): number {
    return this.end - this.pos;
  }

  private need(n: number): number {
    const at = this.pos;
    if (n < 0 || at + n > this.end) throw new FormatError(`truncated data at offset 0x${at.toString(16)} (need ${n} bytes)`);
    this.pos = at + n;
    return at;
  }

  u8(): number {
    return this.bytes[this.need(1)];
  }

  i8(): number {
    return (this.u8() << 24) >> 24;
  }

  u16(): number {
    const at = this.need(2);
    return this.bytes[at] | (this.bytes[at + 1] << 8);
  }

  u32(): number {
    const at = this.need(4);
    const b = this.bytes;
    return (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
  }

  /** A 64-bit value as a number (exact below 2^53). */
  u64(): number {
    const lo = this.u32();
    const hi = this.u32();
    return hi * 0x1_0000_0000 + lo;
  }

  /** An unsigned value of `size` bytes (1, 2, 3, 4 or 8). */
  uN(size: number): number {
    switch (size) {
      case 1: return this.u8();
      case 2: return this.u16();
      case 3: return this.u16() | (this.u8() << 16);
      case 4: return this.u32();
      case 8: return this.u64();
      default: throw new FormatError(`unsupported field size ${size}`);
    }
  }

  /** Unsigned LEB128 (exact below 2^53; larger values lose precision but never throw). */
  uleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) return result;
    }
  }

  /** Signed LEB128. */
  sleb(): number {
    let result = 0;
    let scale = 1;
    for (;;) {
      const byte = this.u8();
      result += (byte & 0x7f) * scale;
      scale *= 128;
      if ((byte & 0x80) === 0) {
        if (byte & 0x40) result -= scale;
        return result;
      }
    }
  }

  /** A NUL-terminated string (UTF-8). */
  cstring(): string {
    const start = this.pos;
    let end = start;
    while (end < this.end && this.bytes[end] !== 0) end++;
    if (end >= this.end) throw new FormatError(`unterminated string at offset 0x${start.toString(16)}`);
    this.pos = end + 1;
    return decodeUtf8(this.bytes.subarray(start, end));
  }

  skip(n: number): void {
    this.need(n);
  }

  /** A view (not a copy) of the next n bytes. */
  take(n: number): Uint8Array {
    const at = this.need(n);
    return this.bytes.subarray(at, at + n);
  }
}

const utf8 = new TextDecoder('utf-8');

/** UTF-8 text of a byte range (invalid sequences become U+FFFD, never an exception). */
export function decodeUtf8(bytes: Uint8Array): string {
  return utf8.decode(bytes);
}

/** The NUL-terminated string at `offset` of a string table, or a FormatError. */
export function stringAt(table: Uint8Array, offset: number): string {
  if (offset < 0 || offset >= table.length) throw new FormatError(`string offset 0x${offset.toString(16)} is outside its table`);
  let end = offset;
  while (end < table.length && table[end] !== 0) end++;
  return decodeUtf8(table.subarray(offset, end));
}
