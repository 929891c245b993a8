import type { Span } from '../../common/source.js';
import type { Lexed, Token } from '../c/lex.js';

/**
 * Every function defined at file scope in a lexed C file, found by tokens
 * alone (a name at depth 0, its parameter list, then a body in braces), with
 * what the driver reader needs to know before parsing any of them. A whole
 * driver file holds much C the grammar need not read: only the functions
 * these features single out are parsed.
 */
export interface FunctionSite {
  readonly name: string;
  readonly nameSpan: Span;
  /** From the first declaration specifier to just after the closing brace (or the end of the text). */
  readonly span: Span;
  /** False when the text ends before the closing brace. */
  readonly complete: boolean;
  /** Tokens of the definition, for the parser. */
  readonly tokens: readonly Token[];
}

const SPECIFIER_PUNCT = new Set(['*']);

export function functionSites(lexed: Lexed, textEnd: number): FunctionSite[] {
  const { tokens } = lexed;
  const out: FunctionSite[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.kind === 'punct' && tok.text === '{') depth++;
    else if (tok.kind === 'punct' && tok.text === '}') depth = Math.max(0, depth - 1);
    if (depth !== 0 || tok.kind !== 'ident' || tokens[i + 1]?.text !== '(') continue;
    const close = matching(tokens, i + 1, '(', ')');
    if (close < 0 || tokens[close + 1]?.text !== '{') continue;
    const end = matching(tokens, close + 1, '{', '}');
    let first = i;
    while (first > 0) {
      const prev = tokens[first - 1]!;
      if (prev.kind === 'ident' || (prev.kind === 'punct' && SPECIFIER_PUNCT.has(prev.text))) first--;
      else break;
    }
    const last = end < 0 ? tokens.length - 1 : end;
    out.push({
      name: tok.text,
      nameSpan: { start: tok.start, end: tok.end },
      span: { start: tokens[first]!.start, end: end < 0 ? textEnd : tokens[end]!.end },
      complete: end >= 0,
      tokens: tokens.slice(first, last + 1),
    });
    if (end < 0) break;
    i = end;
  }
  return out;
}

/** Index of the token closing the bracket opened at `open`, or -1. */
function matching(tokens: readonly Token[], open: number, left: string, right: string): number {
  let depth = 0;
  for (let j = open; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind !== 'punct') continue;
    if (t.text === left) depth++;
    else if (t.text === right && --depth === 0) return j;
  }
  return -1;
}

/** Does the function compare something with a state constant (`==`, `!=`, or a `case` label)? */
export function comparesStates(site: FunctionSite, statePrefix: string): boolean {
  const t = site.tokens;
  return t.some((tok, k) => {
    if (tok.kind !== 'ident' || !tok.text.startsWith(statePrefix)) return false;
    const before = t[k - 1]?.text;
    const after = t[k + 1]?.text;
    return before === '==' || before === '!=' || after === '==' || after === '!=' || before === 'case';
  });
}

/** Does the function assign `migration_flags` (`=`, `|=`, `&=`, `^=`), rather than only read it? */
export function assignsFlags(site: FunctionSite, field: string): boolean {
  const t = site.tokens;
  return t.some((tok, k) => {
    if (tok.kind !== 'ident' || tok.text !== field) return false;
    const next = t[k + 1];
    if (!next || next.kind !== 'punct') return false;
    if (next.text === '=') return true;
    // `|=` and friends come out of the lexer as two adjacent tokens.
    const after = t[k + 2];
    return (next.text === '|' || next.text === '&' || next.text === '^') && after?.text === '=' && after.start === next.end;
  });
}

/** Does the function call `name` (other than being `name` itself)? */
export function calls(site: FunctionSite, name: string): boolean {
  const t = site.tokens;
  return t.some((tok, k) => tok.kind === 'ident' && tok.text === name && t[k + 1]?.text === '(' && tok.start !== site.nameSpan.start);
}
