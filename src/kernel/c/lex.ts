import type { Span } from '../../common/source.js';

/**
 * A light lexical pass over a whole C file: enough to find one function and
 * the comments near it without parsing the rest. It knows comments, string
 * and character literals, preprocessor lines, identifiers, numbers and
 * punctuation; nothing about the grammar.
 */

export type TokenKind = 'ident' | 'number' | 'punct' | 'string' | 'hole';

export interface Token {
  readonly kind: TokenKind;
  /** The token as written; empty for a hole, which stands for lines that are not there. */
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** A hole: how many lines it stands for. */
  readonly lines?: number;
}

/**
 * Lines a patch leaves out, standing at `[start, end)` of the text being
 * lexed (source/hunk-view.ts puts an empty line there). The lexer makes a
 * hole token of each gap by its position alone and skips what the gap
 * covers: nothing the input spells can make a hole.
 */
export interface Gap {
  readonly start: number;
  readonly end: number;
  readonly lines: number;
}

export interface Comment {
  readonly start: number;
  readonly end: number;
  /** The text between the delimiters. */
  readonly body: string;
}

export interface Lexed {
  readonly tokens: readonly Token[];
  readonly comments: readonly Comment[];
  /** An unterminated comment or literal: where it starts. */
  readonly unterminated: Span | null;
}

/**
 * The two-character operators, by first and second character, as constant
 * strings: a punctuation token then costs no new string (one-character
 * strings come from V8's cache), which counts on a whole kernel file.
 */
const TWO_CHAR: ReadonlyMap<string, ReadonlyMap<string, string>> = (() => {
  const byFirst = new Map<string, Map<string, string>>();
  for (const op of ['->', '&&', '||', '==', '!=', '<=', '>=', '<<', '>>', '++', '--']) {
    const second = byFirst.get(op.charAt(0)) ?? new Map<string, string>();
    second.set(op.charAt(1), op);
    byFirst.set(op.charAt(0), second);
  }
  return byFirst;
})();

// Character codes rather than regular expressions: this loop sees every
// character of a whole kernel file.
function identStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
}

function identPart(c: number): boolean {
  return identStart(c) || (c >= 48 && c <= 57);
}

/** Lexes `text`; each of `gaps` (in text order) becomes a hole token. */
export function lex(text: string, gaps: readonly Gap[] = []): Lexed {
  const tokens: Token[] = [];
  const comments: Comment[] = [];
  let unterminated: Span | null = null;
  let i = 0;
  let lineStart = true;
  const n = text.length;
  let g = 0;
  while (i < n) {
    // A gap inside a comment or a directive is swallowed by it, as the lines it stands for would be.
    while (g < gaps.length && gaps[g]!.start < i) g++;
    const gap = gaps[g];
    if (gap && gap.start === i) {
      tokens.push({ kind: 'hole', text: '', start: gap.start, end: gap.end, lines: gap.lines });
      g++;
      i = Math.max(i + 1, gap.end);
      lineStart = true;
      continue;
    }
    const code = text.charCodeAt(i);
    if (code === 10) {
      lineStart = true;
      i++;
      continue;
    }
    if (code === 32 || code === 9 || code === 13 || code === 12 || code === 11) {
      i++;
      continue;
    }
    const ch = text.charAt(i);
    if (ch === '/' && text.charAt(i + 1) === '*') {
      const close = text.indexOf('*/', i + 2);
      const end = close < 0 ? n : close + 2;
      if (close < 0) unterminated ??= { start: i, end: i + 2 };
      comments.push({ start: i, end, body: text.slice(i + 2, close < 0 ? n : close) });
      i = end;
      continue;
    }
    if (ch === '/' && text.charAt(i + 1) === '/') {
      const nl = text.indexOf('\n', i);
      const end = nl < 0 ? n : nl;
      comments.push({ start: i, end, body: text.slice(i + 2, end) });
      i = end;
      continue;
    }
    if (ch === '#' && lineStart) {
      // A directive runs to the end of the line, continued by backslashes.
      let j = i;
      while (j < n && text.charAt(j) !== '\n') j += text.charAt(j) === '\\' && text.charAt(j + 1) === '\n' ? 2 : 1;
      i = j;
      continue;
    }
    lineStart = false;
    if (ch === '"' || ch === "'") {
      let j = i + 1;
      while (j < n && text.charAt(j) !== ch && text.charAt(j) !== '\n') j += text.charAt(j) === '\\' ? 2 : 1;
      if (j >= n || text.charAt(j) !== ch) unterminated ??= { start: i, end: i + 1 };
      const end = Math.min(n, j + 1);
      tokens.push({ kind: 'string', text: text.slice(i, end), start: i, end });
      i = end;
      continue;
    }
    if (identStart(code)) {
      let j = i + 1;
      while (j < n && identPart(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'ident', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    if (code >= 48 && code <= 57) {
      let j = i + 1;
      while (j < n && identPart(text.charCodeAt(j))) j++;
      tokens.push({ kind: 'number', text: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    const two = TWO_CHAR.get(ch)?.get(text.charAt(i + 1));
    const punct = two ?? ch;
    tokens.push({ kind: 'punct', text: punct, start: i, end: i + punct.length });
    i += punct.length;
  }
  return { tokens, comments, unterminated };
}

/** The index of the first token starting at or after `offset` (tokens are in order; binary search). */
export function firstTokenFrom(tokens: readonly Token[], offset: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (tokens[mid]!.start < offset) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The tokens lying in [start, end). */
export function tokensIn(lexed: Lexed, start: number, end: number): readonly Token[] {
  const { tokens } = lexed;
  const first = firstTokenFrom(tokens, start);
  let last = first;
  while (last < tokens.length && tokens[last]!.end <= end) last++;
  return tokens.slice(first, last);
}
