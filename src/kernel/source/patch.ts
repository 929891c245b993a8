import type { Span } from '../../common/source.js';
import type { Line, Mail } from './mbox.js';
import { splitMails } from './mbox.js';

/**
 * Unified diffs read line by line, with every line's place in the input kept
 * (jsdiff's parser keeps none, and stops at a mail signature). Applying a
 * patch is left to jsdiff: see apply-patch.ts.
 */

export interface HunkLine {
  readonly kind: ' ' | '+' | '-';
  readonly text: string;
  /** Offset in the input of the text after the marker. */
  readonly offset: number;
}

export interface Hunk {
  readonly oldStart: number;
  readonly oldLines: number;
  readonly newStart: number;
  readonly newLines: number;
  /** The text git puts after the second `@@`: the nearest function line above the hunk. */
  readonly heading: string;
  readonly headingOffset: number;
  readonly header: Span;
  readonly lines: readonly HunkLine[];
  /** Lines ending without a newline, as `\ No newline at end of file` says. */
  readonly noNewline: { readonly old: boolean; readonly new: boolean };
}

export interface FilePatch {
  readonly oldName: string;
  readonly newName: string;
  readonly mail: number;
  readonly subject: string | null;
  readonly header: Span;
  readonly hunks: readonly Hunk[];
}

export type PatchParse = { ok: true; files: FilePatch[]; mails: number } | { ok: false; span: Span; message: string };

const HUNK = /^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@ ?(.*)$/;

function fileName(header: string): string {
  const name = header.replace(/^(---|\+\+\+) /, '').replace(/\t.*$/, '').trim();
  return name === '/dev/null' ? name : name.replace(/^[ab]\//, '');
}

export function parsePatches(text: string): PatchParse {
  const mails = splitMails(text);
  const files: FilePatch[] = [];
  for (let m = 0; m < mails.length; m++) {
    const r = parseMail(mails[m]!, m, files);
    if (r) return r;
  }
  return { ok: true, files, mails: mails.length };
}

function lineSpan(l: Line): Span {
  return { start: l.offset, end: l.offset + l.text.length };
}

function parseMail(mail: Mail, index: number, files: FilePatch[]): Extract<PatchParse, { ok: false }> | null {
  const { lines } = mail;
  for (let i = 0; i < lines.length; i++) {
    const minus = lines[i]!;
    const plus = lines[i + 1];
    if (!minus.text.startsWith('--- ') || !plus?.text.startsWith('+++ ') || !HUNK.test(lines[i + 2]?.text ?? '')) continue;
    const hunks: Hunk[] = [];
    let j = i + 2;
    while (j < lines.length && HUNK.test(lines[j]!.text)) {
      const r = parseHunk(lines, j);
      if ('message' in r) return { ok: false, span: r.span, message: r.message };
      hunks.push(r.hunk);
      j = r.next;
    }
    files.push({ oldName: fileName(minus.text), newName: fileName(plus.text), mail: index, subject: mail.subject, header: { start: minus.offset, end: plus.offset + plus.text.length }, hunks });
    i = j - 1;
  }
  return null;
}

function parseHunk(lines: readonly Line[], at: number): { hunk: Hunk; next: number } | { span: Span; message: string } {
  const head = lines[at]!;
  const m = HUNK.exec(head.text)!;
  // Line numbers and counts are integers a double holds exactly, or the header is not one a diff tool wrote.
  for (const digits of [m[1], m[2], m[3], m[4]]) {
    if (digits !== undefined && !Number.isSafeInteger(Number(digits))) {
      const shown = digits.length > 24 ? `${digits.slice(0, 24)}...` : digits;
      return { span: lineSpan(head), message: `malformed hunk header: the number ${shown} is larger than any line number (the largest this reader takes is ${Number.MAX_SAFE_INTEGER})` };
    }
  }
  const oldStart = Number(m[1]);
  const oldLines = m[2] === undefined ? 1 : Number(m[2]);
  const newStart = Number(m[3]);
  const newLines = m[4] === undefined ? 1 : Number(m[4]);
  const heading = m[5] ?? '';
  let oldLeft = oldLines;
  let newLeft = newLines;
  const body: HunkLine[] = [];
  const noNewline = { old: false, new: false };
  let j = at + 1;
  let lastKind: ' ' | '+' | '-' = ' ';
  for (; oldLeft > 0 || newLeft > 0; j++) {
    const l = lines[j];
    const left = `${oldLeft} old and ${newLeft} new line(s) of the hunk are missing`;
    if (!l) return { span: lineSpan(head), message: `truncated patch: the input ends but ${left}` };
    const marker = l.text.charAt(0);
    // Mailers strip the trailing blank of an empty context line.
    const kind = l.text === '' ? ' ' : marker;
    if (kind === '\\') continue;
    if (kind !== ' ' && kind !== '+' && kind !== '-') return { span: lineSpan(l), message: `malformed hunk: ${left}, but this line is not a context, added or removed line` };
    if ((kind === ' ' && (oldLeft === 0 || newLeft === 0)) || (kind === '-' && oldLeft === 0) || (kind === '+' && newLeft === 0)) {
      return { span: lineSpan(l), message: `malformed hunk: more lines than its header @@ -${oldStart},${oldLines} +${newStart},${newLines} @@ counts` };
    }
    if (kind !== '+') oldLeft--;
    if (kind !== '-') newLeft--;
    lastKind = kind;
    body.push({ kind, text: l.text.slice(1), offset: l.offset + (l.text === '' ? 0 : 1) });
  }
  if (lines[j]?.text.startsWith('\\')) {
    if (lastKind !== '+') noNewline.old = true;
    if (lastKind !== '-') noNewline.new = true;
    j++;
  }
  const headingOffset = head.offset + head.text.length - heading.length;
  return { hunk: { oldStart, oldLines, newStart, newLines, heading, headingOffset, header: lineSpan(head), lines: body, noNewline }, next: j };
}

/**
 * Does this hunk show, or sit inside, the named function? Either git's
 * heading names it, or a line of the hunk starts its definition (a line
 * opening at column 0 with a type and the name, not an indented call).
 */
export function hunkTouches(h: Hunk, name: string): boolean {
  const definition = new RegExp(`^[A-Za-z_][A-Za-z0-9_\\s*]*\\b${name}\\s*\\(`);
  return definition.test(h.heading) || h.lines.some((l) => l.kind !== '-' && definition.test(l.text));
}
