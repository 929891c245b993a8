import type { SourceText, Span } from '../common/source.js';
import type { Code } from './codes.js';
import { byCodePoint } from '../common/order.js';

export type Severity = 'error' | 'warning';

/**
 * One finding about an input, tied to the place it comes from. Every stage of
 * the pipeline reports through this type so the CLI can print and serialise
 * all of them the same way.
 */
export interface Diagnostic {
  readonly code: Code;
  readonly severity: Severity;
  readonly message: string;
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
  /** Offsets into the file, for tools; line/column are for people. */
  readonly span: Span;
}

/** Builds located diagnostics for one source text. */
export class DiagnosticSink {
  readonly items: Diagnostic[] = [];
  private errors = 0;

  constructor(readonly source: SourceText) {}

  error(code: Code, span: Span, message: string): void {
    this.add('error', code, span, message);
  }

  warning(code: Code, span: Span, message: string): void {
    this.add('warning', code, span, message);
  }

  get hasErrors(): boolean {
    return this.errors > 0;
  }

  private add(severity: Severity, code: Code, span: Span, message: string): void {
    if (severity === 'error') this.errors++;
    this.items.push(locate(this.source, severity, code, span, message));
  }
}

export function locate(source: SourceText, severity: Severity, code: Code, span: Span, message: string): Diagnostic {
  const start = source.position(span.start);
  const end = source.position(Math.max(span.start, span.end));
  return {
    code,
    severity,
    message,
    file: source.path,
    line: start.line,
    column: start.column,
    endLine: end.line,
    endColumn: end.column,
    span: { start: span.start, end: Math.max(span.start, span.end) },
  };
}

/** Orders diagnostics by place, so that output reads top to bottom. */
export function byPosition(a: Diagnostic, b: Diagnostic): number {
  return a.file === b.file ? a.span.start - b.span.start || byCodePoint(a.code, b.code) : byCodePoint(a.file, b.file);
}
