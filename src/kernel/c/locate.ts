import type { Span } from '../../common/source.js';
import type { Comment, Lexed, Token } from './lex.js';
import { firstTokenFrom } from './lex.js';

/**
 * Finds a function definition by name in a token stream: the name at file
 * scope, its parameter list, then a body in braces. Only the definition is
 * parsed afterwards, so a large file costs one lexical pass.
 */
export interface LocatedFunction {
  /** From the first declaration specifier to just after the closing brace. */
  readonly span: Span;
  readonly name: Span;
  /** False when the text ends (or a patch stops showing it) before the closing brace. */
  readonly complete: boolean;
  /** Other definitions of the same name (under different #ifdefs, say). */
  readonly others: readonly Span[];
}

const SPECIFIER_PUNCT = new Set(['*']);

export function locateFunction(lexed: Lexed, name: string, textEnd: number): LocatedFunction | null {
  const { tokens } = lexed;
  const parens = memo(tokens, '()', () => bracketPairs(tokens, '(', ')'));
  const braces = memo(tokens, '{}', () => bracketPairs(tokens, '{', '}'));
  const found: LocatedFunction[] = [];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.text === '{' && tok.kind === 'punct') depth++;
    else if (tok.text === '}' && tok.kind === 'punct') depth = Math.max(0, depth - 1);
    if (depth !== 0 || tok.kind !== 'ident' || tok.text !== name || tokens[i + 1]?.text !== '(') continue;
    const close = parens[i + 1]!;
    if (close < 0 || tokens[close + 1]?.text !== '{') continue;
    const end = braces[close + 1]!;
    let first = i;
    while (first > 0) {
      const prev = tokens[first - 1]!;
      if (prev.kind === 'ident' || (prev.kind === 'punct' && SPECIFIER_PUNCT.has(prev.text))) first--;
      else break;
    }
    found.push({
      span: { start: tokens[first]!.start, end: end < 0 ? textEnd : tokens[end]!.end },
      name: { start: tok.start, end: tok.end },
      complete: end >= 0,
      others: [],
    });
    if (end >= 0) i = end;
  }
  const [head, ...rest] = found;
  return head ? { ...head, others: rest.map((f) => f.name) } : null;
}

/**
 * The passes over a whole token stream depend on it alone: when one input is
 * read against several specs (to tell its era), each is made once.
 */
const passes = new WeakMap<readonly Token[], Map<string, Int32Array>>();

function memo(tokens: readonly Token[], pass: string, make: () => Int32Array): Int32Array {
  let done = passes.get(tokens);
  if (!done) passes.set(tokens, (done = new Map()));
  let result = done.get(pass);
  if (!result) done.set(pass, (result = make()));
  return result;
}

/**
 * For each token that opens a `left` bracket, the index of the token that
 * closes it (the first `right` where the count of this kind of bracket
 * falls back), or -1; with `holes`, a bracket whose match lies beyond a hole
 * is not closed (-1). Other tokens get -1. One pass with a stack: scanning
 * forward from every bracket instead costs the square of the input's
 * length on a run of unclosed brackets.
 */
export function bracketPairs(tokens: readonly Token[], left: string, right: string, holes = false): Int32Array {
  const pairs = new Int32Array(tokens.length).fill(-1);
  const open: number[] = [];
  for (let j = 0; j < tokens.length; j++) {
    const t = tokens[j]!;
    if (t.kind === 'hole' && holes) open.length = 0;
    if (t.kind !== 'punct') continue;
    if (t.text === left) open.push(j);
    else if (t.text === right) {
      const o = open.pop();
      if (o !== undefined) pairs[o] = j;
    }
  }
  return pairs;
}

/**
 * The comment right above a declaration: the comments between it and the
 * token before it, joined (a block comment is usually one).
 */
export function commentBefore(lexed: Lexed, start: number): Comment | null {
  const { tokens } = lexed;
  const next = firstTokenFrom(tokens, start);
  const prevEnd = next > 0 ? tokens[next - 1]!.end : 0;
  const between = lexed.comments.filter((c) => c.start >= prevEnd && c.end <= start);
  if (between.length === 0) return null;
  const first = between[0]!;
  const last = between[between.length - 1]!;
  return { start: first.start, end: last.end, body: between.map((c) => c.body).join('\n') };
}

/**
 * A declaration of `name` found by tokens alone: from its first specifier to
 * its `;`. With `topLevel`, only at file scope (a table a generator put
 * outside the function); otherwise anywhere (patch fragments).
 */
export function locateDeclaration(lexed: Lexed, name: string, topLevel: boolean): { start: number; end: number } | null {
  const { tokens } = lexed;
  const ends = memo(tokens, ';', () => statementEnds(tokens));
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.kind === 'punct' && tok.text === '{') depth++;
    else if (tok.kind === 'punct' && tok.text === '}') depth = Math.max(0, depth - 1);
    if (tok.kind !== 'ident' || tok.text !== name || (topLevel && depth !== 0)) continue;
    if (tokens[i + 1]?.text !== '[') continue;
    let first = i;
    while (first > 0 && (tokens[first - 1]!.kind === 'ident' || tokens[first - 1]!.text === '*')) first--;
    if (first === i || !tokens.slice(first, i).some((t) => t.text === 'static' || t.text === 'const')) continue;
    const end = ends[i]!;
    if (end >= 0) return { start: tokens[first]!.start, end: tokens[end]!.end };
  }
  return null;
}

/** Every `enum ... { ... };` (with `topLevel`, only at file scope), for the constants a dimension uses. */
export function locateEnums(lexed: Lexed, topLevel: boolean): { start: number; end: number }[] {
  const { tokens } = lexed;
  const out: { start: number; end: number }[] = [];
  const ends = memo(tokens, ';', () => statementEnds(tokens));
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const tok = tokens[i]!;
    if (tok.kind === 'punct' && tok.text === '{') depth++;
    else if (tok.kind === 'punct' && tok.text === '}') depth = Math.max(0, depth - 1);
    if (tok.text !== 'enum' || tok.kind !== 'ident' || (topLevel && depth !== 0)) continue;
    const brace = tokens[i + 1]?.text === '{' ? i + 1 : tokens[i + 2]?.text === '{' ? i + 2 : -1;
    if (brace < 0) continue;
    const end = ends[brace]!;
    if (end >= 0) out.push({ start: tok.start, end: tokens[end]!.end });
  }
  return out;
}

/**
 * For every token, the `;` that ends a declaration starting there: the
 * first `;` after it outside the brackets opened since, or -1 when a
 * bracket open before it closes first or none comes. One pass: tokens wait
 * at their bracket depth until a `;` at that depth takes them or a closing
 * bracket leaves that depth.
 */
function statementEnds(tokens: readonly Token[]): Int32Array {
  const ends = new Int32Array(tokens.length).fill(-1);
  const waiting = new Map<number, number[]>();
  let depth = 0;
  for (let j = 0; j < tokens.length; j++) {
    const here = waiting.get(depth);
    if (here) here.push(j);
    else waiting.set(depth, [j]);
    const t = tokens[j]!;
    if (t.kind !== 'punct') continue;
    if (t.text === '{' || t.text === '[' || t.text === '(') depth++;
    else if (t.text === '}' || t.text === ']' || t.text === ')') {
      waiting.delete(depth);
      depth--;
    } else if (t.text === ';') {
      for (const k of waiting.get(depth) ?? []) ends[k] = j;
      waiting.delete(depth);
    }
  }
  return ends;
}
