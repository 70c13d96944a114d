// The tests of the %if family (NASM manual §4.4): %if expr, %ifdef, %ifmacro, %ifidn/%ifidni,
// %ifnum/%ifstr/%ifid, %ifempty, %iftoken and %ifctx, each with its n-form. The preprocessor
// hands over the directive's arguments (parameters and context names already substituted).
// Imports ./lexer, ./preprocessorTokens, ./multiLineMacros, ./singleLineMacros (types).
import { joinTokens, type Token } from './lexer';
import { topLevelComma } from './preprocessorTokens';
import type { SingleLineMacros } from './singleLineMacros';
import { parseParamRange } from './multiLineMacros';

/** What a condition may look at. */
export interface ConditionScope {
  smacros: SingleLineMacros;
  /** Is there a multi-line macro `name` whose parameter range meets min..max (nasm's %ifmacro test)? */
  hasMacro(name: string, min: number, max: number): boolean;
  /** Name of the innermost %push'ed context, if any. */
  contextName: string | undefined;
  evaluate(tokens: Token[], at: Token): bigint;
  report(tok: Token, message: string): void;
}

/** Whether `%if<kind>` (negated for the %ifn forms) holds for `args`; `head` is the directive. */
export function testCondition(kind: string, negate: boolean, head: Token, args: Token[], scope: ConditionScope): boolean {
  const { smacros } = scope;
  let r = false;
  switch (kind) {
    case '':
      r = scope.evaluate(smacros.expand(args, 0), head) !== 0n;
      break;
    case 'def':
    case 'ndef': {
      const name = args[0];
      if (!name || name.kind !== 'id') scope.report(name ?? head, `${head.text} expects a macro name`);
      else r = smacros.has(name.text);
      if (kind === 'ndef') r = !r;
      break;
    }
    case 'macro': {
      const name = args[0];
      // no count: any definition of the name; N[-M|*][+]: one whose range meets it (+ reaches any count)
      const range = args.length <= 1 ? { min: 0, max: Infinity, greedy: false, next: 1 } : parseParamRange(args, 1, scope.report);
      if (name === undefined || range === undefined || range.next !== args.length) scope.report(name ?? head, `${head.text} expects a macro name and optionally its parameter count, e.g. ${head.text} mymacro 1-2`);
      else r = scope.hasMacro(name.text, range.min, range.greedy ? Infinity : range.max);
      break;
    }
    case 'idn':
    case 'idni': {
      const ex = smacros.expand(args, 0);
      const comma = topLevelComma(ex);
      if (comma < 0) {
        scope.report(head, `${head.text} expects two comma-separated arguments`);
        break;
      }
      const a = joinTokens(ex.slice(0, comma)).replace(/\s+/g, '');
      const b = joinTokens(ex.slice(comma + 1)).replace(/\s+/g, '');
      r = kind === 'idni' ? a.toLowerCase() === b.toLowerCase() : a === b;
      break;
    }
    case 'num':
    case 'str':
    case 'id': {
      const ex = smacros.expand(args, 0);
      r = ex.length === 1 && ex[0].kind === kind;
      break;
    }
    case 'empty':
      r = smacros.expand(args, 0).length === 0;
      break;
    case 'ctx':
      r = args.some((a) => a.kind === 'id' && a.text === scope.contextName);
      break;
    case 'token':
      r = smacros.expand(args, 0).length === 1;
      break;
    default:
      scope.report(head, `${head.text} is not supported by this assembler`);
  }
  return negate && kind !== 'ndef' ? !r : r;
}
