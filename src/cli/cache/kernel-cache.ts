import { SourceText } from '../../common/source.js';
import type { CrossCheck, KernelInputs, Reference } from '../../kernel/cross-check.js';
import { cacheStore } from './session.js';

/** Everything a kernel cross-check's result depends on, as text: the cache's key. */
export interface KernelRun {
  /** The chosen spec as read (its path is the name the report shows). */
  readonly spec: SourceText;
  readonly specName: string | null;
  /** The eras the code is told by, each with the text of its spec. */
  readonly references: readonly { readonly reference: Reference; readonly source: SourceText }[];
  readonly inputs: KernelInputs;
  readonly strictComment: boolean;
}

/**
 * `vfio-fsm kernel`'s cross-check through the cache: the key is the whole
 * of what the result depends on (the input, base and header with the names
 * they are shown under, the chosen spec's text and name, every era's spec
 * and what is said of it, the options), the value the result, rendered
 * afresh each time (colour, text or JSON). Run again on the same file, a
 * cross-check is read back instead of evaluating the lookup on every input
 * against every era that could match; a file whose function did not change
 * still skips the parse (kernel/c/parse-cache.ts).
 */
export async function crossCheckCached(run: KernelRun, compute: () => Promise<CrossCheck>): Promise<CrossCheck> {
  const store = cacheStore();
  if (!store) return compute();
  const key = kernelKey(run);
  const hit = store.get('kernel', key);
  const decoded = hit ? decodeCrossCheck(hit.toString('utf8')) : null;
  if (decoded) return decoded;
  const result = await compute();
  store.put('kernel', key, encodeCrossCheck(result));
  return result;
}

function kernelKey(run: KernelRun): string {
  const text = (s: SourceText | undefined) => (s ? [s.path, s.text] : null);
  const { input, base, uapi } = run.inputs;
  return JSON.stringify({
    spec: text(run.spec),
    specName: run.specName,
    references: run.references.map(({ reference: r, source }) => ({ name: r.name, describes: r.describes, fixes: r.fixes, spec: text(source) })),
    input: text(input),
    base: text(base),
    uapi: text(uapi),
    strictComment: run.strictComment,
  });
}

export function encodeCrossCheck(result: CrossCheck): string {
  return JSON.stringify({ ...result, sources: result.sources.map((s) => [s.path, s.text]) });
}

/** The result an entry holds, or null when it is not one. */
export function decodeCrossCheck(text: string): CrossCheck | null {
  try {
    const stored = JSON.parse(text) as { ok: unknown; report?: unknown; warnings?: unknown; diagnostics?: unknown; sources: [string, string][] };
    const whole = stored.ok === true ? typeof stored.report === 'object' && Array.isArray(stored.warnings) : stored.ok === false && Array.isArray(stored.diagnostics);
    if (!whole || !Array.isArray(stored.sources)) return null;
    const sources = stored.sources.map(([path, body]) => new SourceText(path, body));
    return { ...stored, sources } as unknown as CrossCheck;
  } catch {
    return null;
  }
}
