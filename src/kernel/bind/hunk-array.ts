import type { Span } from '../../common/source.js';
import type { Lexed } from '../c/lex.js';
import { MAX_TABLE_SIDE } from '../c/limits.js';
import { bracketPairs } from '../c/locate.js';
import { parseC } from '../c/parse.js';
import type { IntType } from '../c/int-value.js';
import { wrap } from '../c/int-value.js';
import type { ConstResolver, Report } from '../c/const-eval.js';
import { constEval } from '../c/const-eval.js';
import type { Duplicate, Entry, ExtractedArray } from './extract-array.js';

/**
 * A table read from a patch's hunks alone. Unseen lines may hide a row's
 * closing brace, the table's end, even its declaration, so the braces of
 * what is shown cannot be trusted to nest. What can be trusted is the shape
 * of each kernel-style entry: `[ROW] = {` opens a row (only rows hold
 * braces in a table of integers), `[COLUMN] = value,` is a cell of the row
 * last opened, `}` closes it. Each index and value is still parsed with the
 * C grammar and resolved through the spec.
 */
export interface HunkArray {
  readonly array: ExtractedArray;
  readonly elem: IntType;
  /** Where the declaration starts, when the hunks show it. */
  readonly declStart: number | null;
}

const ENDS_TABLE = new Set(['static', 'if', 'while', 'return', 'enum', 'for', 'do', 'bool', 'int', 'u32', 'unsigned']);

