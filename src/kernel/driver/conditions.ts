import type { Span } from '../../common/source.js';
import type { Model } from '../../model/model.js';
import type * as c from '../c/ast.js';
import type { Roles } from './operands.js';
import { exprKey, mentions, stateConstant } from './operands.js';

/**
 * What an `if` condition of a step function selects. A condition is a
 * formula over comparisons of the two operands with state constants
 * (`cur == A`, `new != B`) joined by `&&`, `||` and `!`, with redundant
 * parentheses of any depth (the syntax tree has none). It is read as a
 * disjunction of terms, each a conjunction of such comparisons: the arcs a
 * term selects are its current states times its requested states.
 *
 * A condition that tests an operand any other way (a call, a comparison
 * with a variable) cannot be decided, and neither can one that mixes
 * state comparisons with anything else: the reader says so, never guesses.
 */

export type Side = 'cur' | 'new';

/** One comparison: the operand on `side` is one of `states`. */
export interface Literal {
  readonly side: Side;
  readonly states: readonly number[];
  /** The comparison itself: its start is where the arc's line is read from. */
  readonly node: c.Expr;
}

export type Condition =
  /** Tests neither state: not part of the dispatch. */
  | { readonly kind: 'none' }
  | { readonly kind: 'undecided'; readonly reason: string }
  /** A disjunction of conjunctions; a term may constrain one side only. */
  | { readonly kind: 'select'; readonly terms: readonly (readonly Literal[])[] };

/** Past this many terms a condition is reported rather than expanded: every loop an input drives is bounded. */
export const MAX_TERMS = 4096;

type Formula =
  | { readonly k: 'lit'; readonly lit: Literal }
  | { readonly k: 'and' | 'or'; readonly parts: readonly Formula[] }
  | { readonly k: 'other'; readonly node: c.Expr }
  | { readonly k: 'bad'; readonly reason: string };

export interface ConditionReader {
  readonly model: Model;
  readonly roles: Roles;
  /** The source text of a span, on one line. */
  readonly text: (span: Span) => string;
}

export function readCondition(r: ConditionReader, test: c.Expr): Condition {
  const f = formula(r, test);
  const lits: Literal[] = [];
  const others: c.Expr[] = [];
  let bad: string | null = null;
  // An explicit stack: a condition nests as deep as its input does.
  const stack: Formula[] = [f];
  for (let g = stack.pop(); g; g = stack.pop()) {
    if (g.k === 'lit') lits.push(g.lit);
    else if (g.k === 'other') others.push(g.node);
    else if (g.k === 'bad') bad ??= g.reason;
    else for (const p of g.parts) stack.push(p);
  }
  if (bad !== null) return { kind: 'undecided', reason: bad };
  if (lits.length === 0) return { kind: 'none' };
  if (others.length > 0) return { kind: 'undecided', reason: `it also depends on \`${r.text(others[others.length - 1]!.span)}\`, which is not a state` };
  const terms = dnf(f);
  if (terms === null) return { kind: 'undecided', reason: `it has more than ${MAX_TERMS} combinations of states` };
  return { kind: 'select', terms };
}

/**
 * The formula of `e`, with negations pushed down to the comparisons. The
 * recursion follows `&&`, `||` and `!` only, each of which the grammar nests
 * one level per operator written; a condition is one `if` of a function.
 */
function formula(r: ConditionReader, e: c.Expr, negated = false): Formula {
  if (e.kind === 'binary' && (e.op === '&&' || e.op === '||')) {
    const and = (e.op === '&&') !== negated;
    return { k: and ? 'and' : 'or', parts: [formula(r, e.left, negated), formula(r, e.right, negated)] };
  }
  if (e.kind === 'unary' && e.op === '!') return formula(r, e.operand, !negated);
  const { current, requested } = r.roles;
  const sideOf = (x: c.Expr): Side | null => {
    const key = exprKey(x);
    return key === current ? 'cur' : key === requested ? 'new' : null;
  };
  const name = (side: Side): string => (side === 'cur' ? current : requested);
  if (e.kind === 'binary' && (e.op === '==' || e.op === '!=')) {
    const ls = sideOf(e.left);
    const rs = sideOf(e.right);
    if (ls && rs) return { k: 'bad', reason: `it compares \`${current}\` with \`${requested}\`, not with a state constant` };
    const side = ls ?? rs;
    if (side) {
      const other = ls ? e.right : e.left;
      const value = stateConstant(r.model, other);
      if (value === null) return { k: 'bad', reason: `it compares \`${name(side)}\` with \`${r.text(other.span)}\`, not with a state constant` };
      if (value === 'unknown') return { k: 'bad', reason: `\`${r.text(other.span)}\` names no state of ${r.model.file}` };
      const equal = (e.op === '==') !== negated;
      const states = equal ? [value] : r.model.states.map((s) => s.value).filter((v) => v !== value);
      return { k: 'lit', lit: { side, states, node: e } };
    }
  }
  const uses = [current, requested].filter((k) => mentions(e, k));
  if (uses.length === 0) return { k: 'other', node: e };
  const call = e.kind === 'call' ? e : findCall(e, uses);
  if (call) return { k: 'bad', reason: `it calls \`${r.text(call.callee.span)}()\` with \`${uses.join('`, `')}\`` };
  return { k: 'bad', reason: `it tests \`${uses.join('`, `')}\` without comparing it with a state constant` };
}

function findCall(e: c.Expr, keys: readonly string[]): Extract<c.Expr, { kind: 'call' }> | null {
  // The first call (in source order) whose arguments hold an operand.
  const pending: c.Expr[] = [e];
  for (let x = pending.shift(); x; x = pending.shift()) {
    if (x.kind === 'call' && x.args.some((a) => keys.some((k) => mentions(a, k)))) return x;
    if (x.kind === 'binary') pending.push(x.left, x.right);
    else if (x.kind === 'unary' || x.kind === 'cast') pending.push(x.operand);
    else if (x.kind === 'cond') pending.push(x.test, x.then, x.otherwise);
  }
  return null;
}

/** Disjunctive normal form, or null past MAX_TERMS terms; terms whose literals contradict each other are dropped. */
function dnf(f: Formula): Literal[][] | null {
  if (f.k === 'lit') return [[f.lit]];
  if (f.k === 'other' || f.k === 'bad') return [];
  const parts = f.parts.map(dnf);
  if (parts.some((p) => p === null)) return null;
  const lists = parts as Literal[][][];
  if (f.k === 'or') {
    const out = lists.flat();
    return out.length > MAX_TERMS ? null : out;
  }
  let out: Literal[][] = [[]];
  for (const p of lists) {
    if (out.length * p.length > MAX_TERMS) return null;
    out = out.flatMap((t) => p.map((q) => [...t, ...q]));
  }
  return out.filter((t) => !contradicts(t));
}

function contradicts(term: readonly Literal[]): boolean {
  for (const side of ['cur', 'new'] as const) {
    const sets = term.filter((l) => l.side === side).map((l) => l.states);
    if (sets.length > 1 && intersect(sets).length === 0) return true;
  }
  return false;
}

/** The states every set holds, in the first set's order. */
export function intersect(sets: readonly (readonly number[])[]): number[] {
  const [first, ...rest] = sets;
  return (first ?? []).filter((v) => rest.every((s) => s.includes(v)));
}
