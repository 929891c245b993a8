// Property-based fuzzing of the front end, part 2 of 2: damaged copies of the
// specs in spec/history (part 1, spec-mainline.test.ts, says why there are two).
import fc from 'fast-check';
import { DEEP, seed } from '../support/depth.js';
import { describe, expect, it } from 'vitest';
import { checkFrontEnd, damagedSpec } from './spec-fuzz-support.js';
import { BUNDLED_SPECS, MAINLINE, readSpec } from '../support/spec-text.js';

const RUNS = DEEP ? 60_000 : 3_000;
const HISTORY = BUNDLED_SPECS.map(readSpec).filter((text) => text !== MAINLINE);

describe('fuzz: the history specs, damaged', () => {
  it('has specs to damage', () => {
    expect(HISTORY.length).toBeGreaterThanOrEqual(4);
  });

  it(`keeps the front end's contract on ${RUNS} damaged texts`, () => {
    let checked = 0;
    fc.assert(
      fc.property(damagedSpec(HISTORY), (text) => {
        checkFrontEnd(text);
        checked++;
      }),
      { numRuns: RUNS, ...seed() },
    );
    expect(checked).toBe(RUNS);
  });
});
