/** Maximal runs of consecutive items with the same key: `[from, to]`, inclusive indexes. */
export function runsOf<T>(items: readonly T[], key: (t: T) => string): { from: number; to: number }[] {
  const out: { from: number; to: number }[] = [];
  let prev: string | null = null;
  for (let i = 0; i < items.length; i++) {
    const k = key(items[i]!);
    const last = out[out.length - 1];
    if (last && k === prev) last.to = i;
    else out.push({ from: i, to: i });
    prev = k;
  }
  return out;
}
