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
  /** `foreign`: a state or flag this spec lacks but another spec the reader knows declares (a newer kernel read against an older spec). */
  | { readonly kind: 'state'; readonly value: number; readonly foreign?: true }
  | { readonly kind: 'flag'; readonly bit: number; readonly foreign?: true }
  | { readonly kind: 'errno'; readonly value: number }
  | { readonly kind: 'unknown-state'; readonly short: string }
  | { readonly kind: 'unknown-flag'; readonly short: string };

/**
 * States and flags other specs declare with the same C prefixes (the bundled
 * specs of other eras), by short name: what lets a newer kernel be read
 * against an older spec, the names it uses that the spec lacks being
 * reported as such instead of as unknown.
 */
export interface ForeignNames {
  readonly states: ReadonlyMap<string, number>;
  readonly flags: ReadonlyMap<string, number>;
}

export const NO_FOREIGN_NAMES: ForeignNames = { states: new Map(), flags: new Map() };

export function meaning(model: Model, name: string, foreign: ForeignNames = NO_FOREIGN_NAMES): NameMeaning | null {
  const { statePrefix, flagPrefix } = model.c;
  // The longer prefix first: a flag prefix could itself start with the state prefix.
  if (flagPrefix.length > statePrefix.length) return flagMeaning(model, name, foreign) ?? stateMeaning(model, name, foreign) ?? errnoMeaning(name);
  return stateMeaning(model, name, foreign) ?? flagMeaning(model, name, foreign) ?? errnoMeaning(name);
}

function stateMeaning(model: Model, name: string, foreign: ForeignNames): NameMeaning | null {
  const prefix = model.c.statePrefix;
  if (!name.startsWith(prefix) || name.length === prefix.length) return null;
  const short = name.slice(prefix.length);
  const state = model.states.find((s) => s.name === short);
  if (state) return { kind: 'state', value: state.value };
  const value = foreign.states.get(short);
  return value === undefined ? { kind: 'unknown-state', short } : { kind: 'state', value, foreign: true };
}

function flagMeaning(model: Model, name: string, foreign: ForeignNames): NameMeaning | null {
  const prefix = model.c.flagPrefix;
  if (!name.startsWith(prefix) || name.length === prefix.length) return null;
  const short = name.slice(prefix.length);
  const flag = model.flags.find((f) => f.name === short);
  if (flag) return { kind: 'flag', bit: flag.bit };
  const bit = foreign.flags.get(short);
  return bit === undefined ? { kind: 'unknown-flag', short } : { kind: 'flag', bit, foreign: true };
}

/**
 * The names of other models that this one lacks, when their values do not
 * clash with this model's: a name whose value another state (or flag) of
 * this model already has is left out, so it stays an unknown name.
 */
export function foreignNames(model: Model, others: readonly Model[]): ForeignNames {
  const states = new Map<string, number>();
  const flags = new Map<string, number>();
  const own = new Set(model.states.map((s) => s.value));
  const ownBits = new Set(model.flags.map((f) => f.bit));
  for (const other of others) {
    if (other.c.statePrefix !== model.c.statePrefix || other.c.flagPrefix !== model.c.flagPrefix) continue;
    for (const s of other.states) if (!model.states.some((x) => x.name === s.name) && !own.has(s.value) && !states.has(s.name)) states.set(s.name, s.value);
    for (const f of other.flags) if (!model.flags.some((x) => x.name === f.name) && !ownBits.has(f.bit) && !flags.has(f.name)) flags.set(f.name, f.bit);
  }
  return { states, flags };
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
