/**
 * Where parsed C may be kept between runs: the CLI hands its cache here
 * (see cli/bundle-entry.ts), the library keeps none. Parsing is ohm's
 * cold, first match of the function (about 40 ms of a `kernel` run); a
 * function read before, with the same text, is read back instead.
 */
export interface TextCache {
  get(key: string): string | null;
  put(key: string, value: string): void;
}

let current: TextCache | null = null;

export function useParseCache(cache: TextCache | null): void {
  current = cache;
}

export function parseCache(): TextCache | null {
  return current;
}
