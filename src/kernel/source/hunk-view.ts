import type { SourceText } from '../../common/source.js';
import type { FilePatch, Hunk } from './patch.js';
import { hunkTouches } from './patch.js';
import type { Gap } from '../c/lex.js';
import type { CView, Segment } from './view.js';
import { segmentView } from './view.js';

/**
 * What the hunks of one file patch show of a function, read without a base:
 * their post-image lines in file order, with a gap (view.ts) standing for
 * the N lines between two hunks. In the text a gap is one empty line, which
 * the lexer skips by position, not by what it holds. When the hunks start inside the function, git's
 * hunk heading (the function's first line) is put in front, as the line
 * just above the first hunk.
 */
export interface Fragment {
  readonly view: CView;
  readonly hunks: readonly Hunk[];
  /** The heading was taken as the line above the first hunk. */
  readonly headingUsed: boolean;
}

export function hunkFragment(source: SourceText, file: FilePatch, name: string): Fragment | null {
  const hunks = file.hunks.filter((h) => hunkTouches(h, name));
  if (hunks.length === 0) return null;
  let text = '';
  const segments: Segment[] = [];
  const gaps: Gap[] = [];
  const add = (piece: string, sourceStart: number, length: number): void => {
    segments.push({ viewStart: text.length, sourceStart, length });
    text += piece;
  };
  const first = hunks[0]!;
  const definition = new RegExp(`\\b${name}\\s*\\(`);
  const shown = first.lines.some((l) => l.kind !== '-' && definition.test(l.text));
  const headingUsed = !shown && definition.test(first.heading);
  if (headingUsed) {
    add(first.heading, first.headingOffset, first.heading.length);
    add('\n', first.headingOffset + first.heading.length, 0);
  }
  let nextLine = 0;
  for (const h of hunks) {
    const gap = nextLine === 0 ? 0 : h.newStart - nextLine;
    if (gap > 0) {
      gaps.push({ start: text.length, end: text.length + 1, lines: gap });
      add('\n', h.header.start, 0);
    }
    for (const l of h.lines) {
      if (l.kind === '-') continue;
      add(l.text, l.offset, l.text.length);
      add('\n', l.offset + l.text.length, 0);
    }
    nextLine = h.newStart + h.newLines;
  }
  return { view: segmentView(text, source, segments, gaps), hunks, headingUsed };
}

/**
 * The lines of the function's code (not its tables, not comments) that a
 * file patch adds or removes: what a view of the hunks alone cannot run.
 * Read line by line, as a reviewer skims a diff: table entries
 * (`[X] = ...`), braces, the tables' declarations and comment lines are
 * not code here.
 */
export function changedCodeLines(file: FilePatch, name: string): { readonly offset: number; readonly text: string }[] {
  const out: { offset: number; text: string }[] = [];
  for (const h of file.hunks.filter((x) => hunkTouches(x, name))) {
    let inComment = false;
    for (const l of h.lines) {
      const t = l.text.trim();
      const startsComment = t.startsWith('/*');
      const comment = inComment || startsComment || t.startsWith('*') || t.startsWith('//');
      if (startsComment || inComment) inComment = !t.includes('*/');
      if (l.kind === ' ' || comment || t === '') continue;
      if (/^\[[^\]]*\]\s*=/.test(t) || /^[{}\s,;]*$/.test(t) || /^static\s+const\b.*=\s*\{\s*$/.test(t) || /^(VFIO_|\[)/.test(t)) continue;
      out.push({ offset: l.offset, text: t });
    }
  }
  return out;
}
