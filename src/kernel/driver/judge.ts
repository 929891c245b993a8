import type { Where } from '../../common/source.js';
import { byCodePoint } from '../../common/order.js';
import type { DriverArcs, Pair } from '../../analysis/driver-arcs.js';
import { popcount } from '../../analysis/flag-sets.js';
import type { Model } from '../../model/model.js';
import { flagNames } from '../../model/model.js';
import type { FlagSetReport } from './result.js';

/**
 * The handled arcs against what the core can hand a driver, per flag set it
 * advertises: the spec's required arcs (driverArcs, the same lists `vfio-fsm
 * arcs` prints), what is missing, and what is extra, with a word on when an
 * extra arc would be asked for.
 */

export interface AdvertisedSet {
  readonly word: number;
  readonly from: readonly Where[];
}

export function arcName(model: Model, p: Pair): string {
  return `${model.states[p[0]]?.name ?? p[0]} -> ${model.states[p[1]]?.name ?? p[1]}`;
}

/** Flag sets by size, then by the spec's flag order. */
export function compareWords(model: Model, a: number, b: number): number {
  const d = popcount(a) - popcount(b);
  if (d) return d;
  const ia = model.flags.map((f, k) => ((a & f.bit) !== 0 ? k : -1)).filter((k) => k >= 0);
  const ib = model.flags.map((f, k) => ((b & f.bit) !== 0 ? k : -1)).filter((k) => k >= 0);
  for (let k = 0; k < Math.min(ia.length, ib.length); k++) if (ia[k] !== ib[k]) return ia[k]! - ib[k]!;
  return 0;
}

export function judgeFlagSets(model: Model, arcs: DriverArcs, handled: readonly Pair[], sets: readonly AdvertisedSet[]): FlagSetReport[] {
  const have = new Set(handled.map((p) => arcName(model, p)));
  const requiredBy = arcs.flagSets.map((f) => ({ word: f.flags, arcs: new Set(f.implement.map((p) => arcName(model, p))) }));
  const blocked = new Set(arcs.blocked.map((p) => arcName(model, p)));
  return [...sets]
    .sort((a, b) => compareWords(model, a.word, b.word))
    .map((set) => {
      const required = requiredBy.find((r) => r.word === set.word)?.arcs ?? new Set<string>();
      const extra = [...have].filter((a) => !required.has(a)).sort(byCodePoint);
      return {
        flags: flagNames(model, set.word),
        from: set.from,
        required: [...required].sort(byCodePoint),
        missing: [...required].filter((a) => !have.has(a)).sort(byCodePoint),
        extra,
        extraNotes: Object.fromEntries(extra.map((a) => [a, extraNote(model, requiredBy, blocked, set.word, a)])),
      };
    });
}

/**
 * Why an arc the driver handles is not asked for under `word`: the spec
 * blocks it; no flag set asks for it; a larger flag set does (the flags the
 * smallest such set adds); or only flag sets without some of these flags do.
 */
function extraNote(model: Model, requiredBy: readonly { word: number; arcs: ReadonlySet<string> }[], blocked: ReadonlySet<string>, word: number, arc: string): string {
  if (blocked.has(arc)) return 'blocked (must fail)';
  const under = requiredBy.filter((r) => r.arcs.has(arc)).map((r) => r.word);
  if (under.length === 0) return 'never asked for';
  const larger = under.filter((w) => popcount(w) > popcount(word) && (w & word) >>> 0 === word >>> 0);
  const smallest = [...larger].sort((a, b) => popcount(a) - popcount(b))[0];
  if (smallest !== undefined) return `reachable only with ${flagNames(model, (smallest & ~word) >>> 0).join(', ')}`;
  const lacking = model.flags.filter((f) => (word & f.bit) !== 0 && under.every((w) => (w & f.bit) === 0)).map((f) => f.name);
  return lacking.length ? `reachable only without ${lacking.join(', ')}` : 'reachable only under other flag sets';
}
