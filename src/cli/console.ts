import pc from 'picocolors';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Painter } from '../diagnostics/format.js';
import { capDiagnostics, formatDiagnosticList } from '../diagnostics/cap.js';
import { plain } from '../diagnostics/format.js';
import { writeJson } from './json-stream.js';
import type { SourceText } from '../common/source.js';

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, fails: 1, unreadable: 2, inconclusive: 3 } as const;

/** Colours only on a terminal, never under NO_COLOR (picocolors reads both). */
export function painter(stream: NodeJS.WriteStream): Painter {
  if (!pc.isColorSupported || !stream.isTTY) return plain;
  return { red: pc.red, yellow: pc.yellow, bold: pc.bold, dim: pc.dim };
}

/**
 * Prints one input's diagnostics on stderr: the first 100, each with its
 * source line (from the source whose path it names), then how many more
 * there were. Every command prints diagnostics through here.
 */
export function printDiagnostics(diagnostics: readonly Diagnostic[], sources: SourceText | readonly SourceText[] | undefined): void {
  if (diagnostics.length === 0) return;
  const lines = formatDiagnosticList(diagnostics, sources, painter(process.stderr));
  process.stderr.write(`${lines.join('\n')}\n`);
}

/** JSON on stdout, written in pieces: a large check report is more than one string can hold. */
export function printJson(value: unknown): void {
  writeJson(value, (text) => void process.stdout.write(text));
}

/**
 * Diagnostics as --json prints them: the first 100, and how many were left
 * out (`diagnosticsOmitted`, 0 when none was).
 */
export function diagnosticsJson(diagnostics: readonly Diagnostic[]): { diagnostics: Record<string, unknown>[]; diagnosticsOmitted: number } {
  const capped = capDiagnostics(diagnostics);
  return { diagnostics: capped.shown.map(diagnosticJson), diagnosticsOmitted: capped.omitted };
}

/** A diagnostic as --json prints it: the same fields as the text form. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return { file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, severity: d.severity, code: d.code, message: d.message };
}
