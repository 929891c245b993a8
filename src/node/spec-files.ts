import { isAbsolute, join, relative, sep } from 'node:path';
import { SourceText } from '../common/source.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { locate } from '../diagnostics/diagnostic.js';
import type { LoadedSpec } from '../model/loaded-spec.js';
import { loadSpecSource } from '../model/loaded-spec.js';
import type { BundledSpec } from './bundled-specs.js';
import { BUNDLED_SPECS, findBundledSpec, isSpecName } from './bundled-specs.js';
import { packageRoot } from './package-root.js';
import { readTextInput } from './read-input.js';

/** The absolute path of a bundled spec's file, in this package. */
export function bundledSpecFile(spec: BundledSpec): string {
  return join(packageRoot(), ...spec.path.split('/'));
}

/** A file as messages show it: relative to `cwd` when it lies below it, absolute otherwise. */
export function shownPath(cwd: string, file: string): string {
  const rel = relative(cwd, file);
  if (rel === '') return '.';
  if (rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) return file;
  return rel.split(sep).join('/');
}

/** Reads and validates the spec at `path` (`-` for standard input), under the limits every input has. */
export function readSpecFile(path: string): LoadedSpec {
  return readSpecFileWith(path, loadSpecSource);
}

/** How a spec's text becomes a loaded spec: loadSpecSource, or the CLI's cached form of it. */
export type SpecCompiler = (source: SourceText) => LoadedSpec;

function readSpecFileWith(path: string, compile: SpecCompiler): LoadedSpec {
  const read = readTextInput(path);
  if (!read.ok) return { ok: false, path, diagnostics: [read.diagnostic] };
  return compile(read.source);
}

/**
 * Reads the spec a command names: a bundled spec by its name (see
 * isSpecName), or a file by its path. A bundled spec is read from the
 * package and shown by its path from `cwd` (`spec/vfio-migration.fsm` in a
 * clone, `node_modules/vfio-fsm/spec/...` in a project that installed it).
 */
export function readSpec(ref: string, cwd: string = process.cwd()): LoadedSpec {
  return readSpecWith(ref, loadSpecSource, cwd);
}

/** readSpec, with the text compiled by `compile`. */
export function readSpecWith(ref: string, compile: SpecCompiler, cwd: string = process.cwd()): LoadedSpec {
  if (!isSpecName(ref)) return readSpecFileWith(ref, compile);
  const spec = findBundledSpec(ref);
  if (!spec) return { ok: false, path: ref, diagnostics: [unknownSpecName(ref)] };
  const file = bundledSpecFile(spec);
  const shown = shownPath(cwd, file);
  const read = readTextInput(file);
  if (!read.ok) return { ok: false, path: shown, diagnostics: [{ ...read.diagnostic, file: shown }] };
  return compile(new SourceText(shown, read.source.text));
}

/** VF095: `name` (a name, not a path) is not one of the bundled specs. */
export function unknownSpecName(name: string): Diagnostic {
  const names = BUNDLED_SPECS.map((s) => s.name).join(', ');
  return locate(
    new SourceText(name, ''),
    'error',
    'VF095',
    { start: 0, end: 0 },
    `no bundled spec is named \`${name}\` (bundled: ${names}); a file is named by a path with a slash or ending in .fsm, e.g. ./${name}`,
  );
}
