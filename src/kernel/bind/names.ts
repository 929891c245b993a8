import type { Model } from '../../model/model.js';
import type { Value } from '../c/int-value.js';
import { ERRNO } from '../c/errno.js';
import { int } from '../c/int-value.js';

/**
 * What a C name means through the spec: `VFIO_DEVICE_STATE_X` is the state X,
 * `VFIO_MIGRATION_Y` the flag Y (prefixes from the spec's `emit c`), and the
 * few errno names the function returns. A name carrying a prefix but naming
 * nothing in the spec is told apart, so the diagnostic can say which.
 */
export type NameMeaning =
  | { readonly kind: 'state'; readonly value: number }
  | { readonly kind: 'flag'; readonly bit: number }
  | { readonly kind: 'errno'; readonly value: number }
  | { readonly kind: 'unknown-state'; readonly short: string }
  | { readonly kind: 'unknown-flag'; readonly short: string };

export function meaning(model: Model, name: string): NameMeaning | null {
  const { statePrefix, flagPrefix } = model.c;
  // The longer prefix first: a flag prefix could itself start with the state prefix.
  if (flagPrefix.length > statePrefix.length) return flagMeaning(model, name) ?? stateMeaning(model, name) ?? errnoMeaning(name);
  return stateMeaning(model, name) ?? flagMeaning(model, name) ?? errnoMeaning(name);
}

function stateMeaning(model: Model, name: string): NameMeaning | null {
  const prefix = model.c.statePrefix;
  if (!name.startsWith(prefix) || name.length === prefix.length) return null;
  const short = name.slice(prefix.length);
  const state = model.states.find((s) => s.name === short);
  return state ? { kind: 'state', value: state.value } : { kind: 'unknown-state', short };
}

function flagMeaning(model: Model, name: string): NameMeaning | null {
  const prefix = model.c.flagPrefix;
  if (!name.startsWith(prefix) || name.length === prefix.length) return null;
  const short = name.slice(prefix.length);
  const flag = model.flags.find((f) => f.name === short);
  return flag ? { kind: 'flag', bit: flag.bit } : { kind: 'unknown-flag', short };
}

export function errnoMeaning(name: string): NameMeaning | null {
  const errno = ERRNO[name];
  return errno === undefined ? null : { kind: 'errno', value: errno };
}

/** The value a known name has in C: enumerators and `(1 << n)` macros are both `int`. */
export function meaningValue(m: NameMeaning): Value | null {
  if (m.kind === 'state') return int(m.value);
  if (m.kind === 'flag') return int(m.bit);
  if (m.kind === 'errno') return int(m.value);
  return null;
}


/** The diagnostic for a prefixed name the spec does not declare. */
export function unknownMessage(model: Model, name: string, m: NameMeaning): string | null {
  if (m.kind === 'unknown-state') return `\`${name}\` names no state of ${model.file} (it declares ${model.states.map((s) => s.name).join(', ')})`;
  if (m.kind === 'unknown-flag') return `\`${name}\` names no flag of ${model.file} (it declares ${model.flags.map((f) => f.name).join(', ')})`;
  return null;
}
