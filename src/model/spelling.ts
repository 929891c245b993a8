import type { Condition, Model } from './model.js';
import { flagNames } from './model.js';

/**
 * How the model's things are spelled in every text the tool prints: one
 * spelling each, so a state, a flag set or a path reads the same in the
 * check, explain, diff, arcs and kernel reports alike.
 */

/** A state value as people read it: its name, or the number (unsigned) when no state has it. */
export function stateName(model: Model, value: number): string {
  return model.states[value]?.name ?? String(value >>> 0);
}

/** A flag set as every text report prints it: `{STOP_COPY, P2P}`, and `{}` for the set with no flag. */
export function flagSetText(names: readonly string[]): string {
  return `{${names.join(', ')}}`;
}

/** The flag set of a flags word, spelled as flagSetText does; bits the model does not declare are left out. */
export function flagWordSet(model: Model, word: number): string {
  return flagSetText(flagNames(model, word));
}

/** `A -> B -> C`. */
export function pathText(model: Model, path: readonly number[]): string {
  return path.map((s) => stateName(model, s)).join(' -> ');
}

/**
 * A condition on the optional flags in the words of the kernel's comment:
 * "always", "with P2P", "without P2P", "with PRE_COPY and P2P". The newest
 * feature is named first, because the arcs under it belong to it.
 */
export function conditionPhrase(model: Model, c: Condition): string {
  const newestFirst = [...model.flags].sort((a, b) => b.bit - a.bit);
  const required = newestFirst.filter((f) => c.require & f.bit).map((f) => f.name);
  const forbidden = newestFirst.filter((f) => c.forbid & f.bit).map((f) => f.name);
  const parts: string[] = [];
  if (required.length) parts.push(`with ${required.join(' and ')}`);
  if (forbidden.length) parts.push(`without ${forbidden.join(' and without ')}`);
  return parts.length ? parts.join(', ') : 'always';
}

/** A disjunction of conditions. */
export function cubesPhrase(model: Model, cubes: readonly Condition[]): string {
  return cubes.map((c) => conditionPhrase(model, c)).join(' or ');
}
