import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Diagnostic } from '../../src/diagnostics/diagnostic.js';
import { compileSpec } from '../../src/model/front-end.js';
import type { FrontEndResult } from '../../src/model/front-end.js';
import { SourceText } from '../../src/common/source.js';

/** The project root, so that tests do not depend on the directory vitest runs in. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Every bundled spec, as a path relative to the root (the way the CLI is called). */
export const BUNDLED_SPECS: readonly string[] = [
  'spec/vfio-migration.fsm',
  ...readdirSync(`${ROOT}spec/history`)
    .filter((f) => f.endsWith('.fsm'))
    .sort()
    .map((f) => `spec/history/${f}`),
];

/** Every .fsm file under spec/, bundled or example, valid or not. */
export function allSpecFiles(dir = 'spec'): string[] {
  return readdirSync(`${ROOT}${dir}`, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? allSpecFiles(`${dir}/${e.name}`) : e.name.endsWith('.fsm') ? [`${dir}/${e.name}`] : []))
    .sort();
}

export function readSpec(path: string): string {
  return readFileSync(`${ROOT}${path}`, 'utf8');
}

export const MAINLINE = readSpec('spec/vfio-migration.fsm');

/**
 * The mainline spec with each `[from, to]` replacement applied. Each `from`
 * must occur exactly once, so an edit cannot silently miss or hit the wrong
 * place when the bundled spec changes.
 */
export function edit(...changes: readonly (readonly [from: string, to: string])[]): string {
  let text = MAINLINE;
  for (const [from, to] of changes) {
    const first = text.indexOf(from);
    if (first < 0) throw new Error(`edit: ${JSON.stringify(from)} is not in the spec`);
    if (text.indexOf(from, first + 1) >= 0) throw new Error(`edit: ${JSON.stringify(from)} occurs more than once`);
    text = text.slice(0, first) + to + text.slice(first + from.length);
  }
  return text;
}

export function compile(text: string, path = 'test.fsm'): FrontEndResult {
  return compileSpec(new SourceText(path, text));
}

export interface Place {
  readonly line: number;
  readonly column: number;
}

/**
 * Where `focus` starts inside the only occurrence of `context` in `text`, as
 * a 1-based line and column (`focus` too must occur once in `context`). Counted here from scratch, independently of
 * SourceText, so that a test cannot share a bug with the code it checks.
 */
export function at(text: string, context: string, focus: string = context): Place {
  const start = text.indexOf(context);
  if (start < 0) throw new Error(`at: ${JSON.stringify(context)} is not in the text`);
  if (text.indexOf(context, start + 1) >= 0) throw new Error(`at: ${JSON.stringify(context)} occurs more than once`);
  const inner = context.indexOf(focus);
  if (inner < 0) throw new Error(`at: ${JSON.stringify(focus)} is not in ${JSON.stringify(context)}`);
  if (context.indexOf(focus, inner + 1) >= 0) throw new Error(`at: ${JSON.stringify(focus)} occurs more than once in ${JSON.stringify(context)}`);
  return placeOf(text, start + inner);
}

/** The place just past the last character, where "missing" diagnostics point. */
export function endOf(text: string): Place {
  return placeOf(text, text.length);
}

function placeOf(text: string, offset: number): Place {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/** A diagnostic reduced to what the tests compare. */
export function brief(d: Diagnostic): { code: string; line: number; column: number; message: string } {
  return { code: d.code, line: d.line, column: d.column, message: d.message };
}
