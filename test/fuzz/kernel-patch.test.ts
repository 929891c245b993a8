// Fuzzing the kernel reader on patches and mails: the patch fixtures, the
// verdict mails and diffs and the seed-shaped mail, damaged one to four ways,
// mostly in their diffs (hunk headers and their numbers, line prefixes,
// lines added, dropped or repeated, holes spelled in added lines, mail
// headers and encodings). Half the runs of a patch with a known base apply
// it (--base), the rest read its hunks alone. In process, through
// crossCheck. 100,000 cases under npm run test:deep, 3,000 by default.
// fast-check prints the seed of a failing run; VFIO_FSM_SEED replays it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seed } from '../support/depth.js';
import { checkKernel, damaged, FUZZ_TIMEOUT_MS, fuzzRuns, patchSeeds, Tally } from './kernel-fuzz-support.js';

const RUNS = fuzzRuns();
const SEEDS = patchSeeds();

describe('fuzz: patches and mails, damaged', () => {
  it(`keeps the reader's contract on ${RUNS} damaged patches and mails`, async () => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(damaged(SEEDS, 'patch'), async ({ seed: s, text, withBase }) => {
        tally.add(await checkKernel(s.path, text, s.spec, withBase ? s.base : undefined));
      }),
      { numRuns: RUNS, ...seed() },
    );
    expect(tally.cases).toBe(RUNS);
    // Damage must leave some patches readable, or only the error paths were tried.
    expect((tally.outcomes.get('agree') ?? 0) + (tally.outcomes.get('disagree') ?? 0)).toBeGreaterThan(RUNS / 20);
    console.log(`kernel-patch fuzz: ${RUNS} cases, slowest ${tally.slowest.toFixed(0)} ms`, Object.fromEntries(tally.outcomes));
  }, FUZZ_TIMEOUT_MS);
});
