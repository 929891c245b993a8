import type { Model } from '../model/model.js';
import type { Analysis } from './analyze.js';
import type { EraMatch } from './checks/result.js';

/**
 * A spec the cross-check may hold code against to say which era it is:
 * typically the bundled specs, each with the kernels it describes and the
 * changes that lead from it to a later spec.
 */
export interface Reference {
  /** The bundled name, e.g. `linux-6.2`. */
  readonly name: string;
  readonly model: Model;
  /** e.g. "Linux 6.2 to 7.1". */
  readonly describes: string;
  /** Changes that turn this era into a later one, e.g. `{ spec: 'vfio-migration', change: 'the 7.2 loop fix (commit a26b499b757c)' }`. */
  readonly fixes: readonly { readonly spec: string; readonly change: string }[];
}

/**
 * Is the code, as analyzed against a spec, that spec's lookup? The same
 * states, every cell of both tables the same, and the same outcome on every
 * input (a request that never ends counts as an outcome: the 6.2 loop is
 * the 6.2 spec's). The comment is prose and does not count.
 */
export function equivalent(a: Analysis): boolean {
  const e = a.evaluation;
  return sameTables(a) && e.performed && e.undetermined === 0 && e.mismatches.length === 0 && e.agreed === e.inputs;
}

/**
 * The part of `equivalent` read before the function is evaluated: no names
 * of another era, and both tables the spec's, cell for cell. When it fails,
 * evaluating the function on every input cannot change the answer.
 */
export function sameTables(a: Pick<Analysis, 'table' | 'kernelOnly'>): boolean {
  const t = a.table;
  const f = t.flagsTable;
  if (a.kernelOnly.states.length || a.kernelOnly.flags.length) return false;
  if (!t.found || !t.dimensions.agree || t.differences.length || t.implicit.length || t.duplicates.length || t.missingStates.length) return false;
  // A lookup with a flags table is not the seed's or v2's (which read none), however alike their answers.
  return !(f && (f.found !== f.expected || f.differences.length || f.implicit.length || f.duplicates.length || (f.dimension !== null && f.dimension !== t.dimensions.spec)));
}

/** The era match of an equivalent analysis. */
export function eraMatch(ref: Reference, a: Analysis): EraMatch {
  return { name: ref.name, describes: ref.describes, inputs: a.evaluation.inputs };
}

/** Changes the chosen spec has over the eras the code matches, which the code therefore lacks. */
export function missingFixes(matched: readonly Reference[], chosen: string | null): string[] {
  if (chosen === null || matched.some((r) => r.name === chosen)) return [];
  return [...new Set(matched.flatMap((r) => r.fixes.filter((f) => f.spec === chosen).map((f) => f.change)))];
}
