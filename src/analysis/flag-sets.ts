import type { Arc, Model } from '../model/model.js';
import { holds, stateExists } from '../model/model.js';

/** Every word over the declared bits, smallest first. */
export function allFlagSets(model: Model): number[] {
  const bits = model.flags.map((f) => f.bit);
  const words: number[] = [];
  for (let m = 0; m < 1 << bits.length; m++) {
    let w = 0;
    for (let i = 0; i < bits.length; i++) if (m & (1 << i)) w |= bits[i]!;
    words.push(w >>> 0);
  }
  return words.sort((a, b) => popcount(a) - popcount(b) || a - b);
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
