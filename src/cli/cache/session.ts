import type { CacheStore } from './store.js';

/**
 * The cache this run of the program uses, if any. Only the built CLI sets
 * one (its build id keys every entry, see launch.ts): the program run from
 * its sources, in the tests, has no build to key entries by and caches
 * nothing unless a test sets a store.
 */
let current: CacheStore | null = null;

export function setCacheStore(store: CacheStore | null): void {
  current = store;
}

export function cacheStore(): CacheStore | null {
  return current;
}
