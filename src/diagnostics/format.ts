import type { Diagnostic } from './diagnostic.js';
import type { SourceText } from '../common/source.js';

export interface Painter {
  red(s: string): string;
  yellow(s: string): string;
  bold(s: string): string;
  dim(s: string): string;
}

export const plain: Painter = { red: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

/** Source lines longer than this are shown as a window around the span, so that one long line is not printed whole per diagnostic. */
const MAX_SHOWN_LINE = 160;
/** How much of the line before the span the window keeps. */
const LEAD = 40;

/**
 * `path:line:col: error VFnnn: message`, then the source line and a caret
 * under the span, the way compilers print it. A long line is cut to a window
 * around the span, with `…` where it was cut.
 */
export function formatDiagnostic(d: Diagnostic, source: SourceText | undefined, paint: Painter = plain): string {
  const kind = d.severity === 'error' ? paint.red('error') : paint.yellow('warning');
  const head = `${paint.bold(`${d.file}:${d.line}:${d.column}:`)} ${kind} ${d.code}: ${d.message}`;
  if (!source || source.text.length === 0) return head;
  const full = source.line(d.line).replace(/\t/g, ' ');
  const width = d.endLine === d.line ? Math.max(1, d.endColumn - d.column) : Math.max(1, full.length - d.column + 1);
  let text = full;
  let column = d.column;
  let shownWidth = Math.min(width, 200);
  if (full.length > MAX_SHOWN_LINE) {
    const start = Math.max(0, Math.min(d.column - 1 - LEAD, full.length - MAX_SHOWN_LINE));
    const end = Math.min(full.length, start + MAX_SHOWN_LINE);
    const before = start > 0 ? '…' : '';
    text = `${before}${full.slice(start, end)}${end < full.length ? '…' : ''}`;
    column = d.column - start + before.length;
    shownWidth = Math.max(1, Math.min(shownWidth, text.length - column + 1));
  }
  const gutter = `${String(d.line).padStart(4)} | `;
  const caret = `${' '.repeat(gutter.length - 2)}| ${' '.repeat(column - 1)}${'^'.repeat(shownWidth)}`;
  return `${head}\n${paint.dim(gutter)}${text}\n${paint.dim(caret.slice(0, gutter.length))}${paint.red(caret.slice(gutter.length))}`;
}
