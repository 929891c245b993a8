import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Script } from 'node:vm';
import type { Launch } from './bundle-entry.js';
import { cacheFolder } from './cache/place.js';
import type { CacheStore } from './cache/store.js';
import { openStore } from './cache/store.js';
import type { LaunchData } from './launch-data.js';
import { BUNDLE_FILE, LAUNCH_FILE, WRAPPER_HEAD, WRAPPER_TAIL } from './launch-data.js';

/**
 * The `vfio-fsm` command as installed: a small launcher, bundled by the
 * build into dist/src/cli/vfio-fsm.cjs. What a user waits for is mostly
 * start-up, so it does as little as it can before the program runs:
 *
 * - `--help`, `--version` and each command's help, printed to a pipe or a
 *   file, are answered from launch.json, written by the build from what the
 *   program itself prints, without loading it (on a terminal commander
 *   wraps help to its width, so the program runs);
 * - otherwise it loads the whole program, bundled into one file, through
 *   V8's code cache (Node 20 has no module compile cache): functions
 *   compiled by an earlier run of the same command are not compiled again.
 */

type Wrapped = (exports: object, require: NodeJS.Require, module: { exports: object }, filename: string, dirname: string, load: (specifier: string) => Promise<unknown>) => void;

/** The first byte of a code cache entry: kept from a run that found everything in the cache, or not. */
const LEAN = 1;
const FULL = 0;

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);

/** A broken installation (a file of the build missing) ends in one line and exit 2, like any other fault. */
function fault(e: unknown): void {
  process.stderr.write(`vfio-fsm: internal error: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 2;
}

let data: LaunchData | undefined;
try {
  data = JSON.parse(readFileSync(join(here, LAUNCH_FILE), 'utf8')) as LaunchData;
} catch (e) {
  fault(e);
}
if (data) {
  const line = args.join('\0');
  // Own keys only: `vfio-fsm constructor` is an unknown command, not Object.prototype's.
  const quick = process.stdout.isTTY || !Object.hasOwn(data.quick, line) ? undefined : data.texts[data.quick[line]!];
  if (quick !== undefined) process.stdout.write(quick);
  else void run(data).then((code) => (process.exitCode = code), fault);
}

async function run(data: LaunchData): Promise<number> {
  const folder = cacheFolder(process.env, args);
  const store = folder === null ? null : openStore(folder, data.buildId);
  const file = join(here, BUNDLE_FILE);
  const key = codeKey(data.buildId, args);
  const entry = store?.get('code', key) ?? null;
  const cached = entry?.subarray(1);
  // The build writes the bundle in ASCII (non-ASCII characters escaped): read so, it makes a one-byte string, with no UTF-8 to decode.
  const script = new Script(`${WRAPPER_HEAD}${readFileSync(file, 'latin1')}${WRAPPER_TAIL}`, { filename: file, cachedData: cached });
  const module = { exports: {} as { main?: (argv: readonly string[], launch: Launch) => Promise<number> } };
  (script.runInThisContext() as Wrapped)(module.exports, createRequire(file), module, file, here, (specifier) => import(specifier));
  const misses = store?.misses ?? 0;
  const code = await module.exports.main!(process.argv, { version: data.version, store });
  if (store) {
    // A run that found all it needed in the cache compiles less (no ohm, say, when no spec was parsed): its
    // code cache is smaller, so quicker to load, and replaces one kept from a run that missed.
    const lean = store.misses === misses;
    if (!cached || script.cachedDataRejected || (lean && entry?.[0] !== LEAN)) keepCode(store, key, script, lean);
  }
  return code;
}

/**
 * One code cache per command: each compiles its own part of the program,
 * and V8 takes a cache whole or not at all. It depends on V8 too (which
 * refuses another's, but a cache is then rewritten, not kept aside).
 */
function codeKey(buildId: string, argv: readonly string[]): string {
  const command = argv.find((a) => !a.startsWith('-')) ?? '';
  return `code\0${buildId}\0${process.version}\0${process.arch}\0${/^[a-z]{1,16}$/.test(command) ? command : ''}`;
}

function keepCode(store: CacheStore, key: string, script: Script, lean: boolean): void {
  try {
    const data = script.createCachedData();
    const entry = Buffer.allocUnsafe(data.length + 1);
    entry[0] = lean ? LEAN : FULL;
    data.copy(entry, 1);
    store.put('code', key, entry);
  } catch {
    // The cache only ever saves time.
  }
}
