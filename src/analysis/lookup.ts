import type { LookupVariant } from '../model/model.js';
import type { KernelTable } from './kernel-table.js';
import { ALL_ONES } from '../model/model.js';

export type LookupOutcome =
  | { readonly kind: 'next'; readonly state: number }
  | { readonly kind: 'refused'; readonly reason: string }
  /** The lookup's own loop never ends; `cycle` is the states it goes round. */
  | { readonly kind: 'diverges'; readonly cycle: readonly number[] };

/** Outcome codes of lookupCode(): a state value (>= 0), or one of these. */
export const REFUSED_RANGE = -1;
export const REFUSED_CURRENT = -2;
export const REFUSED_TARGET = -3;
export const REFUSED_SINK = -4;
export const DIVERGES = -5;


/**
 * One call of the kernel's vfio_mig_get_next_state() for each era, as
 * described in the reference (our words, our code), as a number so that the
 * checker can run millions of them without allocating. Inputs are the raw
 * values the kernel receives: state values may lie outside the table, and the
 * flag word may carry bits the spec does not declare.
 */
export function lookupCode(variant: LookupVariant, t: KernelTable, current: number, target: number, flags: number): number {
  const size = t.size;
  if (current < 0 || target < 0 || current >= size || target >= size) return REFUSED_RANGE;
  const word = flags >>> 0;
  const cells = t.cells;
  const needs = t.needs;
  const sink = t.sink;
  let n = cells[current * size + target]!;
  let steps = 0;
  switch (variant) {
    case 'v2':
      break;
    case 'seed-v6': {
      // The seed only knows optional states: a state is unusable when it needs
      // an optional flag the device lacks. It never tests the mandatory flag.
      const missing = ~word & ~t.mandatory;
      if (current !== sink && (needs[current]! & missing) !== 0) return REFUSED_CURRENT;
      if (target !== sink && (needs[target]! & missing) !== 0) return REFUSED_TARGET;
      while (n !== sink && (needs[n]! & missing) !== 0) {
        if (++steps > size) return DIVERGES;
        n = cells[n * size + target]!;
      }
      break;
    }
    case 'linux-5.18':
    case 'linux-7.2': {
      // The sink needs every bit, so it is "supported" only by an all-ones word.
      const sinkOk = word === ALL_ONES;
      if (current === sink ? !sinkOk : (needs[current]! & word) >>> 0 !== needs[current]) return REFUSED_CURRENT;
      if (target === sink ? !sinkOk : (needs[target]! & word) >>> 0 !== needs[target]) return REFUSED_TARGET;
      const stopAtSink = variant === 'linux-7.2';
      while (n === sink ? !stopAtSink && !sinkOk : (needs[n]! & word) >>> 0 !== needs[n]) {
        if (++steps > size) return DIVERGES;
        n = cells[n * size + target]!;
      }
      break;
    }
  }
  return n === sink ? REFUSED_SINK : n;
}

const REASONS: Record<number, string> = {
  [REFUSED_RANGE]: 'state value outside the table',
  [REFUSED_CURRENT]: 'current state not supported',
  [REFUSED_TARGET]: 'target state not supported',
  [REFUSED_SINK]: 'the table answers the sink',
};

/** lookupCode() as a value that explains itself, for reports. */
export function describeOutcome(t: KernelTable, code: number, target: number, current: number): LookupOutcome {
  if (code >= 0) return { kind: 'next', state: code };
  if (code === DIVERGES) return { kind: 'diverges', cycle: divergentCycle(t, current, target) };
  return { kind: 'refused', reason: REASONS[code]! };
}

export function lookup(variant: LookupVariant, t: KernelTable, current: number, target: number, flags: number): LookupOutcome {
  return describeOutcome(t, lookupCode(variant, t, current, target, flags), target, current);
}

/** The states `n = T[n][target]` goes round once the loop from T[current][target] is caught. */
function divergentCycle(t: KernelTable, current: number, target: number): number[] {
  let n = t.cells[current * t.size + target]!;
  for (let i = 0; i <= t.size; i++) n = t.cells[n * t.size + target]!;
  const cycle = [n];
  for (let m = t.cells[n * t.size + target]!; m !== n; m = t.cells[m * t.size + target]!) cycle.push(m);
  return cycle;
}
