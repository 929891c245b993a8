import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files that run with a module graph of their own: one that tests what
 * happens when a module is loaded for the first time, and the fuzz tests,
 * which run for minutes under test:deep and allocate all the while (a heap
 * left large by the files before would slow their collections). Every other
 * file shares its worker's modules with the files that ran there before it
 * (vitest's `isolate: false`): the grammars, ts-morph and the rest are
 * loaded, and warmed up, once per worker rather than once per file, which
 * takes the default run from about 60 s to about 40 on two cores. That holds
 * because no test leaves anything behind: each restores what it spies on,
 * the environment and the working folder, and the caches the sources keep
 * (grammars, a view's passes) change no result.
 */
const ISOLATED = ['test/emit/diagrams.test.ts', 'test/fuzz/**/*.test.ts'];

export default defineConfig({
  test: {
    // One test file per core. (Vitest's default leaves one core to its main
    // process, which mostly waits: on two cores that is one file at a time.)
    maxWorkers: availableParallelism(),
    // The machine is shared and slow when loaded: hooks (a beforeAll that emits
    // modules, say) get the same allowance as tests, not vitest's 10 s.
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // A cache folder of this run's own for the built CLI the tests spawn (see the file).
    globalSetup: ['./test/support/cache-home.ts'],
    // The default report, then every test skipped on purpose with its reason.
    reporters: ['default', './test/support/skip-reporter.ts'],
    projects: [
      { extends: true, test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: ISOLATED, isolate: false } },
      { extends: true, test: { name: 'isolated', include: ISOLATED, isolate: true } },
    ],
  },
});
