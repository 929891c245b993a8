import { describe, expect, it } from 'vitest';
import { allFlagSets } from '../../../src/analysis/flag-sets.js';
import { bundled } from '../../support/compile.js';
import { ERAS, FIXTURES, inputKey, report } from '../support.js';

// Each era's kernel-shaped fixture against its own spec, the 6.2-7.1 loop
// against the mainline spec, and six mutants of every era, each of which
// must report its own mutation and nothing else.

describe('each era agrees with its own spec', () => {
  for (const { fixture, spec } of ERAS) {
    it(`${fixture}.c against ${spec}`, async () => {
      const r = await report(`${FIXTURES}/${fixture}.c`, spec);
      const model = bundled(spec);
      const consulted = allFlagSets(model).filter((w) => (w & model.lookup.assumes) === model.lookup.assumes);
      // every state value, the one past the table, and three far outside; every consulted flag word
      const values = model.states.length + 1 + 3;
      expect(r.mode).toBe('file');
      expect(r.table.dimensions).toEqual({ kernel: [model.states.length, model.states.length], spec: model.states.length, agree: true });
      expect(r.table.differences).toEqual([]);
      expect(r.table.implicit).toEqual([]);
      expect(r.table.duplicates).toEqual([]);
      expect(r.evaluation.performed).toBe(true);
      expect(r.evaluation.inputs).toBe(values * values * consulted.length);
      expect(r.evaluation.mismatches).toEqual([]);
      expect(r.comment.found).toBe(true);
      expect(r.comment.warnings).toEqual([]);
      expect(r.comment.paths).toBeGreaterThan(0);
      // The 6.2-7.1 loop never ends on the blocked requests: a soft lockup, whatever its own spec says.
      expect(r.verdict).toBe(fixture === 'linux-6.2' ? 'disagree' : 'agree');
      expect(r.ok).toBe(fixture !== 'linux-6.2');
      expect(r.matches).toContain(spec.replace(/^.*\//, '').replace(/\.fsm$/, ''));
    });
  }

  it('the 6.2-7.1 loop never ends for STOP_COPY -> PRE_COPY(_P2P), and the 6.2 spec expects it', async () => {
    const r = await report(`${FIXTURES}/linux-6.2.c`, 'spec/history/linux-6.2.fsm');
    expect(r.evaluation.nonTerminating.map(inputKey).sort()).toEqual([
      'STOP_COPY -> PRE_COPY {STOP_COPY,P2P,PRE_COPY}',
      'STOP_COPY -> PRE_COPY {STOP_COPY,PRE_COPY}',
      'STOP_COPY -> PRE_COPY_P2P {STOP_COPY,P2P,PRE_COPY}',
    ]);
    expect(r.evaluation.nonTerminating.every((n) => n.expected && n.cycle.join() === 'ERROR')).toBe(true);
    expect(r.evaluation.mismatches).toEqual([]);
    expect(r.specCheck).toEqual({ ok: false, failed: [{ property: 'termination', violations: 3 }] });
    expect(r.verdict).toBe('disagree');
    expect(r.reasons).toEqual(["the lookup never ends on 3 requests: a request that never returns is a soft lockup (the spec's own lookup never ends there either: the spec fails its check)"]);
    expect(r.matches).toEqual(['linux-6.2']);
  });

  it('against the mainline spec the same fixture reports exactly those inputs, and the command finishes', async () => {
    const r = await report(`${FIXTURES}/linux-6.2.c`, 'spec/vfio-migration.fsm');
    const expected = ['STOP_COPY -> PRE_COPY {STOP_COPY,P2P,PRE_COPY}', 'STOP_COPY -> PRE_COPY {STOP_COPY,PRE_COPY}', 'STOP_COPY -> PRE_COPY_P2P {STOP_COPY,P2P,PRE_COPY}'];
    expect(r.evaluation.nonTerminating.map(inputKey).sort()).toEqual(expected);
    expect(r.evaluation.nonTerminating.every((n) => !n.expected)).toBe(true);
    expect(r.evaluation.mismatches.map(inputKey).sort()).toEqual(expected);
    expect(r.evaluation.mismatches.every((m) => m.cause === 'code' && m.spec === 'refused' && m.kernel.startsWith('never ends'))).toBe(true);
    expect(r.table.differences).toEqual([]);
    expect(r.comment.warnings).toEqual([]);
    expect(r.ok).toBe(false);
    expect(r.matches).toEqual(['linux-6.2']);
    expect(r.missingFixes).toEqual(['the 7.2 loop fix (commit a26b499b757c)']);
  });
});

/** What each table mutation changes: [row, column, the kernel's value] per era (spec value from the era's table). */
const FLIPPED = { row: 'STOP_COPY', column: 'RESUMING', kernel: 'RESUMING', spec: 'STOP' };

describe('each mutant reports exactly its mutation', () => {
  for (const { fixture, spec } of ERAS) {
    const file = (kind: string): string => `${FIXTURES}/mutants/${fixture}-${kind}.c`;

    it(`${fixture}: a flipped cell`, async () => {
      const r = await report(file('flipped-cell'), spec);
      expect(r.table.differences.map(({ row, column, kernel, spec: s }) => ({ row, column, kernel, spec: s }))).toEqual([FLIPPED]);
      expect(r.table.differences[0]!.implicit).toBe(false);
      expect(r.table.differences[0]!.affects.every((a) => a.current === 'STOP_COPY' && a.target === 'RESUMING')).toBe(true);
      expect(r.table.implicit).toEqual([]);
      expect(r.evaluation.mismatches.length).toBeGreaterThan(0);
      expect(r.evaluation.mismatches.every((m) => m.cause === 'table')).toBe(true);
      // The comment's STOP_COPY -> STOP -> RESUMING no longer holds, and STOP_COPY -> RESUMING is now an arc.
      expect(r.comment.warnings.length).toBeGreaterThan(0);
      expect(r.comment.warnings.every((m) => m.message.includes('STOP_COPY'))).toBe(true);
      expect(r.ok).toBe(false);
    });

    it(`${fixture}: a missing row`, async () => {
      const r = await report(file('missing-row'), spec);
      const model = bundled(spec);
      expect(r.table.implicit).toEqual(model.order.map((c) => ({ row: 'RESUMING', column: model.states[c]!.name })));
      expect(r.table.differences.length).toBe(model.states.length - 1); // every cell but [RESUMING][ERROR] was not ERROR
      expect(r.table.differences.every((d) => d.row === 'RESUMING' && d.kernel === 'ERROR' && d.implicit)).toBe(true);
      expect(r.evaluation.mismatches.every((m) => m.cause === 'table')).toBe(true);
      expect(r.evaluation.mismatches.some((m) => m.current === 'RESUMING')).toBe(true);
      expect(r.comment.warnings.every((m) => m.message.includes('RESUMING'))).toBe(true);
      expect(r.ok).toBe(false);
    });

    it(`${fixture}: a dropped designator`, async () => {
      const r = await report(file('dropped-designator'), spec);
      expect(r.table.implicit).toEqual([{ row: 'STOP', column: 'RUNNING' }]);
      expect(r.table.differences.map((d) => [d.row, d.column, d.kernel, d.implicit])).toEqual([['STOP', 'RUNNING', 'ERROR', true]]);
      expect(r.table.differences[0]!.at).toBeNull();
      expect(r.evaluation.mismatches.every((m) => m.cause === 'table' && m.current === 'STOP')).toBe(true);
      expect(r.ok).toBe(false);
    });

    for (const kind of ['reordered', 'spaces']) {
      it(`${fixture}: ${kind === 'spaces' ? 'spaces instead of tabs, one line a row' : 'a reordered initializer'} changes nothing`, async () => {
        const [base, mutant] = await Promise.all([report(`${FIXTURES}/${fixture}.c`, spec), report(file(kind), spec)]);
        expect(mutant.table.differences).toEqual([]);
        expect(mutant.table.implicit).toEqual([]);
        expect(mutant.table.flagsTable?.differences ?? []).toEqual([]);
        expect(mutant.evaluation.mismatches).toEqual([]);
        expect(mutant.evaluation.nonTerminating).toEqual(base.evaluation.nonTerminating);
        expect(mutant.comment.warnings).toEqual([]);
        expect(mutant.verdict).toBe(base.verdict);
        expect(mutant.matches).toEqual(base.matches);
      });
    }

    it(`${fixture}: a loop that cannot end`, async () => {
      const r = await report(file('endless-loop'), spec);
      const fresh = r.evaluation.nonTerminating.filter((n) => !n.expected);
      expect(r.table.differences).toEqual([]);
      expect(r.table.implicit).toEqual([]);
      expect(fresh.length).toBeGreaterThan(0);
      expect(r.evaluation.mismatches.every((m) => m.cause === 'code')).toBe(true);
      // Every mismatch is one of the loops that never end, and the other way round.
      expect(r.evaluation.mismatches.map(inputKey).sort()).toEqual(fresh.map(inputKey).sort());
      expect(r.comment.warnings).toEqual([]);
      expect(r.ok).toBe(false);
    });
  }

  it('linux-7.2 without the ERROR test is the 6.2-7.1 loop: exactly its three inputs', async () => {
    const r = await report(`${FIXTURES}/mutants/linux-7.2-endless-loop.c`, 'spec/vfio-migration.fsm');
    expect(r.evaluation.nonTerminating.map(inputKey).sort()).toEqual([
      'STOP_COPY -> PRE_COPY {STOP_COPY,P2P,PRE_COPY}',
      'STOP_COPY -> PRE_COPY {STOP_COPY,PRE_COPY}',
      'STOP_COPY -> PRE_COPY_P2P {STOP_COPY,P2P,PRE_COPY}',
    ]);
  });

  it('v2 waiting for ERROR to be left goes round ERROR for every target in the table', async () => {
    const r = await report(`${FIXTURES}/mutants/v2-endless-loop.c`, 'spec/history/v2-protocol.fsm');
    expect(r.evaluation.nonTerminating.map((n) => `${n.current}->${n.target}:${n.cycle.join()}`).sort()).toEqual(
      ['ERROR', 'RESUMING', 'RUNNING', 'STOP', 'STOP_COPY'].map((t) => `ERROR->${t}:ERROR`),
    );
  });
});
