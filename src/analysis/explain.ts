import type { Condition, Model } from '../model/model.js';
import { holds } from '../model/model.js';
import { viewFlagSet } from './flag-sets.js';
import { brokenRule } from './interior-rules.js';
import type { KernelTable } from './kernel-table.js';
import type { RequestWalk } from './lookup-trace.js';
import { walkRequest } from './lookup-trace.js';
import type { Refusal, Selection } from './paths.js';
import { PathSelector } from './paths.js';
import { sameList } from '../common/order.js';

/** Why a candidate path is not the one the spec selects. */
export type Flaw =
  /** The request itself is refused, whatever path exists. */
  | { readonly kind: 'refused'; readonly reason: Refusal }
  /** An interior state does not exist under these flags; `missing` is the word it lacks. */
  | { readonly kind: 'absent-state'; readonly state: number; readonly missing: number }
  /** No declared arc between these two states holds under these flags. */
  | { readonly kind: 'absent-arc'; readonly from: number; readonly to: number; readonly conditions: readonly Condition[] }
  /** model.interior[rule] forbids `state` inside this path. */
  | { readonly kind: 'rule'; readonly rule: number; readonly state: number }
  | { readonly kind: 'longer'; readonly arcs: number; readonly selected: number }
  /** As short as the others and rule-abiding: the spec does not choose among them. */
  | { readonly kind: 'tie'; readonly arcs: number };

export interface Alternative {
  readonly path: readonly number[];
  /** Every reason it lost, most basic first; never empty. */
  readonly flaws: readonly Flaw[];
}

export interface Explanation {
  readonly flags: number;
  readonly current: number;
  readonly target: number;
  readonly selection: Selection;
  /** Candidate paths over every declared arc, shortest first, the selected one left out. */
  readonly alternatives: readonly Alternative[];
  /** Candidates were enumerated up to this many arcs. */
  readonly maxArcs: number;
  /** Candidates found but not listed, past MAX_LISTED. */
  readonly omitted: number;
  /** Whether the spec's lookup is consulted at all under these flags. */
  readonly consulted: boolean;
  /** The kernel's lookup, called once per step as its caller does. */
  readonly walk: RequestWalk;
  /** The walk does what the spec says: takes the selected path, or refuses at once. */
  readonly agrees: boolean;
}

export interface ExplainOptions {
  /** Longest candidate enumerated, in arcs; by default two more than the selected path. */
  readonly maxArcs?: number;
}

/** More would bury the useful ones; the count of the rest is still reported. */
const MAX_LISTED = 40;
/** Bounds the enumeration itself on large specs; explain is not the hot path but must end. */
const MAX_ENUMERATED = 5000;

/**
 * Why the spec selects the path it does for one request under one flag set:
 * every simple path over all declared arcs (regardless of their conditions)
 * up to a small length is a candidate, and each one that lost says why.
 */
export function explain(model: Model, table: KernelTable, flags: number, current: number, target: number, options: ExplainOptions = {}): Explanation {
  const view = viewFlagSet(model, flags);
  const selector = new PathSelector(model, view);
  const selection = current === target ? ({ kind: 'path', path: [current] } as const) : selector.select(current, target);
  const moves = declaredMoves(model);
  const selectedArcs = selection.kind === 'path' ? selection.path.length - 1 : selection.kind === 'ambiguous' ? selection.paths[0]!.length - 1 : undefined;
  const base = selectedArcs ?? shortestDeclared(moves, current, target);
  const maxArcs = options.maxArcs ?? Math.max(3, (base ?? 1) + 2);

  const found = simplePaths(moves, model.sink, current, target, maxArcs);
  const selected = selection.kind === 'path' ? selection.path : undefined;
  const candidates = found.filter((p) => !selected || !sameList(p, selected));
  const rank = new Map(model.order.map((s, i) => [s, i]));
  candidates.sort((a, b) => a.length - b.length || compareBy(rank, a, b));
  const listed = candidates.slice(0, MAX_LISTED);

  const alternatives = listed.map((path) => ({ path, flaws: flawsOf(model, selector, selection, moves, path) }));
  const consulted = (flags & model.lookup.assumes) >>> 0 === model.lookup.assumes;
  const walk = walkRequest(model.lookup.variant, table, view, current, target, consulted);
  return { flags, current, target, selection, alternatives, maxArcs, omitted: candidates.length - listed.length, consulted, walk, agrees: agrees(selection, walk) };
}

