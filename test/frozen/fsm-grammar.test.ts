// src/syntax/fsm.ohm was reshaped to parse about 2.5 times faster (see the
// note at its end). These tests hold it to the reference grammar it replaced
// (fixtures/fsm-reference.ohm): same texts accepted, same syntax trees built,
// same syntax errors at the same places.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import * as ohm from 'ohm-js';
import { describe, expect, it } from 'vitest';
import { createParser, parseSpec } from '../../src/syntax/parse.js';
import { SourceText } from '../../src/common/source.js';
import { damagedSpec } from '../fuzz/spec-fuzz-support.js';
import { BUNDLED_SPECS, MAINLINE, allSpecFiles, readSpec } from '../support/spec-text.js';
import { runs, seed } from '../support/depth.js';

const reference = createParser(ohm.grammar(readFileSync(new URL('./fixtures/fsm-reference.ohm', import.meta.url), 'utf8')));

/** Parses `text` with both grammars and expects the same result, whatever it is. */
function expectSameParse(text: string): boolean {
  const source = new SourceText('same.fsm', text);
  const ours = parseSpec(source);
  expect(ours).toEqual(reference(source));
  return ours.ok;
}

describe('the project grammar against the reference grammar', () => {
  it.each(allSpecFiles())('%s gives the same syntax tree', (path) => {
    expect(expectSameParse(readSpec(path))).toBe(true);
  });

  it('parses the bundled specs with CRLF line ends to the same trees', () => {
    for (const path of BUNDLED_SPECS) expect(expectSameParse(readSpec(path).replace(/\n/g, '\r\n'))).toBe(true);
  });

  // The places where the rewrite changed how characters are matched: names
  // (ASCII tested inline, Unicode left to ohm's categories), keywords (guarded
  // by a lower-case first letter), blanks (matched in runs) and comments
  // (ranges of code units instead of `any`).
  const EDGES: readonly (readonly [title: string, text: string, parses: boolean])[] = [
    ['a keyword glued to a name', 'machinefoo', true],
    ['names that start with a keyword', 'machine notX lookup sinkhole', true],
    ['a keyword where a name must be', 'machine not', false],
    ['names from underscores and digits', 'machine _ machine _9 machine a_b9', true],
    ['a name that starts with a digit', 'machine 9a', false],
    ['Latin-1 letters', 'machine \u00c9t\u00e9', true],
    ['titlecase, modifier and other letters', 'machine \u01c5\u02b0\u4e2d', true],
    ['a letter outside the BMP', 'machine \u{1d400}b', true],
    ['a digit that is not ASCII', 'machine a\u0663', false],
    ['a no-break space', 'machine a\u00a0b', false],
    ['a lone surrogate', 'machine a\ud800', false],
    ['control characters, which are blanks', 'machine\u0000a\u0001\u001f', true],
    ['a byte-order mark', '\ufeffmachine a', false],
    ['tabs and CRLF', 'machine\ta\r\n\r\nlookup\tv2\r\n', true],
    ['comments without blanks around them', '/**/machine/**/a//x\nlookup/* */v2//', true],
    ['a line comment with a line separator in it', 'machine a // one\u2028two\nlookup v2', true],
    ['a line comment with astral characters', 'machine a // \u{1f600}\u{10ffff}\nlookup v2', true],
    ['a block comment that looks nested', '/* a /* b */ machine a', true],
    ['a block comment closed twice', '/* a */ */ machine a', false],
    ['an unclosed block comment', 'machine a /* never closed', false],
    ['a lone slash', 'machine a /', false],
    ['setting keys and lookup names', 'emit c { state-prefix X_ flag-prefix Y } lookup linux-7.2.x-y', true],
    ['a setting key with a non-ASCII letter', 'emit c { st\u00e4te x }', true],
    ['a lookup name that ends in a dash', 'lookup l-', true],
    ['keywords glued to what follows', 'states { A = 0 sinkX }', false],
    ['a keyword followed by an underscore', 'states { A = 0 sink_ }', false],
    ['an interior mode glued to a name', 'rule interior g only-withinx', false],
    ['hex digits in both cases', 'flags { A = 0xaF mandatory }', true],
    ['a hex number followed by a letter', 'flags { A = 0x1Fg }', false],
    ['a shift without a right operand', 'flags { A = 1 << }', false],
  ];

  it.each(EDGES)('%s', (_title, text, parses) => {
    expect(expectSameParse(text)).toBe(parses);
  });

  const DAMAGED = runs(300);

  it(`fails at the same place with the same message on damaged specs (${DAMAGED} texts)`, () => {
    // Cheaper than the fuzz tests' cases: each text is parsed twice, once by
    // the slow reference grammar.
    let parsed = 0;
    fc.assert(
      fc.property(damagedSpec([MAINLINE]), (text) => {
        if (expectSameParse(text)) parsed++;
      }),
      { numRuns: DAMAGED, ...seed() },
    );
    // Damage must leave some texts parseable, or only error paths were compared.
    expect(parsed).toBeGreaterThan(0);
  });
});
