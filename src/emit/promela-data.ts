import type { Selection } from '../analysis/paths.js';
import type { FlagSetFacts } from './facts.js';

/**
 * What the Promela model is told the spec selects for one allowed request
 * under one flag set. The model computes by itself whether a request is
 * allowed (from the states' needs, the sink and the blocked pairs); for the
 * allowed ones it needs the spec's path selection, which is the checker's
 * (paths.ts), handed over as data.
 */
export type RequestClass =
  /** A selected path whose every tail is selected too: the walk must follow it, step by step. */
  | { readonly kind: 'path'; readonly next: number }
  /** No rule-abiding path: a reachability violation of the spec. */
  | { readonly kind: 'no-path' }
  /** Several shortest rule-abiding paths: an ambiguity of the spec. */
  | { readonly kind: 'tie' }
  /** After the first step the spec selects another way on: a step-consistency violation. */
  | { readonly kind: 'split' }
  /**
   * A path whose first step is consistent but a later one is not: that later
   * request carries the violation, and no table of first steps can follow this
   * one, so the checker does not walk it either.
   */
  | { readonly kind: 'unfollowable' };

/** Is `tail` the same as `path` from index `from` on? */
function sameTail(tail: readonly number[], path: readonly number[], from: number): boolean {
  if (tail.length !== path.length - from) return false;
  for (let i = 0; i < tail.length; i++) if (tail[i] !== path[i + from]) return false;
  return true;
}

function tailSelected(selections: readonly Selection[], n: number, path: readonly number[], from: number): boolean {
  const target = path[path.length - 1]!;
  const sel = selections[path[from]! * n + target];
  return sel !== undefined && sel.kind === 'path' && sameTail(sel.path, path, from);
}

/**
 * The class of an allowed request (current != target) from the spec's own
 * selections, or undefined when the spec refuses it. Step consistency is read
 * off the selections of the path's tails, as the checker defines it.
 */
export function requestClass(facts: FlagSetFacts, n: number, current: number, target: number): RequestClass | undefined {
  const sel = facts.selections[current * n + target];
  if (!sel || sel.kind === 'refused') return undefined;
  if (sel.kind === 'unreachable') return { kind: 'no-path' };
  if (sel.kind === 'ambiguous') return { kind: 'tie' };
  const path = sel.path;
  if (path.length > 2 && !tailSelected(facts.selections, n, path, 1)) return { kind: 'split' };
  for (let i = 2; i + 1 < path.length; i++) if (!tailSelected(facts.selections, n, path, i)) return { kind: 'unfollowable' };
  return { kind: 'path', next: path[1]! };
}
