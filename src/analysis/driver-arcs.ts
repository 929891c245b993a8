import type { Condition, Model } from '../model/model.js';
import { stateExists } from '../model/model.js';
import { check } from './check.js';
import { popcount } from './flag-sets.js';
import { representativeWords } from './flag-space.js';
import { byCodePoint } from '../common/order.js';

export type Pair = readonly [number, number];

export interface FlagSetArcs {
  readonly flags: number;
  readonly consulted: boolean;
  /** Arcs the selected paths take: the driver must implement each. */
  readonly implement: readonly Pair[];
  /** Blocked requests between states this device has: they must fail. */
  readonly blocked: readonly Pair[];
  /** Arcs other flag sets implement, between states this device has: the lookup must never hand them out here. */
  readonly otherArcs: readonly Pair[];
}

/**
 * Arcs that share the same flag sets, described as a condition over the
 * optional flags. `cubes` is a disjunction of conjunctions; the empty
 * conjunction alone means "always".
 */
export interface ArcGroup {
  readonly cubes: readonly Condition[];
  readonly arcs: readonly Pair[];
}

export interface DriverArcs {
  /** Flag sets that have the mandatory flag: the only ones with migration. */
  readonly flagSets: readonly FlagSetArcs[];
  readonly groups: readonly ArcGroup[];
  /** Every blocked pair whose states exist together under some flag set. */
  readonly blocked: readonly Pair[];
  /** The spec's own check fails: arcs on ambiguous or unreachable requests are missing. */
  readonly checkFails: boolean;
}

/**
 * What a driver must implement, by the flags it advertises, in the shape of
 * the comment above the kernel's table: one list per condition on the
 * optional flags. The required arcs are the checker's, so the two never
 * disagree. Flags nothing mentions change no arc (flag-space.ts): they are
 * left out of the conditions, and a device's flag set is answered by its
 * representative, the same flags with those clear.
 */
export function driverArcs(model: Model, only?: number, maxFlagSets?: number): DriverArcs {
  const mandatory = model.mandatory.bit;
  const { space, words } = representativeWords(model, maxFlagSets);
  const universe = words.filter((w) => (w & mandatory) !== 0);
  const result = check(model, { only: universe });
  const n = model.states.length;
  const key = (p: Pair): number => p[0] * n + p[1];

  const flagSets: FlagSetArcs[] = [];
  const requiredBy = new Map<number, { pair: Pair; words: number[] }>();
  for (const report of result.flagSets) {
    const view = { exists: existing(model, report.flags) };
    for (const pair of report.requiredArcs) {
      const entry = requiredBy.get(key(pair));
      if (entry) entry.words.push(report.flags);
      else requiredBy.set(key(pair), { pair, words: [report.flags] });
    }
    const blocked = model.blocked.filter((b) => view.exists[b.from] && view.exists[b.to]).map((b): Pair => [b.from, b.to]);
    flagSets.push({ flags: report.flags, consulted: report.consulted, implement: report.requiredArcs, blocked, otherArcs: [] });
  }
  // Only after every flag set is known can "arcs of other flag sets" be listed.
  const withOthers = flagSets.map((f): FlagSetArcs => {
    const view = { exists: existing(model, f.flags) };
    const mine = new Set(f.implement.map(key));
    const otherArcs = [...requiredBy.values()].map((e) => e.pair).filter((p) => !mine.has(key(p)) && view.exists[p[0]] && view.exists[p[1]]);
    return { ...f, otherArcs: otherArcs.sort((a, b) => key(a) - key(b)) };
  });

  const optional = (space.mentionedMask & ~mandatory) >>> 0;
  const byCondition = new Map<string, { cubes: Condition[]; arcs: Pair[] }>();
  for (const { pair, words } of requiredBy.values()) {
    const cubes = cover(
      words.map((w) => (w & optional) >>> 0),
      universe.map((w) => (w & optional) >>> 0),
      optional,
    );
    const id = cubes.map((c) => `${c.require}/${c.forbid}`).join('|');
    const g = byCondition.get(id);
    if (g) g.arcs.push(pair);
    else byCondition.set(id, { cubes, arcs: [pair] });
  }
  const names = (p: Pair): [string, string] => [model.states[p[0]]!.name, model.states[p[1]]!.name];
  const byName = (a: Pair, b: Pair): number => {
    const [x, y] = [names(a), names(b)];
    return byCodePoint(x[0], y[0]) || byCodePoint(x[1], y[1]);
  };
  let groups = [...byCondition.values()].map((g) => ({ cubes: g.cubes, arcs: g.arcs.sort(byName) }));
  groups.sort((a, b) => compareCubes(a.cubes, b.cubes));

  // Whether the two states exist together under some flag set: no view per flag set is kept (there may be a million).
  const together = (a: number, b: number): boolean => universe.some((w) => stateExists(model.states[a]!, w) && stateExists(model.states[b]!, w));
  const blockedAnywhere = model.blocked
    .filter((b) => together(b.from, b.to))
    .map((b): Pair => [b.from, b.to])
    .sort(byName);

  let shown = withOthers.map((f) => ({ ...f, implement: [...f.implement].sort(byName), otherArcs: [...f.otherArcs].sort(byName), blocked: [...f.blocked].sort(byName) }));
  if (only !== undefined) {
    const representative = (only & space.mentionedMask) >>> 0;
    shown = shown.filter((f) => f.flags === representative).map((f) => ({ ...f, flags: only }));
    // Keep the groups this device falls in, so its list reads like the kernel's.
    const mineOnly = new Set(shown.flatMap((f) => f.implement.map(key)));
    groups = groups.map((g) => ({ ...g, arcs: g.arcs.filter((p) => mineOnly.has(key(p))) })).filter((g) => g.arcs.length > 0);
  }
  return { flagSets: shown, groups, blocked: blockedAnywhere, checkFails: !result.ok };
}



