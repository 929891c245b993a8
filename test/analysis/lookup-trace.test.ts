import { describe, expect, test } from 'vitest';
import { allFlagSets, viewFlagSet } from '../../src/analysis/flag-sets.js';
import { deriveTable } from '../../src/analysis/kernel-table.js';
import type { LookupOutcome } from '../../src/analysis/lookup.js';
import { lookup } from '../../src/analysis/lookup.js';
import { traceLookup, walkRequest } from '../../src/analysis/lookup-trace.js';
import type { Model } from '../../src/model/model.js';
import { randomSpec } from '../bench/random-spec.js';
import { bundled, flagWord, model, names, sv } from '../support/compile.js';
import { DRAFT, HISTORY, PROPOSAL } from '../workflow/specs.js';

/** Everything lookup() can be asked: every declared flag set plus stray bits, and out-of-range values. */
function sameAsLookup(m: Model): void {
  const t = deriveTable(m);
  const words = [...allFlagSets(m), 0xffffffff, (m.flagMask | 0x80000000) >>> 0, 0x80000000];
  const values = [...m.states.map((s) => s.value), m.states.length, 255];
  for (const flags of words) {
    for (const cur of values) {
      for (const target of values) {
        const want = lookup(m.lookup.variant, t, cur, target, flags);
        const got = traceLookup(m.lookup.variant, t, cur, target, flags).outcome;
        expect(summary(got), `${m.file} ${cur}->${target} flags 0x${flags.toString(16)}`).toEqual(summary(want));
      }
    }
  }
}

/** Cycles may be reported from a different state on the same loop. */
function summary(o: LookupOutcome): unknown {
  if (o.kind === 'next') return o;
  if (o.kind === 'refused') return { kind: 'refused', reason: o.reason };
  return { kind: 'diverges', cycle: [...o.cycle].sort((a, b) => a - b) };
}

describe('the traced lookup', () => {
  test.each([...HISTORY, DRAFT, PROPOSAL])('ends exactly as lookup() does on %s', (path) => {
    sameAsLookup(bundled(path));
  });

  test('ends exactly as lookup() does on random VFIO-shaped specs of every era', () => {
    for (let seed = 1; seed <= 12; seed++) {
      const text = randomSpec(10, 4, seed);
      for (const era of ['v2', 'seed-v6', 'linux-5.18', 'linux-7.2']) sameAsLookup(model(text.replace(/lookup \S+/, `lookup ${era}`), `random-${seed}-${era}.fsm`));
    }
  });

  test('records the state the mainline loop skips for a device without P2P', () => {
    const m = bundled('spec/vfio-migration.fsm');
    const trace = traceLookup('linux-7.2', deriveTable(m), sv(m, 'PRE_COPY'), sv(m, 'STOP_COPY'), flagWord(m, 'STOP_COPY', 'PRE_COPY'));
    expect(trace.reads.map((r) => [names(m, [r.current, r.target, r.value]), r.skip?.kind])).toEqual([
      [['PRE_COPY', 'STOP_COPY', 'PRE_COPY_P2P'], 'missing-flags'],
      [['PRE_COPY_P2P', 'STOP_COPY', 'STOP_COPY'], undefined],
    ]);
    expect(trace.reads[0]!.skip).toEqual({ kind: 'missing-flags', missing: flagWord(m, 'P2P') });
    expect(trace.outcome).toEqual({ kind: 'next', state: sv(m, 'STOP_COPY') });
  });

  test('shows the 6.2 loop going round the sink', () => {
    const m = bundled('spec/history/linux-6.2.fsm');
    const trace = traceLookup('linux-5.18', deriveTable(m), sv(m, 'STOP_COPY'), sv(m, 'PRE_COPY'), flagWord(m, 'STOP_COPY', 'PRE_COPY'));
    expect(trace.reads.map((r) => [m.states[r.value]!.name, r.skip?.kind])).toEqual([
      ['ERROR', 'sink'],
      ['ERROR', 'sink'],
    ]);
    expect(trace.outcome.kind).toBe('diverges');
  });

  test('walks a whole request one call per step', () => {
    const m = bundled('spec/vfio-migration.fsm');
    const view = viewFlagSet(m, m.flagMask);
    const w = walkRequest('linux-7.2', deriveTable(m), view, sv(m, 'RUNNING'), sv(m, 'STOP_COPY'));
    expect(names(m, w.states)).toEqual(['RUNNING', 'RUNNING_P2P', 'STOP', 'STOP_COPY']);
    expect(w.calls).toHaveLength(3);
    expect(w.stray).toEqual([]);
    expect(w.end).toEqual({ kind: 'reached' });
  });
});
