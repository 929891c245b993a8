import type { Code } from '../../diagnostics/codes.js';
import type { Diagnostic, Severity } from '../../diagnostics/diagnostic.js';
import { locate } from '../../diagnostics/diagnostic.js';
import type { SourceText, Span, Where } from '../../common/source.js';
import type { Gap } from '../c/lex.js';

/**
 * The C text the kernel reader works on, and how its offsets map back to
 * the input a person gave: the same text for a C file or a patched base, a
 * patch's post-image lines for a patch read without a base.
 *
 * What the hunks leave out is carried beside the text, as gaps, never as
 * characters in it: a marker spelled in the text could be spelled by the
 * input too, and then a plain C file could pass off its own lines as "not
 * shown". The lexer turns gaps, and only gaps, into hole tokens (lex.ts).
 */
export interface CView {
  readonly text: string;
  readonly source: SourceText;
  /** Lines the hunks do not show, in text order; empty for a whole file. */
  readonly gaps: readonly Gap[];
  toSource(offset: number): number;
}

export function fileView(source: SourceText): CView {
  return { text: source.text, source, gaps: [], toSource: (o) => o };
}

/** A run of view text copied from one place of the source. */
export interface Segment {
  readonly viewStart: number;
  readonly sourceStart: number;
  readonly length: number;
}

export function segmentView(text: string, source: SourceText, segments: readonly Segment[], gaps: readonly Gap[]): CView {
  return {
    text,
    source,
    gaps,
    toSource(offset) {
      let lo = 0;
      let hi = segments.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (segments[mid]!.viewStart <= offset) lo = mid;
        else hi = mid - 1;
      }
      const s = segments[lo];
      if (!s) return 0;
      return s.sourceStart + Math.min(Math.max(0, offset - s.viewStart), s.length);
    },
  };
}

export function mapSpan(view: CView, span: Span): Span {
  const start = view.toSource(span.start);
  return { start, end: Math.max(start, view.toSource(span.end)) };
}

export function where(view: CView, span: Span): Where {
  const p = view.source.position(view.toSource(span.start));
  return { file: view.source.path, line: p.line, column: p.column };
}

export function diagnosticIn(view: CView, severity: Severity, code: Code, span: Span, message: string): Diagnostic {
  return locate(view.source, severity, code, mapSpan(view, span), message);
}
