// The multi-line macros defined so far (NASM manual §4.3): by name, each name with its definitions
// of different parameter ranges (%macro m 1 and %macro m 2 live side by side); %imacro names are kept
// in lower case. %unmacro removes one definition, %ifmacro asks whether a range is covered.
// Imports ./multiLineMacros (types).
import type { MMacro } from './multiLineMacros';

/** The macro table of one preprocessing run. */
export class MacroTable {
  private readonly byName = new Map<string, MMacro[]>();

  /** The definitions an invocation of `name` may bind to (case-sensitive ones first), or undefined. */
  candidates(name: string): MMacro[] | undefined {
    return this.byName.get(name) ?? this.byName.get(name.toLowerCase());
  }

  /** %macro / %imacro: adds `macro`, replacing a definition of the same name and range. */
  define(macro: MMacro, caseInsensitive: boolean): void {
    const key = caseInsensitive ? macro.name.toLowerCase() : macro.name;
    const list = this.byName.get(key) ?? [];
    const same = list.findIndex((m) => m.min === macro.min && m.max === macro.max);
    if (same >= 0) list.splice(same, 1);
    list.push(macro);
    this.byName.set(key, list);
  }

  /** %unmacro / %unimacro: removes the definition with exactly that range; false when there is none (not an error, as nasm). */
  remove(spec: MMacro, caseInsensitive: boolean): boolean {
    const key = caseInsensitive ? spec.name.toLowerCase() : spec.name;
    const list = this.byName.get(key);
    const at = list ? list.findIndex((m) => m.min === spec.min && m.max === spec.max && m.greedy === spec.greedy) : -1;
    if (!list || at < 0) return false;
    list.splice(at, 1);
    if (list.length === 0) this.byName.delete(key);
    return true;
  }

  /** %ifmacro: does a definition of `name` take a parameter count in min..max? */
  covers(name: string, min: number, max: number): boolean {
    const meets = (m: MMacro): boolean => min <= (m.greedy ? Infinity : m.max) && max >= m.min;
    return (this.byName.get(name) ?? []).some(meets) || (this.byName.get(name.toLowerCase()) ?? []).some(meets);
  }
}
