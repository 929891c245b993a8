// The cache changes no output: every command below prints the same bytes,
// to stdout and stderr, and exits the same, with no cache, with an empty one
// (each entry computed and kept) and with the one that run filled (each
// entry read back), run through the bundle's own entry (bundle-entry.ts),
// which opens the cache for the program and the C reader.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../../src/cli/bundle-entry.js';
import type { CacheStore } from '../../../src/cli/cache/store.js';
import { openStore } from '../../../src/cli/cache/store.js';
import { setCacheStore } from '../../../src/cli/cache/session.js';
import { useParseCache } from '../../../src/kernel/parse-cache.js';
import { sample } from '../../support/depth.js';

const K = 'test/fixtures/kernel';
const files = (dir: string, ext: string): string[] =>
  readdirSync(dir)
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => `${dir}/${f}`);

const SPECS = ['vfio-migration', 'linux-6.2', 'linux-5.18', 'seed-v6', 'v2-protocol', 'post-copy', 'post-copy-draft'];
// Every command, every bundled spec, every kernel fixture and patch; the variants of each (--json, another spec) a tenth of them outside test:deep.
const LINES: string[][] = [
  ...SPECS.flatMap((s) => [['check', s], ['parse', s, '--json']]),
  ...sample(SPECS.flatMap((s) => [['check', s, '--json'], ['arcs', s]]), (l) => l[1] === 'vfio-migration'),
  ['check', ...SPECS],
  ['check', ...SPECS, '--json'],
  ['specs'],
  ['explain', 'RUNNING', 'STOP'],
  ['diff', 'linux-6.2', 'vfio-migration'],
  // A spec that passes (all seven files, the TypeScript module among them) and one that fails (its Promela model only).
  ['gen', '--check', 'post-copy', 'post-copy-draft'],
  ['gen', '--driver-skeleton', '--flags', 'P2P'],
  ...files(K, '.c').map((f) => ['kernel', f]),
  ...sample(files(K, '.c').flatMap((f) => [['kernel', f, '--json'], ['kernel', f, '--spec', 'linux-6.2', '--strict-comment']]), (l) => l[1] === `${K}/linux-7.2.c`),
  ...sample([...files(`${K}/mutants`, '.c'), ...files(`${K}/hostile`, '.c'), ...files(`${K}/verdicts`, '.c')]).map((f) => ['kernel', f]),
  ...files(`${K}/patches`, '').filter((f) => !f.endsWith('.md')).map((p) => ['kernel', p]),
  ...sample(files(`${K}/patches`, '').filter((f) => !f.endsWith('.md')).map((p) => ['kernel', p, '--base', `${K}/linux-6.2.c`, '--json']), (l) => l[1]!.endsWith('series.mbox')),
  ['kernel', `${K}/mails/p2p-seed-shape.mbox`, '--spec', 'seed-v6'],
  ['kernel', `${K}/linux-7.2.c`, '--uapi', `${K}/uapi/vfio-7.2.h`],
  ['kernel', `${K}/linux-7.2.c`, '--uapi', `${K}/uapi/vfio-bad.h`, '--json'],
  ...sample(files('test/fixtures/drivers', '.c')).map((f) => ['driver', f]),
];

interface Output {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** One command line through the bundle's entry, with `store` as its cache (null: none), output captured. */
async function run(args: readonly string[], store: CacheStore | null): Promise<Output> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((stdout += String(chunk)), true));
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((stderr += String(chunk)), true));
  try {
    const code = await main(['node', 'vfio-fsm', ...args], { version: '0.0.0-test', store });
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
    setCacheStore(null);
    useParseCache(null);
  }
}

const folder = mkdtempSync(join(tmpdir(), 'vfio-fsm-cache-outputs-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('every output is the same with the cache, empty or full, as without it', () => {
  it.each(LINES.map((l, i) => [l.join(' '), l, i] as const))('vfio-fsm %s', async (_, args, i) => {
    const plain = await run(args, null);
    expect(plain.stderr).not.toContain('internal error');
    // A build of its own: an empty cache.
    const store = openStore(folder, `test${i}`)!;
    const filled = await run(args, store);
    const missed = store.misses;
    const read = await run(args, store);
    expect(filled).toEqual(plain);
    expect(read).toEqual(plain);
    // The first run looked in the cache and kept what it computed; the second found everything there.
    expect(missed).toBeGreaterThan(0);
    expect(store.misses).toBe(missed);
  });
});
