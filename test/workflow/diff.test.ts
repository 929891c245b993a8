import { describe, expect, test } from 'vitest';
import type { SpecDiff } from '../../src/analysis/spec-diff.js';
import { diffSpecs } from '../../src/analysis/spec-diff.js';
import { bundled, model } from '../support/compile.js';
import { runCli } from '../support/run-cli.js';
import { HISTORY, MAINLINE } from './specs.js';

const diffOf = (a: string, b: string): SpecDiff => diffSpecs(bundled(a), bundled(b));
const arcs = (ps: readonly (readonly [string, string])[]): string[] => ps.map(([a, b]) => `${a}->${b}`).sort();
const flagSet = (d: SpecDiff, ...flags: string[]) => d.oldFlagSets.find((f) => f.flags.join(',') === flags.join(','))!;
const newFlagSet = (d: SpecDiff, ...flags: string[]) => d.newFlagSets.find((f) => f.flags.join(',') === flags.join(','))!;

describe('diff along the kernel history', () => {
  test('v2 -> seed V6: RUNNING_P2P goes between RUNNING and STOP; devices without P2P see no change', () => {
    const d = diffOf(HISTORY[0], HISTORY[1]);
    expect(d.flags.added).toEqual(['P2P']);
    expect(d.states.added).toEqual(['RUNNING_P2P']);
    expect(d.cells.map((c) => `[${c.current}][${c.target}] ${c.old}->${c.new}`)).toEqual([
      '[STOP][RUNNING] RUNNING->RUNNING_P2P',
      '[RUNNING][STOP] STOP->RUNNING_P2P',
      '[RUNNING][STOP_COPY] STOP->RUNNING_P2P',
      '[RUNNING][RESUMING] STOP->RUNNING_P2P',
    ]);
    expect(d.behaviourChanges).toBe(0);
    expect(d.fixes).toBe(0);
    expect(flagSet(d, 'STOP_COPY').changes).toEqual([]);
    const p2p = newFlagSet(d, 'STOP_COPY', 'P2P');
    expect(p2p.base).toEqual(['STOP_COPY']);
    expect(p2p.newStates).toEqual(['RUNNING_P2P']);
    expect(arcs(p2p.newArcs)).toEqual(['RUNNING->RUNNING_P2P', 'RUNNING_P2P->RUNNING', 'RUNNING_P2P->STOP', 'STOP->RUNNING_P2P']);
    expect(arcs(p2p.droppedArcs)).toEqual(['RUNNING->STOP', 'STOP->RUNNING']);
    // The seed still trusts its caller to filter devices without STOP_COPY.
    expect(newFlagSet(d, 'P2P').consulted).toBe(false);
  });

  test('seed V6 -> 5.18: same table; the lookup now refuses devices without STOP_COPY itself', () => {
    const d = diffOf(HISTORY[1], HISTORY[2]);
    expect(d.old.lookup).toBe('seed-v6 assuming STOP_COPY');
    expect(d.new.lookup).toBe('linux-5.18');
    expect(d.cells).toEqual([]);
    expect(d.states.added).toEqual([]);
    expect(d.newFlagSets).toEqual([]);
    expect(d.behaviourChanges).toBe(0);
    for (const flags of [[], ['P2P']]) {
      const f = flagSet(d, ...flags);
      expect(f.consulted).toEqual({ old: false, new: true });
      expect(f.newRefusals).toHaveLength(6 * 5);
      expect(f.changes).toEqual([]);
    }
    for (const flags of [['STOP_COPY'], ['STOP_COPY', 'P2P']]) {
      const f = flagSet(d, ...flags);
      expect([f.changes, f.newRefusals, f.removedRefusals, f.arcs.added, f.arcs.removed]).toEqual([[], [], [], [], []]);
    }
  });

  test('5.18 -> 6.2: PRE_COPY flag sets with new arcs, no behaviour change for the old ones, and a lookup that hangs on the new blocks', () => {
    const d = diffOf(HISTORY[2], HISTORY[3]);
    expect(d.flags.added).toEqual(['PRE_COPY']);
    expect(d.states.added).toEqual(['PRE_COPY', 'PRE_COPY_P2P']);
    expect(d.cells).toEqual([]);
    expect(d.blocked.added).toEqual([
      ['STOP_COPY', 'PRE_COPY'],
      ['STOP_COPY', 'PRE_COPY_P2P'],
    ]);
    expect(d.behaviourChanges).toBe(0);
    expect(d.oldFlagSets.every((f) => f.changes.length === 0 && f.arcs.added.length === 0)).toBe(true);
    expect(d.newFlagSets.map((f) => f.flags.join(','))).toEqual(['PRE_COPY', 'STOP_COPY,PRE_COPY', 'P2P,PRE_COPY', 'STOP_COPY,P2P,PRE_COPY']);
    const pre = newFlagSet(d, 'STOP_COPY', 'PRE_COPY');
    expect(arcs(pre.newArcs)).toEqual(['PRE_COPY->RUNNING', 'PRE_COPY->STOP_COPY', 'RUNNING->PRE_COPY']);
    expect(pre.refusals.map((r) => `${r.current}->${r.target}:${r.reason}`)).toEqual(['STOP_COPY->PRE_COPY:blocked']);
    expect(pre.disagreements.map((x) => `${x.current}->${x.target}:${x.kernel.kind}`)).toEqual(['STOP_COPY->PRE_COPY:diverges']);
    const both = newFlagSet(d, 'STOP_COPY', 'P2P', 'PRE_COPY');
    expect(both.base).toEqual(['STOP_COPY', 'P2P']);
    expect(arcs(both.newArcs)).toEqual([
      'PRE_COPY->PRE_COPY_P2P',
      'PRE_COPY->RUNNING',
      'PRE_COPY_P2P->PRE_COPY',
      'PRE_COPY_P2P->RUNNING_P2P',
      'PRE_COPY_P2P->STOP_COPY',
      'RUNNING->PRE_COPY',
      'RUNNING_P2P->PRE_COPY_P2P',
    ]);
    expect(both.disagreements.map((x) => `${x.current}->${x.target}`)).toEqual(['STOP_COPY->PRE_COPY', 'STOP_COPY->PRE_COPY_P2P']);
    expect(d.new.checkOk).toBe(false);
  });

  test('6.2 -> mainline: only the lookup changes, and the requests that never returned become refusals', () => {
    const d = diffOf(HISTORY[3], HISTORY[4]);
    expect(d.old.lookup).toBe('linux-5.18');
    expect(d.new.lookup).toBe('linux-7.2');
    expect([d.flags.added, d.states.added, d.cells, d.blocked.added, d.newFlagSets]).toEqual([[], [], [], [], []]);
    expect(d.behaviourChanges).toBe(0);
    expect(d.fixes).toBe(3);
    const fixed = d.oldFlagSets.flatMap((f) => f.changes.map((c) => `${f.flags.join(',')}: ${c.current}->${c.target} ${c.kind} ${c.old.kernel.kind}->${c.new.kernel.kind}`));
    expect(fixed).toEqual([
      'STOP_COPY,PRE_COPY: STOP_COPY->PRE_COPY fix diverges->refused',
      'STOP_COPY,P2P,PRE_COPY: STOP_COPY->PRE_COPY fix diverges->refused',
      'STOP_COPY,P2P,PRE_COPY: STOP_COPY->PRE_COPY_P2P fix diverges->refused',
    ]);
    expect(flagSet(d, 'STOP_COPY', 'P2P', 'PRE_COPY').newRefusals.map((r) => `${r.current}->${r.target}`)).toEqual(['STOP_COPY->PRE_COPY', 'STOP_COPY->PRE_COPY_P2P']);
    expect(d.old.checkOk).toBe(false);
    expect(d.new.checkOk).toBe(true);
  });

  test('a spec against itself has nothing to say', () => {
    const d = diffOf(MAINLINE, MAINLINE);
    expect(d.behaviourChanges + d.fixes + d.cells.length + d.newFlagSets.length).toBe(0);
    expect(d.oldFlagSets.every((f) => f.changes.length === 0 && f.newRefusals.length === 0)).toBe(true);
  });
});

