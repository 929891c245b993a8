import { describe, expect, test } from 'vitest';
import type { Explanation } from '../../src/analysis/explain.js';
import { explain } from '../../src/analysis/explain.js';
import { allFlagSets } from '../../src/analysis/flag-sets.js';
import { brokenRule } from '../../src/analysis/interior-rules.js';
import { deriveTable } from '../../src/analysis/kernel-table.js';
import { PathSelector } from '../../src/analysis/paths.js';
import { viewFlagSet } from '../../src/analysis/flag-sets.js';
import type { Model } from '../../src/model/model.js';
import { bundled, flagWord, model, names, sv } from '../support/compile.js';
import { randomSpec } from '../bench/random-spec.js';
import { runCli } from '../support/run-cli.js';
import { HISTORY, MAINLINE, PROPOSAL } from './specs.js';

function explainNamed(m: Model, cur: string, target: string, ...flags: string[]): Explanation {
  return explain(m, deriveTable(m), flagWord(m, ...flags), sv(m, cur), sv(m, target));
}

const alternative = (m: Model, e: Explanation, ...path: string[]) => e.alternatives.find((a) => names(m, a.path).join(' ') === path.join(' '));

describe('explain on the mainline spec', () => {
  const m = bundled(MAINLINE);

  test('PRE_COPY -> STOP_COPY with P2P and PRE_COPY goes through PRE_COPY_P2P, and says why not elsewhere', () => {
    const e = explainNamed(m, 'PRE_COPY', 'STOP_COPY', 'STOP_COPY', 'P2P', 'PRE_COPY');
    expect(e.selection.kind === 'path' && names(m, e.selection.path)).toEqual(['PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY']);
    // The direct arc exists only without P2P.
    expect(alternative(m, e, 'PRE_COPY', 'STOP_COPY')!.flaws).toEqual([
      { kind: 'absent-arc', from: sv(m, 'PRE_COPY'), to: sv(m, 'STOP_COPY'), conditions: [{ require: flagWord(m, 'PRE_COPY'), forbid: flagWord(m, 'P2P') }] },
    ]);
    // Through RUNNING and STOP: that arc is also gone under P2P, and the path is longer anyway.
    expect(alternative(m, e, 'PRE_COPY', 'RUNNING', 'STOP', 'STOP_COPY')!.flaws.map((f) => f.kind)).toEqual(['absent-arc', 'longer']);
    // Through RUNNING_P2P: every arc exists, it is just longer.
    expect(alternative(m, e, 'PRE_COPY', 'RUNNING', 'RUNNING_P2P', 'STOP', 'STOP_COPY')!.flaws).toEqual([{ kind: 'longer', arcs: 4, selected: 2 }]);
    expect(e.alternatives.some((a) => names(m, a.path).join(' ') === 'PRE_COPY PRE_COPY_P2P STOP_COPY')).toBe(false);
    expect(e.alternatives.every((a) => a.flaws.length > 0)).toBe(true);
    // The walk reads two cells and agrees with the selection.
    expect(e.walk.calls.flatMap((c) => c.reads.map((r) => names(m, [r.current, r.target, r.value])))).toEqual([
      ['PRE_COPY', 'STOP_COPY', 'PRE_COPY_P2P'],
      ['PRE_COPY_P2P', 'STOP_COPY', 'STOP_COPY'],
    ]);
    expect(e.agrees).toBe(true);
  });

  test('a candidate that opens a data session on its way breaks the interior rule, at each state it does', () => {
    const e = explainNamed(m, 'RUNNING', 'STOP_COPY', 'STOP_COPY', 'P2P', 'PRE_COPY');
    expect(e.selection.kind === 'path' && names(m, e.selection.path)).toEqual(['RUNNING', 'RUNNING_P2P', 'STOP', 'STOP_COPY']);
    const rule = m.interior.findIndex((r) => m.groups[r.group]!.name === 'saving');
    expect(alternative(m, e, 'RUNNING', 'PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY')!.flaws).toEqual([
      { kind: 'rule', rule, state: sv(m, 'PRE_COPY') },
      { kind: 'rule', rule, state: sv(m, 'PRE_COPY_P2P') },
    ]);
  });

  test('without P2P the walk skips PRE_COPY_P2P in the shared table', () => {
    const e = explainNamed(m, 'PRE_COPY', 'STOP_COPY', 'STOP_COPY', 'PRE_COPY');
    const reads = e.walk.calls[0]!.reads;
    expect(reads.map((r) => [m.states[r.value]!.name, r.skip !== undefined])).toEqual([
      ['PRE_COPY_P2P', true],
      ['STOP_COPY', false],
    ]);
    expect(names(m, e.walk.states)).toEqual(['PRE_COPY', 'STOP_COPY']);
    expect(alternative(m, e, 'PRE_COPY', 'PRE_COPY_P2P', 'STOP_COPY')!.flaws.map((f) => f.kind)).toEqual(['absent-state', 'longer']);
  });

  test('a blocked request loses every candidate to the block, and the walk refuses at once', () => {
    const e = explainNamed(m, 'STOP_COPY', 'PRE_COPY', 'STOP_COPY', 'PRE_COPY');
    expect(e.selection).toEqual({ kind: 'refused', reason: 'blocked' });
    expect(e.alternatives.length).toBeGreaterThan(0);
    expect(e.alternatives.every((a) => a.flaws[0]!.kind === 'refused')).toBe(true);
    expect(e.walk.end.kind).toBe('refused');
    expect(e.agrees).toBe(true);
  });

  test('an ambiguous request lists each tied path as a tie', () => {
    const tiny = model(`machine t
flags { M = 1 << 0 mandatory }
states { E = 0 sink; A = 1 needs M; B = 2 needs M; C = 3 needs M; D = 4 needs M }
order A, B, C, D, E
arcs { A -> B; A -> C; B -> D; C -> D; D -> A }
rule shortest
lookup linux-7.2`);
    const e = explain(tiny, deriveTable(tiny), 1, sv(tiny, 'A'), sv(tiny, 'D'));
    expect(e.selection.kind).toBe('ambiguous');
    expect(e.alternatives.map((a) => [names(tiny, a.path).join(' '), a.flaws.map((f) => f.kind)])).toEqual([
      ['A B D', ['tie']],
      ['A C D', ['tie']],
    ]);
    expect(e.agrees).toBe(true); // the table holds the sink there, so the lookup refuses
  });
});

