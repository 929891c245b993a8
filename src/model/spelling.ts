import type { Model } from './model.js';
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