describe('diff sees changes that break existing devices', () => {
  const base = `machine t
flags { M = 1 << 0 mandatory; O = 1 << 1 }
order A, B, C, E
rule shortest
lookup linux-7.2
`;
  test('a renumbered state and a removed flag are behaviour changes', () => {
    const a = model(`${base}states { E = 0 sink; A = 1 needs M; B = 2 needs M; C = 3 needs M }\narcs { A <-> B; B <-> C }`, 'a.fsm');
    const b = model(base.replace('; O = 1 << 1', '') + 'states { E = 0 sink; A = 2 needs M; B = 1 needs M; C = 3 needs M }\narcs { A <-> B; B <-> C }', 'b.fsm');
    const d = diffSpecs(a, b);
    expect(d.states.renumbered.map((r) => r.name)).toEqual(['A', 'B']);
    expect(d.flags.removed).toEqual(['O']);
    expect(d.oldFlagSets.filter((f) => !f.mapped).map((f) => f.flags.join(','))).toEqual(['O', 'M,O']);
    expect(d.behaviourChanges).toBe(2 + 1 + 2);
  });

  test('a new arc that shortens an existing path is a behaviour change, and the driver must implement it', () => {
    const a = model(`${base}states { E = 0 sink; A = 1 needs M; B = 2 needs M; C = 3 needs M }\narcs { A <-> B; B <-> C }`, 'a.fsm');
    const b = model(`${base}states { E = 0 sink; A = 1 needs M; B = 2 needs M; C = 3 needs M }\narcs { A <-> B; B <-> C; A -> C }`, 'b.fsm');
    const d = diffSpecs(a, b);
    const m = d.oldFlagSets.find((f) => f.flags.join(',') === 'M')!;
    expect(m.changes.map((c) => [c.current, c.target, c.kind, c.old.kernel.states.join(' '), c.new.kernel.states.join(' ')])).toEqual([['A', 'C', 'change', 'A B C', 'A C']]);
    expect(m.arcs.added).toEqual([['A', 'C']]);
    expect(d.cells).toEqual([{ current: 'A', target: 'C', old: 'B', new: 'C' }]);
  });
});