describe('explain on the 6.2 spec', () => {
  test('shows the lookup loop that never ends on a blocked request', () => {
    const m = bundled('spec/history/linux-6.2.fsm');
    const e = explainNamed(m, 'STOP_COPY', 'PRE_COPY', 'STOP_COPY', 'PRE_COPY');
    expect(e.walk.end.kind).toBe('diverges');
    expect(e.agrees).toBe(false);
  });
});

/**
 * What makes the explanation trustworthy: the candidate that won is exactly
 * the selected path, and every other candidate has a reason.
 */
describe('explain agrees with the path selector', () => {
  function everyRequest(m: Model): void {
    const t = deriveTable(m);
    for (const flags of allFlagSets(m)) {
      for (const cur of m.states) {
        for (const target of m.states) {
          if (cur === target) continue;
          const e = explain(m, t, flags, cur.value, target.value);
          for (const a of e.alternatives) expect(a.flaws.length).toBeGreaterThan(0);
          const ties = e.alternatives.filter((a) => a.flaws.length === 1 && a.flaws[0]!.kind === 'tie');
          if (e.selection.kind === 'path') expect(ties).toEqual([]);
          if (e.selection.kind === 'ambiguous') expect(ties.length).toBe(e.selection.paths.length);
        }
      }
    }
  }
  test.each(HISTORY)('on %s', (path) => everyRequest(bundled(path)));
  test.each([...HISTORY, PROPOSAL])('names a broken rule exactly where the selector forbids an interior state, on %s', (path) => {
    const m = bundled(path);
    const selector = new PathSelector(m, viewFlagSet(m, m.flagMask));
    for (const s of m.states) {
      for (const cur of m.states) {
        for (const target of m.states) {
          expect(brokenRule(m, s.value, cur.value, target.value) === undefined).toBe(selector.interiorAllowed(s.value, cur.value, target.value));
        }
      }
    }
  });
  test('on random VFIO-shaped specs', () => {
    for (let seed = 1; seed <= 4; seed++) everyRequest(model(randomSpec(8, 3, seed), `random-${seed}.fsm`));
  });
});

