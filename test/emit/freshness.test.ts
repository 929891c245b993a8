import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/analysis/check.js';
import { relativePath, scanGenerated } from '../../src/cli/generated-files.js';
import { OUTPUT_KINDS } from '../../src/emit/layout.js';
import { generateOutputs } from '../../src/emit/outputs.js';
import { bundled } from '../support/compile.js';

/**
 * The committed files under generated/ are what `vfio-fsm gen` makes today:
 * each is regenerated in memory from the spec its header names and compared
 * byte for byte. Every bundled spec must have them: all kinds for a spec that
 * passes the check, the Promela model alone for one that fails it.
 * When this fails, run `npm run build && node dist/src/cli/vfio-fsm.cjs gen`.
 */
const ROOT = process.cwd();
const OUT = resolve(ROOT, 'generated');

const onDisk = scanGenerated(OUT);
const specs = [...new Set(onDisk.flatMap((f) => (f.spec ? [f.spec] : [])))].sort();

function bundledSpecs(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => f.endsWith('.fsm'))
    .map((f) => relativePath(ROOT, join(dir, f)))
    .sort();
}

describe('generated/ is fresh', () => {
  test('every file under generated/ carries the header', () => {
    expect(onDisk.filter((f) => f.spec === undefined).map((f) => relativePath(ROOT, f.path))).toEqual([]);
  });

  test('every bundled spec has generated files, failing ones included (their Promela model only)', () => {
    const all = bundledSpecs(resolve(ROOT, 'spec'));
    expect(all).toContain('spec/vfio-migration.fsm');
    expect(all.filter((s) => !check(bundled(s)).ok)).toEqual(['spec/examples/post-copy-draft.fsm', 'spec/history/linux-6.2.fsm']);
    expect(specs).toEqual(all);
  });

  test('a passing spec has every kind of file, a failing one only its .pml', () => {
    for (const spec of specs) {
      const kinds = onDisk.filter((f) => f.spec === spec).map((f) => f.path.slice(f.path.lastIndexOf('.') + 1)).sort();
      expect(kinds, spec).toEqual(check(bundled(spec)).ok ? [...OUTPUT_KINDS].sort() : ['pml']);
    }
  });

  test.each(specs)('%s: the committed files are byte for byte what gen makes', async (spec) => {
    const m = bundled(spec);
    const files = await generateOutputs(m, check(m));
    const expected = files.map((f) => resolve(OUT, f.path)).sort();
    const committed = onDisk
      .filter((f) => f.spec === spec)
      .map((f) => f.path)
      .sort();
    expect(committed.map((p) => relativePath(ROOT, p))).toEqual(expected.map((p) => relativePath(ROOT, p)));
    for (const f of files) expect(readFileSync(resolve(OUT, f.path), 'utf8'), `generated/${f.path} is stale`).toBe(f.text);
  });
});
