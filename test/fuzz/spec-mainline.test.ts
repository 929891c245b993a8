// Property-based fuzzing of the front end, part 1 of 2: 40,000 damaged copies
// of the mainline spec (2,000 outside npm run test:deep). Part 2
// (spec-history.test.ts) damages the four history specs 60,000 times (3,000);
// two files let vitest run them in parallel workers, and
// the split evens out their times (the mainline spec is the longest).
import fc from 'fast-check';
import { DEEP, seed } from '../support/depth.js';
import { describe, expect, it } from 'vitest';
import { checkFrontEnd, damagedSpec } from './spec-fuzz-support.js';
import { MAINLINE } from '../support/spec-text.js';

const RUNS = DEEP ? 40_000 : 2_000;

describe('fuzz: the mainline spec, damaged', () => {
  it(`keeps the front end's contract on ${RUNS} damaged texts`, () => {
    let checked = 0;
    fc.assert(
      fc.property(damagedSpec([MAINLINE]), (text) => {
        checkFrontEnd(text);
        checked++;
      }),
      { numRuns: RUNS, ...seed() },
    );
    expect(checked).toBe(RUNS);
  });
});