describe('vfio-fsm explain', () => {
  test('adds the mandatory flag with a note and prints the selected path, the losers and the walk', async () => {
    const r = await runCli(['explain', 'PRE_COPY', 'STOP_COPY', '--flags', 'P2P,PRE_COPY']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('note: STOP_COPY is mandatory');
    expect(r.stdout).toContain('selected: PRE_COPY -> PRE_COPY_P2P -> STOP_COPY (2 arcs)');
    expect(r.stdout).toContain('✗ PRE_COPY -> STOP_COPY\n      uses PRE_COPY -> STOP_COPY, an arc absent under these flags (declared `when PRE_COPY and not P2P`)');
    expect(r.stdout).toContain('✗ PRE_COPY -> RUNNING -> RUNNING_P2P -> STOP -> STOP_COPY\n      longer: 4 arcs, the selected path has 2');
    expect(r.stdout).toContain('step 1: T[PRE_COPY][STOP_COPY] = PRE_COPY_P2P');
    expect(r.stdout).toContain('reaches STOP_COPY by PRE_COPY -> PRE_COPY_P2P -> STOP_COPY: the selected path');
  });

  test('--json has the documented shape', async () => {
    const r = await runCli(['explain', 'PRE_COPY', 'STOP_COPY', '--flags', 'STOP_COPY,PRE_COPY', '--json']);
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { flags: string[]; path: string[]; alternatives: { path: string[]; reason: string }[]; walk: { cell: string[]; value: string; skipped: boolean }[] };
    expect(j.flags).toEqual(['STOP_COPY', 'PRE_COPY']);
    expect(j.path).toEqual(['PRE_COPY', 'STOP_COPY']);
    expect(j.alternatives.find((a) => a.path.join(' ') === 'PRE_COPY PRE_COPY_P2P STOP_COPY')!.reason).toBe(
      'passes through PRE_COPY_P2P, which does not exist under these flags (it needs P2P); longer: 2 arcs, the selected path has 1',
    );
    expect(j.walk.map((w) => ({ cell: w.cell, value: w.value, skipped: w.skipped }))).toEqual([
      { cell: ['PRE_COPY', 'STOP_COPY'], value: 'PRE_COPY_P2P', skipped: true },
      { cell: ['PRE_COPY_P2P', 'STOP_COPY'], value: 'STOP_COPY', skipped: false },
    ]);
  });

  test('an unknown state or flag is a usage error, exit 2', async () => {
    const state = await runCli(['explain', 'PRECOPY', 'STOP']);
    expect(state.code).toBe(2);
    expect(state.stderr).toContain('unknown state `PRECOPY`');
    const flag = await runCli(['explain', 'RUNNING', 'STOP', '--flags', 'P2Q']);
    expect(flag.code).toBe(2);
    expect(flag.stderr).toContain('unknown flag `P2Q`');
    const bound = await runCli(['explain', 'RUNNING', 'STOP', '--max-arcs', 'many']);
    expect(bound.code).toBe(2);
  });

  test('a spec that does not load is reported with its location, exit 2', async () => {
    const r = await runCli(['explain', 'RUNNING', 'STOP', 'spec/no-such.fsm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('spec/no-such.fsm');
    expect(r.stderr).toContain('no such file');
  });
});