describe('vfio-fsm diff', () => {
  test('runs on each consecutive pair of the history: none changes what existing devices do; only the step into the 6.2 spec, which fails its own check, exits 1', async () => {
    for (let i = 0; i + 1 < HISTORY.length; i++) {
      const r = await runCli(['diff', HISTORY[i]!, HISTORY[i + 1]!]);
      expect(r.code, `${HISTORY[i]} -> ${HISTORY[i + 1]}`).toBe(HISTORY[i + 1] === 'spec/history/linux-6.2.fsm' ? 1 : 0);
      expect(r.stdout).toContain('no behaviour change for existing flag sets');
    }
  });

  test('6.2 -> mainline reads as the lookup fix it is', async () => {
    const r = await runCli(['diff', HISTORY[3], HISTORY[4]]);
    expect(r.stdout).toContain('lookup:  linux-5.18 -> linux-7.2');
    expect(r.stdout).toContain('table:   no cell changed among the 8 shared states');
    expect(r.stdout).toContain('fixed STOP_COPY -> PRE_COPY\n          was: the lookup never returns (the spec: refused, blocked)\n          now: refused');
    expect(r.stdout).toContain('3 requests on which the old lookup broke its own spec now follow it (fixes, not behaviour changes)');
  });

  test('--json carries the findings and the verdict', async () => {
    const r = await runCli(['diff', HISTORY[2], HISTORY[3], '--json']);
    expect(r.code).toBe(1);
    const j = JSON.parse(r.stdout) as { ok: boolean; behaviourChange: boolean; newSpecFailsCheck: boolean; newFlagSets: { flags: string[]; newArcs: string[][] }[] };
    // No behaviour change, but the 6.2 spec fails its own check (the never-ending loop), so not ok.
    expect(j.ok).toBe(false);
    expect(j.newSpecFailsCheck).toBe(true);
    expect(j.behaviourChange).toBe(false);
    expect(j.newFlagSets.find((f) => f.flags.join(',') === 'STOP_COPY,PRE_COPY')!.newArcs).toEqual([
      ['PRE_COPY', 'RUNNING'],
      ['PRE_COPY', 'STOP_COPY'],
      ['RUNNING', 'PRE_COPY'],
    ]);
  });

  test('an unreadable spec exits 2', async () => {
    const r = await runCli(['diff', MAINLINE, 'spec/no-such.fsm']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no such file');
  });

  test('a new spec that fails its own check fails the diff, even without a behaviour change', async () => {
    const r = await runCli(['diff', 'spec/history/linux-5.18.fsm', 'spec/history/linux-6.2.fsm']);
    expect(r.code).toBe(1);
    const last = r.stdout.trimEnd().split('\n').at(-1);
    expect(last).toBe('FAIL: the new spec fails check (termination, 3 violations); run vfio-fsm check spec/history/linux-6.2.fsm');
    expect(r.stdout).toContain('no behaviour change for existing flag sets');
    const allowed = await runCli(['diff', 'spec/history/linux-5.18.fsm', 'spec/history/linux-6.2.fsm', '--allow-behaviour-change', '--json']);
    expect(allowed.code).toBe(1);
    expect(JSON.parse(allowed.stdout)).toMatchObject({ ok: false, behaviourChange: false, newSpecFailsCheck: true, new: { failed: [{ property: 'termination', violations: 3 }] } });
  });
});
