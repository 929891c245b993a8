import type { Token } from './lex.js';
import { MAX_NESTING, MAX_TREE_DEPTH } from './limits.js';
import type { CNode } from './walk.js';
import { children } from './walk.js';

/**
 * How deep the C grammar will recurse on a run of tokens, counted on the
 * tokens before the grammar runs (ohm recurses, and a stack overflow is no
 * diagnostic). One pass, no recursion. A nesting level is one of:
 *
 * - an open bracket: `(`, `[` or `{`, until it closes; it counts two levels,
 *   since ohm goes about twice as deep into a bracket as into the others;
 * - a prefix operator or a cast (`-`, `!`, `*p`, `sizeof`, `(u8)`), until the
 *   operand it applies to ends (at the next binary operator, `?`, `:`, `=`,
 *   `,` or `;` of its bracket);
 * - an assignment or a `?`, whose right side nests, until the expression
 *   ends (`,` or `;` of its bracket);
 * - `if`, `for`, `while` or `do`, whose body nests, until the statement
 *   ends.
 *
 * The count is an upper bound on the levels that enclose a token in any
 * parse, so it never lets through an input the grammar would nest deeper.
 * The subtle part is the statements: a statement ends at a `;` or at the
 * `}` of a block in its bracket, unless the next token is an `else` (the
 * `if` goes on; a chain of `else if` thus counts one level per `if`, as the
 * grammar nests it) or the `while` of a pending `do`. In valid C nothing
 * else can follow the body of a statement that goes on, so the count of an
 * enclosing statement is only dropped once it has ended. A paren group that
 * holds only names and `*` may be a cast: the operator after it is counted
 * as a prefix, which may count a binary operator too (too many levels,
 * never too few).
 *
 * Measured with Node's default stack, on a cold start: the grammar
 * overflows at about 105 nested calls or parentheses, 120 index brackets,
 * 150 braces of an initializer, 230 prefix operators, 270 blocks or `?`,
 * more than 290 `if`. With brackets at two levels, MAX_NESTING admits 31 of
 * the first and 62 of the rest: a margin of three or more everywhere.
 */

/** What one bracket counts. */
const BRACKET = 2;

/** Keywords after which an operator is a prefix, not a binary operator. */
const KEYWORDS = new Set([
  'return', 'sizeof', 'if', 'else', 'while', 'do', 'for', 'case', 'goto', 'break', 'continue', 'switch', 'default',
  'int', 'char', 'short', 'long', 'signed', 'unsigned', 'void', '_Bool', 'bool', 'const', 'volatile', 'static', 'extern', 'register', 'inline',
  'struct', 'union', 'enum', 'u8', 'u16', 'u32', 'u64', 's8', 's16', 's32', 's64', '__u8', '__u16', '__u32', '__u64',
  'uint8_t', 'uint16_t', 'uint32_t', 'uint64_t', 'int32_t', 'int64_t', 'size_t', '__iomem', '__user', '__always_inline', '__must_check', 'noinline',
]);

const BINARY = new Set(['||', '&&', '|', '^', '&', '==', '!=', '<', '>', '<=', '>=', '<<', '>>', '+', '-', '*', '/', '%']);
const PREFIX_ONLY = new Set(['!', '~']);
const OPENERS: Readonly<Record<string, string>> = { '(': ')', '[': ']', '{': '}' };

interface Level {
  /** The bracket that opened it ('' for the outermost). */
  readonly close: string;
  stmt: number;
  chain: number;
  unary: number;
  /** `do` statements whose `while` has not come yet. */
  pendingDo: number;
  /** The `while` just met ends a `do`: its `;` ends the `do` statement. */
  doWhile: boolean;
  /** The last token ends an operand (so `-`, `*`, `&`, `++` after it are binary or postfix). */
  operand: boolean;
  /** Every token directly inside so far is a name or `*`: the group may be a cast. */
  castLike: boolean;
  /** The condition of an `if`, `while` or `for` (or a `for`'s header): never a cast. */
  header: boolean;
  empty: boolean;
}

function level(close: string): Level {
  return { close, stmt: 0, chain: 0, unary: 0, pendingDo: 0, doWhile: false, operand: false, castLike: true, header: false, empty: true };
}

function own(l: Level): number {
  return l.stmt + l.chain + l.unary;
}

