import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const NAME = 'vfio-fsm';
/** src/node/ in the sources, dist/src/node/ once built: the package root is two or three folders up. */
const MAX_UP = 6;

let cached: string | undefined;

/**
 * The folder this package lives in (its package.json, spec/ and dist/), found
 * from this module's own place, not from the current folder: so the bundled
 * specs are found from anywhere, in a clone or in node_modules.
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < MAX_UP; i++) {
    if (isThisPackage(join(dir, 'package.json'))) return (cached = dir);
    const up = dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  throw new Error(`cannot find the ${NAME} package around ${fileURLToPath(import.meta.url)}`);
}

function isThisPackage(path: string): boolean {
  try {
    return (JSON.parse(readFileSync(path, 'utf8')) as { name?: unknown }).name === NAME;
  } catch {
    return false;
  }
}
