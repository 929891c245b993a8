import type { Model } from '../model/model.js';
import { UsageError } from './usage-error.js';

/** Parses `--flags A,B` into a word over the model's flags; throws a usage error for unknown names. */
export function parseFlagOption(model: Model, text: string): number {
  let word = 0;
  for (const raw of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const flag = model.flags.find((f) => f.name === raw);
    if (!flag) throw new UsageError(`unknown flag \`${raw}\` in --flags; ${model.file} declares ${model.flags.map((f) => f.name).join(', ')}`);
    word |= flag.bit;
  }
  return word >>> 0;
}
