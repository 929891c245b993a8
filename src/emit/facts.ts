import type { CheckResult, FlagSetReport } from '../analysis/check.js';
import { popcount, viewFlagSet } from '../analysis/flag-sets.js';
import type { FlagSetView } from '../analysis/flag-sets.js';
import type { Selection } from '../analysis/paths.js';
import { PathSelector } from '../analysis/paths.js';
import type { Model } from '../model/model.js';
import { flagNames } from '../model/model.js';

/**
 * What every emitter reads about one flag set, gathered once: the checker's
 * report for it, the states and arcs that exist, and the path the spec selects
 * for every request. Emitters format these facts; none of them re-derives them.
 */
export interface FlagSetFacts {
  readonly flags: number;
  /** Flag names, in declaration order. */
  readonly names: readonly string[];
  readonly report: FlagSetReport;
  readonly view: FlagSetView;
  /** selections[current * n + target], for every ordered pair of distinct states. */
  readonly selections: readonly Selection[];
}

export function flagSetFacts(model: Model, result: CheckResult): FlagSetFacts[] {
  const n = model.states.length;
  return result.flagSets.map((report) => {
    const view = viewFlagSet(model, report.flags);
    const selector = new PathSelector(model, view);
    const selections: Selection[] = new Array(n * n);
    for (let cur = 0; cur < n; cur++) {
      for (let target = 0; target < n; target++) selections[cur * n + target] = selector.select(cur, target);
    }
    return { flags: report.flags, names: flagNames(model, report.flags), report, view, selections };
  });
}

/**
 * The facts of the flag set with every declared flag, which the kernel's
 * table is written for. Flags nothing mentions are clear in every checked
 * flag set (flag-space.ts), so then it is the set of every mentioned flag:
 * the row with the most flags.
 */
export function fullFlagSet(model: Model, facts: readonly FlagSetFacts[]): FlagSetFacts {
  const full = facts.find((f) => f.flags === model.flagMask) ?? facts.reduce<FlagSetFacts | undefined>((best, f) => (!best || popcount(f.flags) > popcount(best.flags) ? f : best), undefined);
  if (!full) throw new Error('the check result covers no flag set');
  return full;
}


/** `A`, `A and B`, `A, B and C`: the way a sentence names flags. */
export function andList(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}


