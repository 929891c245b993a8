/**
 * Where the files generated from a spec go, relative to the output directory.
 * Specs under `spec/` keep their sub-path (spec/history/linux-5.18.fsm gives
 * history/linux-5.18.*), so the output tree mirrors the spec tree; a spec kept
 * anywhere else is named by its file name alone.
 */
export const OUTPUT_KINDS = ['ts', 'c', 'json', 'dot', 'mmd', 'svg', 'pml'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

const SPEC_DIR = 'spec/';

/** `spec` is a project-relative path with forward slashes. */
export function outputBase(spec: string): string {
  const inner = spec.startsWith(SPEC_DIR) ? spec.slice(SPEC_DIR.length) : spec.slice(spec.lastIndexOf('/') + 1);
  return inner.replace(/\.fsm$/, '');
}

/**
 * The kinds written for a spec that fails the check: only the Promela model,
 * which `check --oracle spin` needs for failing specs too (SPIN must find the
 * same violations). Code and diagrams are generated from passing specs only.
 */
export const FAILING_SPEC_KINDS: readonly OutputKind[] = ['pml'];

export function outputPath(spec: string, kind: OutputKind): string {
  return `${outputBase(spec)}.${kind}`;
}
