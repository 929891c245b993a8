import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { byPosition } from '../diagnostics/diagnostic.js';
import { parseSpec } from '../syntax/parse.js';
import type { SourceText } from '../common/source.js';
import type { Model } from './model.js';
import { validate } from './validate.js';

export interface FrontEndResult {
  readonly model?: Model;
  readonly diagnostics: readonly Diagnostic[];
}

/** Text to validated model: the first two stages of the pipeline, without I/O. */
export function compileSpec(source: SourceText): FrontEndResult {
  const parsed = parseSpec(source);
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  const { model, diagnostics } = validate(source, parsed.ast);
  return model ? { model, diagnostics: [...diagnostics.items].sort(byPosition) } : { diagnostics: [...diagnostics.items].sort(byPosition) };
}
