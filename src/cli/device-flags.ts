import type { Model } from '../model/model.js';
import { parseFlagOption } from './flag-option.js';

export interface DeviceFlags {
  readonly word: number;
  /** Said to the user when the mandatory flag was added for them. */
  readonly notes: readonly string[];
}

/**
 * The flags a device advertises, for commands that reason about one device:
 * all declared flags by default. The mandatory flag is added when `--flags`
 * leaves it out, with a note, since a device without it has no migration and
 * every question about a path would end in "refused"; `check --flags` keeps
 * the word exactly as given, because there the refusals are the point.
 */
export function deviceFlags(model: Model, text: string | undefined): DeviceFlags {
  if (text === undefined) return { word: model.flagMask, notes: [] };
  const word = parseFlagOption(model, text);
  const m = model.mandatory;
  if (word & m.bit) return { word, notes: [] };
  return {
    word: (word | m.bit) >>> 0,
    notes: [`${m.name} is mandatory (a device without it has no migration at all), so it was added to --flags`],
  };
}
