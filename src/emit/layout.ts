/**
 * Where the files generated from a spec go, relative to the output directory.
 * Specs under `spec/` keep their sub-path (spec/history/linux-5.18.fsm gives
 * history/linux-5.18.*), so the output tree mirrors the spec tree; a spec kept
 * anywhere else is named by its file name alone.
 */
export const OUTPUT_KINDS = ['ts', 'c', 'json', 'dot', 'mmd', 'svg'] as const;
export type OutputKind = (typeof OUTPUT_KINDS)[number];

const SPEC_DIR = 'spec/';

/** `spec` is a project-relative path with forward slashes. */
export function outputBase(spec: string): string {
  const inner = spec.startsWith(SPEC_DIR) ? spec.slice(SPEC_DIR.length) : spec.slice(spec.lastIndexOf('/') + 1);
  return inner.replace(/\.fsm$/, '');
}

export function outputPath(spec: string, kind: OutputKind): string {
  return `${outputBase(spec)}.${kind}`;
}
