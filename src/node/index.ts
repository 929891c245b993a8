/**
 * `vfio-fsm/node`: the library's file-system edge. Reads a spec from a file
 * (under the limits the CLI applies to every input), or a bundled spec by its
 * name, from the installed package whatever the current folder. Everything
 * else is in the main entry, `vfio-fsm`, which does no I/O.
 */
import type { BundledSpec } from './bundled-specs.js';
import { BUNDLED_SPECS } from './bundled-specs.js';
import { bundledSpecFile } from './spec-files.js';

export type { BundledSpec } from './bundled-specs.js';
export { MAINLINE_SPEC, isSpecName } from './bundled-specs.js';
export { readSpec, readSpecFile } from './spec-files.js';

/** The bundled specs, each with the absolute path of its file in the installed package. */
export function bundledSpecs(): readonly (BundledSpec & { readonly file: string })[] {
  return BUNDLED_SPECS.map((s) => ({ ...s, file: bundledSpecFile(s) }));
}