export function readHunkArray(text: string, lexed: Lexed, name: string, rank: 1 | 2, resolve: ConstResolver, report: Report, specSize: number): HunkArray | null {
  const tokens = lexed.tokens;
  const brackets = bracketPairs(tokens, '[', ']', true);
  const closing = (open: number): number => brackets[open] ?? -1;
  const silent: Report = () => undefined;
  const expr = (from: number, to: number, quiet: boolean): number | null => {
    if (from >= to) return null;
    const parsed = parseC(text, tokens[from]!.start, tokens[to - 1]!.end, 'Expr');
    if (!parsed.ok) {
      // A malformed constant or too deep a nesting is an error even where a mere syntax error would be let go.
      if (!quiet || parsed.error.code !== 'VF200') report(parsed.error.code, parsed.error.span, parsed.error.message);
      return null;
    }
    return constEval(parsed.ast, resolve, quiet ? silent : report)?.v ?? null;
  };

  // The declaration, if shown: `... NAME [dim] ([dim]) = {`.
  let head = -1;
  for (let k = 0; k < tokens.length && head < 0; k++) {
    if (tokens[k]!.kind !== 'ident' || tokens[k]!.text !== name || tokens[k + 1]?.text !== '[') continue;
    // A declaration, not a use: `static const` comes before the name.
    let first = k;
    while (first > 0 && tokens[first - 1]!.kind === 'ident') first--;
    if (tokens.slice(first, k).some((t) => t.text === 'static' || t.text === 'const')) head = k;
  }
  const dims: number[] = [];
  let elem: IntType = rank === 2 ? 'u8' : 'uint';
  let i = 0;
  let declStart: number | null = null;
  let nameSpan: Span = { start: 0, end: 0 };
  if (head >= 0) {
    let first = head;
    while (first > 0 && tokens[first - 1]!.kind === 'ident') first--;
    declStart = tokens[first]!.start;
    nameSpan = { start: tokens[head]!.start, end: tokens[head]!.end };
    const words = tokens.slice(first, head).map((t) => t.text);
    if (words.includes('u8') || words.includes('char')) elem = 'u8';
    i = head + 1;
    while (tokens[i]?.text === '[') {
      const close = closing(i);
      if (close < 0) break;
      const v = expr(i + 1, close, true);
      if (v !== null && v > MAX_TABLE_SIDE) {
        report('VF252', { start: tokens[i]!.start, end: tokens[close]!.end }, `dimension ${v} of \`${name}\` is over the reader's limit of ${MAX_TABLE_SIDE} (the table's cells are u8 state values)`);
        return null;
      }
      dims.push(v !== null && v > 0 ? v : specSize);
      i = close + 1;
    }
    if (tokens[i]?.text === '=' && tokens[i + 1]?.text === '{') i += 2;
  } else if (rank === 1) return null;
  while (dims.length < rank) dims.push(specSize);

  const entries = new Map<number, Entry>();
  const duplicates: Duplicate[] = [];
  const rowsSeen = new Map<number, Span>();
  const rowsWithHoles = new Set<number>();
  const afterHole = new Set<number>();
  const unplaced: Span[] = [];
  let outerHole = false;
  let row: number | null = null;
  let rowHole = false;
  let started = head >= 0;
  let closed = false;
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'hole') {
      if (!started) continue;
      if (row !== null) {
        rowsWithHoles.add(row);
        rowHole = true;
      } else outerHole = true;
      continue;
    }
    if (t.text === ',') continue;
    if (t.text === '}') {
      if (rank === 2 && row !== null) {
        row = null;
        continue;
      }
      if (started) {
        closed = true;
        break;
      }
      continue;
    }
    if (t.text !== '[') {
      if (started && ENDS_TABLE.has(t.text)) break;
      continue;
    }
    const close = closing(i);
    if (close < 0 || tokens[close + 1]?.text !== '=') continue;
    const opensRow = tokens[close + 2]?.text === '{';
    if (rank === 2 && opensRow) {
      started = true;
      const v = expr(i + 1, close, false);
      i = close + 2;
      row = null;
      if (v === null) continue;
      if (v < 0 || v >= dims[0]!) {
        report('VF211', { start: t.start, end: tokens[close]!.end }, `designator [${v}] is outside the table's ${dims[0]} rows`);
        continue;
      }
      row = v;
      rowHole = false;
      const at = { start: t.start, end: tokens[close]!.end };
      const prev = rowsSeen.get(row);
      if (prev) duplicates.push({ index: [row], first: prev, second: at });
      rowsSeen.set(row, at);
      continue;
    }
    if (opensRow || (!started && rank === 1)) continue;
    // A value runs to the next `,` or `}` or unseen line at bracket depth 0.
    let end = close + 2;
    for (let depth = 0; end < tokens.length; end++) {
      const x = tokens[end]!;
      if (x.kind === 'hole' || (depth === 0 && (x.text === ',' || x.text === '}'))) break;
      if (x.text === '(' || x.text === '[') depth++;
      else if (x.text === ')' || x.text === ']') depth--;
    }
    const at = { start: t.start, end: tokens[close]!.end };
    // A value the hunks cut off (its line goes on in lines they do not show) is not shown, not mangled C.
    if (end >= tokens.length || tokens[end]!.kind === 'hole') {
      if (row !== null) rowsWithHoles.add(row);
      else outerHole = true;
      i = end - 1;
      continue;
    }
    const index = expr(i + 1, close, false);
    const value = expr(close + 2, end, false);
    i = end - 1;
    if (index === null || value === null) continue;
    if (rank === 2 && row === null) {
      unplaced.push(at);
      continue;
    }
    const size = dims[rank - 1]!;
    if (index < 0 || index >= size) {
      report('VF211', at, `designator [${index}] is outside the array's ${size} element(s)`);
      continue;
    }
    const key = rank === 2 ? row! * dims[1]! + index : index;
    const entry: Entry = { value: wrap(elem, value).v, span: { start: tokens[close + 2]!.start, end: tokens[end - 1]!.end }, at };
    const prev = entries.get(key);
    if (prev) duplicates.push({ index: rank === 2 ? [row!, index] : [index], first: prev.at, second: at });
    entries.set(key, entry);
    if (rowHole) afterHole.add(key);
  }
  // A list whose end is not shown may go on in lines that are not shown.
  if (!closed) {
    if (row !== null) rowsWithHoles.add(row);
    outerHole = true;
  }
  // After unseen lines inside a row, a cell belongs to that row only if no
  // other row's header could hide in those lines: every header is shown.
  if (rank === 2 && rowsSeen.size < dims[0]!) {
    for (const key of afterHole) {
      unplaced.push(entries.get(key)!.at);
      entries.delete(key);
    }
  }
  if (!started && unplaced.length === 0) return null;
  return {
    array: { name, nameSpan, span: { start: declStart ?? 0, end: declStart ?? 0 }, dims, entries, duplicates, rowsSeen, rowsWithHoles, outerHole, unplaced },
    elem,
    declStart,
  };
}

