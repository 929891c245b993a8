import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
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
  },
});
