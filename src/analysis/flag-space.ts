import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { locate } from '../diagnostics/diagnostic.js';
import type { Flag, Model } from '../model/model.js';
import type { SourceText } from '../common/source.js';
import { grouped } from '../common/grouped.js';

/*
 * Which flag sets the checker runs, and why checking fewer than all of them
 * is still a proof: the symmetry reduction.
 *
 * A declared flag is *unmentioned* when no state needs it, no arc condition
 * names it (required or forbidden), the lookup's `assuming` clause does not
 * name it, and it is not the mandatory flag. Let M be the word of the other,
 * mentioned, bits. Everything the checker computes for a flag word F reads F
 * only through these tests:
 *   - S(F) and A(F): `(F & needs) == needs` and `(F & require) == require,
 *     (F & forbid) == 0`, with needs, require and forbid inside M;
 *   - whether the caller consults the lookup: `(F & assumes) == assumes`,
 *     assumes inside M;
 *   - the lookups (src/analysis/lookup.ts): v2 reads no flag; seed-v6 tests
 *     `needs & ~F & ~mandatory`, inside M; linux-5.18 and linux-7.2 test
 *     `(needs[s] & F) == needs[s]` (inside M) and, for the sink, whose
 *     required word is all ones (~0U), whether F is all ones.
 * So every answer is a function of the pair (F & M, F == ~0): an unmentioned
 * flag acts exactly as an undeclared bit does, and the checker treats it as
 * one. It checks each word S over M, with the unmentioned flags clear
 * ("directly", 2^|M| words), and runs its undeclared-bit probes (every bit
 * outside M set, and the lowest one) on each S.
 *
 * Why the verdict is the full enumeration's (all 2^flags words):
 *   - A word F = S | G (G unmentioned flags) that is not all ones gives
 *     exactly S's answers, probes included: F | ~flagMask is all ones only
 *     when F is the full word, and S | ~M only when S = M.
 *   - The one class left is "all ones". The full enumeration reaches it only
 *     from the full word: through its probe, as the reduced check does from
 *     S = M (both compare the all-ones answers with M's), or, with 32
 *     declared flags, as a word of its own. All ones only changes the sink
 *     test, and the derived table's sink row and column hold the sink, so a
 *     walk that reaches the sink stops there (a refusal) instead of going
 *     round it forever. The all-ones answers are thus M's except where M's
 *     loop diverges through the sink, which becomes a refusal: a request
 *     that fails under all ones fails under M (as termination if that cell
 *     is its first, as table if a later one, identically otherwise), and
 *     the probe's comparison never reports, since it counts a refusal where
 *     the base diverges as already reported.
 * And why the report is exactly that of the spec without the unmentioned
 * flags: deleting them makes their bits undeclared, which gives the very same
 * words over M and the very same probe words (test/analysis/flag-symmetry.test.ts
 * checks both claims). This is the symmetry reduction of TLC's and
 * Stateright's symmetry sets, for the simplest symmetry there is: flags that
 * nothing can tell apart from being absent.
 *
 * The kernel's C, by contrast, may test any bit it likes: `vfio-fsm kernel`
 * runs each representative twice, with the unmentioned flags all clear and
 * all set, and says so, rather than claim this argument for code it reads.
 */

/** The default bound on the flag sets checked one by one, after the reduction. */
export const DEFAULT_MAX_FLAG_SETS = 2 ** 20;

/**
 * What `gen` may write at most: its JSON lists every request of every flag
 * set (flag sets x states^2 entries, some 50 bytes each), and its diagrams
 * draw every flag set. 2^21 entries is about 100 MB of JSON.
 */
export const GEN_MAX_REQUESTS = 2 ** 21;

/** The flag-set bound `gen` applies: the user's, and no more than GEN_MAX_REQUESTS allows for this many states. */
export function genFlagSetLimit(model: Model, maxFlagSets = DEFAULT_MAX_FLAG_SETS): number {
  const n = model.states.length;
  return Math.max(1, Math.min(maxFlagSets, Math.floor(GEN_MAX_REQUESTS / (n * n))));
}

/**
 * The largest bound --max-flag-sets accepts. The report keeps a row per flag
 * set (about 250 bytes with 20 states) and --json prints nearly a kilobyte
 * for each: 2^20 rows take some 40 s and 1.2-1.4 GB, and four times that
 * would pass Node's default heap.
 */
export const MAX_MAX_FLAG_SETS = 2 ** 21;

