import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { SourceText } from '../common/source.js';
import { compileSpec } from './front-end.js';
import type { Model } from './model.js';

/**
 * A spec read and validated, or the reasons it was not: what every caller
 * (the library's users, the CLI's commands) gets back. `path` is the name the
 * spec was read under, which diagnostics carry; `source` is absent when the
 * text itself could not be read.
 */
export type LoadedSpec =
  | { readonly ok: true; readonly model: Model; readonly source: SourceText; readonly warnings: readonly Diagnostic[] }
  | { readonly ok: false; readonly path: string; readonly source?: SourceText; readonly diagnostics: readonly Diagnostic[] };

/** Validates a spec's text. No I/O. */
export function loadSpecSource(source: SourceText): LoadedSpec {
  const { model, diagnostics } = compileSpec(source);
  if (!model) return { ok: false, path: source.path, source, diagnostics };
  return { ok: true, model, source, warnings: diagnostics };
}