function agrees(selection: Selection, walk: RequestWalk): boolean {
  if (walk.end.kind === 'not-consulted') return true;
  if (selection.kind === 'path') return walk.end.kind === 'reached' && walk.stray.length === 0 && sameList(walk.states, selection.path);
  return walk.end.kind === 'refused' && walk.states.length === 1;
}

/** Declared arcs keyed by `from * n + to`, each with every condition it is declared under. */
type Moves = Map<number, { readonly from: number; readonly to: number; readonly conditions: Condition[] }>;

function declaredMoves(model: Model): Moves {
  const n = model.states.length;
  const moves: Moves = new Map();
  for (const a of model.arcs) {
    const key = a.from * n + a.to;
    const m = moves.get(key);
    if (m) m.conditions.push(a.when);
    else moves.set(key, { from: a.from, to: a.to, conditions: [a.when] });
  }
  return moves;
}

function successorsOf(moves: Moves): Map<number, number[]> {
  const out = new Map<number, number[]>();
  for (const m of moves.values()) {
    const list = out.get(m.from);
    if (list) list.push(m.to);
    else out.set(m.from, [m.to]);
  }
  return out;
}

/** Breadth-first distance over every declared arc, flags ignored. */
function shortestDeclared(moves: Moves, current: number, target: number): number | undefined {
  const next = successorsOf(moves);
  const dist = new Map([[current, 0]]);
  const queue = [current];
  for (let i = 0; i < queue.length; i++) {
    const x = queue[i]!;
    if (x === target) return dist.get(x);
    for (const y of next.get(x) ?? []) {
      if (!dist.has(y)) {
        dist.set(y, dist.get(x)! + 1);
        queue.push(y);
      }
    }
  }
  return undefined;
}

function simplePaths(moves: Moves, sink: number, current: number, target: number, maxArcs: number): number[][] {
  const next = successorsOf(moves);
  const out: number[][] = [];
  if (current === target || current === sink || target === sink) return out;
  const walk = (path: number[]): void => {
    if (out.length >= MAX_ENUMERATED) return;
    const x = path[path.length - 1]!;
    if (x === target) {
      out.push(path);
      return;
    }
    if (path.length - 1 >= maxArcs) return;
    for (const y of next.get(x) ?? []) if (!path.includes(y)) walk([...path, y]);
  };
  walk([current]);
  return out;
}

function flawsOf(model: Model, selector: PathSelector, selection: Selection, moves: Moves, path: readonly number[]): Flaw[] {
  const { view } = selector;
  const n = model.states.length;
  const current = path[0]!;
  const target = path[path.length - 1]!;
  const flaws: Flaw[] = [];
  if (selection.kind === 'refused') flaws.push({ kind: 'refused', reason: selection.reason });
  for (const s of path.slice(1, -1)) {
    if (!view.exists[s]) flaws.push({ kind: 'absent-state', state: s, missing: (model.states[s]!.needs & ~view.flags) >>> 0 });
  }
  for (let i = 0; i + 1 < path.length; i++) {
    const [a, b] = [path[i]!, path[i + 1]!];
    // An arc touching a state that does not exist is absent for that reason alone.
    if (!view.exists[a] || !view.exists[b]) continue;
    const move = moves.get(a * n + b)!;
    if (!move.conditions.some((c) => holds(c, view.flags))) flaws.push({ kind: 'absent-arc', from: a, to: b, conditions: move.conditions });
  }
  for (const s of path.slice(1, -1)) {
    const rule = brokenRule(model, s, current, target);
    if (rule !== undefined) flaws.push({ kind: 'rule', rule, state: s });
  }
  const arcs = path.length - 1;
  const best = selection.kind === 'path' ? selection.path.length - 1 : selection.kind === 'ambiguous' ? selection.paths[0]!.length - 1 : undefined;
  if (best !== undefined && arcs > best) flaws.push({ kind: 'longer', arcs, selected: best });
  // A rule-abiding path over existing arcs that is no longer than the best
  // can only be one of several equally short ones.
  if (flaws.length === 0) flaws.push({ kind: 'tie', arcs });
  return flaws;
}



/** Paths of equal length in the order the kernel source lists states. */
function compareBy(rank: Map<number, number>, a: readonly number[], b: readonly number[]): number {
  for (let i = 0; i < a.length; i++) {
    const d = rank.get(a[i]!)! - rank.get(b[i]!)!;
    if (d) return d;
  }
  return 0;
}