export interface FlagSpace {
  /** Bits some state needs, some arc condition names, the lookup assumes, and the mandatory flag. */
  readonly mentionedMask: number;
  /** Declared flags outside mentionedMask, in declaration order. */
  readonly unmentioned: readonly Flag[];
  readonly unmentionedMask: number;
  /** Every flag set over the declared flags: 2^flags, exact in a double up to 2^32. */
  readonly total: number;
  /** The representatives, each checked directly: 2^mentioned. */
  readonly direct: number;
  /** total - direct: the flag sets whose answers are a representative's. */
  readonly bySymmetry: number;
}

/**
 * The flag space of one spec. `setAside`, when given, restricts the
 * reduction to flags of those names (see inertFlagNames): a flag that is
 * unmentioned here but not set aside is enumerated like a mentioned one.
 */
export function flagSpace(model: Model, setAside?: ReadonlySet<string>): FlagSpace {
  let mentioned = model.mandatory.bit | model.lookup.assumes;
  for (const s of model.states) mentioned |= s.needs;
  for (const a of model.arcs) mentioned |= a.when.require | a.when.forbid;
  for (const f of model.flags) if (setAside && !setAside.has(f.name)) mentioned |= f.bit;
  const mentionedMask = (mentioned & model.flagMask) >>> 0;
  const unmentioned = model.flags.filter((f) => (f.bit & mentionedMask) === 0);
  const unmentionedMask = unmentioned.reduce((m, f) => (m | f.bit) >>> 0, 0);
  const total = 2 ** model.flags.length;
  const direct = 2 ** (model.flags.length - unmentioned.length);
  return { mentionedMask, unmentioned, unmentionedMask, total, direct, bySymmetry: total - direct };
}

export interface FlagSetRefusal {
  readonly ok: false;
  readonly space: FlagSpace;
  readonly limit: number;
}

export type FlagSetPlan = { readonly ok: true; readonly space: FlagSpace; readonly words: readonly number[] } | FlagSetRefusal;

/**
 * Flags that may be set aside when an old spec is compared with a new one by
 * flag name (diff): those that nothing mentions in either spec, and that the
 * new spec still declares. A flag unmentioned in one spec but read by the
 * other tells devices apart; an old flag the new spec drops leaves the old
 * flag sets with it unmappable (each one a change): both are enumerated. A
 * flag only the new spec declares, and nothing reads, adds flag sets that
 * behave as the ones without it, which is nothing to report.
 */
export function inertFlagNames(oldModel: Model, newModel: Model): Set<string> {
  const unmentioned = (m: Model): Set<string> => new Set(flagSpace(m).unmentioned.map((f) => f.name));
  const inOld = unmentioned(oldModel);
  const oldNames = new Set(oldModel.flags.map((f) => f.name));
  return new Set([...unmentioned(newModel)].filter((name) => inOld.has(name) || !oldNames.has(name)));
}

/** The refusal when more than `maxFlagSets` representatives remain, without enumerating them. */
export function flagSetRefusal(model: Model, maxFlagSets = DEFAULT_MAX_FLAG_SETS, setAside?: ReadonlySet<string>): FlagSetRefusal | undefined {
  const space = flagSpace(model, setAside);
  const limit = Math.min(maxFlagSets, MAX_MAX_FLAG_SETS);
  return space.direct > limit ? { ok: false, space, limit } : undefined;
}

/**
 * The representatives to check (every word over the mentioned flags, fewest
 * flags first), or a refusal when there are more than `maxFlagSets`.
 */
export function planFlagSets(model: Model, maxFlagSets = DEFAULT_MAX_FLAG_SETS, setAside?: ReadonlySet<string>): FlagSetPlan {
  const refusal = flagSetRefusal(model, maxFlagSets, setAside);
  if (refusal) return refusal;
  const space = flagSpace(model, setAside);
  return { ok: true, space, words: wordsOver(space.mentionedMask) };
}

/** Thrown by library calls asked to enumerate past the limit; the CLI refuses such specs first, with VF100. */
export class FlagSetLimitError extends Error {
  constructor(readonly plan: FlagSetRefusal) {
    super(`${plan.space.direct} flag sets to check, over the limit of ${plan.limit}`);
  }
}

/** planFlagSets' words, or FlagSetLimitError. */
export function representativeWords(
  model: Model,
  maxFlagSets = DEFAULT_MAX_FLAG_SETS,
  setAside?: ReadonlySet<string>,
): { readonly space: FlagSpace; readonly words: readonly number[] } {
  const plan = planFlagSets(model, maxFlagSets, setAside);
  if (!plan.ok) throw new FlagSetLimitError(plan);
  return plan;
}

