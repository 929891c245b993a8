import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { SourceText } from '../../common/source.js';
import type { GeneratedFile } from '../../emit/outputs.js';
import { cacheStore } from './session.js';

/**
 * What `gen` makes of one spec, through the cache: the key is the spec's
 * text and the path its headers record (the model is made of those alone),
 * the flag-set limit the check ran under, and the versions of the packages
 * that print and draw the files (installed beside vfio-fsm, they may change
 * without it). Building the TypeScript module (ts-morph, then prettier) and
 * the SVG (Graphviz) is most of a `gen --check`: seconds, where reading the
 * files back takes milliseconds. When a version cannot be read, nothing is
 * kept.
 */
export async function outputsCached(source: SourceText, maxFlagSets: number | undefined, compute: () => Promise<GeneratedFile[]>): Promise<GeneratedFile[]> {
  const store = cacheStore();
  const printers = store && printerVersions();
  if (!store || !printers) return compute();
  const key = JSON.stringify([source.path, source.text, maxFlagSets ?? null, printers]);
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

/** The packages whose output gen writes: ts-morph (with the TypeScript it carries), prettier, Graphviz. */
const PRINTERS = ['ts-morph', '@ts-morph/common', 'prettier', '@hpcc-js/wasm-graphviz'];
let versions: string[] | null | undefined;

function printerVersions(): string[] | null {
  if (versions !== undefined) return versions;
  const resolveFrom = createRequire(import.meta.url);
  try {
    // @ts-morph/common is ts-morph's, found from there.
    const from = (name: string) => (name === '@ts-morph/common' ? createRequire(resolveFrom.resolve('ts-morph')) : resolveFrom);
    versions = PRINTERS.map((name) => `${name}@${packageVersion(from(name), name)}`);
  } catch {
    versions = null;
  }
  return versions;
}

/** A package's version, from the package.json above its main file (not every package exports its package.json). */
function packageVersion(require: NodeJS.Require, name: string): string {
  let dir = dirname(require.resolve(name));
  for (let up = 0; up < 8; up++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string; version?: string };
      if (pkg.name === name && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // No package.json at this level: one up.
    }
  }
  throw new Error(`no version found for ${name}`);
}