/** A statement of level `l` ended just before token `next`: its count goes, unless the statement goes on. */
function statementEnd(l: Level, next: Token | undefined): void {
  if (l.doWhile) {
    l.doWhile = false;
    l.pendingDo = Math.max(0, l.pendingDo - 1);
  }
  l.chain = 0;
  l.unary = 0;
  l.operand = false;
  if (next?.text === 'else' || (next?.text === 'while' && l.pendingDo > 0)) return;
  l.stmt = 0;
}

/** The first token at which the nesting passes MAX_NESTING, with the depth there; null when it never does. */
export function tooDeep(tokens: readonly Token[], limit = MAX_NESTING): { token: Token; depth: number } | null {
  const levels: Level[] = [level('')];
  // The levels of every enclosing bracket, with their own counts, frozen while inside it.
  let outer = 0;
  for (let k = 0; k < tokens.length; k++) {
    const t = tokens[k]!;
    let cur = levels[levels.length - 1]!;
    const text = t.text;
    if (t.kind === 'punct' && OPENERS[text] !== undefined) {
      cur.castLike = false;
      cur.empty = false;
      outer += own(cur) + BRACKET;
      const inner = level(OPENERS[text]!);
      const before = tokens[k - 1]?.text;
      inner.header = text === '(' && (before === 'if' || before === 'while' || before === 'for');
      // After an operand, `(` opens a call's arguments: no cast.
      if (text !== '(' || cur.operand || inner.header) inner.castLike = false;
      levels.push(inner);
      if (outer > limit) return { token: t, depth: outer };
      continue;
    }
    if (t.kind === 'punct' && (text === ')' || text === ']' || text === '}') && levels.length > 1) {
      const closed = levels.pop()!;
      cur = levels[levels.length - 1]!;
      outer -= own(cur) + BRACKET;
      if (text === '}') statementEnd(cur, tokens[k + 1]);
      else if (closed.header) cur.operand = false;
      else if (closed.close === ')' && closed.castLike && !closed.empty) {
        // Perhaps a cast: what follows applies to it.
        cur.unary++;
        cur.operand = false;
      } else cur.operand = true;
      if (outer + own(cur) > limit) return { token: t, depth: outer + own(cur) };
      continue;
    }
    if (!(t.kind === 'ident' || text === '*')) cur.castLike = false;
    cur.empty = false;
    if (t.kind === 'ident' && KEYWORDS.has(text)) {
      if (text === 'if' || text === 'for') cur.stmt++;
      else if (text === 'do') {
        cur.stmt++;
        cur.pendingDo++;
      } else if (text === 'while') {
        const prev = tokens[k - 1]?.text;
        if (cur.pendingDo > 0 && (prev === ';' || prev === '}')) cur.doWhile = true;
        else cur.stmt++;
      } else if (text === 'sizeof') cur.unary++;
      cur.operand = false;
    } else if (t.kind === 'ident' || t.kind === 'number' || t.kind === 'string') cur.operand = true;
    else if (t.kind === 'punct') {
      if (text === ';') statementEnd(cur, tokens[k + 1]);
      else if (text === ',') {
        cur.chain = 0;
        cur.unary = 0;
        cur.operand = false;
      } else if (text === '=' || text === '?') {
        cur.chain++;
        cur.unary = 0;
        cur.operand = false;
      } else if (text === ':') {
        cur.unary = 0;
        cur.operand = false;
      } else if (text === '++' || text === '--') {
        if (!cur.operand) cur.unary++;
      } else if (PREFIX_ONLY.has(text)) cur.unary++;
      else if (BINARY.has(text)) {
        if (cur.operand) cur.unary = 0;
        else cur.unary++;
        cur.operand = false;
      } else if (text === '->' || text === '.') cur.operand = false;
      else cur.operand = false;
    }
    const depth = outer + own(cur);
    if (depth > limit) return { token: t, depth };
  }
  return null;
}

/**
 * The first node, in source order, of `roots` (and what is under them)
 * deeper than `limit` in the syntax tree, with its depth; null when none
 * is. Iterative.
 */
export function tooDeepTree(roots: readonly CNode[], limit = MAX_TREE_DEPTH): { node: CNode; depth: number } | null {
  const stack: { node: CNode; depth: number }[] = roots.map((node) => ({ node, depth: 1 })).reverse();
  for (let next = stack.pop(); next; next = stack.pop()) {
    if (next.depth > limit) return next;
    const under = children(next.node);
    for (let k = under.length - 1; k >= 0; k--) stack.push({ node: under[k]!, depth: next.depth + 1 });
  }
  return null;
}
