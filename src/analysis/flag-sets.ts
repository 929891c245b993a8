import type { Arc, Model } from '../model/model.js';
import { holds, stateExists } from '../model/model.js';
import { wordsOver } from './flag-space.js';

/**
 * Every word over the declared bits, fewest flags first. 2^flags of them: a
 * caller that cannot bound the flag count uses planFlagSets (flag-space.ts),
 * which reduces by symmetry and refuses past a limit; this throws a
 * RangeError rather than overflow or run for hours.
 */
export function allFlagSets(model: Model): number[] {
  return wordsOver(model.flagMask);
}

export function popcount(w: number): number {
  let n = 0;
  for (let x = w >>> 0; x; x &= x - 1) n++;
  return n;
}

/** What exists under one flag word: S(F) and A(F) of the checker. */
export interface FlagSetView {
  readonly flags: number;
  /** Indexed by state value; the sink always exists. */
  readonly exists: readonly boolean[];
  readonly arcs: readonly Arc[];
  readonly successors: readonly (readonly number[])[];
  readonly predecessors: readonly (readonly number[])[];
}

export function viewFlagSet(model: Model, flags: number): FlagSetView {
  const n = model.states.length;
  const exists = model.states.map((s) => s.sink || stateExists(s, flags));
  const arcs = model.arcs.filter((a) => exists[a.from] && exists[a.to] && holds(a.when, flags));
  const successors: number[][] = Array.from({ length: n }, () => []);
  const predecessors: number[][] = Array.from({ length: n }, () => []);
  for (const a of arcs) {
    // Two arcs between the same states under overlapping conditions are one move.
    if (!successors[a.from]!.includes(a.to)) {
      successors[a.from]!.push(a.to);
      predecessors[a.to]!.push(a.from);
    }
  }
  return { flags, exists, arcs, successors, predecessors };
}
