import pc from 'picocolors';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Painter } from '../diagnostics/format.js';
import { formatDiagnostic, plain } from '../diagnostics/format.js';
import type { SourceText } from '../common/source.js';

/** Exit codes shared by every command. */
export const EXIT = { ok: 0, fails: 1, unreadable: 2, inconclusive: 3 } as const;

/** Colours only on a terminal, never under NO_COLOR (picocolors reads both). */
export function painter(stream: NodeJS.WriteStream): Painter {
  if (!pc.isColorSupported || !stream.isTTY) return plain;
  return { red: pc.red, yellow: pc.yellow, bold: pc.bold, dim: pc.dim };
}

export function printDiagnostics(diagnostics: readonly Diagnostic[], source: SourceText | undefined): void {
  const paint = painter(process.stderr);
  for (const d of diagnostics) process.stderr.write(`${formatDiagnostic(d, source, paint)}\n`);
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** A diagnostic as --json prints it: the same fields as the text form. */
export function diagnosticJson(d: Diagnostic): Record<string, unknown> {
  return { file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn, severity: d.severity, code: d.code, message: d.message };
}
