import { readFileSync } from 'node:fs';
import { compileSpec } from '../../src/model/front-end.js';
import type { Model } from '../../src/model/model.js';
import { SourceText } from '../../src/common/source.js';

/** Compiles spec text that the test expects to be valid, failing loudly otherwise. */
export function model(text: string, path = 'test.fsm'): Model {
  const { model: m, diagnostics } = compileSpec(new SourceText(path, text));
  if (!m) throw new Error(`spec does not validate:\n${diagnostics.map((d) => `${d.line}:${d.column} ${d.code} ${d.message}`).join('\n')}`);
  return m;
}

export function bundled(path: string): Model {
  return model(readFileSync(path, 'utf8'), path);
}

/** State value by name, so assertions read as names. */
export function sv(m: Model, name: string): number {
  const s = m.states.find((x) => x.name === name);
  if (!s) throw new Error(`no state ${name}`);
  return s.value;
}

export function flagWord(m: Model, ...names: string[]): number {
  return names.reduce((w, n) => (w | m.flags.find((f) => f.name === n)!.bit) >>> 0, 0);
}

export function names(m: Model, path: readonly number[]): string[] {
  return path.map((v) => m.states[v]!.name);
}
