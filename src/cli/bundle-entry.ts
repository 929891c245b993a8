import { useParseCache } from '../kernel/parse-cache.js';
import { setCacheStore } from './cache/session.js';
import type { CacheStore } from './cache/store.js';
import { runProgram } from './program.js';

/** What the launcher (bin.ts) hands the bundled program. */
export interface Launch {
  readonly version: string;
  /** The cache, keyed by this build; null when it is off (see cache/place.ts). */
  readonly store: CacheStore | null;
}

/**
 * The entry of the bundled program (dist/src/cli/vfio-fsm.bundle.cjs, built
 * from the compiled sources by src/cli/build/bundle.ts), which the launcher (bin.ts)
 * loads through V8's code cache: the program of program.ts, with the cache
 * open for it: validated specs (cache/spec-cache.ts), kernel cross-checks
 * (cache/kernel-cache.ts), generated files (cache/outputs-cache.ts) and
 * parsed C (kernel/c/parse-cache.ts).
 */
export function main(argv: readonly string[], launch: Launch): Promise<number> {
  const { store } = launch;
  setCacheStore(store);
  useParseCache(store && { get: (key) => store.get('c', key)?.toString('utf8') ?? null, put: (key, value) => store.put('c', key, value) });
  return runProgram(launch.version, argv);
}
