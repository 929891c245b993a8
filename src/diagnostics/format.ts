import type { Diagnostic } from './diagnostic.js';
import type { SourceText } from '../common/source.js';

export interface Painter {
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

export const plain: Painter = { red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

/**
 * `path:line:col: error VFnnn: message`, then the source line and a caret
 * under the span, the way compilers print it.
 */
export function formatDiagnostic(d: Diagnostic, source: SourceText | undefined, paint: Painter = plain): string {
  const kind = d.severity === 'error' ? paint.red('error') : paint.yellow('warning');
  const head = `${paint.bold(`${d.file}:${d.line}:${d.column}:`)} ${kind} ${d.code}: ${d.message}`;
  if (!source || source.text.length === 0) return head;
  const text = source.line(d.line).replace(/\t/g, ' ');
  const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, text.length - d.column + 1);
  const gutter = `${String(d.line).padStart(4)} | `;
  const caret = `${' '.repeat(gutter.length - 2)}| ${' '.repeat(d.column - 1)}${'^'.repeat(Math.min(width, 200))}`;
  return `${head}\n${paint.dim(gutter)}${text}\n${paint.dim(caret.slice(0, gutter.length))}${paint.red(caret.slice(gutter.length))}`;
}
