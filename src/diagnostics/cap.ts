import type { Diagnostic } from './diagnostic.js';
import type { Painter } from './format.js';
import { formatDiagnostic, plain } from './format.js';
import type { SourceText } from '../common/source.js';
import { grouped } from '../common/grouped.js';

/**
 * How many diagnostics of one input are printed. A spec with thousands of
 * mistakes (a generator gone wrong, a file that is not a spec) would
 * otherwise bury the first, useful ones under megabytes of output; the count
 * of the rest is always given, in text and in JSON.
 */
export const MAX_PRINTED_DIAGNOSTICS = 100;

export interface CappedDiagnostics {
  /** The first `max`, in the order given. */
  readonly shown: readonly Diagnostic[];
  /** How many were left out. */
  readonly omitted: number;
  readonly omittedErrors: number;
  readonly omittedWarnings: number;
}

export function capDiagnostics(diagnostics: readonly Diagnostic[], max = MAX_PRINTED_DIAGNOSTICS): CappedDiagnostics {
  const shown = diagnostics.slice(0, max);
  let omittedErrors = 0;
  for (let i = shown.length; i < diagnostics.length; i++) if (diagnostics[i]!.severity === 'error') omittedErrors++;
  const omitted = diagnostics.length - shown.length;
  return { shown, omitted, omittedErrors, omittedWarnings: omitted - omittedErrors };
}

/** The line printed after the shown diagnostics, or undefined when none was left out. */
export function omittedLine(c: CappedDiagnostics): string | undefined {
  if (c.omitted === 0) return undefined;
  const parts: string[] = [];
  if (c.omittedErrors) parts.push(`${grouped(c.omittedErrors)} more error${c.omittedErrors === 1 ? '' : 's'}`);
  if (c.omittedWarnings) parts.push(`${grouped(c.omittedWarnings)} more warning${c.omittedWarnings === 1 ? '' : 's'}`);
  const total = grouped(c.shown.length + c.omitted);
  return `… and ${parts.join(' and ')}, not shown (the first ${c.shown.length} of ${total} are)`;
}

/**
 * The text every command prints for an input's diagnostics: the first
 * MAX_PRINTED_DIAGNOSTICS, each with its source line (from the source whose
 * path it names), then the count of the rest. Linear in what is printed.
 */
export function formatDiagnosticList(diagnostics: readonly Diagnostic[], sources: SourceText | readonly SourceText[] | undefined, paint: Painter = plain): string[] {
  const capped = capDiagnostics(diagnostics);
  const list: readonly SourceText[] = sources === undefined ? [] : Array.isArray(sources) ? sources : [sources as SourceText];
  const byPath = new Map(list.map((s) => [s.path, s]));
  const lines = capped.shown.map((d) => formatDiagnostic(d, byPath.get(d.file), paint));
  const rest = omittedLine(capped);
  if (rest) lines.push(paint.dim(rest));
  return lines;
}
