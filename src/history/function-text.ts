import { lex } from '../kernel/c/lex.js';
import { locateFunction } from '../kernel/c/locate.js';

/**
 * The lookup function's text in one version of a file, found by the kernel
 * reader's lexical scan (no parse): enough to tell whether a commit changed
 * the function before paying for a cross-check.
 */
export type FunctionText =
  | { readonly kind: 'absent' }
  | {
      readonly kind: 'defined';
      /** From the return type to the closing brace (or the end of the file when it has none). */
      readonly text: string;
      /** The text without its comments, white space collapsed: what the compiler sees. */
      readonly code: string;
      /** 1-based line of the function's name. */
      readonly line: number;
      /** False when the braces never close (the file cannot be read whole). */
      readonly complete: boolean;
    };

/**
 * How a commit's function text compares with the previous one's:
 * `comment-only` when only comments or white space differ. A comment-only
 * change still counts as a change: the cross-check reads the comment above
 * the table, so a new comment can change what it reports. `first` is a
 * function seen with nothing known before it (the oldest commit of a
 * shallow clone).
 */
export type TextChange = 'added' | 'removed' | 'changed' | 'comment-only' | 'unchanged' | 'absent' | 'first';

const ABSENT: FunctionText = { kind: 'absent' };

export function functionText(text: string, name: string): FunctionText {
  const lexed = lex(text);
  const found = locateFunction(lexed, name, text.length);
  if (!found) return ABSENT;
  const { start, end } = found.span;
  let code = '';
  let at = start;
  for (const c of lexed.comments) {
    if (c.end <= start || c.start >= end) continue;
    code += `${text.slice(at, Math.max(at, c.start))} `;
    at = Math.max(at, c.end);
  }
  code += text.slice(at, end);
  let line = 1;
  for (let i = text.indexOf('\n'); i >= 0 && i < found.name.start; i = text.indexOf('\n', i + 1)) line++;
  return { kind: 'defined', text: text.slice(start, end), code: code.replace(/\s+/g, ' ').trim(), line, complete: found.complete };
}

/** `before` is undefined when nothing is known before `after`. */
export function compareText(before: FunctionText | undefined, after: FunctionText): TextChange {
  if (!before) return after.kind === 'defined' ? 'first' : 'absent';
  const was = before.kind === 'defined' ? before : null;
  if (after.kind === 'absent') return was ? 'removed' : 'absent';
  if (!was) return 'added';
  if (was.text === after.text) return 'unchanged';
  return was.code === after.code ? 'comment-only' : 'changed';
}
