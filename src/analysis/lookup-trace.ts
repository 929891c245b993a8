import type { LookupVariant } from '../model/model.js';
import type { FlagSetView } from './flag-sets.js';
import type { KernelTable } from './kernel-table.js';
import type { LookupOutcome } from './lookup.js';
import { ALL_ONES } from '../model/model.js';

/**
 * The same lookup as src/analysis/lookup.ts, one table read at a time, so that
 * `explain` can show which cells the kernel reads and which states its inner
 * loop skips. lookup.ts stays the checker's fast path; the tests prove that
 * this trace ends with the very outcome lookup() returns, for every input.
 */

/** Why the inner loop did not stop at a state it read. */
export type SkipReason =
  /** The state needs flags the device lacks (`missing` is their word). */
  | { readonly kind: 'missing-flags'; readonly missing: number }
  /** The 5.18 to 7.1 loop treats the sink as a state no device has. */
  | { readonly kind: 'sink' };

export interface CellRead {
  readonly current: number;
  readonly target: number;
  readonly value: number;
  /** Set when the loop reads on from this state instead of returning it. */
  readonly skip?: SkipReason;
}

export interface CallTrace {
  /** The cells read, in order; empty when a guard refused before any read. */
  readonly reads: readonly CellRead[];
  readonly outcome: LookupOutcome;
}


/** One call of the era's lookup, recording every table read. */
export function traceLookup(variant: LookupVariant, t: KernelTable, current: number, target: number, flags: number): CallTrace {
  if (current < 0 || target < 0 || current >= t.size || target >= t.size) return refusedEarly('state value outside the table');
  const word = flags >>> 0;
  switch (variant) {
    case 'v2':
      return loop(t, current, target, () => undefined);
    case 'seed-v6': {
      // Only optional flags count: the seed never tests the mandatory one.
      const optional = ~t.mandatory >>> 0;
      const missing = (s: number): number => (s === t.sink ? 0 : (t.needs[s]! & optional & ~word) >>> 0);
      if (missing(current)) return refusedEarly('current state not supported');
      if (missing(target)) return refusedEarly('target state not supported');
      return loop(t, current, target, (n) => (missing(n) ? { kind: 'missing-flags', missing: missing(n) } : undefined));
    }
    case 'linux-5.18':
    case 'linux-7.2': {
      const required = (s: number): number => (s === t.sink ? ALL_ONES : t.needs[s]!);
      const missing = (s: number): number => (required(s) & ~word) >>> 0;
      if (missing(current)) return refusedEarly('current state not supported');
      if (missing(target)) return refusedEarly('target state not supported');
      const stopAtSink = variant === 'linux-7.2';
      return loop(t, current, target, (n): SkipReason | undefined => {
        if (!missing(n)) return undefined;
        if (n === t.sink) return stopAtSink ? undefined : { kind: 'sink' };
        return { kind: 'missing-flags', missing: missing(n) };
      });
    }
  }
}

function refusedEarly(reason: string): CallTrace {
  return { reads: [], outcome: { kind: 'refused', reason } };
}

/**
 * `n = T[cur][target]; while (skip(n)) n = T[n][target];`. A loop that reads
 * more cells than the table has rows has revisited a state, so it never ends;
 * the trace then holds the reads up to the first repeat.
 */
function loop(t: KernelTable, current: number, target: number, skip: (s: number) => SkipReason | undefined): CallTrace {
  const reads: CellRead[] = [];
  const seen = new Set<number>();
  let row = current;
  for (;;) {
    const value = t.cells[row * t.size + target]!;
    const why = skip(value);
    reads.push(why ? { current: row, target, value, skip: why } : { current: row, target, value });
    if (!why) {
      const outcome: LookupOutcome = value === t.sink ? { kind: 'refused', reason: 'the table answers the sink' } : { kind: 'next', state: value };
      return { reads, outcome };
    }
    if (seen.has(value)) return { reads, outcome: { kind: 'diverges', cycle: cycleFrom(t, value, target) } };
    seen.add(value);
    row = value;
  }
}

function cycleFrom(t: KernelTable, start: number, target: number): number[] {
  const cycle = [start];
  for (let n = t.cells[start * t.size + target]!; n !== start; n = t.cells[n * t.size + target]!) cycle.push(n);
  return cycle;
}

/** How a whole request ends when its caller calls the lookup once per step. */
export type WalkEnd =
  | { readonly kind: 'reached' }
  | { readonly kind: 'refused'; readonly reason: string }
  | { readonly kind: 'diverges'; readonly cycle: readonly number[] }
  /** The caller came back to a state it had already left: it would go round for ever. */
  | { readonly kind: 'loops' }
  /** The lookup's caller does not consult it under these flags at all. */
  | { readonly kind: 'not-consulted' };

export interface RequestWalk {
  readonly calls: readonly CallTrace[];
  /** The states the device passes through, starting with the current one. */
  readonly states: readonly number[];
  /** Indexes into `states` of steps that are not arcs under these flags. */
  readonly stray: readonly number[];
  readonly end: WalkEnd;
}

/**
 * The caller's loop: ask for the next step, have the driver take it, repeat
 * until the target. Steps that are not arcs are recorded, not stopped at: the
 * kernel itself would hand them to the driver.
 */
export function walkRequest(variant: LookupVariant, t: KernelTable, view: FlagSetView, current: number, target: number, consulted = true): RequestWalk {
  if (!consulted) return { calls: [], states: [current], stray: [], end: { kind: 'not-consulted' } };
  const calls: CallTrace[] = [];
  const states = [current];
  const stray: number[] = [];
  let at = current;
  while (at !== target) {
    const call = traceLookup(variant, t, at, target, view.flags);
    calls.push(call);
    const o = call.outcome;
    if (o.kind === 'refused') return { calls, states, stray, end: { kind: 'refused', reason: o.reason } };
    if (o.kind === 'diverges') return { calls, states, stray, end: { kind: 'diverges', cycle: o.cycle } };
    if (!(view.successors[at] ?? []).includes(o.state)) stray.push(states.length);
    const revisit = states.includes(o.state);
    states.push(o.state);
    if (revisit) return { calls, states, stray, end: { kind: 'loops' } };
    at = o.state;
  }
  return { calls, states, stray, end: { kind: 'reached' } };
}
