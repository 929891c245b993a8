import type * as ChildProcess from 'node:child_process';
import type * as Crypto from 'node:crypto';
import { createRequire } from 'node:module';

/**
 * Node's modules that few commands use, loaded when first used rather than
 * when the program starts: each costs about a millisecond to load, and the
 * bundled program (src/cli/build/bundle.ts) would otherwise load every module any
 * command imports before the first line of any command runs.
 */
const load = createRequire(import.meta.url);

let childProcess: typeof ChildProcess | undefined;
let crypto: typeof Crypto | undefined;

/** `node:child_process`: git (history) and spin (check --oracle). */
export function childProcesses(): typeof ChildProcess {
  return (childProcess ??= load('node:child_process') as typeof ChildProcess);
}

/** `node:crypto`: random names for gen's temporary files. */
export function cryptography(): typeof Crypto {
  return (crypto ??= load('node:crypto') as typeof Crypto);
}