export interface KernelFlagWords {
  /** Representatives the caller consults the lookup with (flags nothing mentions clear). */
  readonly words: readonly number[];
  /** Representatives it does not consult it with. */
  readonly skipped: readonly number[];
  /** The words the kernel's function is run with: each consulted one, and again with every unmentioned flag set. */
  readonly evaluated: readonly number[];
  /** Said in the report when flags were set aside. */
  readonly note?: string;
}

/**
 * The flag words `vfio-fsm kernel` uses. The symmetry argument is about the
 * spec's lookup, not about the C it reads, which may test any bit: so the
 * function is run with each representative twice, the unmentioned flags all
 * clear and all set, and the report says so. Bounded by MAX_MAX_FLAG_SETS;
 * the CLI applies --max-flag-sets first.
 */
export function kernelFlagWords(model: Model): KernelFlagWords {
  const { space, words: all } = representativeWords(model, MAX_MAX_FLAG_SETS);
  const assumes = model.lookup.assumes;
  const consulted = (w: number): boolean => (w & assumes) >>> 0 === assumes;
  const words = all.filter(consulted);
  const skipped = all.filter((w) => !consulted(w));
  const free = space.unmentionedMask;
  if (free === 0) return { words, skipped, evaluated: words };
  const evaluated = [...words, ...words.map((w) => (w | free) >>> 0)];
  const names = space.unmentioned.map((f) => f.name).join(', ');
  const n = space.unmentioned.length;
  return {
    words,
    skipped,
    evaluated,
    note: `${n === 1 ? '1 flag is' : `${n} flags are`} mentioned by nothing in the spec (${names}): the function is run with ${n === 1 ? 'it clear and set' : 'them all clear and all set, not in every combination'}`,
  };
}

/**
 * Every word over the bits of `mask`, fewest bits first, then by value. The
 * caller bounds the count (2^bits) first: words are built from a counter of
 * at most MAX_MAX_FLAG_SETS, never with `1 << 32`.
 */
export function wordsOver(mask: number): number[] {
  const bits: number[] = [];
  for (let b = 0; b < 32; b++) if ((mask >>> b) & 1) bits.push(2 ** b);
  const count = 2 ** bits.length;
  if (count > MAX_MAX_FLAG_SETS) throw new RangeError(`${bits.length} flags give ${count} words, more than can be enumerated`);
  // Bucketed by popcount: an increasing counter maps to increasing words, so each bucket comes out sorted.
  const buckets: number[][] = Array.from({ length: bits.length + 1 }, () => []);
  const words = new Array<number>(count);
  words[0] = 0;
  buckets[0]!.push(0);
  const ones = new Uint8Array(count);
  for (let m = 1; m < count; m++) {
    // m without its lowest bit was built already: one OR per word.
    const low = m & -m;
    const rest = m ^ low;
    const w = (words[rest]! | bits[31 - Math.clz32(low)]!) >>> 0;
    words[m] = w;
    ones[m] = ones[rest]! + 1;
    buckets[ones[m]!]!.push(w);
  }
  return buckets.flat();
}

/** `n` with thousands separators, as counts of flag sets are printed. */
export function count(n: number): string {
  return grouped(n);
}

/** "x flag(s)" with the noun agreeing. */
export function flagSets(n: number): string {
  return `${count(n)} flag set${n === 1 ? '' : 's'}`;
}

/**
 * VF100: a spec with more flag sets left to check than the limit, pointing at
 * its `flags` block. `option` names the setting that raises the limit.
 */
export function flagSetLimitDiagnostic(
  source: SourceText,
  model: Model,
  plan: FlagSetRefusal,
  where = 'states, arcs or the lookup',
  remedy = `raise it with --max-flag-sets (at most ${count(MAX_MAX_FLAG_SETS)}) or split the spec`,
): Diagnostic {
  const { space, limit } = plan;
  const mentioned = model.flags.length - space.unmentioned.length;
  const n = space.unmentioned.length;
  const reduced = n ? ` (${n} more ${n === 1 ? 'is' : 'are'} mentioned by nothing and ${n === 1 ? 'is' : 'are'} set aside by symmetry)` : '';
  return locate(
    source,
    'error',
    'VF100',
    model.flagsSpan,
    `${mentioned} flags are mentioned by ${where}${reduced}: that is 2^${mentioned} = ${flagSets(space.direct)} to check one by one, over the limit of ${count(limit)}; ${remedy}`,
  );
}
