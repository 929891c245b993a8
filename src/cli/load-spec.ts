import type { LoadedSpec } from '../model/loaded-spec.js';
import { readSpecWith } from '../node/spec-files.js';
import { compileSpecCached } from './cache/spec-cache.js';
import { EXIT, diagnosticsJson, printDiagnostics, printJson } from './console.js';

export type Loaded = LoadedSpec;

/**
 * Reads and validates the spec a command names: a bundled spec by name
 * (from the package, whatever the current folder), `-`, or a path. The
 * caller decides how to report. A spec read before comes from the cache.
 */
export function loadSpec(ref: string): Loaded {
  return readSpecWith(ref, compileSpecCached);
}

/** Prints a failed load the way every command does: text on stderr, or JSON on stdout. */
export function reportLoadFailure(failed: Extract<Loaded, { ok: false }>, json: boolean): void {
  if (json) printJson({ ok: false, spec: failed.path, ...diagnosticsJson(failed.diagnostics) });
  else printDiagnostics(failed.diagnostics, failed.source);
}

/** Loads a command's one spec; on failure reports it, sets exit code 2 and returns undefined. */
export function loadSpecOrReport(ref: string, json: boolean): Extract<Loaded, { ok: true }> | undefined {
  const loaded = loadSpec(ref);
  if (loaded.ok) return loaded;
  reportLoadFailure(loaded, json);
  process.exitCode = EXIT.unreadable;
  return undefined;
}
