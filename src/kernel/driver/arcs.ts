import type { Span } from '../../common/source.js';
import type * as c from '../c/ast.js';
import { walk } from '../c/walk.js';
import type { ConditionReader, Literal, Side } from './conditions.js';
import { intersect, readCondition } from './conditions.js';
import { exprKey, stateConstant } from './operands.js';

/**
 * The arcs a step function handles, read from the shape of its dispatch: a
 * chain of `if`s (independent or `else if`), `switch`es on either operand,
 * and tests nested under a test or a `case` that fixes one side only. A test
 * that fixes both sides selects its arcs, and its body is the arcs' work:
 * nothing in it is read as dispatch (a body may test `cur` or `new` again).
 */

/** An arc as handled, with where the comparison or `case` label that belongs to it alone starts. */
export interface FoundArc {
  readonly from: number;
  readonly to: number;
  readonly at: number;
}

/** A condition the reader cannot decide: where its `if` (or `case`) starts, its text, and why. */
export interface FoundUndecided {
  readonly at: number;
  readonly span: Span;
  readonly reason: string;
}

export interface Dispatch {
  readonly arcs: readonly FoundArc[];
  readonly undecided: readonly FoundUndecided[];
  /** Index in the body of the last top-level statement that takes part in the dispatch, or -1. */
  readonly last: number;
}

/** What the tests around a statement already fixed: null for a side nothing fixed. */
interface Context {
  readonly cur: readonly number[] | null;
  readonly new: readonly number[] | null;
}

const ANY: Context = { cur: null, new: null };

/**
 * How many statements one function's dispatch may visit. A body under a test
 * that fixes one side is read once per distinct context, so tests nested in
 * each other could multiply the visits: past this bound the reader stops and
 * says so (an undecided entry) rather than run on.
 */
export const MAX_VISITS = 100_000;

export function readDispatch(r: ConditionReader, body: c.Block): Dispatch {
  const arcs: FoundArc[] = [];
  const undecided: FoundUndecided[] = [];
  let last = -1;
  const reader = new DispatchReader(r, arcs, undecided);
  body.items.forEach((item, index) => {
    if (reader.statement(item, ANY)) last = index;
  });
  arcs.sort((a, b) => a.at - b.at);
  undecided.sort((a, b) => a.at - b.at);
  return { arcs, undecided, last };
}

class DispatchReader {
  private visits = 0;

  constructor(
    private readonly r: ConditionReader,
    private readonly arcs: FoundArc[],
    private readonly undecided: FoundUndecided[],
  ) {}

  /** Reads one statement at dispatch level; says whether it took part in the dispatch. */
  statement(s: c.Stmt, ctx: Context): boolean {
    if (++this.visits > MAX_VISITS) {
      if (this.visits === MAX_VISITS + 1) this.undecided.push({ at: s.span.start, span: s.span, reason: `the tests nest too deeply to be read within ${MAX_VISITS} steps; the reader stopped here` });
      return true;
    }
    switch (s.kind) {
      case 'if':
        return this.ifChain(s, ctx);
      case 'switch':
        return this.switchOn(s, ctx);
      case 'block':
        return this.list(s.items, ctx);
      case 'label':
        return this.statement(s.body, ctx);
      default:
        return false;
    }
  }

  private list(items: readonly c.Stmt[], ctx: Context): boolean {
    let any = false;
    for (const item of items) if (this.statement(item, ctx)) any = true;
    return any;
  }

  /** An `if`, and the `else if`s after it, each read in the same context (an earlier test never narrows a later one's arcs). */
  private ifChain(first: Extract<c.Stmt, { kind: 'if' }>, ctx: Context): boolean {
    let any = false;
    // A loop over the `else if` links: a chain is as long as its input.
    for (let s: c.Stmt | null = first; s; ) {
      if (s.kind !== 'if') return this.statement(s, ctx) || any;
      if (this.oneIf(s, ctx)) any = true;
      s = s.otherwise;
    }
    return any;
  }

  private oneIf(s: Extract<c.Stmt, { kind: 'if' }>, ctx: Context): boolean {
    const cond = readCondition(this.r, s.test);
    if (cond.kind === 'undecided') {
      this.undecided.push({ at: s.span.start, span: s.test.span, reason: cond.reason });
      return true;
    }
    if (cond.kind === 'none') return this.guard(s);
    const narrowed = new Map<string, Context>();
    const literalArcs = new Map<Literal, Set<string>>();
    const produced: { term: readonly Literal[]; arcs: [number, number][] }[] = [];
    for (const term of cond.terms) {
      const t = narrow(ctx, term);
      if (!t) continue;
      if (t.cur === null || t.new === null) {
        // One side is still open: the tests inside the body fix it. Terms that fix the
        // same side are read together, so a body is read at most twice per test.
        const open = t.cur === null ? 'cur' : 'new';
        const had = narrowed.get(open);
        narrowed.set(open, had ? { cur: union(had.cur, t.cur), new: union(had.new, t.new) } : t);
        continue;
      }
      const arcs = t.cur.flatMap((a) => t.new!.map((b): [number, number] => [a, b]));
      produced.push({ term, arcs });
      for (const l of term) {
        const set = literalArcs.get(l) ?? new Set<string>();
        for (const [a, b] of arcs) set.add(`${a}>${b}`);
        literalArcs.set(l, set);
      }
    }
    for (const { term, arcs } of produced) {
      for (const [from, to] of arcs) this.arcs.push({ from, to, at: lineOf(term, literalArcs) });
    }
    for (const t of narrowed.values()) this.statement(s.then, t);
    return true;
  }