/** Past this many optional flags, enumerating conditions (3^k of them) costs too much. */
const MAX_COVER_FLAGS = 8;

/**
 * The shortest description of `members` (words over the optional bits) as
 * conditions on those bits, relative to `universe`: greedily, the condition
 * with the fewest literals that holds only for members and covers the most
 * members not yet described.
 */
export function cover(members: readonly number[], universe: readonly number[], optional: number): Condition[] {
  const set = new Set(members);
  const bits = bitsOf(optional);
  const inside = (c: Condition, w: number): boolean => (w & c.require) >>> 0 === c.require && (w & c.forbid) === 0;
  if (bits.length > MAX_COVER_FLAGS) {
    // Too many flags to try every condition: the tightest single condition
    // (the flags every member has, and those none has) when it describes the
    // members exactly, as it does whenever an arc exists under a conjunction;
    // else one condition per member.
    let require = optional;
    let forbid = optional;
    for (const w of set) {
      require = (require & w) >>> 0;
      forbid = (forbid & ~w) >>> 0;
    }
    const tight = { require, forbid };
    if (set.size > 0 && universe.every((w) => !inside(tight, w) || set.has(w))) return [tight];
    return [...set].sort((a, b) => a - b).map((w) => ({ require: w, forbid: (optional & ~w) >>> 0 }));
  }
  const candidates: Condition[] = [];
  const build = (i: number, require: number, forbid: number): void => {
    if (i === bits.length) {
      candidates.push({ require, forbid });
      return;
    }
    build(i + 1, require, forbid);
    build(i + 1, (require | bits[i]!) >>> 0, forbid);
    build(i + 1, require, (forbid | bits[i]!) >>> 0);
  };
  build(0, 0, 0);
  const valid = candidates.filter((c) => universe.every((w) => !inside(c, w) || set.has(w)) && universe.some((w) => inside(c, w)));
  valid.sort((a, b) => popcount(a.require | a.forbid) - popcount(b.require | b.forbid));
  const left = new Set(set);
  const chosen: Condition[] = [];
  while (left.size > 0) {
    let best: Condition | undefined;
    let gain = 0;
    for (const c of valid) {
      const g = [...left].filter((w) => inside(c, w)).length;
      if (g > gain || (g === gain && g > 0 && best && popcount(c.require | c.forbid) < popcount(best.require | best.forbid))) {
        best = c;
        gain = g;
      }
    }
    if (!best) break; // cannot happen: each member is a condition of its own
    chosen.push(best);
    for (const w of [...left]) if (inside(best, w)) left.delete(w);
  }
  return chosen.sort(compareCube);
}

function bitsOf(word: number): number[] {
  const out: number[] = [];
  for (let b = 0; b < 32; b++) if ((word >>> b) & 1) out.push((1 << b) >>> 0);
  return out;
}

function highest(word: number): number {
  return word === 0 ? 0 : 31 - Math.clz32(word);
}

/**
 * The kernel comment's order: "always" first, then each optional feature in
 * declaration order; within one, the feature alone, then "with it, without an
 * earlier one", then "with both"; several conditions sort by their first.
 */
function compareCube(a: Condition, b: Condition): number {
  const ma = (a.require | a.forbid) >>> 0;
  const mb = (b.require | b.forbid) >>> 0;
  if (ma === 0 || mb === 0) return (ma === 0 ? 0 : 1) - (mb === 0 ? 0 : 1);
  const ha = highest(ma);
  const hb = highest(mb);
  if (ha !== hb) return ha - hb;
  const d = popcount(ma) - popcount(mb);
  if (d) return d;
  const top = (1 << ha) >>> 0;
  const withTop = (c: Condition): number => ((c.require & top) !== 0 ? 0 : 1);
  if (withTop(a) !== withTop(b)) return withTop(a) - withTop(b);
  for (let bit = ha - 1; bit >= 0; bit--) {
    const m = (1 << bit) >>> 0;
    const rank = (c: Condition): number => ((c.forbid & m) !== 0 ? 0 : (c.require & m) !== 0 ? 1 : 2);
    if (rank(a) !== rank(b)) return rank(a) - rank(b);
  }
  return 0;
}

function compareCubes(a: readonly Condition[], b: readonly Condition[]): number {
  return compareCube(a[0]!, b[0]!) || a.length - b.length;
}

/** Which states exist under `flags`, by value (the sink always does): all this module needs of a flag set's view. */
function existing(model: Model, flags: number): boolean[] {
  return model.states.map((s) => s.sink || stateExists(s, flags));
}
