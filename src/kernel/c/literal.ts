/**
 * Integer constants as C11 6.4.4.1 writes them, checked on the lexer's
 * number tokens before anything reads their value. The lexer makes a number
 * token of a digit and every letter, digit and underscore after it (`08x`,
 * `0x`, `1e5`), so this is the one place a malformed or oversized constant
 * can be caught, and the syntax tree then only ever holds values that fit
 * in 64 bits.
 */

const DECIMAL = /^[1-9][0-9]*$/;
const OCTAL = /^0[0-7]*$/;
const HEX = /^0[xX][0-9a-fA-F]+$/;
/** `u`, `l`, `ll` and their combinations, in either case (`ll` not mixed). */
const SUFFIX = /^(?:[uU](?:ll|LL|[lL])?|(?:ll|LL|[lL])[uU]?)?$/;

const MAX_U64 = (1n << 64n) - 1n;

function shown(text: string): string {
  return text.length > 24 ? `${text.slice(0, 24)}...` : text;
}

/** Why `text` (a number token) is no integer constant this reader takes, or null when it is one. */
export function literalProblem(text: string): string | null {
  const suffix = /[uUlL]*$/.exec(text)![0];
  const digits = text.slice(0, text.length - suffix.length);
  if (!SUFFIX.test(suffix) || !(DECIMAL.test(digits) || OCTAL.test(digits) || HEX.test(digits))) {
    if (/^0[0-9]+$/.test(digits)) return `\`${shown(text)}\` is not a valid integer constant: an octal constant has only the digits 0 to 7`;
    return `\`${shown(text)}\` is not a valid integer constant`;
  }
  // Leading zeros aside, no constant of more than 22 digits (octal's most) fits: no bigint is made of a long one.
  const hex = HEX.test(digits);
  const significant = (hex ? digits.slice(2) : digits).replace(/^0+/, '');
  const value = significant.length > 22 ? MAX_U64 + 1n : hex ? BigInt(`0x${significant || '0'}`) : OCTAL.test(digits) ? BigInt(`0o${significant || '0'}`) : BigInt(significant);
  if (value > MAX_U64) return `the integer constant \`${shown(text)}\` does not fit in 64 bits`;
  return null;
}
