// The output records of a pass: which statement put how many bytes at which section offset, kept
// in parallel typed arrays (no object per record per pass). The stable pass's records become the
// line map and the listing. Imports nothing.

/** Records of one pass, in emission order. Consecutive bytes of one statement share a record. */
export class EmitRecords {
  count = 0;
  stmt = new Int32Array(1024);
  section = new Int32Array(1024);
  offset = new Int32Array(1024);
  length = new Int32Array(1024);
  /** 1 when the bytes are an instruction. */
  instruction = new Uint8Array(1024);

  /** Forgets every record (start of a pass). */
  clear(): void {
    this.count = 0;
  }

  /** Adds `length` bytes of statement `stmt` at `offset` in `section`; merges with the previous
   *  record when they continue it. */
  add(stmt: number, section: number, offset: number, length: number, isInstruction: boolean): void {
    const last = this.count - 1;
    if (last >= 0 && this.stmt[last] === stmt && this.section[last] === section && this.offset[last] + this.length[last] === offset) {
      this.length[last] += length;
      return;
    }
    if (this.count === this.stmt.length) this.grow();
    const i = this.count++;
    this.stmt[i] = stmt;
    this.section[i] = section;
    this.offset[i] = offset;
    this.length[i] = length;
    this.instruction[i] = isInstruction ? 1 : 0;
  }

  private grow(): void {
    const n = this.stmt.length * 2;
    const widen = <T extends Int32Array | Uint8Array>(a: T, make: (n: number) => T): T => {
      const b = make(n);
      b.set(a);
      return b;
    };
    this.stmt = widen(this.stmt, (k) => new Int32Array(k));
    this.section = widen(this.section, (k) => new Int32Array(k));
    this.offset = widen(this.offset, (k) => new Int32Array(k));
    this.length = widen(this.length, (k) => new Int32Array(k));
    this.instruction = widen(this.instruction, (k) => new Uint8Array(k));
  }
}
