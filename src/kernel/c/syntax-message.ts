import type * as ohm from 'ohm-js';
import { quoted } from './quote.js';

/**
 * The words of a C syntax error: what was found, and what the grammar
 * expected there, said as C (terminals in backquotes, kinds of token),
 * never as the grammar's own names.
 */

export function foundToken(text: string, at: number): string {
  const word = /^[A-Za-z0-9_]+/.exec(text.slice(at, at + 80));
  return word ? word[0] : text.charAt(at);
}

/** What was found at `at`; `endWords` names the end of the text read (the end of the function, of an expression...). */
export function describeFound(text: string, at: number, end: number, endWords: string): string {
  if (at >= end) return endWords;
  const token = foundToken(text, at);
  if (token === '\n' || token === '\r') return 'end of line';
  return quoted(token.slice(0, 40));
}

/** ohm's failures, which its typings leave out (the API is documented in ohm's Failure.js). */
interface OhmFailure {
  getText(): string;
  getType(): string;
  isFluffy(): boolean;
}

/**
 * What the grammar expected, in words: terminals as C spells them, in
 * backquotes; character ranges as the kind of character. Never a rule's
 * name or the hole marker: those are the reader's business, not C. Null
 * when all it expected was for something not to be there (a keyword where
 * a name goes, say).
 */
export function expectedInWords(match: ohm.MatchResult, holeMark: string): string | null {
  const failures = (match as unknown as { getRightmostFailures(): OhmFailure[] }).getRightmostFailures();
  const parts = [...new Set(failures.filter((f) => !f.isFluffy()).map((f) => inWords(f, holeMark)).filter((w): w is string => w !== null).map((w) => GROUPED[w] ?? w))];
  if (parts.length > 8) return `${parts.slice(0, 8).join(', ')}, ...`;
  if (parts.length <= 1) return parts[0] ?? null;
  return `${parts.slice(0, -1).join(', ')} or ${parts[parts.length - 1]}`;
}

/** The first characters of a token, said as the token they start. */
const GROUPED: Readonly<Record<string, string>> = {
  'a letter': 'a name',
  '`_`': 'a name',
  'a digit': 'a number',
  '`0`': 'a number',
  '`"`': 'a string',
  "`'`": 'a character constant',
};

function inWords(f: OhmFailure, holeMark: string): string | null {
  const text = f.getText();
  switch (f.getType()) {
    case 'string':
      if (text.includes(holeMark)) return null;
      return text.includes('`') ? JSON.stringify(text) : `\`${text}\``;
    case 'code':
      // A character range, `"a".."z"`.
      if (text.startsWith('"0"')) return 'a digit';
      if (/^"[aA]"/.test(text)) return 'a letter';
      return 'a character';
    default:
      return text === 'end of input' ? 'the end' : null;
  }
}
