/**
 * vfio-fsm as a library (`import ... from 'vfio-fsm'`): read and validate a
 * spec, check it, derive the kernel's table, explain a request, diff two
 * specs, list the arcs a driver needs, generate each output as a string, and
 * cross-check kernel C. A thin layer over the same functions the CLI runs.
 *
 * Nothing here reads or writes files, prints, or exits: text goes in, values
 * come out. (The C and spec grammars, the TypeScript printer and Graphviz
 * load their own code when first used.) Reading a spec from a file, or a
 * bundled spec by name, is in `vfio-fsm/node` (src/node/index.ts).
 */
import { deriveTable } from './analysis/kernel-table.js';
import type { KernelTable } from './analysis/kernel-table.js';
import { cell } from './analysis/kernel-table.js';
import type { ExplainOptions, Explanation } from './analysis/explain.js';
import { explain } from './analysis/explain.js';
import { SourceText } from './common/source.js';
import type { CrossCheck } from './kernel/cross-check.js';
import { crossCheck } from './kernel/cross-check.js';
import type { LoadedSpec } from './model/loaded-spec.js';
import { loadSpecSource } from './model/loaded-spec.js';
import type { Model } from './model/model.js';

// --- Specs: text to validated model ----------------------------------------

export type { LoadedSpec } from './model/loaded-spec.js';
export type { Arc, Blocked, Condition, Flag, Group, InteriorRule, LookupVariant, Model, State } from './model/model.js';
export type { Diagnostic, Severity } from './diagnostics/diagnostic.js';
export type { Painter } from './diagnostics/format.js';
export { SourceText } from './common/source.js';
export { CODES as DIAGNOSTIC_CODES } from './diagnostics/codes.js';
export { formatDiagnostic } from './diagnostics/format.js';
export { flagWordSet, pathText, stateName } from './model/spelling.js';
export { flagNames } from './model/model.js';
export { modelToJson } from './model/model-json.js';

/**
 * Parses and validates a spec given as text. `file` is the name diagnostics
 * carry (`file:line:col: error VFnnn: ...` through formatDiagnostic, with
 * `result.source` for the source line and caret).
 */
export function specFromText(text: string, file = 'spec.fsm'): LoadedSpec {
  return loadSpecSource(new SourceText(file, text.replace(/^\uFEFF/, '')));
}

// --- Checking ----------------------------------------------------------------

export type { CheckOptions, CheckResult, FlagSetReport, Property, Violation, Warning } from './analysis/check.js';
export { check } from './analysis/check.js';
export { checkJson, checkText } from './report/check-report.js';

// --- The kernel's table ----------------------------------------------------

export type { KernelTable } from './analysis/kernel-table.js';
export { cell, deriveTable } from './analysis/kernel-table.js';

/**
 * The table by state names, `table[current][target]` = the next state, rows
 * and columns in the kernel's order (the spec's `order`).
 */
export function namedTable(model: Model, table: KernelTable = deriveTable(model)): Record<string, Record<string, string>> {
  const name = (v: number): string => model.states[v]?.name ?? String(v);
  return Object.fromEntries(model.order.map((cur) => [name(cur), Object.fromEntries(model.order.map((target) => [name(target), name(cell(table, cur, target))]))]));
}

// --- Explaining a request -----------------------------------------------------

export type { Alternative, ExplainOptions, Explanation, Flaw } from './analysis/explain.js';
export { explain } from './analysis/explain.js';
export { explainJson, explainText } from './report/explain-report.js';

export interface ExplainRequestOptions extends ExplainOptions {
  /** The flags the device advertises, by name; all declared flags by default. The mandatory flag is always added. */
  readonly flags?: readonly string[];
}

export type ExplainRequestResult = { readonly ok: true; readonly explanation: Explanation } | { readonly ok: false; readonly error: string };

/** Why the request `current -> target` (state names) takes its path: `explain` with names instead of values. */
export function explainRequest(model: Model, current: string, target: string, options: ExplainRequestOptions = {}): ExplainRequestResult {
  const state = (name: string): number | undefined => model.states.find((s) => s.name === name)?.value;
  const cur = state(current);
  const tgt = state(target);
  const unknown = [current, target].filter((n) => state(n) === undefined);
  if (cur === undefined || tgt === undefined) return { ok: false, error: `unknown state ${unknown.map((n) => `\`${n}\``).join(' and ')}; ${model.file} declares ${model.states.map((s) => s.name).join(', ')}` };
  let word = model.flagMask;
  if (options.flags) {
    const bad = options.flags.filter((n) => !model.flags.some((f) => f.name === n));
    if (bad.length) return { ok: false, error: `unknown flag ${bad.map((n) => `\`${n}\``).join(', ')}; ${model.file} declares ${model.flags.map((f) => f.name).join(', ')}` };
    word = model.flags.filter((f) => options.flags!.includes(f.name) || f.mandatory).reduce((w, f) => (w | f.bit) >>> 0, 0);
  }
  return { ok: true, explanation: explain(model, deriveTable(model), word, cur, tgt, { maxArcs: options.maxArcs }) };
}

// --- Comparing two specs ---------------------------------------------------------

export type { SpecDiff } from './analysis/spec-diff.js';
export { diffSpecs } from './analysis/spec-diff.js';
export { diffJson, diffText } from './report/diff-report.js';

// --- The arcs a driver implements ------------------------------------------------

export type { ArcGroup, DriverArcs, FlagSetArcs } from './analysis/driver-arcs.js';
export { driverArcs } from './analysis/driver-arcs.js';
export { arcsJson, arcsText } from './report/arcs-report.js';

// --- Generated outputs, as strings -------------------------------------------------

export type { GeneratedFile } from './emit/outputs.js';
export type { OutputKind } from './emit/layout.js';
export { OUTPUT_KINDS } from './emit/layout.js';
export { EmitError } from './emit/emit-error.js';
export { generateOutput, generateOutputs } from './emit/outputs.js';

// --- Cross-checking kernel C -------------------------------------------------------

export type { CrossCheck } from './kernel/cross-check.js';
export type { KernelReport } from './kernel/checks/result.js';
export { kernelText } from './report/kernel-report.js';

/** A text and the name it is reported under. */
export interface NamedText {
  readonly path: string;
  readonly text: string;
}

export interface KernelTexts {
  /** A C file, or a patch: a unified diff, a `git format-patch` mail, an mbox. */
  readonly input: NamedText;
  /** The file a patch applies to; the patched result is checked. */
  readonly base?: NamedText;
  /** A `vfio.h`-shaped header whose enum values and flag bits are checked too. */
  readonly uapi?: NamedText;
}

/**
 * Cross-checks kernel C (or a patch, or a mail) against a spec: the table
 * cell by cell, the lookup function evaluated on every input, its comment,
 * and a uapi header if given. Unreadable input gives `ok: false` with
 * located diagnostics, as the CLI prints them.
 */
export function crossCheckKernel(model: Model, texts: KernelTexts): Promise<CrossCheck> {
  const source = (t: NamedText | undefined): SourceText | undefined => (t === undefined ? undefined : new SourceText(t.path, t.text));
  return crossCheck(model, { input: new SourceText(texts.input.path, texts.input.text), base: source(texts.base), uapi: source(texts.uapi) });
}
