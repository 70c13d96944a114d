// The nesting of the preprocessor's %if family (%if/%ifdef/…/%elif…/%else/%endif): which branch is
// taken, whether lines are being skipped, and the mistakes nasm reports (%else after %else, %endif
// without %if, …). The preprocessor says where each frame's conditionals start and how to test a
// condition. Imports nothing of ours.

/** One open %if. */
interface Cond {
  /** 'active': emitting; 'seek': an earlier branch was false, looking for a true one; 'done': a branch ran. */
  state: 'active' | 'seek' | 'done';
  sawElse: boolean;
  parentSkipping: boolean;
}

/** %if…/%elif… directive names (lower case): the condition kind in group 3, `n` in group 2. */
const DIRECTIVE_CONDS = /^%(if|elif)(n?)(def|ndef|idn|idni|num|str|id|macro|empty|token|env|ctx)?$/i;

/** true when `dir` (lower case) is one of the %if family. */
export function isConditionalDirective(dir: string): boolean {
  return dir === '%else' || dir === '%endif' || DIRECTIVE_CONDS.test(dir);
}

/** The open conditionals, innermost last. */
export class ConditionalStack {
  private readonly conds: Cond[] = [];
  /** true while lines are skipped (the innermost conditional is not in a taken branch); kept up to
   *  date by every change, since the preprocessor asks for every line. */
  skipping = false;

  /** How many are open. */
  get depth(): number {
    return this.conds.length;
  }

  /** Closes every conditional above `depth` (a frame ended, %exitrep, %exitmacro). */
  truncate(depth: number): void {
    if (this.conds.length > depth) this.conds.length = depth;
    this.update();
  }

  private update(): void {
    const c = this.conds[this.conds.length - 1];
    this.skipping = c !== undefined && c.state !== 'active';
  }

  /**
   * Applies the conditional directive `dir` (lower case) written in a frame whose conditionals
   * start at `floor`. `test` evaluates an %if/%elif condition (given the directive's match: kind in
   * group 3, negation in group 2) when the branch needs it; mistakes go to `report`.
   */
  apply(dir: string, floor: number, test: (m: RegExpExecArray) => boolean, report: (message: string) => void): void {
    this.change(dir, floor, test, report);
    this.update();
  }

  private change(dir: string, floor: number, test: (m: RegExpExecArray) => boolean, report: (message: string) => void): void {
    const top = this.conds[this.conds.length - 1];
    const parentSkipping = this.skipping;
    if (dir === '%endif') {
      if (!top || this.conds.length <= floor) {
        report('%endif without a matching %if');
        return;
      }
      this.conds.pop();
      return;
    }
    if (dir === '%else') {
      if (!top || this.conds.length <= floor) {
        report('%else without a matching %if');
        return;
      }
      if (top.sawElse) report('%else after %else in the same %if');
      top.sawElse = true;
      if (top.parentSkipping) return;
      top.state = top.state === 'seek' ? 'active' : 'done';
      return;
    }
    const m = DIRECTIVE_CONDS.exec(dir);
    if (!m) return;
    if (m[1].toLowerCase() === 'elif') {
      if (!top || this.conds.length <= floor) {
        report(`${dir} without a matching %if`);
        return;
      }
      if (top.sawElse) report(`${dir} after %else`);
      if (top.parentSkipping) return;
      if (top.state === 'active' || top.state === 'done') {
        top.state = 'done';
        return;
      }
      top.state = test(m) ? 'active' : 'seek';
      return;
    }
    if (parentSkipping) {
      this.conds.push({ state: 'done', sawElse: false, parentSkipping: true });
      return;
    }
    this.conds.push({ state: test(m) ? 'active' : 'seek', sawElse: false, parentSkipping: false });
  }
}
