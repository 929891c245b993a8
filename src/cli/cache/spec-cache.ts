import type { SourceText } from '../../common/source.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../../model/loaded-spec.js';
import { loadSpecSource } from '../../model/loaded-spec.js';
import type { Model } from '../../model/model.js';
import { cacheStore } from './session.js';

/**
 * A spec's text to its validated model, through the cache: the key is the
 * name the spec is shown under (the model and its warnings carry it) and the
 * whole text, so an edited spec is a new entry. Parsing a spec is mostly
 * ohm's first, cold match, about 40 ms of a command; reading the entry back
 * is well under one. A spec that does not load is not kept: its diagnostics
 * are worked out each time.
 */
export function compileSpecCached(source: SourceText): LoadedSpec {
  const store = cacheStore();
  if (!store) return loadSpecSource(source);
  const key = specKey(source);
  const hit = store.get('spec', key);
  const decoded = hit ? decodeLoadedSpec(hit.toString('utf8'), source) : null;
  if (decoded) return decoded;
  const loaded = loadSpecSource(source);
  if (loaded.ok) store.put('spec', key, encodeLoadedSpec(loaded));
  return loaded;
}

function specKey(source: SourceText): string {
  return `${source.path}\0${source.text}`;
}

/** The stored form: the model as JSON, its one shared object (the mandatory flag, one of `flags`) by index. */
interface Stored {
  readonly model: Omit<Model, 'mandatory'> & { readonly mandatory: number };
  readonly warnings: readonly Diagnostic[];
}

export function encodeLoadedSpec(loaded: Extract<LoadedSpec, { ok: true }>): string {
  const { model, warnings } = loaded;
  const stored: Stored = { model: { ...model, mandatory: model.flags.indexOf(model.mandatory) }, warnings };
  return JSON.stringify(stored);
}

/** The loaded spec an entry holds, or null when it is not one (then the spec is compiled afresh). */
export function decodeLoadedSpec(text: string, source: SourceText): Extract<LoadedSpec, { ok: true }> | null {
  try {
    const stored = JSON.parse(text) as Stored;
    const mandatory = stored.model.flags[stored.model.mandatory];
    if (!mandatory || !Array.isArray(stored.warnings) || stored.model.file !== source.path) return null;
    return { ok: true, model: { ...stored.model, mandatory }, source, warnings: stored.warnings };
  } catch {
    return null;
  }
}
