import type { LookupVariant } from '../model/model.js';
import type { KernelTable } from './kernel-table.js';

export type LookupOutcome =
  | { readonly kind: 'next'; readonly state: number }
  | { readonly kind: 'refused'; readonly reason: string }
  /** The lookup's own loop never ends; `cycle` is the states it goes round. */
  | { readonly kind: 'diverges'; readonly cycle: readonly number[] };

const ALL_ONES = 0xffffffff;

/**
 * One call of the kernel's vfio_mig_get_next_state() for each era, as
 * described in the reference (our words, our code). Inputs are the raw values
 * the kernel receives: state values may lie outside the table, and the flag
 * word may carry bits the spec does not declare.
 */
export function lookup(variant: LookupVariant, t: KernelTable, current: number, target: number, flags: number): LookupOutcome {
  if (current < 0 || target < 0 || current >= t.size || target >= t.size) return { kind: 'refused', reason: 'state value outside the table' };
  const word = flags >>> 0;
  switch (variant) {
    case 'v2':
      return finish(t, t.cells[current * t.size + target]!);
    case 'seed-v6': {
      // The seed only knows optional states: a state is unusable when it needs
      // an optional flag the device lacks. It never tests the mandatory flag.
      const optional = ~t.mandatory >>> 0;
      const usable = (s: number): boolean => s === t.sink || ((t.needs[s]! & optional & ~word) >>> 0) === 0;
      if (!usable(current) || !usable(target)) return { kind: 'refused', reason: 'optional state not supported' };
      return skip(t, current, target, (n) => !usable(n));
    }
    case 'linux-5.18':
    case 'linux-7.2': {
      // The sink's required word is all ones: no real device has every bit.
      const required = (s: number): number => (s === t.sink ? ALL_ONES : t.needs[s]!);
      const ok = (s: number): boolean => ((required(s) & word) >>> 0) === required(s);
      if (!ok(current)) return { kind: 'refused', reason: 'current state not supported (WARN)' };
      if (!ok(target)) return { kind: 'refused', reason: 'target state not supported' };
      const stopAtSink = variant === 'linux-7.2';
      return skip(t, current, target, (n) => !(stopAtSink && n === t.sink) && !ok(n));
    }
  }
}

/** `n = T[cur][target]; while (unusable(n)) n = T[n][target];` with a bound. */
function skip(t: KernelTable, current: number, target: number, unusable: (s: number) => boolean): LookupOutcome {
  let n = t.cells[current * t.size + target]!;
  for (let steps = 0; unusable(n); steps++) {
    if (steps > t.size) return { kind: 'diverges', cycle: cycleFrom(t, n, target) };
    n = t.cells[n * t.size + target]!;
  }
  return finish(t, n);
}

function finish(t: KernelTable, n: number): LookupOutcome {
  return n === t.sink ? { kind: 'refused', reason: 'the table answers the sink' } : { kind: 'next', state: n };
}

/** The states `n = T[n][target]` goes round once it is caught in a loop. */
function cycleFrom(t: KernelTable, start: number, target: number): number[] {
  const cycle = [start];
  for (let n = t.cells[start * t.size + target]!; n !== start; n = t.cells[n * t.size + target]!) cycle.push(n);
  return cycle;
}
