/**
 * Orders strings by UTF-16 code unit: the same answer on every machine and
 * in every locale (localeCompare is neither), and for the ASCII names the
 * kernel uses, its byte order.
 */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The same items in the same order: two paths, two walks, two lists of names. */
export function sameList<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
