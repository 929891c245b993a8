// grouped() stands in for toLocaleString('en-US') (which loads the locale
// data on its first call): the same text for every integer it is given.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { grouped } from '../../src/common/grouped.js';
import { runs, seed } from '../support/depth.js';

describe('grouped', () => {
  it('writes integers as en-US does', () => {
    for (const n of [0, 1, -1, 999, 1000, -1000, 12345, 999999, 1000000, 1048576, 2 ** 32, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER, -0]) {
      expect(grouped(n)).toBe(n.toLocaleString('en-US'));
    }
  });

  it('agrees with toLocaleString on any safe integer', () => {
    fc.assert(
      fc.property(fc.oneof(fc.integer(), fc.maxSafeInteger(), fc.integer({ min: -1e7, max: 1e7 })), (n) => grouped(n) === n.toLocaleString('en-US')),
      { numRuns: runs(20_000), ...seed() },
    );
  });

  it('leaves the rest to toLocaleString', () => {
    for (const n of [1.5, 1234.5678, NaN, Infinity, -Infinity, 2 ** 60]) expect(grouped(n)).toBe(n.toLocaleString('en-US'));
  });
});
