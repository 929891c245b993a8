import { isAbsolute, join, relative } from 'node:path';
import type { SourceText } from '../common/source.js';
import type { Reference } from '../kernel/era.js';
import { BUNDLED_SPECS, bundledByName } from '../node/bundled-specs.js';
import { packageRoot } from '../node/package-root.js';
import { loadSpec } from './load-spec.js';

/**
 * The spec a kernel command is given (a bundled name or a path) and the
 * bundled specs it tells eras by: shared by `kernel` and `history`, so that
 * both name a spec, and match code to an era, alike.
 */

/** A spec as given, as a path to read, shown relative to the working directory when it can be; and its bundled name. */
export function chosenSpec(given: string): { path: string; name: string | null } {
  const bundled = bundledByName(given);
  const root = packageRoot();
  const path = bundled ? join(root, bundled.path) : given;
  const shown = isAbsolute(path) ? relative(process.cwd(), path) : path;
  const display = shown.startsWith('..') ? path : shown;
  const name = bundled?.name ?? BUNDLED_SPECS.find((s) => join(root, s.path) === join(process.cwd(), path) || join(root, s.path) === path)?.name ?? null;
  return { path: display, name };
}

/** The bundled specs of real eras, to tell which era code is; one that does not load is left out. */
export function eraReferences(): Reference[] {
  return eraReferenceSources().map((r) => r.reference);
}

/** eraReferences, each with the spec text it was read from. */
export function eraReferenceSources(): { reference: Reference; source: SourceText }[] {
  const root = packageRoot();
  const out: { reference: Reference; source: SourceText }[] = [];
  for (const s of BUNDLED_SPECS.filter((x) => x.era)) {
    const shown = relative(process.cwd(), join(root, s.path));
    const loaded = loadSpec(shown.startsWith('..') ? join(root, s.path) : shown);
    if (loaded.ok) out.push({ reference: { name: s.name, model: loaded.model, describes: s.describes, fixes: s.fixes }, source: loaded.source });
  }
  return out;
}
