// Diagnostics of the assembler: the Diagnostic record every error and warning is reported as, and
// the bounded collector the lexer, preprocessor, parser and assembler passes write into.
// Imports nothing of ours.

/** One error or warning with a 1-based source range (columns in UTF-16 units, end exclusive). */
export interface Diagnostic {
  severity: 'error' | 'warning';
  message: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

/** A place in a source file used while assembling: file, 1-based line and column range. */
export interface SourceSpan {
  file: string;
  line: number;
  column: number;
  endColumn: number;
}

/** At most this many diagnostics are kept; the rest are counted into one final message. */
export const MAX_DIAGNOSTICS = 500;

/** Collects diagnostics, dropping exact duplicates (a line reported again by a later pass). */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private readonly seen = new Set<string>();
  private dropped = 0;
  private errorCount = 0;
  private reportCount = 0;

  /** Number of reports so far, duplicates and dropped ones included (a consumer compares two
   *  readings to tell whether a step reported anything). */
  get reported(): number {
    return this.reportCount;
  }

  /** Number of errors reported so far (including dropped ones). */
  get errors(): number {
    return this.errorCount;
  }

  error(span: SourceSpan, message: string): void {
    this.add('error', span, message);
  }

  warning(span: SourceSpan, message: string): void {
    this.add('warning', span, message);
  }

  add(severity: Diagnostic['severity'], span: SourceSpan, message: string): void {
    this.reportCount++;
    const key = `${severity}|${span.file}|${span.line}|${span.column}|${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (severity === 'error') this.errorCount++;
    if (this.items.length >= MAX_DIAGNOSTICS) {
      this.dropped++;
      return;
    }
    this.items.push({
      severity,
      message,
      file: span.file,
      line: span.line,
      column: span.column,
      endLine: span.line,
      endColumn: Math.max(span.endColumn, span.column + 1),
    });
  }

  /** The diagnostics in report order, with a note when some were dropped. */
  finish(): Diagnostic[] {
    const out = this.items.slice();
    if (this.dropped > 0) {
      const last = out[out.length - 1];
      out.push({
        severity: 'error',
        message: `${this.dropped} more diagnostics not shown`,
        file: last?.file ?? '',
        line: last?.line ?? 1,
        column: 1,
        endLine: last?.line ?? 1,
        endColumn: 2,
      });
    }
    return out;
  }
}
