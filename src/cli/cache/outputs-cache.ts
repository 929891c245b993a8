import type { SourceText } from '../../common/source.js';
import type { GeneratedFile } from '../../emit/outputs.js';
import { cacheStore } from './session.js';

/**
 * What `gen` makes of one spec, through the cache: the key is the spec's
 * text and the path its headers record (the model is made of those alone),
 * and the flag-set limit the check ran under. Building the TypeScript
 * module (ts-morph, then prettier) and the SVG (Graphviz) is most of a
 * `gen --check`: seconds, where reading the files back takes milliseconds.
 */
export async function outputsCached(source: SourceText, maxFlagSets: number | undefined, compute: () => Promise<GeneratedFile[]>): Promise<GeneratedFile[]> {
  const store = cacheStore();
  if (!store) return compute();
  const key = JSON.stringify([source.path, source.text, maxFlagSets ?? null]);
  const hit = store.get('gen', key);
  const decoded = hit ? decodeOutputs(hit.toString('utf8')) : null;
  if (decoded) return decoded;
  const files = await compute();
  store.put('gen', key, JSON.stringify(files));
  return files;
}

function decodeOutputs(text: string): GeneratedFile[] | null {
  try {
    const files = JSON.parse(text) as unknown;
    if (!Array.isArray(files)) return null;
    const whole = files.every((f: Partial<Record<keyof GeneratedFile, unknown>>) => typeof f.kind === 'string' && typeof f.path === 'string' && typeof f.text === 'string');
    return whole ? (files as GeneratedFile[]) : null;
  } catch {
    return null;
  }
}