  /**
   * A test on something else. At dispatch level it is no part of the chain,
   * unless tests of the states sit under it: then the arcs they select are
   * handled only when it holds, which the reader cannot decide.
   */
  private guard(s: Extract<c.Stmt, { kind: 'if' }>): boolean {
    if (!testsStatesUnder(this.r, s.then)) return false;
    this.undecided.push({ at: s.span.start, span: s.test.span, reason: 'tests of the states sit under this condition, which does not test them' });
    return true;
  }

  private switchOn(s: Extract<c.Stmt, { kind: 'switch' }>, ctx: Context): boolean {
    const key = exprKey(s.test);
    const side: Side | null = key === this.r.roles.current ? 'cur' : key === this.r.roles.requested ? 'new' : null;
    if (!side) {
      if (!testsStatesUnder(this.r, s.body)) return false;
      this.undecided.push({ at: s.span.start, span: s.test.span, reason: 'tests of the states sit under a switch on something else' });
      return true;
    }
    const sections = caseSections(s.body);
    sections.forEach((section, index) => {
      // Statements run from a label on until a jump, through the sections below it.
      const items: c.Stmt[] = [];
      for (let k = index; k < sections.length; k++) {
        items.push(...sections[k]!.items);
        if (endsInJump(sections[k]!.items)) break;
      }
      // The labels that leave the other side open share one reading of the statements.
      let open: Context | null = null;
      for (const label of section.labels) {
        if (label.value === null) {
          open = ctx;
          continue;
        }
        const value = stateConstant(this.r.model, label.value);
        if (value === null || value === 'unknown') {
          const why = value === 'unknown' ? `names no state of ${this.r.model.file}` : 'is not a state constant';
          this.undecided.push({ at: label.span.start, span: label.value.span, reason: `the case label \`${this.r.text(label.value.span)}\` ${why}` });
          continue;
        }
        const lit: Literal = { side, states: [value], node: label.value };
        const t = narrow(ctx, [lit]);
        if (!t) continue;
        if (t.cur !== null && t.new !== null) {
          for (const from of t.cur) for (const to of t.new) this.arcs.push({ from, to, at: label.span.start });
        } else open = open === ctx ? ctx : open ? { cur: union(open.cur, t.cur), new: union(open.new, t.new) } : t;
      }
      if (open) this.list(items, open);
    });
    return true;
  }
}

function union(a: readonly number[] | null, b: readonly number[] | null): readonly number[] | null {
  return a === null || b === null ? null : [...new Set([...a, ...b])];
}

/** The context with one term's literals added, or null when they contradict it. */
function narrow(ctx: Context, term: readonly Literal[]): Context | null {
  const side = (s: Side): readonly number[] | null | false => {
    const sets = term.filter((l) => l.side === s).map((l) => l.states);
    const fixed = ctx[s];
    if (fixed) sets.push(fixed);
    if (sets.length === 0) return null;
    const states = intersect(sets);
    return states.length === 0 ? false : states;
  };
  const cur = side('cur');
  const next = side('new');
  if (cur === false || next === false) return null;
  return { cur, new: next };
}

/**
 * Where an arc of a term is placed: at the first of the term's comparisons
 * that belong to this arc alone (a pair `cur == A && new == B` is one unit,
 * placed at its first comparison; in `cur == X && (new == Y || new == Z)`
 * each arc is placed at its own `new ==`), else at the term's first.
 */
function lineOf(term: readonly Literal[], literalArcs: ReadonlyMap<Literal, ReadonlySet<string>>): number {
  const own = term.filter((l) => (literalArcs.get(l)?.size ?? 0) === 1);
  const pick = own.length > 0 ? own : term;
  return Math.min(...pick.map((l) => l.node.span.start));
}

interface CaseLabel {
  /** Null for `default`. */
  readonly value: c.Expr | null;
  readonly span: Span;
}

interface Section {
  readonly labels: readonly CaseLabel[];
  readonly items: readonly c.Stmt[];
}

/** A switch body as sections: the labels that start each, and the statements up to the next label. */
function caseSections(body: c.Stmt): Section[] {
  const items = body.kind === 'block' ? body.items : [body];
  const sections: { labels: CaseLabel[]; items: c.Stmt[] }[] = [];
  for (const item of items) {
    if (item.kind !== 'case') {
      sections[sections.length - 1]?.items.push(item);
      continue;
    }
    // `case A: case B: stmt` nests: each label stands on the next.
    const labels: CaseLabel[] = [];
    let s: c.Stmt = item;
    while (s.kind === 'case') {
      labels.push({ value: s.value, span: s.span });
      s = s.body;
    }
    sections.push({ labels, items: [s] });
  }
  return sections;
}

function endsInJump(items: readonly c.Stmt[]): boolean {
  const last = items[items.length - 1];
  return last !== undefined && (last.kind === 'break' || last.kind === 'return' || last.kind === 'goto' || last.kind === 'continue');
}

/** Is there, under `s`, an `if` or `switch` that compares an operand with a state constant? */
function testsStatesUnder(r: ConditionReader, s: c.Stmt): boolean {
  let found = false;
  walk(s, (node) => {
    if (found) return false;
    if (node.kind === 'if') {
      const cond = readCondition(r, node.test);
      if (cond.kind !== 'none') found = true;
    } else if (node.kind === 'switch') {
      const key = exprKey(node.test);
      if (key === r.roles.current || key === r.roles.requested) found = true;
    }
    return !found;
  });
  return found;
}
