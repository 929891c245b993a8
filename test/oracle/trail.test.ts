import { describe, expect, test } from 'vitest';
import type { Violation } from '../../src/analysis/check.js';
import { PROMELA_CHECKS } from '../../src/emit/promela.js';
import { compareFindings } from '../../src/oracle/compare.js';
import { parsePanOutput } from '../../src/oracle/pan-output.js';
import type { SpinFinding } from '../../src/oracle/trail.js';
import { cycleOf, decodeTrail } from '../../src/oracle/trail.js';
import { bundled, flagWord, sv } from '../support/compile.js';
import { promela } from './support.js';

/** The 1-based line of the first model line containing `text`. */
function lineOf(model: string, text: string): number {
  const i = model.split('\n').findIndex((l) => l.includes(text));
  expect(i, text).toBeGreaterThanOrEqual(0);
  return i + 1;
}

describe('decoding a replayed trail', () => {
  const m = bundled('spec/history/linux-6.2.fsm');
  const { text } = promela(m);

  test('a termination trail gives the request, its flag word and the states the loop goes round', () => {
    const line = lineOf(text, 'property termination: the lookup');
    const word = flagWord(m, 'STOP_COPY', 'PRE_COPY');
    const replay = [
      `      oracle request ${PROMELA_CHECKS.termination} ${word} 0 ${sv(m, 'STOP_COPY')} ${sv(m, 'PRE_COPY')}`,
      '      oracle call',
      ...Array.from({ length: 9 }, () => '      oracle loop 0'),
      `spin: model.pml:${line}, Error: assertion violated`,
      'spin: text of failed assertion: assert((first!=-(2)))',
      'spin: trail ends after 9 steps',
    ].join('\n');
    const d = decodeTrail(text, replay, 1);
    expect(d).toEqual({
      ok: true,
      finding: {
        property: 'termination',
        flags: word,
        current: sv(m, 'STOP_COPY'),
        target: sv(m, 'PRE_COPY'),
        walk: [sv(m, 'ERROR')],
        trail: 1,
        line,
        stands: "the lookup's loop ends within NSTATES rounds",
      },
    });
  });

  test('a walk trail keeps the steps handed to the driver; -1 reads as 0xffffffff', () => {
    const walkLine = lineOf(text, 'property table: each step handed');
    const d = decodeTrail(text, `oracle request ${PROMELA_CHECKS.walk} 7 0 1 2\noracle call\noracle step 5\noracle step 3\nspin: model.pml:${walkLine}, Error: assertion violated\n`, 4);
    expect(d.ok && d.finding).toMatchObject({ property: 'table', walk: [1, 5, 3], trail: 4 });
    const rangeLine = lineOf(text, 'property sink: a state value outside');
    const r = decodeTrail(text, `oracle request ${PROMELA_CHECKS.range} 7 0 -1 2\nspin: model.pml:${rangeLine}, Error: assertion violated\n`, 2);
    expect(r.ok && r.finding).toMatchObject({ property: 'sink', current: 0xffffffff, target: 2, walk: [] });
  });

  test('an error that is not one of the model\'s assertions is reported as such', () => {
    const d = decodeTrail(text, 'oracle request 3 7 0 1 2\nspin: model.pml:12, Error: indexing T[300] - size is 64\n', 1);
    expect(d.ok && d.finding).toMatchObject({ property: 'model', stands: 'SPIN: indexing T[300] - size is 64 (line 12)' });
  });

  test('a replay without the request or without an error cannot be decoded', () => {
    expect(decodeTrail(text, 'spin: model.pml:3, Error: assertion violated', 1)).toEqual({ ok: false, error: 'trail 1: the replay printed no request' });
    expect(decodeTrail(text, 'oracle request 1 7 0 1 2', 2)).toEqual({ ok: false, error: 'trail 2: the replay reached no error' });
  });

  test('the cycle is what lies between the last state tested and its previous visit', () => {
    expect(cycleOf([3, 0, 0, 0])).toEqual([0]);
    expect(cycleOf([1, 2, 3, 2, 3, 2])).toEqual([2, 3]);
    expect(cycleOf([])).toEqual([]);
  });
});

describe('comparing violation sets', () => {
  const base: Violation = { property: 'termination', flags: 5, current: 3, target: 6, paths: [], walk: [0], message: 'never ends' };
  const found: SpinFinding = { property: 'termination', flags: 5, current: 3, target: 6, walk: [0], trail: 1, line: 10, stands: 'ends' };

  test('the same violation on both sides agrees; a duplicate on the checker side counts once', () => {
    const c = compareFindings([base, base], [found]);
    expect(c.agree).toBe(true);
    expect(c.both).toHaveLength(1);
  });

  test('a violation on one side only is a disagreement, either way round', () => {
    expect(compareFindings([base], [])).toMatchObject({ agree: false, onlyChecker: [base] });
    expect(compareFindings([], [found])).toMatchObject({ agree: false, onlySpin: [found] });
  });

  test('the undeclared bits a violation was found with are part of its identity', () => {
    const widened = { ...base, widened: 8 };
    expect(compareFindings([widened], [found]).agree).toBe(false);
    expect(compareFindings([widened], [{ ...found, widened: 8 }]).agree).toBe(true);
  });

  test('the same request with another counterexample is a disagreement; a loop may start anywhere', () => {
    expect(compareFindings([{ ...base, walk: [1, 2] }], [{ ...found, walk: [2, 1] }]).agree).toBe(true);
    const table: Violation = { ...base, property: 'table', walk: [3, 4] };
    const c = compareFindings([table], [{ ...found, property: 'table', walk: [3, 5] }]);
    expect(c.agree).toBe(false);
    expect(c.walkDiffers).toHaveLength(1);
  });

  test('with --flags, SPIN\'s findings under other words are left out', () => {
    expect(compareFindings([], [found], [7]).agree).toBe(true);
    expect(compareFindings([], [found], [5]).agree).toBe(false);
  });
});

describe("reading pan's report", () => {
  test('a complete search', () => {
    const text = 'State-vector 56 byte, depth reached 47, errors: 3\n    25631 states, stored\npan: elapsed time 0.02 seconds\n';
    expect(parsePanOutput(text)).toEqual({ complete: true, vector: 56, depth: 47, errors: 3, states: 25631, seconds: 0.02 });
  });

  test('a search cut short by a bound, or without a summary, is not complete', () => {
    expect(parsePanOutput('error: max search depth too small\nState-vector 56 byte, depth reached 99, errors: 0\n 5 states, stored')).toMatchObject({ complete: false });
    expect(parsePanOutput('pan: reached -DMEMLIM bound')).toMatchObject({ complete: false });
    expect(parsePanOutput('Segmentation fault')).toEqual({ complete: false, reason: 'pan printed no summary of its search' });
  });
});
