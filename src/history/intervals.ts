/**
 * Where a finding appears and goes away along a line of commits, the way
 * `git bisect` would find it: it is introduced at the first commit where it
 * holds after one where it does not, and fixed at the first later commit
 * where it no longer holds. A commit that cannot be read is skipped, as
 * `git bisect skip` does: it neither fixes nor reintroduces anything, and
 * when it lies between the last commit without the finding and the first
 * with it, it is named as a possible culprit too. A finding can come and go
 * several times: each interval is reported.
 */
export type Presence = 'yes' | 'no' | 'unknown';

export interface Edge {
  /** Index of the commit; -1 is the base (the state before the first commit). */
  readonly index: number;
  /**
   * False when the finding already holds at the first commit that can be
   * told (or at the base): it came in there or earlier, and nothing known
   * says where.
   */
  readonly exact: boolean;
  /** Commits that cannot be read, just before this one, that may be the culprit instead. */
  readonly skipped: readonly number[];
}

export interface Interval {
  readonly introduced: Edge;
  /** Null while it still holds at the last commit. */
  readonly fixed: Edge | null;
  /** The commits where it holds. */
  readonly present: readonly number[];
  /** The commits inside the interval that cannot be told. */
  readonly unknown: readonly number[];
}

/** `base` is the presence before the first commit: `no` when nothing was there, `unknown` when nothing is known. */
export function intervals(states: readonly Presence[], base: Presence): Interval[] {
  const out: Interval[] = [];
  let last: Presence = base;
  let skipped: number[] = [];
  let open: { introduced: Edge; present: number[]; unknown: number[] } | null =
    base === 'yes' ? { introduced: { index: -1, exact: false, skipped: [] }, present: [], unknown: [] } : null;
  for (let i = 0; i < states.length; i++) {
    const s = states[i]!;
    if (s === 'unknown') {
      skipped.push(i);
      open?.unknown.push(i);
      continue;
    }
    if (s === 'yes') {
      if (open) open.present.push(i);
      else open = { introduced: { index: i, exact: last === 'no', skipped: last === 'no' ? skipped : [] }, present: [i], unknown: [] };
    } else if (open) {
      out.push({ introduced: open.introduced, fixed: { index: i, exact: true, skipped }, present: open.present, unknown: open.unknown });
      open = null;
    }
    last = s;
    skipped = [];
  }
  if (open) out.push({ introduced: open.introduced, fixed: null, present: open.present, unknown: open.unknown });
  return out;
}
