import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compileSpec } from '../model/front-end.js';
import type { Model } from '../model/model.js';
import type { SourceText } from '../common/source.js';
import { EXIT, diagnosticsJson, printDiagnostics, printJson } from './console.js';
import { readTextInput } from './read-input.js';

export type Loaded =
  | { ok: true; model: Model; source: SourceText; warnings: readonly Diagnostic[] }
  | { ok: false; path: string; source?: SourceText; diagnostics: readonly Diagnostic[] };

/** Reads and validates a spec; the caller decides how to report. */
export function loadSpec(path: string): Loaded {
  const read = readTextInput(path);
  if (!read.ok) return { ok: false, path, diagnostics: [read.diagnostic] };
  const { model, diagnostics } = compileSpec(read.source);
  if (!model) return { ok: false, path, source: read.source, diagnostics };
  return { ok: true, model, source: read.source, warnings: diagnostics };
}

/** Prints a failed load the way every command does: text on stderr, or JSON on stdout. */
export function reportLoadFailure(failed: Extract<Loaded, { ok: false }>, json: boolean): void {
  if (json) printJson({ ok: false, spec: failed.path, ...diagnosticsJson(failed.diagnostics) });
  else printDiagnostics(failed.diagnostics, failed.source);
}

/** Loads a command's one spec; on failure reports it, sets exit code 2 and returns undefined. */
export function loadSpecOrReport(path: string, json: boolean): Extract<Loaded, { ok: true }> | undefined {
  const loaded = loadSpec(path);
  if (loaded.ok) return loaded;
  reportLoadFailure(loaded, json);
  process.exitCode = EXIT.unreadable;
  return undefined;
}
