// Fuzzing the kernel reader on kernel-shaped C: every era's fixture and
// mutant and the verdict fixtures, damaged one to four ways, mostly inside
// the lookup function (brackets, holes spelled in the text, the hole
// marker, malformed and huge constants, huge tables, endless loops, stray
// bytes). In process, through crossCheck, as the CLI runs it. 100,000 cases
// under npm run test:deep (the README has the time it takes), 3,000 by
// default. fast-check prints the seed of a failing run; VFIO_FSM_SEED replays it.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { seed } from '../support/depth.js';
import { checkKernel, cSeeds, damaged, FUZZ_TIMEOUT_MS, fuzzRuns, Tally } from './kernel-fuzz-support.js';

const RUNS = fuzzRuns();
const SEEDS = cSeeds();

describe('fuzz: kernel-shaped C, damaged', () => {
  it(`keeps the reader's contract on ${RUNS} damaged C files`, async () => {
    const tally = new Tally();
    await fc.assert(
      fc.asyncProperty(damaged(SEEDS, 'c'), async ({ seed: s, text }) => {
        tally.add(await checkKernel(s.path, text, s.spec, undefined));
      }),
      { numRuns: RUNS, ...seed() },
    );
    expect(tally.cases).toBe(RUNS);
    // Damage must leave some files readable, or only the error paths were tried.
    expect(tally.outcomes.get('agree') ?? 0).toBeGreaterThan(RUNS / 100);
    console.log(`kernel-c fuzz: ${RUNS} cases, slowest ${tally.slowest.toFixed(0)} ms`, Object.fromEntries(tally.outcomes));
  }, FUZZ_TIMEOUT_MS);
});
