// Random damage to spec texts, for the fuzz tests and the grammar comparison.
import fc from 'fast-check';
import { expect } from 'vitest';
import { formatDiagnostic } from '../../src/diagnostics/format.js';
import { compileSpec } from '../../src/model/front-end.js';
import { SourceText } from '../../src/common/source.js';

/** Words and marks of the DSL, plus names and numbers it uses, to insert whole. */
const VOCABULARY = [
  'machine', 'emit', 'flags', 'states', 'order', 'arcs', 'block', 'group', 'rule', 'lookup',
  'needs', 'when', 'not', 'and', 'sink', 'mandatory', 'assuming', 'shortest', 'interior',
  'never', 'only-within', 'c', 'ts', 'state-type', 'table', 'v2', 'seed-v6', 'linux-5.18', 'linux-7.2',
  '{', '}', '=', ';', ',', '->', '<->', '<<', '//', '/*', '*/', '\n', ' ', '\t', '\r\n',
  'ERROR', 'STOP', 'RUNNING', 'STOP_COPY', 'RESUMING', 'RUNNING_P2P', 'PRE_COPY', 'PRE_COPY_P2P', 'P2P', 'saving',
  '0', '1', '7', '255', '256', '0x1F', '0x', '1 << 31', '1 << 32', '1 << 4000', '99999999999999999999999',
];

/**
 * One to four code points up to `max`, lone surrogates included. (Built from
 * integers: fc.string's full-Unicode unit keeps ~90 MB of tables alive, and a
 * heap that size slows every garbage collection of the fuzz run.)
 */
function randomCharacters(max: number): fc.Arbitrary<string> {
  return fc.array(fc.integer({ min: 0, max }), { minLength: 1, maxLength: 4 }).map((cps) => String.fromCodePoint(...cps));
}

/** One kind of damage; positions are taken modulo the text's length when applied. */
type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'delete-line'; line: number }
  | { kind: 'duplicate-line'; line: number }
  | { kind: 'flip-byte'; at: number; bit: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('delete-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate-line' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('flip-byte' as const), at: fc.nat(), bit: fc.nat({ max: 7 }) }),
  // Tokens of the language make damage that parses and reaches the validator.
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom(...VOCABULARY) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: randomCharacters(0x7f) }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: randomCharacters(0x10ffff) }),
);

export function applyMutation(text: string, m: Mutation): string {
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'delete-line':
    case 'duplicate-line': {
      const lines = text.split('\n');
      const i = m.line % lines.length;
      lines.splice(i, m.kind === 'delete-line' ? 1 : 0, ...(m.kind === 'duplicate-line' ? [lines[i]!] : []));
      return lines.join('\n');
    }
    case 'flip-byte': {
      // On the UTF-8 bytes, as a file on disk would be damaged; invalid
      // sequences decode to U+FFFD (the CLI refuses such files before parsing).
      const bytes = Buffer.from(text, 'utf8');
      if (bytes.length === 0) return text;
      const i = m.at % bytes.length;
      bytes[i] = bytes[i]! ^ (1 << m.bit);
      return new TextDecoder('utf-8').decode(bytes);
    }
    case 'insert': {
      const i = m.at % (text.length + 1);
      return text.slice(0, i) + m.text + text.slice(i);
    }
  }
}

/** A bundled spec with one to four kinds of damage applied in turn. */
export function damagedSpec(texts: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.constantFrom(...texts), fc.array(mutation, { minLength: 1, maxLength: 4 }))
    .map(([text, mutations]) => mutations.reduce(applyMutation, text));
}

/** 1-based line and column of an offset, counted independently of SourceText. */
function placeOf(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * The front end's contract on any text: it does not throw; it returns a model
 * with no error, or no model and at least one error; every diagnostic lies
 * inside the file, its line and column are those of its span, and it can be
 * printed. Uses `expect`, so that a failure says which field is wrong.
 */
export function checkFrontEnd(text: string): void {
  const source = new SourceText('fuzz.fsm', text);
  const { model, diagnostics } = compileSpec(source);
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (model) expect(errors).toEqual([]);
  else expect(errors.length).toBeGreaterThan(0);
  for (const d of diagnostics) {
    expect(d.code).toMatch(/^VF\d{3}$/);
    expect(d.message.length).toBeGreaterThan(0);
    expect(d.file).toBe('fuzz.fsm');
    expect(d.span.start).toBeGreaterThanOrEqual(0);
    expect(d.span.end).toBeGreaterThanOrEqual(d.span.start);
    expect(d.span.end).toBeLessThanOrEqual(text.length);
    expect({ line: d.line, column: d.column }).toEqual(placeOf(text, d.span.start));
    expect({ line: d.endLine, column: d.endColumn }).toEqual(placeOf(text, d.span.end));
    expect(formatDiagnostic(d, source)).toContain(`fuzz.fsm:${d.line}:${d.column}: ${d.severity} ${d.code}: `);
  }
}
