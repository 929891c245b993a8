import { readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, test } from 'vitest';
import { check } from '../../src/analysis/check.js';
import { relativePath, scanGenerated } from '../../src/cli/generated-files.js';
import { generateOutputs } from '../../src/emit/outputs.js';
import { bundled } from '../support/compile.js';

/**
 * The committed files under generated/ are what `vfio-fsm gen` makes today:
 * each is regenerated in memory from the spec its header names and compared
 * byte for byte. Every bundled spec that passes the check must have them.
 * When this fails, run `npm run build && node dist/src/cli/main.js gen`.
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

  test('every bundled spec that passes the check has generated files', () => {
    const passing = bundledSpecs(resolve(ROOT, 'spec')).filter((s) => check(bundled(s)).ok);
    expect(passing).toContain('spec/vfio-migration.fsm');
    expect(specs).toEqual(expect.arrayContaining(passing));
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
